"""trafilatura behind one door: every use the cleaner makes of trafilatura (and of htmldate, which
comes with it) goes through this module.

Its public API (`bare_extraction`, `load_html`) serves the main content and the page's tree. Two
things need names outside that API, so pyproject.toml pins trafilatura to a version range and
tests/test_trafilatura_contract.py fails if one of them changes:
- `declared_metadata` is `trafilatura.extract_metadata` without its licence search (the record
  has no licence field, and that search alone cost a noticeable share of HTML mode's time),
  built from the same field extractors in the same order;
- `HTML_PARSER` is the parser `load_html` uses: its error log tells whether libxml2 stopped
  nesting at its depth limit; `readability` is trafilatura's fork of readability-lxml.
"""

from __future__ import annotations

import contextlib

from htmldate import find_date
from lxml import html
from trafilatura import bare_extraction, load_html
from trafilatura import metadata as _metadata
from trafilatura.external import try_readability
from trafilatura.settings import Document, set_date_params
from trafilatura.utils import HTML_PARSER

__all__ = [
    "HTML_PARSER",
    "Document",
    "declared_author",
    "declared_metadata",
    "load_html",
    "main_text",
    "readability_text",
]


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


def declared_metadata(tree: html.HtmlElement) -> Document:
    """What `trafilatura.extract_metadata` finds, by its own field extractors in its order,
    without its licence search.

    htmldate's quick search runs first; its extensive one only when the quick one finds none.
    """
    document = _metadata.examine_meta(tree)
    with contextlib.suppress(Exception):  # as trafilatura guards its own JSON-LD reader
        document = _metadata.extract_meta_json(tree, document)
    document.title = document.title or _metadata.extract_title(tree)
    document.url = document.url or _metadata.extract_url(tree)
    quick, extensive = set_date_params(extensive=False), set_date_params(extensive=True)
    document.date = find_date(tree, url=document.url, **quick) or find_date(
        tree, url=document.url, **extensive
    )
    document.categories = document.categories or _metadata.extract_catstags("category", tree)
    document.tags = document.tags or _metadata.extract_catstags("tag", tree)
    document.clean_and_trim()
    return document


def declared_author(tree: html.HtmlElement) -> str | None:
    """trafilatura's byline search over the page (names as it capitalises them)."""
    return _metadata.extract_author(tree)
