"""Datelines: absolute dates in the languages' own orders, with clock times beside them."""

from __future__ import annotations

import pytest

from cleaner.model import SourceDocument
from cleaner.pipeline.metadata import byline_authors, dateline_date


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
        ("5G iPhone 2020", "en", None),
        # The date read where it stands, not a day dateparser makes up from the year.
        ("12:03 GMT, Nov 20, 2019", "en", "2019-11-20"),
        ("Chris Davies - Nov 19, 2019, CST", "en", "2019-11-19"),
        ("Von Moritz Bachmann publiziert am 25. September 2018", "de", "2018-09-25"),
        ("2024年10月8日 18時02分", "ja", "2024-10-08"),
        ("31/06/2020", "fr", None),
        # A sentence of Japanese prose that mentions a date is no dateline (no spaces to count).
        (
            "夜市は30年以上続く恒例行事だったが、感染症の流行や人手不足のため、2020年1月5日から"
            "中止されていた。今年は地元の高校生約40人がボランティアとして参加した。",
            "ja",
            None,
        ),
    ],
)
def test_dateline_date(line, language, date):
    assert dateline_date(line, language) == date


# A text dump's header: a section label and a dateline above the headline, the byline (a bare
# name, no "By") under it, then the story.
SECTION_LABEL_PAGE = "\n".join(
    [
        "Home",
        "World",
        "Business News",
        "March 3, 2021 / 6:05 AM / Updated 2 hours ago",
        "",
        "Port strike halts container traffic for a second day",
        "",
        "Rodrigo Camposo",
        "",
        "4 Min Read",
        "",
        "Dock workers at the country's largest port stayed off the job for a second day on "
        "Wednesday, leaving dozens of container ships waiting at anchor outside the harbour.",
        "",
        "The union said the strike would continue until the port authority agreed to reopen "
        "talks on pay and shift patterns, which broke down last week after three months of "
        "negotiations.",
        "",
        "Shipping companies warned that the delays would spread to other ports within days, as "
        "vessels that could not unload were diverted along the coast.",
    ]
)


def test_text_mode_byline_under_the_headline(cleaner):
    record = cleaner.clean(SourceDocument("port.txt", SECTION_LABEL_PAGE.encode(), "text"))
    assert record["title"] == "Port strike halts container traffic for a second day"
    assert record["authors"] == ["Rodrigo Camposo"]
    assert record["author"] == "Rodrigo Camposo"
    removed = {entry["text"]: entry["rule"] for entry in record["removed"]}
    assert removed["Rodrigo Camposo"] == "MET004"  # moved to the field, not dropped as debris
    assert removed.get("Business News") != "MET004"  # a section label is never the author
    assert "Rodrigo Camposo" not in record["text"]


@pytest.mark.parametrize(
    ("byline", "authors"),
    [
        ("By Jane Roe and John Poe | March 3, 2021", ["Jane Roe", "John Poe"]),
        ("Von Moritz Bachmann publiziert am 25. September 2018", ["Moritz Bachmann"]),
        ("By Phil Helton is a reporter", ["Phil Helton"]),
        ("Business News", []),
    ],
)
def test_byline_authors(byline, authors):
    assert byline_authors(byline) == authors


# A deck long enough to pass for prose starts what the heuristics take for the body; the byline
# and time stamp under it are still the header.
DECK_PAGE = "\n\n".join(
    [
        "Tram line to reopen after a year of track repairs",
        "The city's oldest line returns on Monday. Here is what changes for riders on the route "
        "and why the work took so long.",
        "By\nAnna Kowalczyk\nNov. 4, 2023 7:30 am ET",
        "Trams will run again on the river line from Monday morning, a year after the track "
        "was closed for repairs to its foundations, the transport authority said.",
        "Engineers replaced more than two kilometres of rail and rebuilt the bridge approach, "
        "where the old supports had sunk into the soft ground along the bank.",
        "Services will run every eight minutes at peak times, the same as before the closure.",
    ]
)


def test_text_mode_byline_under_a_prose_deck(cleaner):
    record = cleaner.clean(SourceDocument("tram.txt", DECK_PAGE.encode(), "text"))
    removed = {entry["text"]: entry["rule"] for entry in record["removed"]}
    assert record["authors"] == ["Anna Kowalczyk"]
    assert removed["By"] == removed["Anna Kowalczyk"] == "MET004"
    assert removed["Nov. 4, 2023 7:30 am ET"] == "MET005"
    assert record["subtitle"].startswith("The city's oldest line returns on Monday.")
    assert record["text"].startswith("Trams will run again on the river line")


