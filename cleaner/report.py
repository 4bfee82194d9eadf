"""The review report: one self-contained HTML page showing what the cleaner kept and removed.

The page carries its data as JSON inside a `<script type="application/json">` element and its
own small script draws it with `textContent` (so text from untrusted pages is never parsed as
HTML), the charts as inline SVG, and filters the documents as the user types. It loads nothing
from the network: a Content-Security-Policy forbids it.
"""

from __future__ import annotations

import json
import re
import statistics
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from importlib import resources
from itertools import pairwise

from cleaner import __version__
from cleaner.codes import AFTER_BODY, BEFORE_BODY, FAMILIES, OTHER

_DATA_MARK = "/*DATA*/"
_TITLE_MARK = "<!--TITLE-->"
_COLOURS_MARK = "/*COLOURS*/"


class RecordError(ValueError):
    """A line of the records file that is not a usable record."""


@dataclass(frozen=True)
class Row:
    """One line of a document as the report shows it: kept, or removed with its rule."""

    text: str
    rule: str | None = None
    reason: str | None = None
    line: int | None = None


def _spacing(numbers: Sequence[int]) -> int:
    """How many input lines one non-blank line takes, judged from adjacent removed lines.

    Scrapers write either one line per block or a blank line between blocks; the removed lines
    that stand next to each other (a menu, a footer) show which."""
    steps = [b - a for a, b in pairwise(numbers) if 0 < b - a <= 3]
    return max(1, round(statistics.median(steps))) if steps else 2


def _body_bounds(codes: Sequence[str]) -> tuple[int, int]:
    """The gaps (between removed lines, by index) that can hold kept lines.

    Kept lines stand after every line removed as before the body or moved to metadata, and
    before every line removed as after the body; gap `i` lies before removed line `i`."""
    before = [i + 1 for i, code in enumerate(codes) if code.startswith(BEFORE_BODY)]
    after = [i for i, code in enumerate(codes) if code.startswith(AFTER_BODY)]
    first, last = max(before, default=0), min(after, default=len(codes))
    return (first, last) if first <= last else (0, len(codes))


def _apportion(weights: Sequence[float], total: int, caps: Sequence[int]) -> list[int]:
    """`total` split in proportion to `weights` (largest remainders first), each share at most
    its cap; less than `total` only when the caps are too small."""
    whole = sum(weights)
    if whole <= 0:
        return [0] * len(weights)
    exact = [weight * total / whole for weight in weights]
    shares = [min(int(value), cap) for value, cap in zip(exact, caps, strict=True)]
    weighted = [i for i, weight in enumerate(weights) if weight > 0]
    weighted.sort(key=lambda i: shares[i] - exact[i])  # largest remainder first
    while (missing := total - sum(shares)) > 0:
        open_ = [i for i in weighted if shares[i] < caps[i]]
        if not open_:
            break
        for index in open_[:missing]:
            shares[index] += 1
    return shares


def _counts(numbers: Sequence[int], codes: Sequence[str], kept: int) -> list[int]:
    """How many kept lines go in each gap; the last entry is for the gap after every removed
    line, which is open-ended.

    Each gap that can hold body text is expected to hold as many lines as its size allows at
    the document's line spacing. When the body ends before a removed line, or the expectation
    overshoots, the kept lines are shared out in proportion to it; otherwise what the gaps do
    not hold comes after the last removed line.
    """
    first, last = _body_bounds(codes)
    room = [b - a - 1 for a, b in pairwise([0, *numbers])]
    body_runs_to_end = last == len(numbers)
    if body_runs_to_end:
        spacing: float = _spacing(numbers)
    else:  # the body's own spacing: its span over the lines known to be in it
        start = numbers[first - 1] if first else 0
        spacing = (numbers[last] - start) / (kept + last - first + 1)
    gaps = range(first, min(last + 1, len(numbers)))
    expected = [0] * len(numbers)
    for index in gaps:
        expected[index] = min(room[index], max(0, round((room[index] + 1) / spacing) - 1))
    if body_runs_to_end and sum(expected) <= kept:
        return [*expected, kept - sum(expected)]
    weights = expected if sum(expected) else [room[i] if i in gaps else 0 for i in range(len(room))]
    counts = _apportion(weights, kept, room)
    # The rest: after the last removed line, or (line numbers contradicting the record) at the
    # body's end.
    rest = kept - sum(counts)
    if body_runs_to_end:
        return [*counts, rest]
    counts[last] += rest
    return [*counts, 0]


