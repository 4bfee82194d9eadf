"""Extract stage (HTML only): the page's main content as text, plus the metadata it declares.

The page is parsed once; selector rules prune what is never article text (the prune stage).
Then trafilatura, readability and the text-mode decision each vote on every block of the page,
the combiner (`combine.py`) weighs the votes, and `page_metadata` reads the metadata. The kept
blocks then go through the same line stages as a text document.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from lxml import etree, html

from cleaner.codes import reason_of
from cleaner.model import PageMetadata, PrunedElement
from cleaner.pipeline.blocks import Block, found_in, page_blocks
from cleaner.pipeline.combine import (
    keep,
    left_out,
    text_mode_pays,
    text_mode_stand_in,
)
from cleaner.pipeline.page_metadata import page_metadata
from cleaner.pipeline.trafilatura_api import main_text, parse_html, readability_text
from cleaner.rules.loader import Rule
from cleaner.rules.prune import drop_inert, prune, selector_rules
from cleaner.rules.selectors import select

# lxml (libxml2) stops nesting elements at depth 255 and drops the content below it; with
# `huge_tree` it goes on to this depth. Past that, the deepest opening tags are dropped
# (`flatten_nesting`) before parsing again.
HUGE_MAX_DEPTH = 2047
FLATTEN_DEPTH = 1000


def _page_parser(**options: object) -> html.HTMLParser:
    """An lxml.html parser as trafilatura sets one up, whose elements get lxml.html's classes
    (`FormElement` for `<form>`, `HtmlElement` for most) by a lookup in C. lxml.html's own
    lookup is Python code, run each time a stage touches an element of the page (or of a
    copy) that has no Python object yet: hundreds of thousands of times on a large page."""
    parser = html.HTMLParser(
        collect_ids=False, default_doctype=False, remove_comments=True, remove_pis=True, **options
    )
    lookup = etree.ElementNamespaceClassLookup(
        etree.ElementDefaultClassLookup(
            element=html.HtmlElement,
            comment=html.HtmlComment,
            pi=html.HtmlProcessingInstruction,
            entity=html.HtmlEntity,
        )
    )
    lookup.get_namespace(None).update(
        {
            "form": html.FormElement,
            "input": html.InputElement,
            "label": html.LabelElement,
            "select": html.SelectElement,
            "textarea": html.TextareaElement,
        }
    )
    parser.set_element_class_lookup(lookup)
    return parser


PAGE_PARSER = _page_parser(encoding="utf-8")
_TOLERANT = _page_parser(huge_tree=True)
_TAG = re.compile(r"<(/?)([A-Za-z][\w:-]*)[^>]*>")
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)
TOO_DEEP = (
    f"no article text found: the page nests elements more than {HUGE_MAX_DEPTH} deep and the "
    "HTML parser drops the content below that depth"
)
# Reads the page's blocks as a text document: which of them the text-mode decision keeps.
TextOpinion = Callable[[Sequence[str]], list[bool]]


@dataclass
class Extraction:
    text: str = ""
    page: PageMetadata = field(default_factory=PageMetadata)
    pruned: list[PrunedElement] = field(default_factory=list)
    empty_reason: str | None = None  # why there is no text, when known


def _too_deep(tree: html.HtmlElement, limit: int) -> bool:
    """Whether a parser with this nesting limit hit it (and so dropped what lay deeper)."""
    return tree.find("/".join(["*"] * limit)) is not None


def _hit_depth_limit(parser: etree.HTMLParser) -> bool:
    """Whether the parser's last parse stopped nesting at its depth limit (libxml2 says so)."""
    return any("Excessive depth" in error.message for error in parser.error_log)


def parse_page(markup: str) -> html.HtmlElement | None:
    """The page's tree, parsed as a browser would keep it: a fragment without `<html>` and
    nesting past libxml2's default depth keep their text."""
    tree = parse_html(markup, PAGE_PARSER)
    if tree is not None and not _hit_depth_limit(PAGE_PARSER):
        return tree
    deep = _tolerant_parse(markup)
    if deep is not None and _hit_depth_limit(_TOLERANT):
        deep = _tolerant_parse(flatten_nesting(markup, FLATTEN_DEPTH))
    return deep if deep is not None else tree


