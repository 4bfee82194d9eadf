"""Plain data types passed between pipeline stages.

Each stage is a function from one of these to another; none of them hold behaviour beyond
small derived properties, so a stage can be tested on hand-built values.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

# Told how many bytes of an input file were consumed, for the progress bar.
ReadCallback = Callable[[int], None]


@dataclass(frozen=True)
class SourceDocument:
    """A document as read from disk or stdin: raw bytes plus where they came from."""

    path: str
    data: bytes
    input_format: str  # "text" or "html"
    url: str | None = None  # known from outside the content, e.g. a WARC record's target URI
    fetch_date: str | None = None  # when a crawler fetched it, e.g. a WARC record's date
    origin: str | None = None  # the file it was read from (an archive for WARC); None for stdin


@dataclass(frozen=True)
class UnreadableInput:
    """A document that could not be read at all; it still gets an error record."""

    path: str
    input_format: str
    message: str


class Line(NamedTuple):
    """One non-blank line of the document text, after normalisation. A named tuple: one is
    built for every line of every document, in half the time of a frozen dataclass."""

    number: int  # 1-based line number in the decoded (or extracted) text
    text: str
    block: int  # index of the paragraph block: lines not separated by a blank line share it

    @property
    def words(self) -> int:
        return len(self.text.split())


@dataclass(frozen=True)
class Verdict:
    """Why a line is not part of the article body: the rule or heuristic code and a reason."""

    rule: str
    reason: str


@dataclass(frozen=True)
class RuleHit:
    """A rule-pack rule that matched a line, with what it asks the decision stage to do."""

    rule: str
    reason: str
    action: str  # "drop-line", "drop-block" or "drop-rest"
    guarded: bool = (
        False  # `guard: prose`: spared inside the article's prose (cleaner/pipeline/guard.py)
    )


@dataclass(frozen=True)
class Language:
    code: str | None
    score: float | None


@dataclass(frozen=True)
class PrunedElement:
    """An HTML element that a selector rule removed before extraction."""

    line: int  # the element's line in the HTML source
    text: str
    rule: str
    reason: str


@dataclass
class PageMetadata:
    """Metadata found in the page itself (HTML meta tags) before line-level analysis."""

    title: str | None = None
    subtitle: str | None = None
    authors: list[str] = field(default_factory=list)
    date: str | None = None
    sitename: str | None = None
    url: str | None = None
    description: str | None = None
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    image: str | None = None
    language: str | None = None  # as the page declares it (<html lang>)


@dataclass
class Article:
    """The outcome of cleaning one document: the body lines, what was removed and metadata."""

    lines: list[Line]
    verdicts: dict[int, Verdict]  # keyed by Line.number; lines without a verdict are body text
    language: Language
    title: str | None = None
    subtitle: str | None = None
    authors: list[str] = field(default_factory=list)
    date: str | None = None
    sitename: str | None = None
    url: str | None = None
    page: PageMetadata = field(default_factory=PageMetadata)
    pruned: list[PrunedElement] = field(default_factory=list)
    empty_reason: str | None = None  # why an HTML page gave no text at all, when it is known

    def body_lines(self) -> list[Line]:
        return [line for line in self.lines if line.number not in self.verdicts]
