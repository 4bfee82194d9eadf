"""Segment stage: normalised text to numbered lines grouped into blocks."""

from __future__ import annotations

import re

from cleaner.model import Line

_SPACE_RUN = re.compile(r"\s+")


def segment(text: str) -> list[Line]:
    """Split text into non-blank lines, collapsing white space inside each line.

    Blank lines separate blocks; rules with `drop-block` and the output's paragraph breaks use
    them. Line numbers are those of the text, so `removed` entries point at the input line.
    """
    lines: list[Line] = []
    block = 0
    previous_blank = True
    for number, raw in enumerate(text.split("\n"), start=1):
        collapsed = _SPACE_RUN.sub(" ", raw).strip()
        if not collapsed:
            previous_blank = True
            continue
        if previous_blank and lines:
            block += 1
        previous_blank = False
        lines.append(Line(number=number, text=collapsed, block=block))
    return lines


def join_paragraphs(lines: list[Line]) -> str:
    """Lines of one block joined by a newline, blocks separated by one blank line."""
    parts: list[str] = []
    previous_block: int | None = None
    for line in lines:
        if previous_block is not None:
            parts.append("\n" if line.block == previous_block else "\n\n")
        parts.append(line.text)
        previous_block = line.block
    return "".join(parts)