def interleave(kept: Sequence[str], removed: Sequence[dict]) -> list[Row]:
    """Kept and removed lines in input order, rebuilt from a record.

    A record numbers its removed lines but not its kept paragraphs: each gap between two
    removed lines is given as many kept lines as its size allows (see `_counts`). The kept
    lines keep their order and the removed lines their numbers, so only where a removed line
    sits among kept ones can be off.
    """
    entries = sorted(removed, key=lambda entry: entry["line"])
    counts = _counts(
        [entry["line"] for entry in entries], [entry["rule"] for entry in entries], len(kept)
    )
    rows: list[Row] = []
    position = 0
    for count, entry in zip(counts, entries, strict=False):  # the last count: after all
        rows.extend(Row(text) for text in kept[position : position + count])
        position += count
        rows.append(Row(entry["text"], entry["rule"], entry["reason"], entry["line"]))
    rows.extend(Row(text) for text in kept[position:])
    return rows


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _document(record: dict) -> dict:
    """The compact form of one record that the page's script draws."""
    removed = record.get("removed") or []
    if not isinstance(removed, list) or not all(
        isinstance(entry, dict)
        and isinstance(entry.get("line"), int)
        and all(isinstance(entry.get(key), str) for key in ("text", "rule", "reason"))
        for entry in removed
    ):
        raise RecordError("`removed` must be a list of {line, text, rule, reason}")
    text = record.get("text") or ""
    if not isinstance(text, str):
        raise RecordError("`text` must be a string")
    # HTML elements that selector rules pruned come first: they went before extraction, and
    # their line numbers are in the HTML source, not in the text.
    pruned = [entry for entry in removed if entry.get("source") == "html"]
    lines = [entry for entry in removed if entry.get("source") != "html"]
    rows = [Row(e["text"], e["rule"], e["reason"], e["line"]) for e in pruned] + interleave(
        text.split("\n\n") if text else [], lines
    )
    return {
        "id": _text(record.get("id")),
        "path": _text(record.get("path")) or "",
        "title": _text(record.get("title")),
        "meta": [
            value
            for key in ("sitename", "url", "author", "date", "language")
            if (value := _text(record.get(key)))
        ],
        "error": _text(record.get("error")),
        # A kept line is its text; a removed one is [text, code, reason, line number].
        "lines": [
            row.text if row.rule is None else [row.text, row.rule, row.reason, row.line]
            for row in rows
        ],
    }


def read_records(lines: Iterable[str], name: str) -> Iterator[dict | RecordError]:
    """Records from JSON Lines; a line that is not a record yields an error naming it."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield RecordError(f"{name}:{number}: not JSON ({exc.msg})")
            continue
        if not isinstance(record, dict):
            yield RecordError(f"{name}:{number}: not a record (a JSON object)")
            continue
        try:
            yield _document(record)
        except RecordError as exc:
            yield RecordError(f"{name}:{number}: {exc}")


def _script_json(data: object) -> str:
    """JSON that is safe inside a <script> element: no `<`, `>` or `&` can end or open a tag."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return re.sub(r"[<>&\u2028\u2029]", lambda m: f"\\u{ord(m.group()):04x}", text)


def render(documents: Sequence[dict], source: str) -> str:
    """The report page for documents prepared by `read_records`."""
    template = resources.files(__package__).joinpath("report.html").read_text("utf-8")
    data = {
        "source": source,
        "version": __version__,
        "categories": {family.prefix: family.category for family in (*FAMILIES.values(), OTHER)},
        "documents": list(documents),
    }
    title = f"clean-news report: {source}"
    escaped = title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return (
        template.replace(_TITLE_MARK, escaped)
        .replace(_COLOURS_MARK, _colours())
        .replace(_DATA_MARK, _script_json(data))
    )


def _colours() -> str:
    """The style rules that give each category its colour, from the registry of codes."""
    return "\n".join(
        f".c-{family.prefix} {{ --c: {family.colour}; }}" for family in (*FAMILIES.values(), OTHER)
    )
