"""Score the records' metadata on the benchmark's hand-checked labels, beside other extractors.

    python bench/score_metadata.py [--bench ../shared/bench/scrapinghub-dev] [--misses]

Scores title, authors, date, sitename and language of clean-news HTML mode (and of text mode
on the same pages' text renderings) against
`metadata.json`, as the benchmark's README defines it: title, date, sitename and language are
exact matches after Unicode normalisation, case folding and reducing to `\\w+` tokens (a leading
"the" dropped for site names); authors are a set F1 per page (both empty scores 1). In the same
run it scores `trafilatura.extract_metadata`, and newspaper4k and goose3 when they are
installed. `--misses` lists our wrong fields page by page. The data is read in place; it is
never copied into the project.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import re
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path

import trafilatura

from cleaner.model import SourceDocument
from cleaner.pipeline.cleaner import Cleaner
from cleaner.pipeline.decode import decode_bytes

DEFAULT_BENCH = Path(__file__).resolve().parents[2] / "shared" / "bench" / "scrapinghub-dev"
FIELDS = ("title", "authors", "date", "sitename", "language")
_WORDS = re.compile(r"\w+")


def normalise(value: str | None, field: str = "") -> str:
    """The comparable form of a value: NFKC, case-folded, its `\\w+` tokens joined by spaces."""
    words = _WORDS.findall(unicodedata.normalize("NFKC", value or "").casefold())
    if field == "sitename" and words[:1] == ["the"]:
        words = words[1:]
    return " ".join(words)


def authors_f1(expected: list[str], predicted: list[str]) -> float:
    truth = {normalise(name) for name in expected} - {""}
    guess = {normalise(name) for name in predicted} - {""}
    if not truth and not guess:
        return 1.0
    hits = len(truth & guess)
    return 2 * hits / (len(truth) + len(guess))


def field_score(field: str, expected: object, predicted: object) -> float:
    if field == "authors":
        return authors_f1(expected or [], predicted or [])
    return float(normalise(expected, field) == normalise(predicted, field))


# A system reads (key, the page's HTML bytes, its URL) and returns the five fields.
System = Callable[[str, bytes, str], dict]


def ours(cleaner: Cleaner) -> System:
    def extract(key: str, data: bytes, url: str) -> dict:
        record = cleaner.clean(SourceDocument("page.html", data, "html"))
        return {field: record[field] for field in FIELDS}

    return extract


def ours_on_text(cleaner: Cleaner, bench: Path) -> System:
    """Text mode on the same page's text rendering (`text/KEY.txt`)."""

    def extract(key: str, data: bytes, url: str) -> dict:
        data = (bench / "text" / f"{key}.txt").read_bytes()
        record = cleaner.clean(SourceDocument("page.txt", data, "text"))
        return {field: record[field] for field in FIELDS}

    return extract


def split_authors(author: str | None) -> list[str]:
    return [name.strip() for name in (author or "").split(";") if name.strip()]


def trafilatura_metadata(key: str, data: bytes, url: str) -> dict:
    document = trafilatura.extract_metadata(decode_bytes(data, html=True))
    if document is None:
        return {}
    return {
        "title": document.title,
        "authors": split_authors(document.author),
        "date": document.date,
        "sitename": document.sitename,
    }


def optional_systems() -> dict[str, System]:
    """newspaper4k and goose3, for those installed."""
    systems: dict[str, System] = {}
    with contextlib.suppress(ImportError):
        import newspaper  # type: ignore[import-not-found]

        def newspaper4k(key: str, data: bytes, url: str) -> dict:
            article = newspaper.Article(url or "http://example.com/")
            article.download(input_html=decode_bytes(data, html=True))
            article.parse()
            date = article.publish_date.date().isoformat() if article.publish_date else None
            return {
                "title": article.title,
                "authors": article.authors,
                "date": date,
                "sitename": article.meta_site_name,
                "language": article.meta_lang,
            }

        systems["newspaper4k"] = newspaper4k
    with contextlib.suppress(ImportError):
        from goose3 import Goose  # type: ignore[import-not-found]

        goose = Goose()

        def goose3(key: str, data: bytes, url: str) -> dict:
            article = goose.extract(raw_html=decode_bytes(data, html=True))
            date = (article.publish_datetime_utc or None) and article.publish_datetime_utc.date()
            return {
                "title": article.title,
                "authors": article.authors,
                "date": date.isoformat() if date else None,
                "sitename": article.opengraph.get("site_name"),
                "language": article.meta_lang,
            }

        systems["goose3"] = goose3
    return systems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench", type=Path, default=DEFAULT_BENCH)
    parser.add_argument("--misses", action="store_true", help="list our wrong fields per page")
    args = parser.parse_args()
    labels = json.loads((args.bench / "metadata.json").read_text(encoding="utf-8"))
    truth = json.loads((args.bench / "ground-truth.json").read_text(encoding="utf-8"))
    pages = {
        key: gzip.decompress((args.bench / "html" / f"{key}.html.gz").read_bytes())
        for key in labels
    }
    cleaner = Cleaner()
    systems = {
        "clean-news HTML mode": ours(cleaner),
        "trafilatura extract_metadata": trafilatura_metadata,
        "clean-news text mode (text/)": ours_on_text(cleaner, args.bench),
        **optional_systems(),
    }
    print(f"Metadata on {len(pages)} pages of {args.bench}")
    print("| system                         | title | authors | date  | sitename | language |")
    print("|--------------------------------|-------|---------|-------|----------|----------|")
    for name, extract in systems.items():
        totals = dict.fromkeys(FIELDS, 0.0)
        misses: list[str] = []
        for key, data in pages.items():
            try:
                predicted = extract(key, data, truth.get(key, {}).get("url") or "")
            except Exception as exc:  # an optional extractor failing on one page scores 0 there
                predicted = {}
                misses.append(f"{key[:12]} error {type(exc).__name__}: {exc}")
            for field in FIELDS:
                score = field_score(field, labels[key][field], predicted.get(field))
                totals[field] += score
                if score < 1:
                    misses.append(
                        f"{key[:12]} {field}: {predicted.get(field)!r} != {labels[key][field]!r}"
                    )
        has_language = name != "trafilatura extract_metadata"
        cells = [f"{totals[field] / len(pages):.3f}" for field in FIELDS]
        language = cells[4] if has_language else "-"
        print(
            f"| {name:<30} | {cells[0]} | {cells[1]:<7} | {cells[2]} | {cells[3]:<8} "
            f"| {language:<8} |"
        )
        if args.misses and name == "clean-news HTML mode":
            print("\n".join(misses), file=sys.stderr)


if __name__ == "__main__":
    main()
