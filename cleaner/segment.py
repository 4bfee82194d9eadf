"""Segment stage: normalised text to numbered lines grouped into blocks."""

from __future__ import annotations

import re

from cleaner.model import Line

# White space runs become one space, except the ideographic space, which separates phrases in
# Chinese and Japanese text the way a comma would. Newlines stay: they separate the lines.
_SPACE_RUN = re.compile(r"[^\S\n\u3000]+")


def segment(text: str) -> list[Line]:
    """Split text into non-blank lines, collapsing white space inside each line.

    Blank lines separate blocks, which rules with `drop-block` remove whole. Line numbers are
    those of the text, so `removed` entries point at the input line. The white space of the
    whole text is collapsed at once: one pass of the pattern instead of one per line.
    """
    lines: list[Line] = []
    block = 0
    previous_blank = True
    for number, raw in enumerate(_SPACE_RUN.sub(" ", text).split("\n"), start=1):
        collapsed = raw.strip()
        if not collapsed:
            previous_blank = True
            continue
        if previous_blank and lines:
            block += 1
        previous_blank = False
        lines.append(Line(number=number, text=collapsed, block=block))
    return lines


def join_paragraphs(lines: list[Line]) -> str:
    """The output text: each kept line is a paragraph, separated by one blank line.

    Scrapers write one block of the page per line, so a line is the unit of text here."""
    return "\n\n".join(line.text for line in lines)
