"""The quality gate: HTML and text mode F1 on each development corpus against pinned floors.

    python bench/gate.py            # exit 1 when an F1 is more than 0.002 below its floor
    python bench/gate.py --update   # raise the floors to today's figures, never lower them

The floors live in `bench/floors.json`, beside this script. CI runs the gate after the tests, so
that a change which lowers extraction quality on any corpus does not land unnoticed. The data is
read in place from `../shared/bench`.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cleaner.model import SourceDocument
from cleaner.pipeline.segment import join_paragraphs
from corpora import CORPORA, DEFAULT_ROOT, load
from metric import score_page, summarise
from score_text import fresh_cleaner

FLOORS = Path(__file__).resolve().parent / "floors.json"
TOLERANCE = 0.002
MODES = ("html", "text")


def measure(root: Path) -> dict[str, dict[str, float]]:
    """F1 per mode and corpus, as the scoring scripts compute it."""
    cleaner = fresh_cleaner()
    figures: dict[str, dict[str, float]] = {mode: {} for mode in MODES}
    for corpus in CORPORA:
        pages = load(corpus, root)
        html = [
            score_page(
                page.truth,
                cleaner.clean(SourceDocument("page.html", page.html(), "html"))["text"],
            )
            for page in pages
        ]
        text = [
            score_page(page.truth, join_paragraphs(cleaner.clean_text(page.text()).body_lines()))
            for page in pages
        ]
        figures["html"][corpus] = round(summarise(html).f1, 4)
        figures["text"][corpus] = round(summarise(text).f1, 4)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true", help="raise the floors to today's F1")
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT, help="the corpora's folder")
    args = parser.parse_args()
    if not args.root.is_dir():
        sys.exit(f"quality gate: no benchmark data at {args.root}")
    floors = json.loads(FLOORS.read_text(encoding="utf-8"))
    figures = measure(args.root)
    failures = []
    for mode in MODES:
        for corpus in CORPORA:
            floor, f1 = floors[mode][corpus], figures[mode][corpus]
            verdict = "ok" if f1 >= floor - TOLERANCE else "BELOW FLOOR"
            print(f"{mode:>4} {corpus:<16} F1 {f1:.4f}  floor {floor:.4f}  {verdict}")
            if verdict != "ok":
                failures.append(f"{mode} F1 on {corpus} fell to {f1:.4f} (floor {floor:.4f})")
            if args.update:
                floors[mode][corpus] = max(floor, f1)
    if args.update:
        FLOORS.write_text(json.dumps(floors, indent=2) + "\n", encoding="utf-8")
        print(f"floors written to {FLOORS}")
    if failures:
        sys.exit("quality gate failed: " + "; ".join(failures))


if __name__ == "__main__":
    main()
