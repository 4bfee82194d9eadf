"""Metadata stage: headline, deck, kicker, byline, dateline and site name from the lines above
the article body, plus what the HTML page itself declared.

Lines given a metadata role keep a verdict (they are not body text) but with a code that says
where they went, e.g. `MET001 headline: moved to the title field`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache

from cleaner.codes import reason_of
from cleaner.model import Article, Language, Line, PageMetadata, Verdict
from cleaner.pipeline.dates import dates_in, names_a_day
from cleaner.pipeline.decide import Region
from cleaner.pipeline.names import split_names

_BYLINE = re.compile(
    r"^(?:(?:written |words |reporting |text |story )?by|von|par|por|di|door|przez|"
    r"autor(?:in|a)?|auteur|texto|text)\s*:?\s+(?P<name>.+)$"
    r"|^(?:作者|记者|記者|文)\s*[:：]\s*(?P<cjk_name>[\u4e00-\u9fff]{2,4})$",
    re.IGNORECASE,
)
_NAME_WORD = re.compile(
    r"^(?:[A-ZÀ-ÖØ-Þ][\w'’.-]*|and|und|et|y|e|en|i|van|von|der|de|da|del|la|le)$"
)
_TITLE_SEPARATOR = re.compile(r"\s+[-–—|:·•]\s+|\s*\|\s*")
_SITE_SUFFIX = re.compile(r"\s(?:\||[-–—]|::)\s(?P<site>[^|–—]{2,40})$")
_CLOCK_TIME = re.compile(
    r"(?<![\d.:])\d{1,2}[.:]\d{2}(?![\d.:])(?:\s*(?:[ap]\.?m\.?|uhr|h)(?!\w))?", re.I
)
_DATE_WORDS = re.compile(
    r"\b(?:published|updated|posted|veröffentlicht|publiziert|aktualisiert|publié|mis à jour|"
    r"publicado|actualizado|pubblicato|aggiornato|atualizado|gepubliceerd|bijgewerkt|opublikowano)\b",
    re.IGNORECASE,
)
_WORDS = re.compile(r"\w+")
_PARAGRAPH_WORDS = 25  # the first line this long is article text: the header is above it
_HEADER_WINDOW = 8  # how many non-debris lines above the body can hold the headline block
_DATELINE_WORDS = 20  # "Published 21 June 2024 at 4:10 pm | Updated 21 June 2024 at 6:32 pm"
_DATELINE_CHARS = 120  # the bound for Chinese and Japanese, written without spaces
_DATELINE_REST_CHARS = 40  # what a dateline has besides the date: "Reuters", "| Topic: Tech"
_SITE_NAME_WORDS = 4  # "Headline | Site Name": longer suffixes are part of the headline
_BYLINE_REACH = 2  # a bare-name byline stands right under the headline, or under its deck
# A breadcrumb trail names at most this many sections before the headline it ends with, and
# the headline has at least this many words (a short last crumb could end any line).
_TRAIL_WORDS = 6
_TRAIL_END_WORDS = 3
_BODY_HEAD_LINES = 8  # a byline or dateline under the deck stands among the body's first lines
_BODY_HEAD_ABOVE = 2  # ...with at most the deck and a caption above it
_DECK_WORDS = 60  # a longer line above a byline is the article's first paragraph, not its deck
_BODY_HEADLINE_WORDS = 25  # a longer line above a byline is a deck or a paragraph
_SENTENCE_ENDS = (".", "!", "?", ":", ";", ",")
_LONE_BY = re.compile(r"^(?:by|von|par|por|di|door|przez)$", re.IGNORECASE)
# An HTML tag left in a scraper's text ('<div id="comments"></div>'): a line that holds one is
# markup, never the headline, a kicker or the site name of a page-title line. A closing tag or
# an opening one with a quoted attribute: "<The Palace>" in a line is a title, not a tag.
_MARKUP_TAG = re.compile(r"</[A-Za-z][\w:-]*\s*>|<[A-Za-z][\w:-]*\s+[\w:-]+\s*=\s*[\"']")


def byline_authors(text: str) -> list[str]:
    """The names in a byline such as "By Jane Roe and John Poe | March 3, 2021", else []."""
    if len(text.split()) > 14:
        return []
    match = _BYLINE.match(text.strip())
    if not match:
        return []
    if match.group("cjk_name"):
        return [match.group("cjk_name")]
    return split_names(match.group("name"))


def _bare_names(line: Line) -> list[str]:
    """The names of a line that is nothing but names ("Jane Roe", "Jane Roe and John Poe")."""
    return split_names(line.text) if _is_name(line.text, 2) else []


def _is_name(text: str, fewest_words: int) -> bool:
    """Capitalised name words ("Jane Roe", "Ana de la Cruz", "Jane Roe and John Poe")."""
    words = text.split()
    return (
        fewest_words <= len(words) <= 6
        and words[0][0].isupper()
        and all(_NAME_WORD.match(word) for word in words)
    )


@lru_cache(maxsize=4096)
def dateline_date(text: str, language: str | None) -> str | None:
    """The ISO date (YYYY-MM-DD) of a short line that is mostly a date, else None; cached, as
    a site's datelines repeat their form and `bench/fit_text.py` asks again for every trial.

    Only absolute dates with a year count: "2 hours ago" depends on when it is read."""
    if len(text) > _DATELINE_CHARS or not names_a_day(text) or len(text.split()) > _DATELINE_WORDS:
        return None
    # A clock time is no part of the date, and dateparser's search can mistake "09.15" for one.
    text = " ".join(_CLOCK_TIME.sub(" ", text).split())
    for matched, when in dates_in(text, language):
        rest = text.replace(matched, " ")
        mostly_date = len(rest.split()) <= 4 and len(rest) <= _DATELINE_REST_CHARS
        if mostly_date or _DATE_WORDS.search(text) or byline_authors(text):
            return when.isoformat()
    return None


def _trail_to(line: Line, later: Sequence[Line]) -> bool:
    """Whether the line is a breadcrumb trail: a few section names, then a later line's text.
    It reads every later line, so the cheap test comes first."""
    words = line.words
    return any(
        line.text.endswith(" " + other.text)
        and _TRAIL_END_WORDS <= other.words < words <= other.words + _TRAIL_WORDS
        for other in later
    )


def _header_window(candidates: Sequence[Line]) -> list[Line]:
    """The last few candidates above the body, where the headline block stands.

    A breadcrumb trail that ends with the headline ("Home News Politics Council approves the
    budget") stands above the headline itself, so it is left out: the later line is the
    headline. Only the window's lines are tested, from the body up, as a page can have hundreds
    of lines above its body and each test reads every line below it."""
    window: list[Line] = []
    for position in range(len(candidates) - 1, -1, -1):
        if len(window) == _HEADER_WINDOW:
            break
        if not _trail_to(candidates[position], candidates[position + 1 :]):
            window.append(candidates[position])
    return window[::-1]


def _page_title_split(first: Line, candidates: Sequence[Line]) -> tuple[Line, str | None] | None:
    """A later line that the first line repeats with a site name: (headline line, site name)."""
    for line in candidates:
        if line is first or len(line.text) < 0.4 * len(first.text):
            continue
        if first.text.startswith(line.text) and first.text != line.text:
            rest = _TITLE_SEPARATOR.sub("", first.text[len(line.text) :], count=1).strip()
            return line, rest or None
        if first.text.endswith(line.text) and first.text != line.text:
            rest = _TITLE_SEPARATOR.sub("", first.text[: -len(line.text)][::-1], count=1)
            return line, rest[::-1].strip() or None
    return None


def _page_title_block(headline: Line, following: Line, lines: Sequence[Line]) -> bool:
    """Whether the headline and the short line after it are the page's <title> split over two
    lines: the headline stands again further down, where the page shows it."""
    return (
        following.words <= _SITE_NAME_WORDS
        and following.number == headline.number + 1
        and any(line.text == headline.text for line in lines if line.number > following.number)
    )


def _comparable(text: str) -> str:
    return " ".join(_WORDS.findall(text.casefold()))


def _label_extracted_header(
    article: Article, page: PageMetadata, relabel: Callable[[Line, str], None]
) -> None:
    """Headline, byline and dateline lines at the top of text extracted from HTML.

    The page declared its title (and perhaps a deck), so only a line that repeats it counts as
    the headline (or deck); the other lines above the first paragraph are left alone unless
    they are a byline or dateline.
    """
    title = _comparable(page.title or "")
    deck = _comparable(page.subtitle or "")
    language = article.language.code
    for line in article.lines[:_HEADER_WINDOW]:
        if line.number in article.verdicts:
            continue
        text = _comparable(line.text)
        if text and title and (text == title or (line.words >= 3 and title.startswith(text))):
            relabel(line, "MET001")
        elif text and text == deck:
            relabel(line, "MET002")
        elif authors := byline_authors(line.text):
            article.authors = article.authors or authors
            relabel(line, "MET004")
        elif date := dateline_date(line.text, language):
            article.date = article.date or date
            relabel(line, "MET005")
        elif line.words >= _PARAGRAPH_WORDS:
            break


def annotate(
    article: Article,
    region: Region,
    page: PageMetadata,
    enabled: Callable[[str], bool],
    extracted: bool = False,
) -> None:
    """Fill the article's metadata fields and relabel the header lines they came from."""

    def relabel(line: Line, code: str) -> None:
        if enabled(code):
            article.verdicts[line.number] = Verdict(code, reason_of(code))

    if extracted:
        _label_extracted_header(article, page, relabel)
    else:
        _label_text_header(article, region, relabel)
        _label_body_head(article, region, relabel)
    article.title = page.title or article.title
    article.subtitle = page.subtitle or article.subtitle
    article.authors = page.authors or article.authors
    article.date = page.date or article.date
    article.sitename = page.sitename or article.sitename
    article.url = page.url
    article.page = page
    if article.language.code is None and page.language:  # no text to detect it on
        article.language = Language(page.language, None)


def _label_text_header(
    article: Article, region: Region, relabel: Callable[[Line, str], None]
) -> None:
    """Headline, deck, kicker, byline, dateline and page-title line above a text dump's body."""
    lines = article.lines
    language = article.language.code
    # Lines above the body that no rule claimed: where headline, byline and dateline stand.
    header = [
        line
        for line in lines[: region.start]
        if (verdict := article.verdicts.get(line.number)) is None or verdict.rule == "BDY001"
    ]

    candidates: list[Line] = []
    split_byline: Line | None = None  # the name line under a lone "By"
    for position, line in enumerate(header):
        following = header[position + 1] if position + 1 < len(header) else None
        if line is split_byline:
            continue
        if (
            not article.authors
            and _LONE_BY.match(line.text.strip())
            and following is not None
            and (authors := _bare_names(following))
        ):
            article.authors = authors
            relabel(line, "MET004")
            relabel(following, "MET004")
            split_byline = following
        elif not article.authors and (authors := byline_authors(line.text)):
            article.authors = authors
            relabel(line, "MET004")
            if article.date is None:
                article.date = dateline_date(line.text, language)
        elif date := dateline_date(line.text, language):
            article.date = article.date or date
            relabel(line, "MET005")
        elif not _MARKUP_TAG.search(line.text):
            candidates.append(line)

    headline: Line | None = None
    if candidates and (split := _page_title_split(candidates[0], candidates[1:])):
        headline, article.sitename = split
        relabel(candidates[0], "MET006")
        candidates = candidates[1:]
    elif (
        len(candidates) > 1
        and (site := _SITE_SUFFIX.search(candidates[0].text))
        and len(site.group("site").split()) <= _SITE_NAME_WORDS
    ):
        # A first line "Some title | Site Name" above other lines is the page's <title>.
        article.sitename = site.group("site")
        relabel(candidates[0], "MET006")
        candidates = candidates[1:]
    window = _header_window(candidates)
    if headline is None:
        headline = next((line for line in window if line.words >= 5), None) or next(
            (line for line in window if line.words >= 2), None
        )
    if headline is not None:
        article.title = headline.text
        relabel(headline, "MET001")
        position = window.index(headline) if headline in window else None
        if position is not None:
            for kicker in window[:position][-1:]:
                if kicker.words <= 4:
                    relabel(kicker, "MET003")
            below = window[position + 1 : position + 1 + _BYLINE_REACH]
            if below and _page_title_block(headline, below[0], lines):
                # "Headline" and "Site Name" on two lines, the page's <title> before the page.
                article.sitename = article.sitename or below[0].text
                relabel(below[0], "MET006")
                below = []
            # A bare name under the headline (or its deck) is the byline without its "By"; a
            # capitalised line above the headline is a kicker or section label ("Business
            # News"), never an author.
            if not article.authors:
                for line in below:
                    if authors := _bare_names(line):
                        article.authors = authors
                        relabel(line, "MET004")
                        below = below[: below.index(line)]
                        break
            deck = below[0] if below else None
            if deck is not None and deck.words >= 4:
                article.subtitle = deck.text
                relabel(deck, "MET002")


def _label_body_head(
    article: Article, region: Region, relabel: Callable[[Line, str], None]
) -> None:
    """A byline or dateline among the body's first lines, under a deck long enough to pass for
    prose ("There are more devices than ever. Here's how to choose.", "By Jane Roe", "Nov. 19,
    2019 8:03 am ET"): the body starts after it. The deck becomes the subtitle and what stands
    between (a caption, the byline's outlet or handle) goes with the header as BDY001."""
    language = article.language.code
    head = [
        line
        for line in article.lines[region.start : region.end]
        if line.number not in article.verdicts
    ][:_BODY_HEAD_LINES]
    roles: dict[int, str] = {}
    for position, line in enumerate(head):
        following = head[position + 1] if position + 1 < len(head) else None
        if authors := byline_authors(line.text):
            roles[position] = "MET004"
            article.authors = article.authors or authors
            article.date = article.date or dateline_date(line.text, language)
        elif _LONE_BY.match(line.text.strip()) and following and _bare_names(following):
            # "By" on a line of its own, the names on the next.
            roles[position] = roles[position + 1] = "MET004"
            article.authors = article.authors or _bare_names(following)
        elif (
            position not in roles
            and len(line.text) <= _DATELINE_CHARS  # no dateline: not searched for a time
            and (
                _CLOCK_TIME.search(line.text)
                or _DATE_WORDS.search(line.text)
                or roles.get(position - 1) == "MET004"
            )
            and (date := dateline_date(line.text, language))
        ):
            # A publication time stamp (or a date right under the byline), not a date the
            # article or an embedded post mentions.
            roles[position] = "MET005"
            article.date = article.date or date
    if not roles or min(roles) > _BODY_HEAD_ABOVE or min(roles) == 0:
        return
    first, last = min(roles), max(roles)
    if any(line.words > _DECK_WORDS for line in head[:first]):
        return
    # With no headline found above the body, the unpunctuated line right above the byline is
    # the headline, and what stands above it (a promo, a caption) is no deck.
    above = head[first - 1]
    headline_at = (
        first - 1
        if article.title is None
        and 2 <= above.words <= _BODY_HEADLINE_WORDS
        and not above.text.rstrip().endswith(_SENTENCE_ENDS)
        else None
    )
    for position, line in enumerate(head[: last + 1]):
        if position in roles:
            relabel(line, roles[position])
        elif position == headline_at:
            article.title = line.text
            relabel(line, "MET001")
        elif position == 0 and headline_at is None and article.subtitle is None and line.words >= 4:
            article.subtitle = line.text
            relabel(line, "MET002")
        else:
            relabel(line, "BDY001")
