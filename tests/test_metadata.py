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
        ("2019-11-19T12:48:14Z", "en", "2019-11-19"),
        ("Nov. 19, 2019, UTC", "en", "2019-11-19"),
        # A year alone names an event or a series, not the day a story was published.
        ("Election 2024", "en", None),
        ("Best gadgets of 2024", "en", None),
        ("2024 Budget", "en", None),
    ],
)
def test_dateline_date(line, language, date):
    assert dateline_date(line, language) == date
