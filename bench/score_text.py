"""Score text mode on the benchmark's text renderings, beside baselines computed in the same run.

    python bench/score_text.py [--bench ../shared/bench/scrapinghub-dev] [--worst 10] [--rounds 3]

Prints F1 / precision / recall / accuracy for clean-news text mode, the whole page (no
cleaning) and the C4 line rule, then the pinned reference figures of the benchmark's README,
and text-mode throughput (the best of `--rounds` rounds, as `timeit` reports). The data is read
in place; it is never copied into the project.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cleaner import heuristics
from cleaner.pipeline import Cleaner
from cleaner.segment import join_paragraphs
from metric import PageScore, Summary, score_page, summarise

DEFAULT_BENCH = Path(__file__).resolve().parents[2] / "shared" / "bench" / "scrapinghub-dev"
REFERENCE = [  # from the benchmark's README, same dev half
    ("datatrove C4QualityFilter (reference)", 0.823, 0.803, 0.843),
    ("jusText on lines (reference)", 0.753, 0.737, 0.770),
]


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


def fresh_cleaner() -> Cleaner:
    """A Cleaner that has seen no line yet: the caches of features and rule matches per line
    are emptied, so that a second round over the same pages is no faster for having seen them
    (compiled patterns and loaded language data stay, as in any long run)."""
    heuristics.line_features_cached.cache_clear()
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


def page_f1(score: PageScore) -> float:
    precision = score.precision or 0.0
    total = precision + score.recall
    return 2 * precision * score.recall / total if total else 0.0


def row(name: str, summary: Summary) -> str:
    return (
        f"| {name:<40} | {summary.f1:.3f} | {summary.precision:.3f} | {summary.recall:.3f} "
        f"| {summary.accuracy:.3f} |"
    )


def bench_arguments(description: str) -> tuple[argparse.Namespace, dict]:
    """The options both scoring scripts take, and the benchmark's ground truth."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--bench", type=Path, default=DEFAULT_BENCH)
    parser.add_argument("--worst", type=int, default=0, help="list the N lowest-F1 pages")
    parser.add_argument(
        "--rounds", type=int, default=3, help="time N rounds and report the best (default 3)"
    )
    args = parser.parse_args()
    return args, json.loads((args.bench / "ground-truth.json").read_text(encoding="utf-8"))


def print_worst(scores: dict[str, PageScore], count: int) -> None:
    for key in sorted(scores, key=lambda k: page_f1(scores[k]))[:count]:
        s = scores[key]
        print(f"  {page_f1(s):.3f} P={s.precision or 0:.3f} R={s.recall:.3f} {key[:16]}")


def main() -> None:
    args, truth = bench_arguments(__doc__.splitlines()[0])
    pages = {key: (args.bench / "text" / f"{key}.txt").read_text(encoding="utf-8") for key in truth}

    outputs: dict[str, str] = {}
    elapsed = float("inf")
    for _ in range(args.rounds):
        cleaner = fresh_cleaner()
        started = time.perf_counter()
        for key, text in pages.items():
            outputs[key] = join_paragraphs(cleaner.clean_text(text).body_lines())
        elapsed = min(elapsed, time.perf_counter() - started)
    size = sum(len(text.encode("utf-8")) for text in pages.values())

    ours = {key: score_page(truth[key]["articleBody"], outputs[key]) for key in pages}
    print(f"text mode on {len(pages)} pages of {args.bench}")
    print("| system                                   | F1    | prec. | recall| acc.  |")
    print("|------------------------------------------|-------|-------|-------|-------|")
    print(row("clean-news text mode", summarise(ours.values())))
    print(
        row(
            "whole page text (no cleaning)",
            summarise(score_page(truth[k]["articleBody"], pages[k]) for k in pages),
        )
    )
    print(
        row(
            "C4 line rule",
            summarise(score_page(truth[k]["articleBody"], c4_line_rule(pages[k])) for k in pages),
        )
    )
    for name, f1, precision, recall in REFERENCE:
        print(f"| {name:<40} | {f1:.3f} | {precision:.3f} | {recall:.3f} |   -   |")
    rate = size / elapsed / 1e6
    print(
        f"throughput: {rate:.2f} MB/s ({size / 1e6:.2f} MB in {elapsed:.2f} s, one core, "
        f"best of {args.rounds} rounds)"
    )
    print_worst(ours, args.worst)


if __name__ == "__main__":
    main()
