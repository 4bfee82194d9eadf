"""Metadata decided from several signals: one synthetic page per kind of mistake that a single
source makes (a site name glued to the title, a sidebar's deck, a role in the byline, a domain
fragment for the site name, comma-joined tags, the UTC date instead of the shown one)."""

from __future__ import annotations

import json

import pytest

from cleaner.model import SourceDocument
from cleaner.pipeline.names import split_names
from helpers import FIXTURES

PAGES = sorted((FIXTURES / "metadata").glob("*.html"))
FIELDS = ("title", "subtitle", "author", "authors", "date", "sitename", "tags", "categories")


def test_every_kind_of_mistake_has_a_page():
    kinds = {page.stem.split("-")[0] for page in PAGES}
    assert {"title", "deck", "authors", "sitename", "tags", "date"} <= kinds


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.stem)
def test_page_metadata(page, cleaner, validate_record):
    expected = json.loads(page.with_suffix(".expected.json").read_text(encoding="utf-8"))
    record = validate_record(cleaner.clean(SourceDocument(page.name, page.read_bytes(), "html")))
    assert record["error"] is None
    assert {field: record[field] for field in FIELDS} == expected


@pytest.mark.parametrize(
    ("credit", "names"),
    [
        ("By Jane Roe", ["Jane Roe"]),
        ("Jane Roe is a reporter for the Example Post", ["Jane Roe"]),
        ("Detroit Wire Services Published 11:11 PM EST Nov 19, 2019", ["Detroit Wire Services"]),
        ("Mike Rowe; Malcolm Owens Monday; November 18, 2019", ["Mike Rowe", "Malcolm Owens"]),
        ("Tom Krisher, AP Auto Writer", ["Tom Krisher"]),
        ("Sarah E. Needle and Jo Doe", ["Sarah E. Needle", "Jo Doe"]),
        ("Finn Cole. Example International", ["Finn Cole"]),
        ("Texto: María Lozano", ["María Lozano"]),
        ("The Associated Press November 19, 2019", ["The Associated Press"]),
        ("Jane Roe | Example Advance Media for Example.com", ["Jane Roe"]),
        ("Ana de la Cruz", ["Ana de la Cruz"]),
        ("Jane Roe, Reuters", ["Jane Roe"]),
        ("정덕현", ["정덕현"]),
        ("admin", []),
        ("Staff", []),
        ("jdoe", []),
        ("KWCHCIK", []),
        ("@deskhandle", []),
        ("https://www.facebook.com/examplenews", []),
        ("the best deals of the week", []),
        ("View Profile", []),
        ("Name", []),
        ("Thomas More", ["Thomas More"]),
        ("About Jane Roe", ["Jane Roe"]),
        ("About Jane Roe Jane Roe", ["Jane Roe"]),
        ("Jane Roe Email Author", ["Jane Roe"]),
        ("Jane Roe View Profile RSS", ["Jane Roe"]),
        ("About 3 min read", []),
        ("Ankita CommentsCounter=CommentsCounter", []),
    ],
)
def test_split_names(credit, names):
    assert split_names(credit) == names
