"""Datelines: absolute dates in the languages' own orders, with clock times beside them."""

from __future__ import annotations

import pytest

from cleaner.metadata import dateline_date


@pytest.mark.parametrize(
    ("line", "language", "date"),
    [
        ("Published 21 June 2024", "en", "2024-06-21"),
        ("Monday 4 March 2024 09.15 GMT", "en", "2024-03-04"),
        ("By Jane Roe | March 3, 2021 10:15 a.m.", "en", "2021-03-03"),
        ("12.03.2024, 18:05 Uhr", "de", "2024-03-12"),
        ("Le 3 mars 2024 à 14h05", "fr", "2024-03-03"),
        ("03/04/2024 09:00", "es", "2024-04-03"),
        ("Updated 2 hours ago", "en", None),
        ("The council voted on the 2024 budget after a long debate about roads.", "en", None),
    ],
)
def test_dateline_date(line, language, date):
    assert dateline_date(line, language) == date
