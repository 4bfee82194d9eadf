"""Fit the HTML combiner's weights (`cleaner/pipeline/html_weights.json`) on the dev corpora.

    python bench/fit_html.py            # cross-validate, print the scores, write the weights
    python bench/fit_html.py --check    # exit 1 unless the shipped weights are what a fit gives

Every page is prepared as the HTML mode prepares it (selector rules, inert elements), its blocks
get each opinion's vote (`cleaner.pipeline.extract.gather_opinions`), and a block's label says
whether it is in the page's labelled main text. A logistic model over
`cleaner.pipeline.combine.FEATURES` is fitted by Newton's method with an L2 penalty (the veto
of `combine.vetoed` applies on top); each page weighs the same within its corpus (a block by
its share of the page's words) and each corpus the same overall, as the macro F1 counts them.
Cross-validation is grouped by site (`corpora.site_fold`): each fold's pages are scored with
weights fitted on the other folds' sites only. The scores are of the combined blocks alone,
before the line stages. Needs numpy (`pip install numpy`).

Opinions are cached under /tmp (keyed by the page and the source of the code that computes them),
so that a second run fits in seconds; the shipped code never reads that cache. `--cache DIR`
keeps a checkout's cache apart from another's.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np

from cleaner.pipeline import combine
from cleaner.pipeline.blocks import found_in
from cleaner.pipeline.cleaner import Cleaner
from cleaner.pipeline.decode import decode_bytes
from cleaner.pipeline.extract import Opinions, gather_opinions, prepare_page
from corpora import CORPORA, DEFAULT_ROOT, Page, load, site_fold
from metric import score_page, summarise
from score_text import fresh_cleaner

ROOT = Path(__file__).resolve().parents[1]
WEIGHTS = Path(combine.__file__).resolve().parent / combine.WEIGHTS_FILE
CACHE = Path("/tmp/clean-news-fit-html")
FOLDS = 5
# Agreements between trafilatura and readability above which the text-mode decision is skipped
# (`combine.text_mode_pays`): each is cross-validated and the best ships; 1.0 skips it only
# where they agree on every word.
AGREEMENTS = (0.6, 0.7, 0.8, 0.9, 1.0)
# Strengths of the L2 penalty (each corpus weighs 1 in all), cross-validated with the agreement.
PENALTIES = (1e-3, 1e-2, 1e-1)
DECIMALS = 4


def code_version() -> str:
    """A hash of the code and rules that compute the opinions (not the combiner's)."""
    digest = hashlib.sha256()
    sources = sorted((ROOT / "cleaner").rglob("*.py")) + sorted((ROOT / "rules").rglob("*.yaml"))
    for path in sources:
        if path.name == "combine.py":
            continue
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def page_opinions(page: Page, cleaner: Cleaner, version: str, cache: Path = CACHE) -> Opinions:
    """The page's blocks and every opinion's votes, from the cache when it has them."""
    cached = cache / version / page.corpus / f"{page.key}.pkl"
    if cached.exists():
        return pickle.loads(cached.read_bytes())
    prepared = prepare_page(decode_bytes(page.html(), html=True), cleaner.rules)
    opinions = Opinions([], {name: [] for name in combine.OPINIONS})
    if prepared is not None:
        opinions = gather_opinions(prepared[0], cleaner.text_mode_keeps, always=True)
    cached.parent.mkdir(parents=True, exist_ok=True)
    cached.write_bytes(pickle.dumps(opinions))
    return opinions


def page_rows(
    opinions: Opinions, truth: str, agreed: float
) -> tuple[Opinions, list[list[float]], list[bool]]:
    """The page's opinions as the HTML mode has them when it skips the text-mode decision at
    this agreement, their feature rows and the labels (in the labelled main text or not)."""
    blocks = opinions.blocks
    votes = dict(opinions.votes)
    if blocks and not combine.text_mode_pays(blocks, votes, agreed):
        votes["text_mode"] = combine.text_mode_stand_in(votes)
    gated = Opinions(blocks, votes)
    return gated, combine.features(blocks, votes), found_in(blocks, truth)


def fit(data: list[tuple[np.ndarray, np.ndarray, np.ndarray]], penalty: float) -> np.ndarray:
    """Weighted L2-penalised logistic regression by Newton's method; the bias is last."""
    x = np.vstack([rows for rows, _, _ in data])
    x = np.hstack([x, np.ones((len(x), 1))])
    y = np.concatenate([labels for _, labels, _ in data])
    w = np.concatenate([weights for _, _, weights in data])
    beta = np.zeros(x.shape[1])
    for _ in range(100):
        p = 1 / (1 + np.exp(-(x @ beta)))
        gradient = x.T @ (w * (p - y)) + penalty * beta
        hessian = (x * (w * p * (1 - p))[:, None]).T @ x + penalty * np.eye(len(beta))
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if np.abs(step).max() < 1e-10:
            break
    return beta


def as_weights(beta: np.ndarray) -> dict[str, float]:
    names = [*combine.FEATURES, "bias"]
    return {name: round(float(value), DECIMALS) for name, value in zip(names, beta, strict=True)}


def held_out_scores(pages: list, indices: list[int], weights: dict[str, float]) -> dict:
    """Each corpus's page scores of the combined blocks, for these pages."""
    scored: dict[str, list] = {corpus: [] for corpus in CORPORA}
    for index in indices:
        page, opinions, _, _ = pages[index]
        kept = combine.keep(opinions.blocks, opinions.votes, weights)
        text = "\n".join(b.text for b, k in zip(opinions.blocks, kept, strict=True) if k)
        scored[page.corpus].append(score_page(page.truth, text))
    return scored


def cross_validate(
    pages: list, sizes: dict[str, int], folds: list[int], penalty: float
) -> tuple[float, dict]:
    """Print each fold's held-out F1 and the cross-validated F1; the macro F1 and the weights
    fitted on every page."""
    arrays = []
    for page, opinions, rows, labels in pages:
        words = np.array([len(block.text.split()) for block in opinions.blocks], dtype=float)
        share = words / words.sum() if len(words) else words
        arrays.append(
            (
                np.array(rows, dtype=float).reshape(-1, len(combine.FEATURES)),
                np.array(labels, dtype=float),
                share / sizes[page.corpus],
            )
        )
    everything = list(range(len(pages)))
    held: dict[str, list] = {corpus: [] for corpus in CORPORA}
    for fold in range(FOLDS):
        train = [arrays[i] for i in everything if folds[i] != fold]
        test = [i for i in everything if folds[i] == fold]
        scored = held_out_scores(pages, test, as_weights(fit(train, penalty)))
        cells = ", ".join(
            f"{corpus} {summarise(s).f1:.3f} ({len(s)})" for corpus, s in scored.items() if s
        )
        print(f"  fold {fold}: held-out F1 {cells}")
        for corpus, s in scored.items():
            held[corpus] += s
    f1s = {corpus: summarise(s).f1 for corpus, s in held.items()}
    cells = ", ".join(f"{corpus} {f1:.3f}" for corpus, f1 in f1s.items())
    macro = round(sum(f1s.values()) / len(f1s), 3)
    print(f"  cross-validated (every page held out once): {cells}, macro {macro:.3f}")
    return macro, as_weights(fit(arrays, penalty))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT, help="the corpora's folder")
    parser.add_argument("--check", action="store_true", help="compare with the shipped weights")
    parser.add_argument(
        "--cache", type=Path, default=CACHE, help=f"the opinions' cache (default {CACHE})"
    )
    args = parser.parse_args()
    cleaner = fresh_cleaner()
    version = code_version()
    raw = [
        (page, page_opinions(page, cleaner, version, args.cache))
        for corpus in CORPORA
        for page in load(corpus, args.root)
    ]
    sizes = {corpus: sum(page.corpus == corpus for page, _ in raw) for corpus in CORPORA}
    folds = [site_fold(page.site, FOLDS) for page, _ in raw]
    results = []
    for agreed in AGREEMENTS:
        pages = [(page, *page_rows(opinions, page.truth, agreed)) for page, opinions in raw]
        skipped = sum(
            bool(o.blocks) and not combine.text_mode_pays(o.blocks, o.votes, agreed) for _, o in raw
        )
        for penalty in PENALTIES:
            print(
                f"text mode skipped where the extractors agree on {agreed:.0%} of the words "
                f"({skipped} of {len(raw)} pages), L2 penalty {penalty:g}:"
            )
            macro, weights = cross_validate(pages, sizes, folds, penalty)
            results.append((macro, agreed, penalty, weights))
    # The best macro F1; of equals, the lowest threshold (the text mode runs least), then the
    # strongest penalty.
    macro, agreed, penalty, weights = max(
        results, key=lambda result: (result[0], -result[1], result[2])
    )
    print(
        f"chosen: text mode skipped at {agreed:.0%} agreement, L2 penalty {penalty:g} "
        f"(cross-validated macro {macro:.3f})"
    )
    print("weights fitted on every page:", json.dumps(weights))
    shipped = {
        "features": list(combine.FEATURES),
        "weights": weights,
        "text_mode_agreement": agreed,
        "fitted_by": "bench/fit_html.py",
    }
    text = json.dumps(shipped, indent=2) + "\n"
    if args.check:
        if WEIGHTS.read_text(encoding="utf-8") != text:
            sys.exit(f"{WEIGHTS} differs from what bench/fit_html.py fits: run it to update")
        print(f"{WEIGHTS} is what the fit gives")
        return
    WEIGHTS.write_text(text, encoding="utf-8")
    print(f"weights written to {WEIGHTS}")


if __name__ == "__main__":
    main()
