"""Score text mode on the development corpora's text renderings, beside baselines in the same run.

    python bench/score_text.py [--corpus NAME ...] [--worst 10] [--rounds 3]

Prints, per corpus and as the macro average, the F1 of clean-news text mode, the whole page (no
cleaning) and the C4 line rule; then precision and recall of ours, and text-mode throughput per
corpus on one core (the best of `--rounds` rounds, as `timeit` reports), in the CPU time of this
process, so that other work on a shared machine does not count against it. The data is read in
place from `../shared/bench`; it is never copied into the project.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cleaner.pipeline import heuristics, language
from cleaner.pipeline.cleaner import Cleaner
from cleaner.pipeline.segment import join_paragraphs
from corpora import chosen, corpus_arguments, load, print_details, print_table, print_worst
from metric import score_page, summarise

# A short page that runs every stage once, so that one-off set-up (langdetect's profiles,
# dateparser's first parse, the rule packs' patterns) is not timed as throughput.
WARM_UP = (
    "Home | News | Sport\n"
    "Council approves the new school budget\n"
    "By Jane Roe | March 3, 2021\n"
    "The council approved the budget on Monday after a long debate about teachers and classes.\n"
    "Officials said the plan would pay for more teachers and smaller classes from next year.\n"
    "Related Articles\n"
)

# The C4 end marks, with the typographic quotes that real pages use (this reproduces the
# benchmark README's figure for the C4 line rule).
C4_END_MARKS = (".", "!", "?", '"', "\u201d", "\u2019", "'")
OURS = "clean-news text mode"


def fresh_cleaner() -> Cleaner:
    """A Cleaner that has seen no line yet: the caches of features and rule matches per line,
    and of n-grams per word, are emptied, so that a second round over the same pages is no
    faster for having seen them (compiled patterns and loaded language data stay, as in any
    long run)."""
    heuristics.line_features_cached.cache_clear()
    language.clear_word_cache()
    cleaner = Cleaner()
    cleaner.clean_text(WARM_UP)
    return cleaner


def c4_line_rule(text: str) -> str:
    """C4's line filter: keep lines with at least 3 words ending in terminal punctuation."""
    kept = [
        line.strip()
        for line in text.splitlines()
        if len(line.split()) >= 3 and line.strip().endswith(C4_END_MARKS)
    ]
    return "\n".join(kept)


def clean_texts(texts: dict[str, str], rounds: int) -> tuple[dict[str, str], float]:
    """Our text for each page, and the best CPU time of `rounds` rounds over all of them."""
    outputs: dict[str, str] = {}
    elapsed = float("inf")
    for _ in range(rounds):
        cleaner = fresh_cleaner()
        started = time.process_time()
        for key, text in texts.items():
            outputs[key] = join_paragraphs(cleaner.clean_text(text).body_lines())
        elapsed = min(elapsed, time.process_time() - started)
    return outputs, elapsed


def main() -> None:
    args = corpus_arguments(__doc__.splitlines()[0], rounds=3).parse_args()
    corpora = chosen(args)
    systems = [OURS, "whole page text (no cleaning)", "C4 line rule"]
    summaries = {}
    rates = []
    for corpus in corpora:
        pages = load(corpus, args.root)
        truth = {page.key: page.truth for page in pages}
        texts = {page.key: page.text() for page in pages}
        outputs, elapsed = clean_texts(texts, args.rounds)
        size = sum(len(text.encode("utf-8")) for text in texts.values())
        rates.append((corpus, size, elapsed))
        ours = {key: score_page(truth[key], outputs[key]) for key in texts}
        summaries[OURS, corpus] = summarise(ours.values())
        summaries[systems[1], corpus] = summarise(score_page(truth[k], texts[k]) for k in texts)
        summaries[systems[2], corpus] = summarise(
            score_page(truth[k], c4_line_rule(texts[k])) for k in texts
        )
        if args.worst:
            print(f"worst pages of {corpus}:")
            print_worst(ours, args.worst)
    print_table("text mode, F1", systems, corpora, summaries)
    print_details(OURS, ((corpus, summaries[OURS, corpus]) for corpus in corpora))
    for corpus, size, elapsed in rates:
        print(
            f"throughput on {corpus}: {size / elapsed / 1e6:.2f} MB/s "
            f"({size / 1e6:.2f} MB in {elapsed:.2f} s of CPU, one core, "
            f"best of {args.rounds} rounds)"
        )


if __name__ == "__main__":
    main()
