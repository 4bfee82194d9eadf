"""The review report: one self-contained HTML page showing what the cleaner kept and removed.

The page carries its data as JSON inside a `<script type="application/json">` element and its
own small script draws it with `textContent` (so text from untrusted pages is never parsed as
HTML), the charts as inline SVG, and filters the documents as the user types. It loads nothing
from the network: a Content-Security-Policy forbids it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from importlib import resources

from cleaner import __version__
from cleaner.codes import FAMILIES, OTHER

_DATA_MARK = "/*DATA*/"
_TITLE_MARK = "<!--TITLE-->"
_COLOURS_MARK = "/*COLOURS*/"


class RecordError(ValueError):
    """A line of the records file that is not a usable record."""


@dataclass(frozen=True)
class Row:
    """One line of a document as the report shows it: kept, or removed with its rule."""

    text: str
    line: int
    rule: str | None = None
    reason: str | None = None


def interleave(
    kept: Sequence[str], kept_lines: Sequence[int], removed: Sequence[dict]
) -> list[Row]:
    """Kept and removed lines in input order, merged by the line numbers the record gives both."""
    rows = [Row(text, number) for text, number in zip(kept, kept_lines, strict=True)]
    rows += [Row(e["text"], e["line"], e["rule"], e["reason"]) for e in removed]
    return sorted(rows, key=lambda row: row.line)


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
    kept = text.split("\n\n") if text else []
    kept_lines = record.get("kept_lines", [])
    if not (
        isinstance(kept_lines, list)
        and all(isinstance(number, int) for number in kept_lines)
        and len(kept_lines) == len(kept)
    ):
        raise RecordError("`kept_lines` must give one line number per paragraph of `text`")
    # HTML elements that selector rules pruned come first: they went before extraction, and
    # their line numbers are in the HTML source, not in the text.
    pruned = [entry for entry in removed if entry.get("source") == "html"]
    lines = [entry for entry in removed if entry.get("source") != "html"]
    rows = [Row(e["text"], e["line"], e["rule"], e["reason"]) for e in pruned] + interleave(
        kept, kept_lines, lines
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
        # A kept line is [text, line number]; a removed one is [text, code, reason, line number].
        "lines": [
            [row.text, row.line] if row.rule is None else [row.text, row.rule, row.reason, row.line]
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
