"""Fit the text-mode line heuristics' weights and thresholds on the development corpora.

    python bench/fit_text.py            # cross-validate, fit on all pages, write the weights
    python bench/fit_text.py --check    # no cross-validation; exit 1 unless the shipped weights
                                        # are what the fit gives

The weights (`cleaner/pipeline/line_weights.json`) decide what counts as a prose line and how much
each kind of line weighs in the choice of the article region. They are fitted by coordinate descent
over small grids, maximising the macro F1 over the three corpora (each corpus counts the same,
whatever its size). Before the final fit on every page, a cross-validation grouped by site
(`corpora.site_fold`: all pages of one site fall in one fold) fits on the other folds and prints
each fold's held-out F1 per corpus, beside the held-out F1 of the starting weights, so that what
generalises can be told from what fits the development pages. Each trial is scored on the text
that ships: the line stages and then the metadata stage, which moves the header lines above (and
at the top of) the chosen body into fields. The language, rule hits and line features do not
depend on the weights: they are computed once per page. The data is read in place from
`../shared/bench`.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cleaner.model import Article, Language, Line, PageMetadata, RuleHit
from cleaner.pipeline import metadata
from cleaner.pipeline.cleaner import Cleaner, decide_until_fixed
from cleaner.pipeline.decode import normalise_text
from cleaner.pipeline.heuristics import WEIGHTS, WEIGHTS_FILE, LineWeights, score_lines
from cleaner.pipeline.language import detect_language
from cleaner.pipeline.segment import segment
from cleaner.rules.loader import CodeFilter
from corpora import CORPORA, DEFAULT_ROOT, load, site_fold
from metric import PageScore, shingles, summarise, tokens

FOLDS = 3
PASSES = 2
# The values each weight may take: coarse on purpose, so that the fit cannot chase single pages.
# Where the descent starts: the hand-set weights the project had before they were fitted (but
# prose_min_words, whose grid starts at 10: see GRID).
START = LineWeights(
    prose_min_words=10,
    run_on_words=20,
    min_stopword_share=0.15,
    max_capitalised=0.6,
    furniture=-5.0,
    isolated_prose=0.4,
    comment_run=99,
    item=-5.0,
)
GRID: dict[str, tuple[float, ...]] = {
    # Sentences of fewer than 10 words are a listing's teaser summaries and captions as often as
    # prose: the closing-sentence rule keeps them at the body's end, they never make a body alone.
    # A listing page must give no article, and the development corpora label no such page empty,
    # so the fit is not let below 10.
    "prose_min_words": (10, 12, 15),
    "run_on_words": (15, 20, 30, 40, 60),
    "min_stopword_share": (0.0, 0.05, 0.1, 0.15, 0.2),
    # German capitalises every noun: its prose reaches half capitalised words, which the mostly
    # English development pages cannot show, so the threshold stays above that.
    "max_capitalised": (0.6, 0.7, 0.8, 0.9),
    "furniture": (-0.5, -1.0, -2.0, -3.0, -5.0, -8.0),
    "isolated_prose": (0.2, 0.4, 0.6, 0.8, 1.0),
    "comment_run": (2, 3, 4, 99),
    # `item` is not fitted: it stays at START, for the same reason (a listing's teasers between
    # short date lines), since a fit would only learn to make list runs cheaper. A list between
    # two paragraphs still stays: a run costs the body once, whatever its length.
}


@dataclass(frozen=True)
class Prepared:
    """One page with everything that does not depend on the weights."""

    corpus: str
    fold: int
    language: Language
    lines: tuple[Line, ...]
    hits: dict[int, RuleHit]
    features: dict
    line_tokens: dict[int, list[str]]
    truth_tokens: list[str]
    truth: Counter[str]


def prepare(pages: Iterable, folds: int) -> list[Prepared]:
    cleaner = Cleaner()
    prepared = []
    for page in pages:
        lines = segment(normalise_text(page.text()))
        language = detect_language(lines)
        features = score_lines(lines, language.code)
        truth_tokens = tokens(page.truth)
        prepared.append(
            Prepared(
                corpus=page.corpus,
                fold=site_fold(page.site, folds),
                language=language,
                lines=tuple(lines),
                hits=cleaner.matcher.apply(lines, language.code),
                features={line.number: f for line, f in zip(lines, features, strict=True)},
                line_tokens={line.number: tokens(line.text) for line in lines},
                truth_tokens=truth_tokens,
                truth=shingles(truth_tokens),
            )
        )
    return prepared


def page_score(page: Prepared, weights: LineWeights, enabled) -> PageScore:
    """`metric.score_page` of the text that the shipped pipeline keeps with these weights."""
    verdicts, region = decide_until_fixed(
        page.lines, page.hits, page.features, enabled, False, weights
    )
    article = Article(lines=list(page.lines), verdicts=verdicts, language=page.language)
    metadata.annotate(article, region, PageMetadata(), enabled)
    words = [
        t
        for line in page.lines
        if line.number not in article.verdicts
        for t in page.line_tokens[line.number]
    ]
    guess = shingles(words) if words else Counter()
    tp = sum((page.truth & guess).values())
    fp = sum(guess.values()) - tp
    fn = sum(page.truth.values()) - tp
    precision = tp / (tp + fp) if guess else None
    recall = tp / (tp + fn) if (tp + fn) else 1.0
    return PageScore(precision, recall, words == page.truth_tokens)


def page_scores(pages: Sequence[Prepared], weights: LineWeights) -> dict[str, list[PageScore]]:
    enabled = CodeFilter().enabled
    scores: dict[str, list[PageScore]] = {}
    for page in pages:
        scores.setdefault(page.corpus, []).append(page_score(page, weights, enabled))
    return scores


def corpus_f1(pages: Sequence[Prepared], weights: LineWeights) -> dict[str, float]:
    return {corpus: summarise(found).f1 for corpus, found in page_scores(pages, weights).items()}


def macro(f1s: dict[str, float]) -> float:
    return sum(f1s.values()) / len(f1s)


def fit(pages: Sequence[Prepared], start: LineWeights, quiet: bool = True) -> LineWeights:
    """Coordinate descent over GRID: each weight in turn takes its best grid value (the first
    one on ties, so the result is deterministic), for PASSES passes. A value that lowers any
    corpus below the starting weights' F1 is refused: the gain must not come from one kind of
    page at the expense of another."""
    floor = corpus_f1(pages, start)
    best, best_score = start, macro(floor)
    for _ in range(PASSES):
        for name, values in GRID.items():
            for value in values:
                if value == getattr(best, name):
                    continue
                trial = dataclasses.replace(best, **{name: value})
                f1s = corpus_f1(pages, trial)
                score = macro(f1s)
                if score > best_score + 1e-9 and all(f1s[c] >= floor[c] for c in floor):
                    best, best_score = trial, score
            if not quiet:
                print(f"  {name} = {getattr(best, name)}: macro {best_score:.4f}", flush=True)
    return best


def print_row(label: str, f1s: dict[str, float]) -> None:
    cells = " ".join(f"{corpus} {f1s[corpus]:.3f}" for corpus in CORPORA if corpus in f1s)
    print(f"{label:<28} {cells}  macro {macro(f1s):.3f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT, help="the corpora's folder")
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    parser.add_argument("--no-cv", action="store_true", help="skip the cross-validation")
    args = parser.parse_args()
    pages = prepare((page for corpus in CORPORA for page in load(corpus, args.root)), FOLDS)
    if not (args.no_cv or args.check):
        print(f"cross-validation, {FOLDS} folds grouped by site (held-out F1):")
        held_out: dict[str, dict[str, list[PageScore]]] = {"start": {}, "fitted": {}}
        for fold in range(FOLDS):
            train = [page for page in pages if page.fold != fold]
            test = [page for page in pages if page.fold == fold]
            fitted = fit(train, START)
            for label, weights in (("start", START), ("fitted", fitted)):
                scores = page_scores(test, weights)
                for corpus, found in scores.items():
                    held_out[label].setdefault(corpus, []).extend(found)
                print_row(f"fold {fold} {label}", {c: summarise(f).f1 for c, f in scores.items()})
            print(f"  fitted on the other folds: {dataclasses.asdict(fitted)}", flush=True)
        for label, scores in held_out.items():
            print_row(f"held out, {label}", {c: summarise(f).f1 for c, f in scores.items()})
    fitted = fit(pages, START, quiet=False)
    print_row("all pages, start", corpus_f1(pages, START))
    print_row("all pages, fitted", corpus_f1(pages, fitted))
    if args.check:
        if fitted != WEIGHTS:
            sys.exit(f"shipped weights differ from the fit: {dataclasses.asdict(fitted)}")
        print("shipped weights are the fitted ones")
        return
    WEIGHTS_FILE.write_text(fitted.to_json(), encoding="utf-8")
    print(f"weights written to {WEIGHTS_FILE}")


if __name__ == "__main__":
    main()
