"""Extract stage (HTML only): the page's main content as text, plus the metadata it declares.

The page is parsed once; selector rules prune what is never article text (the prune stage),
then trafilatura finds the main content and reads the metadata (it bundles htmldate and
courlan). Its text then goes through the same line stages as a text document.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass, field

import trafilatura
from htmldate import find_date
from lxml import html
from trafilatura import metadata as tm
from trafilatura.settings import Document, set_date_params
from trafilatura.utils import load_html

from cleaner.model import PageMetadata, PrunedElement
from cleaner.prune import drop_inert, element_text, prune, selector_rules
from cleaner.rules import Rule
from cleaner.selectors import compile_selectors, select

# Below this many characters the fast extraction probably missed the article (a page whose
# text sits in unusual markup); trafilatura's fallback extractors then get a second look.
SECOND_OPINION_CHARS = 250


# The deck (standfirst) under a headline, by the class names that publishing systems give it.
_DECK = compile_selectors(
    [
        '[class*="standfirst"]', '[class~="dek"]', '[class*="__dek"]', '[class*="-dek"]',
        '[class*="deck"]', '[class*="subtitle"]', '[class*="subheadline"]',
        '[class*="sub-headline"]',
    ]
)  # fmt: skip
_DECK_WORDS = (4, 80)
# lxml (libxml2) stops nesting elements at this depth and drops the content below it.
PARSER_MAX_DEPTH = 255
TOO_DEEP = (
    f"no article text found: the page nests elements more than {PARSER_MAX_DEPTH} deep and the "
    "HTML parser drops the content below that depth"
)


def _deck(candidates: Sequence[html.HtmlElement]) -> str | None:
    for element in candidates:
        text = element_text(element)
        if _DECK_WORDS[0] <= len(text.split()) <= _DECK_WORDS[1]:
            return text
    return None


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


def _declared_metadata(tree: html.HtmlElement) -> Document:
    """The metadata that `trafilatura.extract_metadata` finds, by its own field extractors in
    its order, without its licence search: the record has no licence field, and that search
    alone cost some 3% of the HTML mode's time.

    htmldate's quick search finds the date of all but about one page in a hundred, in two
    thirds of the time of its extensive one, which runs only when the quick one finds none.
    """
    document = tm.examine_meta(tree)
    if document.author and " " not in document.author:  # a handle such as "@desk", not a name
        document.author = None
    with contextlib.suppress(Exception):  # as trafilatura guards its own JSON-LD reader
        document = tm.extract_meta_json(tree, document)
    document.title = document.title or tm.extract_title(tree)
    document.author = document.author or tm.extract_author(tree)
    document.url = document.url or tm.extract_url(tree)
    quick, extensive = set_date_params(extensive=False), set_date_params(extensive=True)
    document.date = find_date(tree, url=document.url, **quick) or find_date(
        tree, url=document.url, **extensive
    )
    sitename = document.sitename or tm.extract_sitename(tree)
    if sitename:
        sitename = sitename.lstrip("@")  # a Twitter handle
        if sitename and "." not in sitename and not sitename[0].isupper():
            sitename = sitename.title()
    elif document.url and (domain := tm.META_URL.match(document.url)):
        sitename = domain[1]
    document.sitename = sitename
    document.categories = document.categories or tm.extract_catstags("category", tree)
    document.tags = document.tags or tm.extract_catstags("tag", tree)
    document.clean_and_trim()
    return document


def extract_html(markup: str, rules: Sequence[Rule] = ()) -> Extraction:
    """The main content of an HTML page after the selector rules have pruned it.

    trafilatura runs in its precise, fast setting; only when that finds almost nothing do its
    slower fallback extractors get a second look, and the longer text wins.
    """
    tree = load_html(markup)
    if tree is None:
        return Extraction()
    # One pass finds the deck and what the selector rules match, before anything is removed.
    html_rules = selector_rules(rules)
    deck_candidates, *matches = select(tree, [_DECK, *(r.compiled_selectors for r in html_rules)])
    deck = _deck(deck_candidates)
    pruned = prune(tree, html_rules, matches)
    drop_inert(tree)
    document = _declared_metadata(tree)
    text = _main_text(tree, fast=True)
    if len(text) < SECOND_OPINION_CHARS:
        text = max(text, _main_text(tree, fast=False), key=len)
    page = PageMetadata(
        title=document.title or None,
        subtitle=deck,
        author=document.author or None,
        date=document.date or None,
        sitename=document.sitename or None,
        url=document.url or None,
        description=document.description or None,
        categories=[c for c in document.categories or [] if c],
        tags=[t for t in document.tags or [] if t],
        image=document.image or None,
        language=(tree.get("lang") or "")[:2].lower() or None,
    )
    reason = TOO_DEEP if not text.strip() and _too_deep(tree) else None
    return Extraction(text, page, pruned, reason)
