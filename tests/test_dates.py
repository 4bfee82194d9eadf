"""Dates in a line: written forms read by regular expressions, other forms by dateparser."""

from __future__ import annotations

from datetime import date

import pytest
from dateparser.languages.loader import default_loader
from hypothesis import given
from hypothesis import strategies as st

from cleaner.pipeline import dates
from cleaner.pipeline.dates import dates_in, names_a_day

LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "nl", "pl")
MONTH_KEYS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip


def _month_name(language: str, month: int) -> str:
    """The longest (full) name that dateparser knows for the month in the language."""
    return max(default_loader.get_locale(language).info[MONTH_KEYS[month - 1]], key=len)


def _written(day: date, language: str, form: int) -> str:
    name = _month_name(language, day.month)
    return [
        f"{day.day} {name} {day.year}",
        f"{name} {day.day}, {day.year}",
        day.isoformat(),
        f"{day.day:02d}.{day.month:02d}.{day.year}"
        if language != "en"
        else f"{day.month}/{day.day}/{day.year}",
    ][form]


@given(
    day=st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31)),
    language=st.sampled_from(LANGUAGES),
    form=st.integers(min_value=0, max_value=3),
)
def test_written_forms_read_without_dateparser(day, language, form):
    line = f"Published {_written(day, language, form)} | Newsroom"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(dates, "search_dates", _must_not_be_called)
        matched, found = dates_in(line, language)[0]
    assert found == day
    assert matched in line


def _must_not_be_called(*args, **kwargs):
    raise AssertionError("dateparser was asked although the line has a written form")


@pytest.mark.parametrize(
    ("line", "language", "expected"),
    [
        ("Dienstag, 19. November 2019", "de", date(2019, 11, 19)),
        ("mardi 19 novembre 2019", "fr", date(2019, 11, 19)),
        ("sexta-feira, 22 de outubro de 2010", "pt", date(2010, 10, 22)),
        ("25 listopada 2019", "pl", date(2019, 11, 25)),
        ("MÄRZ 3, 2020", "de", date(2020, 3, 3)),
        ("Nov. 19, 2019", "en", date(2019, 11, 19)),
        ("2019-11-18T20:51:19Z", "en", date(2019, 11, 18)),
        ("2024年7月21日", "ja", date(2024, 7, 21)),
        ("2018년 8월 25일", "ko", date(2018, 8, 25)),
        # Numeric dates: month first in English unless the first number cannot be a month.
        ("12.03.2024", "en", date(2024, 12, 3)),
        ("12.03.2024", "de", date(2024, 3, 12)),
        ("21/06/2014", "en", date(2014, 6, 21)),
        ("11.14.2019", "fr", date(2019, 11, 14)),
    ],
)
def test_written_forms(line, language, expected):
    assert dates_in(line, language)[0][1] == expected


def test_time_zone_after_the_date_is_part_of_it():
    assert dates_in("Chris Davies - Nov 19, 2019, CST", "en")[0][0] == "Nov 19, 2019, CST"
    # Only an upper-case zone: a word after the date stays outside the match.
    assert dates_in("Nov 19, 2019, but", "en")[0][0] == "Nov 19, 2019"


def test_other_forms_go_to_dateparser():
    assert dates_in("Tuesday the 19th of November 2019", "en")[0][1] == date(2019, 11, 19)


@pytest.mark.parametrize(
    "line",
    ["31/06/2020", "Election 2024", "5G iPhone 2020", "Updated 2 hours ago", "Stand: März 2024"],
)
def test_no_date_without_a_real_day(line):
    assert dates_in(line, "de" if "März" in line else "en") == []


def test_names_a_day():
    assert names_a_day("Nov 18, 2019")
    assert names_a_day("18.11.2019")
    assert not names_a_day("Best gadgets of 2019")
    assert not names_a_day("November 18")  # no year
    assert not names_a_day("July 2012 (21)")  # an archive's month and its count of posts
    assert names_a_day("Updated (21 July 2012)")
