"""Absolute dates written in a short line ("Nov 19, 2019", "25. September 2018", "18.11.2019").

dateparser reads dates in any language but costs a millisecond or more a line, which made it
the slowest part of text mode. The forms that datelines nearly always take (a month name with
a day and a year, ISO and numeric dates) are read here by regular expressions built from
dateparser's own month and weekday names for the document's language; dateparser's search
still reads every other form, in the lines that have none of those.
"""

from __future__ import annotations

import contextlib
import re
from datetime import date
from functools import lru_cache

from dateparser.languages.loader import default_loader
from dateparser.search import search_dates

# dateparser's keys for the month and weekday names of a locale, in calendar order.
MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_YEAR = r"(?P<year>(?:19|20)\d\d)(?!\d)"
# A time zone after the date belongs to it ("Nov 19, 2019, CST", "Nov 18, 2019 at ET").
_ZONE = r"(?-i:(?:,?\s+(?:at\s+)?(?:[A-Z]{1,3}T|UTC)\b)?)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_ISO = re.compile(r"(?<!\d)(?P<year>(?:19|20)\d\d)-(?P<month>[01]?\d)-(?P<day>[0-3]?\d)(?!\d)")
_ISO_TIME = re.compile(r"T\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?")
_NUMERIC = re.compile(
    r"(?<![\d.])(?P<first>\d{1,2})(?P<sep>[./-])(?P<second>\d{1,2})(?P=sep)" + _YEAR
)
# Chinese and Japanese "2024年7月21日", Korean "2024년 7월 21일".
_CJK = re.compile(
    r"(?<!\d)(?P<year>(?:19|20)\d\d)\s*[年년]\s*(?P<month>[01]?\d)\s*[月월]\s*"
    r"(?P<day>[0-3]?\d)\s*[日일]"
)
_YEAR_IN = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")  # "2019", also in "2019年"
# A date names its day: a number up to 31 standing alone ("Nov 18, 2019", "18. November 2019"),
# or a numeric date. A year alone ("Election 2019", "Best gadgets of 2019") names no date, and
# a number in brackets is a count: "July 2012 (21)" is a blog archive's month and its posts.
_DAY_OF_MONTH = r"(?:0?[1-9]|[12]\d|3[01])"
_DAY_NUMBER = re.compile(
    rf"(?<![\d,.(]){_DAY_OF_MONTH}(?!\d|[.,]\d)|(?<=\(){_DAY_OF_MONTH}(?![\d)]|[.,]\d)"
)
_NUMERIC_DATE = re.compile(
    r"\d{1,2}[./-]\d{1,2}[./-](?:19|20)\d\d|(?:19|20)\d\d[./-]\d{1,2}[./-]\d{1,2}"
)


def names_a_day(text: str) -> bool:
    """Whether the text names a year and a day in it (not a year alone, which dateparser would
    complete with a made-up month and day)."""
    if not _YEAR_IN.search(text):
        return False
    return bool(_NUMERIC_DATE.search(text) or _DAY_NUMBER.search(_YEAR_IN.sub(" ", text)))


def dates_in(text: str, language: str | None) -> list[tuple[str, date]]:
    """(matched text, date) for each absolute date with a year in the line, in order: the
    written forms read here or, in a line with none of them, dateparser's finds."""
    if not names_a_day(text):
        return []
    if written := _written_dates(text, language):
        return written
    settings = {"PREFER_DAY_OF_MONTH": "first", "RETURN_AS_TIMEZONE_AWARE": False}
    if language and language != "en":  # 12.03.2024 is the 12th of March outside English
        settings["DATE_ORDER"] = "DMY"
    found = search_dates(text, languages=[language] if language else None, settings=settings)
    return [(matched, when.date()) for matched, when in found or () if names_a_day(matched)]


def _written_dates(text: str, language: str | None) -> list[tuple[str, date]]:
    """The dates in the forms read here, in the order they stand in the line."""
    found: list[tuple[int, str, date]] = []
    for match in _ISO.finditer(text):
        time = _ISO_TIME.match(text, match.end())
        matched = text[match.start() : time.end() if time else match.end()]
        _add(found, match.start(), matched, match["year"], match["month"], match["day"])
    for match in _CJK.finditer(text):
        _add(found, match.start(), match[0], match["year"], match["month"], match["day"])
    day_first = language not in (None, "en")
    for match in _NUMERIC.finditer(text):
        first, second = match["first"], match["second"]
        day, month = (first, second) if day_first else (second, first)
        if int(month) > 12:  # 21/06/2014 in English, 11.14.2019 elsewhere: the other order
            day, month = month, day
        _add(found, match.start(), match[0], match["year"], month, day)
    month_names = _month_names(language)
    for pattern in _name_patterns(language):
        for match in pattern.finditer(text):
            month = month_names[match["month"].casefold()]
            _add(found, match.start(), match[0], match["year"], month, match["day"])
    return [(matched, when) for _, matched, when in sorted(found, key=lambda item: item[0])]


def _add(found: list, start: int, matched: str, year: str, month: str | int, day: str) -> None:
    with contextlib.suppress(ValueError):  # the 31st of June, a 13th month: not a date
        found.append((start, matched, date(int(year), int(month), int(day))))


@lru_cache(maxsize=64)
def _locale_names(language: str | None, keys: tuple[str, ...]) -> dict[str, int]:
    """Names (case-folded) of the months or weekdays in dateparser's data for English and the
    language, each to its number (1-based). Names with digits or marks ("5月") are left out."""
    names: dict[str, int] = {}
    for code in dict.fromkeys(("en", language or "en")):
        try:
            info = default_loader.get_locale(code).info
        except ValueError:  # dateparser has no data for the language
            continue
        for number, key in enumerate(keys, start=1):
            for name in info.get(key, ()):
                if re.fullmatch(r"[^\W\d_]{2,}", name):
                    names.setdefault(name.casefold(), number)
    return names


def _month_names(language: str | None) -> dict[str, int]:
    return _locale_names(language, MONTHS)


@lru_cache(maxsize=64)
def _name_patterns(language: str | None) -> tuple[re.Pattern[str], ...]:
    """Month-first and day-first dates with month names: "(Tuesday,) November 19, 2019",
    "(Mi.,) 20. November 2019", "22 de outubro de 2010"."""
    month = _alternation(_month_names(language))
    weekday = _alternation(_locale_names(language, WEEKDAYS))
    optional_weekday = rf"(?:\b(?:{weekday})\.?,?\s+)?"
    month = rf"\b(?P<month>{month})\b\.?"
    return (
        re.compile(rf"{optional_weekday}{month}\s+{_DAY}\b\.?,?\s+{_YEAR}{_ZONE}", re.I),
        re.compile(
            rf"{optional_weekday}(?<!\d){_DAY}\b\.?,?\s+(?:de\s+)?{month},?\s+(?:de\s+)?{_YEAR}{_ZONE}",
            re.I,
        ),
    )


def _alternation(names: dict[str, int]) -> str:
    return "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))
