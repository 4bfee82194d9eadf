"""Segment stage: normalised text to numbered lines grouped into blocks."""

from __future__ import annotations

import re

from cleaner.model import Line

# White space runs become one space, except the ideographic space, which separates phrases in
# Chinese and Japanese text the way a comma would. Newlines stay: they separate the lines.
# In two passes that find what they replace quickly: white space other than those and the plain
# space becomes a space, then runs of spaces become one.
# The white space other than those is listed (every character that `str.isspace`, and so `re`'s
# `\s`, takes for one; all of them stand in the Basic Multilingual Plane): a class of listed
# characters is matched faster than the negated `[^\S \n\u3000]` that it equals.
_OTHER_SPACE = re.compile(
    "["
    + re.escape(
        "".join(c for c in map(chr, range(0x10000)) if c.isspace() and c not in " \n\u3000")
    )
    + "]"
)
_SPACES = re.compile(r"  +")


def segment(text: str) -> list[Line]:
    """Split text into non-blank lines, collapsing white space inside each line.

    Blank lines separate blocks, which rules with `drop-block` remove whole. Line numbers are
    those of the text, so `removed` entries point at the input line. The white space of the
    whole text is collapsed at once, not line by line.
    """
    lines: list[Line] = []
    block = 0
    previous_blank = True
    collapsed_text = _SPACES.sub(" ", _OTHER_SPACE.sub(" ", text))
    for number, raw in enumerate(collapsed_text.split("\n"), start=1):
        collapsed = raw.strip()
        if not collapsed:
            previous_blank = True
            continue
        if previous_blank and lines:
            block += 1
        previous_blank = False
        lines.append(Line(number, collapsed, block))  # positional: quicker, on every line
    return lines


def join_paragraphs(lines: list[Line]) -> str:
    """The output text: each kept line is a paragraph, separated by one blank line.

    Scrapers write one block of the page per line, so a line is the unit of text here."""
    return "\n\n".join(line.text for line in lines)