def test_text_mode_date_inside_the_story_stays(cleaner):
    """A date without a clock time in the body's first lines is what the story says (an event,
    an embedded post), not the page's time stamp."""
    page = DECK_PAGE.replace(
        "By\nAnna Kowalczyk\nNov. 4, 2023 7:30 am ET", "Friday, November 3, 2023"
    )
    record = cleaner.clean(SourceDocument("tram.txt", page.encode(), "text"))
    assert "Friday, November 3, 2023" in record["text"]
    assert record["subtitle"] is None


# A breadcrumb trail that ends with the headline, above the headline itself.
TRAIL_PAGE = "\n\n".join(
    [
        "Home",
        "World",
        "Home World Europe Ferry services resume after the winter storms",
        "Ferry services resume after the winter storms",
        "By Jane Roe",
        "Ferries between the islands and the mainland sailed again on Thursday after a week in "
        "which the storms kept every boat in harbour, the operator said.",
        "The first crossing left at dawn with supplies for the island shops, which had run short "
        "of bread, milk and fuel during the week.",
        "The operator said the timetable would be back to normal by the weekend.",
    ]
)


def test_text_mode_breadcrumb_trail_is_not_the_headline(cleaner):
    record = cleaner.clean(SourceDocument("ferry.txt", TRAIL_PAGE.encode(), "text"))
    assert record["title"] == "Ferry services resume after the winter storms"
    removed = {entry["text"]: entry["rule"] for entry in record["removed"]}
    assert removed["Ferry services resume after the winter storms"] == "MET001"
    assert removed["Home World Europe Ferry services resume after the winter storms"] != "MET001"
    assert record["text"].startswith("Ferries between the islands")


# A promo sentence above the headline starts what the heuristics take for the body; the
# headline, the byline and the date under it are still the header.
PROMO_ABOVE_PAGE = "\n".join(
    [
        "Home",
        "World",
        "Get the print edition delivered to your door every morning of the week.",
        "Board votes to close two rural libraries",
        "By Jane Roe, Staff Writer",
        "March 4, 2008",
        "",
        "The county board voted late Tuesday to close two rural libraries next spring, citing a "
        "shortfall in property tax revenue that has grown for three straight years.",
        "",
        "Supporters of the branches packed the meeting room, where many waited more than four "
        "hours to speak during the public comment period.",
    ]
)


def test_text_mode_headline_above_a_byline_in_the_body_head(cleaner):
    record = cleaner.clean(SourceDocument("board.txt", PROMO_ABOVE_PAGE.encode(), "text"))
    removed = {entry["text"]: entry["rule"] for entry in record["removed"]}
    assert record["title"] == "Board votes to close two rural libraries"
    assert record["subtitle"] is None  # the promo above the headline is no deck
    assert record["authors"] == ["Jane Roe"]
    assert record["date"] == "2008-03-04"
    assert removed["March 4, 2008"] == "MET005"
    assert record["text"].startswith("The county board voted")


# Markup a scraper left in the text: the lines of tags are no headline and no site name, even
# where a tag line stands again at the end as a headline would (and the fix that removes that
# second copy does not change what the first ones are).
MARKUP_PAGE = "\n".join(
    [
        '<a class="to-top" href="#top">Top of page</a>',
        '<div id="comment-thread"></div>',
        "The county board voted late Tuesday to close two rural libraries next spring, citing a "
        "shortfall in property tax revenue that has grown for three straight years.",
        "Supporters of the branches packed the meeting room, where many waited more than four "
        "hours to speak during the public comment period.",
        '<a class="to-top" href="#top">Top of page</a>',
    ]
)


def test_text_mode_markup_line_is_not_the_headline(cleaner):
    for page in (MARKUP_PAGE, MARKUP_PAGE.rsplit("\n", 1)[0]):
        record = cleaner.clean(SourceDocument("board.txt", page.encode(), "text"))
        assert record["title"] is None
        assert record["sitename"] is None
        removed = {entry["line"]: entry["rule"] for entry in record["removed"]}
        assert removed[1] == removed[2] == "BDY001"
