"""The page as a reader sees it: its visible text cut into blocks at block-level elements.

Every extractor's opinion is read back onto these blocks, so the combiner decides block by
block, and a block that the final text leaves out can be reported like a removed line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from lxml import etree

# Elements that start a new line in a browser's rendering (inline elements such as <a>, <b>,
# <span> and <font> do not).
BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "br", "caption", "center", "dd",
        "details", "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer",
        "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol",
        "option", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th",
        "thead", "title", "tr", "ul",
    }
)  # fmt: skip
# Elements whose content is never shown as text.
HIDDEN_TAGS = frozenset({"head", "script", "style", "noscript", "template", "iframe"})
_WORD = re.compile(r"\w+")
_CONTAINER_TAGS = frozenset({"html", "body", "main", "article"})
# Elements that hold page furniture by their tag, or by a class or id that names a widget.
BOX_TAGS = frozenset(
    {"aside", "nav", "footer", "header", "figure", "figcaption", "form", "time", "button", "label"}
)
_BOX_NAME = re.compile(
    r"share|social|newsletter|subscri|signup|related|promo|comment|caption|video|player|"
    r"menu|\bnav|footer|sidebar|widget|advert|\bads?\b|breadcrumb|byline|tags?\b|pagination|"
    r"popup|modal|cookie|reading-time|dateline|timestamp|pullquote",
    re.IGNORECASE,
)


@dataclass(slots=True)
class Block:
    text: str  # white space collapsed
    link_chars: int  # characters of the text inside links
    line: int  # the source line of the element the block starts in
    boxed_chars: int = 0  # characters of the text inside a `_boxed` element
    # The text's words, and the words `_spaced`: every opinion is searched for every block,
    # so they are found once, when the block is made.
    words: list[str] = field(init=False, repr=False, compare=False)
    tokens: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.words = _WORD.findall(self.text)
        self.tokens = _spaced(self.words)

    @property
    def link_density(self) -> float:
        return self.link_chars / len(self.text)

    @property
    def boxed_share(self) -> float:
        return self.boxed_chars / len(self.text)


def _boxed(element: etree._Element, names: dict[tuple[str, str], bool]) -> bool:
    """Whether an element's tag, class or id says it holds page furniture, not article text.
    `names` remembers the verdict on each class and id pair (they repeat on a page)."""
    if element.tag in BOX_TAGS:
        return True
    if element.tag in _CONTAINER_TAGS:  # a state class on the page says nothing of its parts
        return False
    key = (element.get("class") or "", element.get("id") or "")
    if key == ("", ""):
        return False
    boxed = names.get(key)
    if boxed is None:
        boxed = names[key] = _BOX_NAME.search(f"{key[0]} {key[1]}") is not None
    return boxed


def page_blocks(tree: etree._Element) -> list[Block]:
    """The visible text of the page in reading order, one block per run of text between
    block-level element boundaries. Iterative, so that any nesting depth is fine."""
    blocks: list[Block] = []
    parts: list[str] = []
    shown = False  # whether `parts` hold more than white space
    link_chars = boxed_chars = 0
    line = tree.sourceline or 1
    links = 0  # open <a> elements around the current position
    boxes: list[etree._Element] = []  # open `_boxed` elements around it
    names: dict[tuple[str, str], bool] = {}

    def add(text: str) -> None:
        nonlocal link_chars, boxed_chars, shown
        parts.append(text)
        shown = shown or not text.isspace()
        if links or boxes:
            length = len(text.strip())
            link_chars += length if links else 0
            boxed_chars += length if boxes else 0

    def flush(next_line: int | None) -> None:
        nonlocal link_chars, boxed_chars, line, shown
        if shown:
            text = " ".join("".join(parts).split())
            blocks.append(
                Block(text, min(link_chars, len(text)), line, min(boxed_chars, len(text)))
            )
        parts.clear()
        shown = False
        link_chars = boxed_chars = 0
        line = next_line or line

    walker = etree.iterwalk(tree, events=("start", "end"))
    for event, element in walker:
        tag = element.tag if isinstance(element.tag, str) else None
        if event == "start":
            if tag is None or tag in HIDDEN_TAGS:
                walker.skip_subtree()
                continue
            if tag in BLOCK_TAGS:
                if parts:
                    flush(element.sourceline)
                else:  # nothing to flush (the common case): only the next block's line
                    line = element.sourceline or line
            if tag == "a":
                links += 1
            if _boxed(element, names):
                boxes.append(element)
            if element.text:
                add(element.text)
            continue
        if tag == "a":
            links -= 1
        if boxes and boxes[-1] is element:
            boxes.pop()
        if tag in BLOCK_TAGS:
            if parts:
                flush(element.sourceline)
            else:
                line = element.sourceline or line
        if element.tail and element is not tree:
            add(element.tail)
    flush(None)
    return blocks


def _spaced(words: list[str]) -> str:
    """Words between spaces, so that a substring search matches whole words."""
    return f" {' '.join(words)} "


# A block of this many tokens or fewer ("Home", "Share this") can appear anywhere in a text by
# chance: it counts as found only near where the previous block was found.
SHORT_TOKENS = 3
NEAR_CHARS = 300


def found_in(blocks: Sequence[Block], text: str) -> list[bool]:
    """Which blocks an extractor's output contains, read in order: the output is searched from
    where the previous block was found, so that a repeated short label is placed right. Out of
    order, a block is not found inside the part of the output that an earlier block took: a
    pull quote or a link that repeats a sentence of a kept paragraph is not that paragraph."""
    output_words = _WORD.findall(text)
    haystack = _spaced(output_words)
    words = frozenset(output_words)
    cursor = 0
    found = []
    taken: list[tuple[int, int]] = []
    for block in blocks:
        # Most of a page's blocks are not in a precise extractor's output: a first or last
        # word of the block that the output lacks says so without a search.
        if not block.words or block.words[0] not in words or block.words[-1] not in words:
            found.append(False)
            continue
        needle = block.tokens
        short = len(block.words) <= SHORT_TOKENS
        start = max(cursor - 1, 0)
        at = haystack.find(needle, start)
        hit = at >= 0 and (not short or at - cursor <= NEAR_CHARS)
        if not hit and not short:  # extractors may move a block (a caption, a lead)
            # Only a place before `start` is left to try.
            at = _untaken(haystack, needle, taken, start + len(needle) - 1)
            hit = at >= 0
        if hit:
            cursor = at + len(needle) - 1
            taken.append((at, cursor))
        found.append(hit)
    return found


def _untaken(haystack: str, needle: str, taken: Sequence[tuple[int, int]], end: int) -> int:
    """The first place of `needle` in `haystack[:end]` that no taken span holds whole, else
    -1."""
    at = haystack.find(needle, 0, end)
    while at >= 0:
        stop_at = at + len(needle) - 1
        if not any(start <= at and stop_at <= stop for start, stop in taken):
            return at
        at = haystack.find(needle, at + 1, end)
    return -1
