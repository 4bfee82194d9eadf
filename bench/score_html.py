"""Score HTML mode on the development corpora's pages, beside the anchors in the same run.

    python bench/score_html.py [--corpus NAME ...] [--worst 10] [--rounds 1] [--no-anchors]

Prints, per corpus and as the macro average, the F1 of clean-news HTML mode and of the anchors:
trafilatura's `extract()` with its defaults and with `favor_precision=True`, readability-lxml and
Resiliparse's main content (the last two when installed: `pip install readability-lxml
resiliparse`). Then the wall time of ours against `trafilatura.extract(html, with_metadata=True)`,
which does the same work (text plus metadata), over the same pages in one process, as a ratio
(the best of `--rounds` rounds). The two take turns page by page, each first on every other
page, so that a change in the machine's load during the run weighs on both alike. The data is
read in place from `../shared/bench`.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import trafilatura

from cleaner.model import SourceDocument
from corpora import chosen, corpus_arguments, load, print_details, print_table, print_worst
from metric import score_page, summarise
from score_text import fresh_cleaner

OURS = "clean-news HTML mode"
SPEED_ANCHOR = "trafilatura extract(with_metadata=True)"


def readability_text(data: bytes) -> str:
    """readability-lxml as the benchmark's README runs it: `Document(html).summary()` as text
    (its figures come out the same)."""
    from lxml import html
    from readability import Document

    summary = Document(data).summary()
    return "\n".join(text.strip() for text in html.fromstring(summary).itertext() if text.strip())


def resiliparse_text(data: bytes) -> str:
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.encoding import bytes_to_str, detect_encoding

    return extract_plain_text(bytes_to_str(data, detect_encoding(data)), main_content=True)


def installed(module: str) -> bool:
    try:
        __import__(module)
    except ImportError:
        return False
    return True


def anchors() -> dict[str, Callable[[bytes], str]]:
    systems: dict[str, Callable[[bytes], str]] = {
        "trafilatura extract() defaults": trafilatura.extract,
        "trafilatura favor_precision=True": lambda data: trafilatura.extract(
            data, favor_precision=True
        ),
    }
    if installed("readability"):
        systems["readability-lxml"] = readability_text
    if installed("resiliparse"):
        systems["Resiliparse main content"] = resiliparse_text
    return systems


def run(pages: dict[str, bytes], extract: Callable[[bytes], str]) -> tuple[dict[str, str], float]:
    """Each page's text and the total wall time; an anchor that raises on a page scores empty."""
    outputs = {}
    started = time.perf_counter()
    for key, data in pages.items():
        outputs[key] = _text(extract, data)
    return outputs, time.perf_counter() - started


def _text(extract: Callable[[bytes], str], data: bytes) -> str:
    try:
        return extract(data) or ""
    except Exception:
        return ""


def run_in_turns(
    pages: dict[str, bytes], extracts: dict[str, Callable[[bytes], str]]
) -> tuple[dict[str, dict[str, str]], dict[str, dict[str, float]]]:
    """Each system's text and wall time per page, the systems taking turns page by page (the
    first of them on even pages, the last on odd ones)."""
    outputs: dict[str, dict[str, str]] = {name: {} for name in extracts}
    times: dict[str, dict[str, float]] = {name: {} for name in extracts}
    order = list(extracts)
    for index, (key, data) in enumerate(pages.items()):
        for name in order if index % 2 == 0 else reversed(order):
            started = time.perf_counter()
            outputs[name][key] = _text(extracts[name], data)
            times[name][key] = time.perf_counter() - started
    return outputs, times


def _ratio(times: dict[str, float]) -> str:
    return f"{times[OURS] / times[SPEED_ANCHOR]:.2f}x"


def main() -> None:
    parser = corpus_arguments(__doc__.splitlines()[0], rounds=1)
    parser.add_argument("--no-anchors", action="store_true", help="score only clean-news")
    args = parser.parse_args()
    corpora = chosen(args)
    cleaner = fresh_cleaner()
    failed: list[str] = []

    def ours(data: bytes) -> str:
        record = cleaner.clean(SourceDocument("page.html", data, "html"))
        if record["error"]:
            failed.append(record["error"])
        return record["text"]

    def speed_anchor(data: bytes) -> str:
        return trafilatura.extract(data, with_metadata=True) or ""

    quality = {OURS: ours, **({} if args.no_anchors else anchors())}
    timed = {OURS: ours, SPEED_ANCHOR: speed_anchor}
    summaries = {}
    # Wall time on every page, and on the pages where the speed anchor returns text: on a page
    # that trafilatura refuses (not HTML to its eyes, such as CleanEval's <text> wrappers) it
    # returns None within milliseconds and does none of the work it is the anchor for.
    times = dict.fromkeys(timed, 0.0)
    times_extracted = dict.fromkeys(timed, 0.0)
    for corpus in corpora:
        pages = load(corpus, args.root)
        truth = {page.key: page.truth for page in pages}
        data = {page.key: page.html() for page in pages}
        for extract in {**quality, **timed}.values():  # lazy imports and caches warm up untimed
            for sample in list(data.values())[:3]:
                extract(sample)
        best: dict[str, float] = {}
        best_extracted: dict[str, float] = {}
        for _ in range(args.rounds):
            cleaner = fresh_cleaner()
            texts, elapsed = run_in_turns(data, timed)
            extracted = [key for key in data if texts[SPEED_ANCHOR][key]]
            for name in timed:
                total = sum(elapsed[name].values())
                best[name] = min(total, best.get(name, total))
                total = sum(elapsed[name][key] for key in extracted)
                best_extracted[name] = min(total, best_extracted.get(name, total))
            scores = {key: score_page(truth[key], texts[OURS][key]) for key in data}
        for name, extract in quality.items():
            if name != OURS:
                outputs, _ = run(data, extract)
                summaries[name, corpus] = summarise(
                    score_page(truth[key], outputs[key]) for key in data
                )
        summaries[OURS, corpus] = summarise(scores.values())
        for name in timed:
            times[name] += best[name]
            times_extracted[name] += best_extracted[name]
        print(
            f"{corpus}: {len(data)} pages, ours {best[OURS]:.2f} s, "
            f"{SPEED_ANCHOR} {best[SPEED_ANCHOR]:.2f} s, ratio {_ratio(best)}; "
            f"on the {len(extracted)} pages it returns text: {_ratio(best_extracted)}"
        )
        if args.worst:
            print(f"worst pages of {corpus}:")
            print_worst(scores, args.worst)
    print_table("HTML mode, F1", list(quality), corpora, summaries)
    print_details(OURS, ((corpus, summaries[OURS, corpus]) for corpus in corpora))
    print(
        f"speed: clean-news HTML mode takes {_ratio(times)} the wall time of {SPEED_ANCHOR} "
        f"({times[OURS]:.2f} s against {times[SPEED_ANCHOR]:.2f} s, best of {args.rounds} rounds); "
        f"{_ratio(times_extracted)} on the pages where it returns text "
        f"({times_extracted[OURS]:.2f} s against {times_extracted[SPEED_ANCHOR]:.2f} s)"
    )
    print(f"records with an error set: {len(failed) // max(1, args.rounds)}")


if __name__ == "__main__":
    main()
