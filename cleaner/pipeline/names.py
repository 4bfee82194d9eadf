"""Names in bylines and author fields: what is a person's or an organisation's name, and what
is a role, a date, a lead-in or a generic credit around it.

Shared by the HTML metadata (`page_metadata.py`) and the text-mode header (`metadata.py`), so
that a byline reads the same whichever way the page came in.
"""

from __future__ import annotations

import re

# A lead-in before the names: "By", "Written by", "Von", "Par", "Por", an author box's "About".
BYLINE_LEAD = re.compile(
    r"^(?:(?:written|words|reporting|text|story|posted|published|photos?)\s+)?"
    r"(?:by|von|par|por|di|door|przez)\s*:?\s+|^[^\W\d_]+\s*:\s*"  # or one word and a colon
    r"|^about\s+(?=[^\W\d_])",
    re.I,
)
# Where a name ends: a verb ("is a reporter"), a date or time, "Published", a separator.
_NAME_END = re.compile(
    r"\s+(?:is|was|has|writes|covers|reports)\s+.*$"
    r"|\s+(?:published|updated|posted|last\s+updated|on|at|in|publiziert|veröffentlicht|"
    r"aktualisiert|publié|mis à jour|publicado|actualizado|pubblicato|aggiornato)\b.*$"
    r"|\s*(?:[|•·@(\[/]|\s[-–—]\s|\d).*$"
    r"|\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b.*$"
    r"|\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d.*$"
    r"|(?<=\w\w\w)\.\s.*$",  # "Jane Roe. Site Name" (an initial's full stop stays)
    re.I,
)
# Between several names: "Jane Roe and John Poe", "Jane Roe, John Poe", "Roe; Poe".
_NAME_SEPARATOR = re.compile(r"\s*(?:;|,|&|\+|\b(?:and|AND|And|und|et|y|e)\b)\s*")
# The particles of a name ("Ana de la Cruz", "Ludwig van Beethoven") are its only lower-case words.
_PARTICLES = frozenset(
    {"van", "von", "der", "den", "de", "da", "del", "della", "di", "du", "la", "le", "bin", "al",
     "el", "dos", "das", "ter", "ten"}
)  # fmt: skip
# Credits that name nobody in particular.
GENERIC_CREDITS = frozenset(
    {
        "admin", "administrator", "staff", "editor", "editors", "editorial", "guest", "author",
        "redaktion", "rédaction", "redacción", "redazione", "team", "desk", "newsroom", "web",
        "webmaster", "user", "anonymous", "contributor", "unknown", "staff writer",
        "staff reporter", "news desk", "web desk", "editorial staff", "editorial team",
    }
)  # fmt: skip
# Words of a role that follows a name after a comma ("Tom Krisher, AP Auto Writer").
ROLE_WORDS = re.compile(
    r"\b(?:writer|reporter|correspondent|editor|columnist|contributor|staff|producer|"
    r"journalist|analyst|critic|photographer|special|senior|chief|associate|managing|"
    r"for|from|with|via)\b",
    re.I,
)
_NAME_WORDS = (1, 5)
# Labels of a page's interface that byline markup holds beside the name ("View Profile").
_INTERFACE_WORDS = frozenset(
    {"view", "profile", "name", "share", "follow", "email", "e-mail", "contact", "bio", "more",
     "posts", "about", "read", "comments", "comment", "subscribe", "login", "sign", "in", "up",
     "search", "menu", "home", "print", "tweet", "like", "all", "articles", "stories", "by"}
)  # fmt: skip
# Links that byline markup puts after the name ("Jane Roe Email Author", "View Profile RSS").
_LINK_LABELS = frozenset(
    {"email", "e-mail", "author", "profile", "view", "rss", "follow", "contact"}
)
# Characters of markup or code, never of a name ("CommentsCounter=0").
_NOT_IN_NAMES = re.compile(r"[@_=<>{}#$%^*+~\\]")
# Calendar words that a byline run together with its date leaves behind ("Owen Monday; November").
_CALENDAR = re.compile(
    r"(?i)^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?$"
    r"|^(?:mon|tues|wednes|thurs|fri|satur|sun)day$"
)


def split_names(raw: str) -> list[str]:
    """The valid names in an author string, lead-ins, roles, dates and sources cut off:
    "By Jane Roe and John Poe | March 3" gives ["Jane Roe", "John Poe"]."""
    raw = " ".join(raw.split())
    if not raw or raw.startswith(("http://", "https://", "www.")):
        return []
    text = _NAME_END.sub("", BYLINE_LEAD.sub("", raw))
    names: list[str] = []
    for number, part in enumerate(_NAME_SEPARATOR.split(text)):
        part = _without_repeat(_without_link_labels(_NAME_END.sub("", part).strip(" .,:;-–—")))
        if ROLE_WORDS.search(part):  # a role after a comma, not a second name
            continue
        if number and len(part.split()) == 1:  # "Jane Roe, Reuters": a place or an outlet
            continue
        if valid_name(part) and part not in names:
            names.append(part)
    return names


def _without_link_labels(part: str) -> str:
    """The name without the link labels that follow it."""
    words = part.split()
    while len(words) > 1 and words[-1].casefold() in _LINK_LABELS:
        words.pop()
    return " ".join(words)


def _without_repeat(part: str) -> str:
    """A name said twice in a row (an author box's heading and its link) said once."""
    words = part.split()
    half = len(words) // 2
    return " ".join(words[:half]) if half and words[:half] == words[half:] else part


def valid_name(name: str) -> bool:
    """A person's or an organisation's name: a few capitalised words (or a name in a script
    without case), no generic credit, no account handle."""
    words = name.split()
    if not _NAME_WORDS[0] <= len(words) <= _NAME_WORDS[1]:
        return False
    if name.casefold() in GENERIC_CREDITS or _NOT_IN_NAMES.search(name):
        return False
    if all(_CALENDAR.match(word) for word in words):
        return False
    if all(word.casefold() in _INTERFACE_WORDS for word in words):
        return False
    if len(words) == 1 and (name.islower() or (name.isupper() and len(name) > 4)):
        return False  # an account handle ("jdoe", "KWCHCIK")
    return _name_word(words[0], first=True) and all(_name_word(word) for word in words)


def _name_word(word: str, first: bool = False) -> bool:
    if not first and word.casefold() in _PARTICLES:
        return True
    letters = [c for c in word if c.isalpha()]
    if not letters or any(c.isdigit() for c in word):
        return False
    lead = letters[0]
    return lead.isupper() or not (lead.islower() or lead.isupper())  # caseless scripts: 정덕현
