"""The parts of trafilatura outside its public API that the cleaner uses (through
cleaner/pipeline/trafilatura_api.py only): if an upgrade changes one, these fail before a record
does."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest
import trafilatura
from lxml import html
from trafilatura import metadata
from trafilatura.settings import set_date_params

import cleaner
from cleaner.pipeline.trafilatura_api import HTML_PARSER, declared_metadata, load_html

PACKAGE = Path(cleaner.__file__).resolve().parent
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
PAGES = sorted(FIXTURES.rglob("*.html"))
COMPARED = ("title", "url", "date", "categories", "tags", "description", "image")


@pytest.mark.parametrize("page", PAGES, ids=lambda path: str(path.relative_to(FIXTURES)))
def test_declared_metadata_is_what_the_public_extract_metadata_finds(page):
    """The fields the cleaner reads agree with trafilatura's own `extract_metadata`."""
    markup = page.read_text(encoding="utf-8", errors="replace")
    assert load_html(markup) is not None
    ours, public = (
        declared_metadata(load_html(markup)),
        trafilatura.extract_metadata(load_html(markup)),
    )
    assert {field: getattr(ours, field) for field in COMPARED} == {
        field: getattr(public, field) for field in COMPARED
    }


def test_the_field_extractors_keep_their_signatures():
    expected = {
        "examine_meta": ["tree"],
        "extract_meta_json": ["tree", "metadata"],
        "extract_title": ["tree"],
        "extract_url": ["tree", "default_url"],
        "extract_catstags": ["metatype", "tree"],
        "extract_author": ["tree"],
    }
    for name, parameters in expected.items():
        assert list(inspect.signature(getattr(metadata, name)).parameters) == parameters, name
    assert set(set_date_params(extensive=False)) >= {"extensive_search", "original_date"}
    assert set_date_params(extensive=True)["extensive_search"] is True


def test_html_parser_is_the_one_load_html_uses_and_logs_the_depth_limit():
    nested = "<div>" * 300 + "deep" + "</div>" * 300
    tree = load_html(f"<html><body>{nested}</body></html>")
    assert tree is not None
    assert any("Excessive depth" in error.message for error in HTML_PARSER.error_log)
    load_html("<html><body><p>shallow</p></body></html>")
    assert not any("Excessive depth" in error.message for error in HTML_PARSER.error_log)


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
