"""Extract stage (HTML only): the page's main content as text, plus the metadata it declares.

The page is parsed once; selector rules prune what is never article text (the prune stage),
then `page_metadata` reads the metadata and trafilatura finds the main content. Its text then
goes through the same line stages as a text document.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import trafilatura
from lxml import html
from trafilatura.utils import load_html

from cleaner.model import PageMetadata, PrunedElement
from cleaner.page_metadata import page_metadata
from cleaner.prune import drop_inert, prune, selector_rules
from cleaner.rules import Rule
from cleaner.selectors import select

# Below this many characters the fast extraction probably missed the article (a page whose
# text sits in unusual markup); trafilatura's fallback extractors then get a second look.
SECOND_OPINION_CHARS = 250


# lxml (libxml2) stops nesting elements at this depth and drops the content below it.
PARSER_MAX_DEPTH = 255
TOO_DEEP = (
    f"no article text found: the page nests elements more than {PARSER_MAX_DEPTH} deep and the "
    "HTML parser drops the content below that depth"
)


@dataclass
class Extraction:
    text: str = ""
    page: PageMetadata = field(default_factory=PageMetadata)
    pruned: list[PrunedElement] = field(default_factory=list)
    empty_reason: str | None = None  # why there is no text, when known


def _too_deep(tree: html.HtmlElement) -> bool:
    """Whether the parser hit its nesting limit (and so dropped what lay deeper)."""
    return tree.find("/".join(["*"] * PARSER_MAX_DEPTH)) is not None


def _main_text(tree: html.HtmlElement, fast: bool) -> str:
    """trafilatura's main content of the page as text, "" when it finds none (a listing page)."""
    document = trafilatura.bare_extraction(
        tree,
        fast=fast,
        favor_precision=True,
        include_comments=False,
        include_tables=True,
    )
    return (document.text or "") if document is not None else ""


def extract_html(markup: str, rules: Sequence[Rule] = ()) -> Extraction:
    """The main content of an HTML page after the selector rules have pruned it.

    trafilatura runs in its precise, fast setting; only when that finds almost nothing do its
    slower fallback extractors get a second look, and the longer text wins.
    """
    tree = load_html(markup)
    if tree is None:
        return Extraction()
    # One pass finds what the selector rules match, before anything is removed.
    html_rules = selector_rules(rules)
    matches = select(tree, [r.compiled_selectors for r in html_rules])
    pruned = prune(tree, html_rules, matches)
    drop_inert(tree)
    page = page_metadata(tree)
    text = _main_text(tree, fast=True)
    if len(text) < SECOND_OPINION_CHARS:
        text = max(text, _main_text(tree, fast=False), key=len)
    reason = TOO_DEEP if not text.strip() and _too_deep(tree) else None
    return Extraction(text, page, pruned, reason)