def _tolerant_parse(markup: str) -> html.HtmlElement | None:
    try:
        tree = html.document_fromstring(markup, parser=_TOLERANT)
    except ValueError:  # a str that declares its encoding
        tree = html.document_fromstring(markup.encode("utf-8", "surrogatepass"), parser=_TOLERANT)
    except etree.ParserError:  # nothing but white space or comments
        return None
    return tree


def flatten_nesting(markup: str, depth: int) -> str:
    """The markup without the opening tags (and their closing tags) that would nest elements
    deeper than `depth`: unclosed `<div>` or `<font>` runs that a browser renders as plain
    nesting. Their text stays where it was."""
    kept: list[str] = []
    open_tags = dropped = last = 0
    for tag in _TAG.finditer(markup):
        closing, name = tag.group(1), tag.group(2).lower()
        if name in _VOID or tag.group(0).endswith("/>"):
            continue
        if not closing and open_tags < depth:
            open_tags += 1
            continue
        if closing and not dropped:
            open_tags = max(0, open_tags - 1)
            continue
        dropped += -1 if closing else 1
        kept.append(markup[last : tag.start()])
        last = tag.end()
    kept.append(markup[last:])
    return "".join(kept)


class PreparedPage(NamedTuple):
    tree: html.HtmlElement  # without what the selector rules match and the inert elements
    pruned: list[PrunedElement]  # what the selector rules removed


def prepare_page(markup: str, rules: Sequence[Rule]) -> PreparedPage | None:
    """The parsed page without what the selector rules match and the inert elements, and what
    the rules removed. None: no tree."""
    tree = parse_page(markup)
    if tree is None:
        return None
    # One pass finds what the selector rules match, before anything is removed.
    html_rules = selector_rules(rules)
    matches = select(tree, [r.compiled_selectors for r in html_rules])
    pruned = prune(tree, html_rules, matches)
    drop_inert(tree)
    return PreparedPage(tree, pruned)


@dataclass
class Opinions:
    """The page's blocks and, per opinion in `combine.OPINIONS`, which blocks it keeps."""

    blocks: list[Block]
    votes: dict[str, list[bool]]


def gather_opinions(
    tree: html.HtmlElement, text_mode: TextOpinion | None, always: bool = False
) -> Opinions:
    """Each opinion's vote on each block of the (pruned) page. Consumes the tree. The text-mode
    decision runs only where the two extractors disagree (`combine.text_mode_pays`), or
    `always` (for fitting, which tries several thresholds)."""
    blocks = page_blocks(tree)
    votes = {"trafilatura": found_in(blocks, _guarded(main_text, tree))}
    votes["readability"] = found_in(blocks, _guarded(readability_text, tree))
    if text_mode is not None and (always or text_mode_pays(blocks, votes)):
        votes["text_mode"] = text_mode([block.text for block in blocks])
    else:
        votes["text_mode"] = text_mode_stand_in(votes)
    return Opinions(blocks, votes)


def _guarded(extractor: Callable[[html.HtmlElement], str], tree: html.HtmlElement) -> str:
    """An extractor's text, "" when it fails on an odd page (the other opinions still count)."""
    try:
        return extractor(tree)
    except (RecursionError, ValueError, TypeError, AttributeError):
        return ""


def extract_html(
    markup: str,
    rules: Sequence[Rule] = (),
    text_mode: TextOpinion | None = None,
    enabled: Callable[[str], bool] = lambda code: True,
) -> Extraction:
    """The main content of an HTML page after the selector rules have pruned it.

    trafilatura (fast, precise), readability and the text-mode decision (`text_mode`, given
    the page's blocks) each vote on every block; `combine.keep` weighs the votes. A block left
    out is reported with an extraction code, unless that code is turned off (then it stays).
    """
    prepared = prepare_page(markup, rules)
    if prepared is None:
        return Extraction()
    tree, pruned = prepared.tree, prepared.pruned
    page = page_metadata(tree)  # before the opinions: readability rewrites the tree
    opinions = gather_opinions(tree, text_mode)
    kept = keep(opinions.blocks, opinions.votes)
    text_blocks = []
    for block, code in zip(opinions.blocks, left_out(kept), strict=True):
        if code is None or not enabled(code):
            text_blocks.append(block.text)
        else:
            pruned.append(PrunedElement(block.line, block.text, code, reason_of(code)))
    text = "\n".join(text_blocks)
    reason = TOO_DEEP if not text.strip() and _too_deep(tree, HUGE_MAX_DEPTH) else None
    return Extraction(text, page, pruned, reason)
