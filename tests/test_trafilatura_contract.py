"""The parts of trafilatura outside its public API that the cleaner uses (through
cleaner/pipeline/trafilatura_api.py only): if an upgrade changes one, these fail before a record
does."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest
import trafilatura
from lxml import etree, html
from trafilatura import load_html, metadata
from trafilatura.settings import set_date_params

import cleaner
from cleaner.pipeline.extract import PAGE_PARSER
from cleaner.pipeline.trafilatura_api import (
    declared_date,
    declared_metadata,
    parse_html,
    searched_title,
)

PACKAGE = Path(cleaner.__file__).resolve().parent
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
PAGES = sorted(FIXTURES.rglob("*.html"))
COMPARED = ("title", "url", "categories", "tags", "description", "image")


@pytest.mark.parametrize("page", PAGES, ids=lambda path: str(path.relative_to(FIXTURES)))
def test_declared_metadata_is_what_the_public_extract_metadata_finds(page):
    """The fields the cleaner reads agree with trafilatura's own `extract_metadata`."""
    markup = page.read_text(encoding="utf-8", errors="replace")
    assert load_html(markup) is not None
    ours, public = (
        declared_metadata(load_html(markup)),
        trafilatura.extract_metadata(load_html(markup)),
    )
    ours.title = ours.title or searched_title(load_html(markup))
    assert {field: getattr(ours, field) for field in COMPARED} == {
        field: getattr(public, field) for field in COMPARED
    }
    assert declared_date(load_html(markup), ours.url) == public.date


BLOG_POST = """<html><head><title>Rain at last</title></head><body><article><h1>Rain at last</h1>
<p>After six dry weeks the rain came back to the valley on Sunday night.</p>
<footer class="entry-meta"><span class="cat-links"><a href="/category/weather/">Weather</a></span>
<span class="tags-links"><a href="/tag/rain/">rain</a> <a href="/tags/valley/">valley</a></span>
</footer></article></body></html>"""


@pytest.mark.parametrize(
    ("markup", "found"),
    [
        (BLOG_POST, True),
        (
            BLOG_POST.replace("/category/", "/c/").replace("/tag/", "/t/").replace("/tags/", "/t/"),
            False,
        ),
    ],
)
def test_categories_and_tags_from_links_are_what_extract_metadata_finds(markup, found):
    """The category and tag searches, which run only where a link could give them, find what
    trafilatura's own `extract_metadata` finds."""
    ours, public = (
        declared_metadata(load_html(markup)),
        trafilatura.extract_metadata(load_html(markup)),
    )
    assert (ours.categories, ours.tags) == (public.categories, public.tags)
    assert bool(ours.categories and ours.tags) is found


def test_the_field_extractors_keep_their_signatures():
    expected = {
        "examine_meta": ["tree"],
        "extract_meta_json": ["tree", "metadata"],
        "extract_title": ["tree"],
        "extract_url": ["tree", "default_url"],
        "extract_catstags": ["metatype", "tree"],
    }
    for name, parameters in expected.items():
        assert list(inspect.signature(getattr(metadata, name)).parameters) == parameters, name
    assert set_date_params(extensive=True)["extensive_search"] is True


ODD_PAGES = [
    "",
    "  ",
    "plain text",
    "<p>one fragment</p>",
    "<div><p>a</p><p>b</p></div>",
    "<?xml version='1.0' encoding='iso-8859-1'?><html><body><p>é</p></body></html>",
    "<!DOCTYPE html/><html><body>text</body></html>",
    "<html/>\n<body><p>text</p></body>",
    "<html><body>\x00\x01control characters</body></html>",
    "<html><body><form><label>L</label><input name=q><select></select></form></body></html>",
]


@pytest.mark.parametrize(
    "markup", [page.read_text(encoding="utf-8", errors="replace") for page in PAGES] + ODD_PAGES
)
def test_parse_html_makes_the_tree_load_html_makes(markup):
    """The extract stage parses with its own parser, for speed: the tree and the class of each
    element are what `trafilatura.load_html` gives."""
    ours, public = parse_html(markup, PAGE_PARSER), load_html(markup)
    if public is None:
        assert ours is None
        return
    assert etree.tostring(ours) == etree.tostring(public)
    assert [type(element) for element in ours.iter()] == [
        type(element) for element in public.iter()
    ]


def test_the_readability_fork_finds_the_article():
    from trafilatura.external import try_readability

    page = html.fromstring(
        "<html><body><article><p>" + "Text. " * 60 + "</p></article></body></html>"
    )
    assert "Text." in " ".join(try_readability(page).itertext())


def test_only_the_adapter_imports_trafilatura():
    importers = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            if any(name.split(".")[0] in {"trafilatura", "htmldate"} for name in names):
                importers.append(path.name)
    assert set(importers) == {"trafilatura_api.py"}
