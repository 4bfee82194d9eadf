"""Benchmark the review report: 1,000 records drawn in headless Chromium (target: under 3 s).

    python bench/report.py [--records 1000] [--runs 3] [--keep report.html]

The records are the project's own fixtures and seeds, cleaned the way a user would (`clean
--learn`) and repeated under new paths up to the count asked for. Prints the page size and the
time to write it, then per run: the time the page itself measures from navigation start until
it is built and laid out (`data-render-ms`), and the time to a screenshot of it less the time
to a screenshot of a blank page (the browser's start-up), which includes the first paint.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))  # headless.py

from cleaner.commands.learn import learn_batch, site_rules, walk
from cleaner.commands.report import read_records, render
from cleaner.pipeline.cleaner import Cleaner
from cleaner.run.spec import Cleaners, CleanerSpec
from headless import find_browser, load

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [ROOT / "seeds", ROOT / "fixtures" / "text", ROOT / "fixtures" / "sites"]
_RENDER_MS = re.compile(r'data-render-ms="(\d+)"')


def base_records() -> list[dict]:
    """Every fixture and seed, cleaned the way a user would: `clean --learn` over them."""
    cleaner = Cleaner()
    paths = [str(path) for path in SOURCES]
    learning = learn_batch(paths, "auto", cleaner)
    spec = CleanerSpec(
        tuple(cleaner.rules), site_rules=site_rules(learning), site_of=learning.sites
    )
    cleaners = Cleaners(spec)
    return [
        cleaners.for_document(sourced.document).clean(sourced.document)
        for sourced in walk(paths, "auto")
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="also save the page here")
    args = parser.parse_args()
    browser = find_browser()
    if browser is None:
        sys.exit("no chromium on PATH: apt-get install chromium")

    base = base_records()
    lines = []
    for index in range(args.records):
        record = dict(base[index % len(base)])
        record["path"] = f"copy{index // len(base):03d}/{record['path']}"
        lines.append(json.dumps(record, ensure_ascii=False))
    started = time.perf_counter()
    documents = [item for item in read_records(lines, "bench.jsonl") if isinstance(item, dict)]
    page = render(documents, "bench.jsonl")
    written = time.perf_counter() - started
    removed = sum(len(record["removed"]) for record in (json.loads(line) for line in lines))
    print(
        f"{len(documents)} records ({len(base)} distinct), {removed:,} removed lines, "
        f"page {len(page.encode()) / 1e6:.1f} MB written in {written:.2f} s"
    )
    with tempfile.TemporaryDirectory() as folder:
        target, blank = Path(folder) / "report.html", Path(folder) / "blank.html"
        target.write_text(page, encoding="utf-8")
        blank.write_text("<!doctype html><title>blank</title><p>blank</p>", encoding="utf-8")
        if args.keep:
            args.keep.write_text(page, encoding="utf-8")
        in_page, painted = [], []
        for run in range(1, args.runs + 1):
            result = load(browser, target)
            match = _RENDER_MS.search(result.dom)
            if match is None or result.console:
                sys.exit(f"run {run}: the page did not render: {result.console}")
            in_page.append(int(match.group(1)) / 1000)
            shot = Path(folder) / "shot.png"
            startup = load(browser, blank, dump_dom=False, screenshot=shot).seconds
            painted.append(load(browser, target, dump_dom=False, screenshot=shot).seconds - startup)
            print(
                f"run {run}: built and laid out in {in_page[-1]:.2f} s (measured by the page); "
                f"screenshot {painted[-1]:.2f} s after the browser's start-up ({startup:.2f} s)"
            )
    worst = max(*in_page, *painted)
    in_page_median, painted_median = statistics.median(in_page), statistics.median(painted)
    print(
        f"median {in_page_median:.2f} s in the page, {painted_median:.2f} s to the screenshot; "
        f"worst {worst:.2f} s: {'under' if worst < 3 else 'OVER'} 3 s"
    )


if __name__ == "__main__":
    main()
