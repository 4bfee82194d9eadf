"""Score HTML mode on the benchmark's pages, beside trafilatura computed in the same run.

    python bench/score_html.py [--bench ../shared/bench/scrapinghub-dev] [--worst 10] [--rounds 3]

Prints F1 / precision / recall / accuracy for clean-news HTML mode, trafilatura's `extract()`
with its defaults and with `favor_precision=True`, and the wall time of each over the same
pages in one process (the best of `--rounds` alternating rounds, as `timeit` reports), with the
ratio of ours to `trafilatura.extract()`. The data is read in place; it is never copied into
the project.
"""

from __future__ import annotations

import gzip
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import trafilatura

from cleaner.model import SourceDocument
from metric import PageScore, score_page, summarise
from score_text import bench_arguments, fresh_cleaner, print_worst, row


def timed(pages: dict[str, bytes], extract: Callable[[bytes], str]) -> tuple[dict[str, str], float]:
    """Each page's text and the total wall time."""
    started = time.perf_counter()
    outputs = {key: extract(data) or "" for key, data in pages.items()}
    return outputs, time.perf_counter() - started


def main() -> None:
    args, truth = bench_arguments(__doc__.splitlines()[0])
    pages = {
        key: gzip.decompress((args.bench / "html" / f"{key}.html.gz").read_bytes()) for key in truth
    }

    cleaner = fresh_cleaner()
    failed: set[str] = set()

    def ours(data: bytes) -> str:
        record = cleaner.clean(SourceDocument("page.html", data, "html"))
        if record["error"]:
            failed.add(record["id"])
        return record["text"]

    systems = {
        "clean-news HTML mode": ours,
        "trafilatura extract() defaults": trafilatura.extract,
        "trafilatura favor_precision=True": lambda data: trafilatura.extract(
            data, favor_precision=True
        ),
    }
    for extract in systems.values():  # lazy imports and caches are warmed up, not timed
        for data in list(pages.values())[:3]:
            extract(data)
    scores: dict[str, dict[str, PageScore]] = {}
    times: dict[str, float] = {}
    for _ in range(args.rounds):
        cleaner = fresh_cleaner()
        for name, extract in systems.items():
            outputs, elapsed = timed(pages, extract)
            times[name] = min(elapsed, times.get(name, elapsed))
            scores[name] = {
                key: score_page(truth[key]["articleBody"], outputs[key]) for key in pages
            }

    print(f"HTML mode on {len(pages)} pages of {args.bench}, best of {args.rounds} rounds")
    print("| system                                   | F1    | prec. | recall| acc.  | time   |")
    print("|------------------------------------------|-------|-------|-------|-------|--------|")
    for name in systems:
        print(f"{row(name, summarise(scores[name].values()))} {times[name]:5.2f}s |")
    ratio = times["clean-news HTML mode"] / times["trafilatura extract() defaults"]
    print(f"speed: clean-news HTML mode takes {ratio:.2f}x the wall time of trafilatura.extract()")
    print(f"records: {len(pages)} of {len(pages)} pages, {len(failed)} with an error set")
    print_worst(scores["clean-news HTML mode"], args.worst)


if __name__ == "__main__":
    main()
