"""HTML pages written for the project: each page's body, metadata and removed lines (with their
exact codes) against its expected record. `removed` in the expected files is written by
`python tests/regenerate_golden.py --write` (see there)."""

from __future__ import annotations

import pytest

from helpers import HTML_GOLDEN, clean_golden, fixture_id, read_expected, removed_lines

PAGES = HTML_GOLDEN
FIELDS = (
    "text", "title", "subtitle", "author", "authors", "date", "sitename", "url", "language",
    "description", "categories", "tags", "image",
)  # fmt: skip


def test_there_are_enough_pages():
    languages = {page.parent.name for page in PAGES}
    assert len(PAGES) >= 15
    assert {"en", "de", "fr", "es"} <= languages


# Pages whose expected record the cleaner does not reach yet; strict, so a fix shows up.
KNOWN_GAPS: dict[str, str] = {}


def _with_gaps(pages):
    for page in pages:
        reason = KNOWN_GAPS.get(page.stem)
        marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
        yield pytest.param(page, marks=marks, id=fixture_id(page))


@pytest.mark.parametrize("page", list(_with_gaps(PAGES)))
def test_html_page(page, cleaner, validate_record):
    expected = read_expected(page)
    record = validate_record(clean_golden(cleaner, page))
    assert {field: record[field] for field in FIELDS} == {
        field: expected[field] for field in FIELDS
    }
    assert (record["error"] is None) == bool(
        expected["text"]
    )  # a listing page says why it is empty
    assert removed_lines(record) == expected["removed"]


@pytest.mark.parametrize("page", PAGES, ids=fixture_id)
def test_html_debris_is_accounted_for(page, cleaner):
    """Every selector removal carries a rule code and the element's line in the page."""
    record = clean_golden(cleaner, page)
    line_count = page.read_bytes().count(b"\n") + 1
    for removal in record["removed"]:
        if removal["source"] == "html":
            assert 1 <= removal["line"] <= line_count
            assert removal["text"]
