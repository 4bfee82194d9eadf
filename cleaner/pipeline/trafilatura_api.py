"""trafilatura behind one door: every use the cleaner makes of trafilatura (and of htmldate, which
comes with it) goes through this module.

Its public API (`bare_extraction`) serves the main content. Three things need names outside
that API, so pyproject.toml pins trafilatura to a version range and
tests/test_trafilatura_contract.py fails if one of them changes:
- `declared_metadata` is `trafilatura.extract_metadata` without its licence search (the record
  has no licence field, and that search alone cost a noticeable share of HTML mode's time),
  without its byline search (`page_metadata` reads bylines with its own selectors, in one pass
  over the page where trafilatura's XPaths call a regular expression per element), and without
  its date search and its title search of the page's headings (`declared_date` and
  `searched_title`, which only a page that shows no date or title needs), built from the same
  field extractors in the same order;
- `parse_html` is `trafilatura.load_html` with a parser of the caller's (`load_html` always
  uses its own), built from the same repairs; `readability` is trafilatura's fork of
  readability-lxml.
"""

from __future__ import annotations

import contextlib

from htmldate import find_date
from lxml import etree, html
from trafilatura import bare_extraction
from trafilatura import metadata as _metadata
from trafilatura.external import try_readability
from trafilatura.settings import Document, set_date_params
from trafilatura.utils import is_dubious_html, repair_faulty_html

__all__ = [
    "Document",
    "declared_date",
    "declared_metadata",
    "main_text",
    "parse_html",
    "readability_text",
    "searched_title",
]


def parse_html(markup: str, parser: etree.HTMLParser) -> html.HtmlElement | None:
    """The tree `trafilatura.load_html` makes of a decoded page, parsed by `parser`: the same
    repairs, the same fallback to bytes, and None for what is not HTML (a fragment of one
    element without `<html>`, nothing but white space)."""
    beginning = markup[:50].lower()
    markup = repair_faulty_html(markup, beginning)
    tree = _fromstring(markup, parser)
    if tree is None or len(tree) < 1:  # a str that declares its encoding is parsed as bytes
        tree = _fromstring(markup.encode("utf-8", "surrogatepass"), parser)
    if tree is not None and is_dubious_html(beginning) and len(tree) < 2:
        return None
    return tree


def _fromstring(markup: str | bytes, parser: etree.HTMLParser) -> html.HtmlElement | None:
    """The parsed markup; None where lxml refuses it (an encoding declared in a str, nothing
    but white space)."""
    try:
        return html.fromstring(markup, parser=parser)
    except (ValueError, etree.LxmlError):
        return None


def main_text(tree: html.HtmlElement) -> str:
    """trafilatura's main content of the page as text, "" when it finds none (a listing page).
    Its fast precise setting: the other opinions make up for what its fallbacks would find."""
    document = bare_extraction(
        tree,
        fast=True,
        favor_precision=True,
        include_comments=False,
        include_tables=True,
    )
    return (document.text or "") if document is not None else ""


def readability_text(tree: html.HtmlElement) -> str:
    """readability's main content (trafilatura's fork of readability-lxml); it rewrites the
    tree as it goes, so it must be the last to read it."""
    return "\n".join(try_readability(tree).itertext())


# trafilatura's category and tag searches (several XPaths over the whole page each) keep only
# links whose address has a `/category/` (`/categories/`) or `/tag/` (`/tags/`) segment; for
# categories, a page without one falls back on its `article:section` or `subject` meta tag. A
# page with neither gets nothing from them, so they are not run there.
_LINK_ADDRESSES = etree.XPath("//a/@href")
_CATEGORY_LINK, _TAG_LINK = "/categor", "/tag"
_SECTION_META = etree.XPath(
    './/head//meta[@property="article:section" or contains(@name, "subject")][@content]'
)


def declared_metadata(tree: html.HtmlElement) -> Document:
    """What `trafilatura.extract_metadata` finds, by its own field extractors in its order,
    without its licence and byline searches, and without the title from the page's headings
    (`searched_title`) and the date (`declared_date`), which are searched for only where the
    metadata stage finds none."""
    document = _metadata.examine_meta(tree)
    with contextlib.suppress(Exception):  # as trafilatura guards its own JSON-LD reader
        document = _metadata.extract_meta_json(tree, document)
    document.url = document.url or _metadata.extract_url(tree)
    links = "" if document.categories and document.tags else " ".join(_LINK_ADDRESSES(tree))
    if not document.categories:
        searched = _CATEGORY_LINK in links or _SECTION_META(tree)
        document.categories = _metadata.extract_catstags("category", tree) if searched else []
    if not document.tags:
        searched = _TAG_LINK in links
        document.tags = _metadata.extract_catstags("tag", tree) if searched else []
    document.clean_and_trim()
    return document


def searched_title(tree: html.HtmlElement) -> str | None:
    """trafilatura's title from the page's headings and `<title>` (`extract_title`), trimmed as
    `extract_metadata` trims the declared title it stands in for."""
    document = Document()
    document.title = _metadata.extract_title(tree)
    document.clean_and_trim()
    return document.title


def declared_date(tree: html.HtmlElement, url: str | None) -> str | None:
    """htmldate's publication date of the page, by its extensive search, as trafilatura's
    `extract_metadata` finds it."""
    return find_date(tree, url=url, **set_date_params(extensive=True))
