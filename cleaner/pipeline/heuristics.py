"""Heuristic stage: score each line's likeness to article prose.

The features are the ones that separate prose from page furniture on any site: length, a
sentence ending, the share of stop words of the document's language, title-case runs (menus,
link lists) and glued camel-case words (icon names). The decision stage turns the scores into
an article region.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import justext
import regex

from cleaner.model import Line

# ISO 639-1 codes to the names of jusText's stop-word lists.
_STOPLIST_NAMES = {
    "af": "Afrikaans", "ar": "Arabic", "bg": "Bulgarian", "ca": "Catalan", "cs": "Czech",
    "cy": "Welsh", "da": "Danish", "de": "German", "el": "Greek", "en": "English",
    "es": "Spanish", "et": "Estonian", "eu": "Basque", "fa": "Persian", "fi": "Finnish",
    "fr": "French", "ga": "Irish", "gl": "Galician", "he": "Hebrew", "hi": "Hindi",
    "hr": "Croatian", "hu": "Hungarian", "id": "Indonesian", "is": "Icelandic", "it": "Italian",
    "ko": "Korean", "lt": "Lithuanian", "lv": "Latvian", "mk": "Macedonian", "ms": "Malay",
    "nl": "Dutch", "no": "Norwegian_Bokmal", "pl": "Polish", "pt": "Portuguese",
    "ro": "Romanian", "ru": "Russian", "sk": "Slovak", "sl": "Slovenian", "sq": "Albanian",
    "sr": "Serbian", "sv": "Swedish", "sw": "Swahili", "tl": "Tagalog",
    "tr": "Turkish", "uk": "Ukrainian", "ur": "Urdu", "vi": "Vietnamese",
}  # fmt: skip

_WORD = re.compile(r"\w+")
# Scripts written without spaces between words: count characters, not tokens.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\u0e00-\u0e7f]")
# Words (\w+ runs) that begin with a digit or an underscore, and those that begin with a capital.
_NON_ALPHA_START = re.compile(r"\b[\d_]")
_DIGIT_OR_UNDERSCORE = re.compile(r"[\d_]")  # found faster: most lines have none
_UPPER_START = regex.compile(r"\b\p{Lu}")
_CAMEL_JOIN = re.compile(r"[a-z][A-Z]")
# A commenter's line ends in "said..." or "wrote:", which rules cannot see (they match the line
# without its closing punctuation); a comment's time line names a clock time.
_COMMENTER = re.compile(
    r"(?:said|says|wrote|writes|commented|replied|schrieb|a dit|a écrit|dijo|escribió|"
    r"ha scritto|disse|escreveu|zei|schreef|napisał|napisała)(?: (?:on|at|am|le|el|il|em|op)\b"
    r"[^:]{0,40})?(?:\.{2,}|…|:|,)$",
    re.IGNORECASE,
)
_CLOCK = re.compile(r"(?<![\d:.])\d{1,2}:\d{2}(?::\d{2})?\s?(?:[ap]\.?m\b|uhr\b)?", re.IGNORECASE)
# What a line that _COMMENTER matches ends in: a cheap test that spares the search on the rest.
_COMMENTER_ENDS = ("..", "…", ":", ",")
COMMENT_META_WORDS = 12
ITEM_CAPITALISED = 0.5
_SENTENCE_END = ".!?。！？…:;"
_CLOSERS = "\"'”’»)]）」』"


# The weights and thresholds below are fitted on labelled pages by `bench/fit_text.py`, which
# writes this file; they are never tuned by hand.
WEIGHTS_FILE = Path(__file__).resolve().parent / "line_weights.json"


@dataclass(frozen=True)
class LineWeights:
    """What makes a line prose and how much each kind of line counts for the article region."""

    prose_min_words: int  # a prose line has at least this many words...
    run_on_words: int  # ...and a sentence end, or this many words
    min_stopword_share: float  # prose is made of function words; menus and lists are not
    max_capitalised: float  # title-case runs are menus and link lists
    furniture: float  # the score of a line that is not prose (a menu item, a heading)
    isolated_prose: float  # the weight of a prose line with no prose neighbour
    comment_run: int  # this many comment lines (names, times, votes) close together end the body
    item: float  # the score of a list item: a short line of mostly lower-case words

    @classmethod
    def from_json(cls, text: str) -> LineWeights:
        data = json.loads(text)
        names = {field.name for field in fields(cls)}
        if set(data) != names:
            raise ValueError(f"line weights must have exactly the fields {sorted(names)}")
        return cls(**data)

    def to_json(self) -> str:
        return (
            json.dumps({field.name: getattr(self, field.name) for field in fields(self)}, indent=2)
            + "\n"
        )


WEIGHTS = LineWeights.from_json(WEIGHTS_FILE.read_text(encoding="utf-8"))


@lru_cache(maxsize=64)
def stopwords(language: str | None) -> frozenset[str]:
    """jusText's stop-word list for an ISO 639-1 code, empty when it has none."""
    name = _STOPLIST_NAMES.get(language or "")
    return justext.get_stoplist(name) if name else frozenset()


class LineFeatures(NamedTuple):
    """What the decision reads of a line. A named tuple: one is built for every distinct line
    of a corpus, in half the time of a frozen dataclass."""

    words: int  # tokens; for CJK and Thai, characters / 2
    sentence_end: bool
    stopword_share: float | None  # None when the language has no stop-word list
    capitalised_share: float
    camel_joins: int  # "IconFacebookIconTwitter": lower-to-upper joins inside words
    commenter: bool = False  # a comment's name line: "Jane Roe said...", "Sam wrote:"
    timestamp: bool = False  # a short line with a clock time: "May 3, 2012 4:45 PM"

    @property
    def closing_sentence(self) -> bool:
        """A short full sentence: several words ending in terminal punctuation."""
        return self.sentence_end and self.words >= 3 and self.camel_joins == 0

    @property
    def list_item(self) -> bool:
        """A short line of mostly lower-case words ("2 cups of flour", "Lunch: lentil soup"):
        an item of a list inside the article, where menus and link lists are in title case."""
        return (
            self.words >= 2 and self.capitalised_share <= ITEM_CAPITALISED and not self.camel_joins
        )

    def prose(self, weights: LineWeights = WEIGHTS) -> bool:
        """Reads like a sentence of running text."""
        if self.words < weights.prose_min_words or (
            not self.sentence_end and self.words < weights.run_on_words
        ):
            return False
        if self.stopword_share is not None and self.stopword_share < weights.min_stopword_share:
            return False
        return self.capitalised_share < weights.max_capitalised


def line_features(text: str, stoplist: frozenset[str]) -> LineFeatures:
    """Counted with whole-line regex passes: this runs on every distinct line of a corpus."""
    lowered = text.lower()
    tokens = _WORD.findall(lowered)
    words = len(text.split())
    if not text.isascii() and _UNSPACED.search(text):
        unspaced = len(_UNSPACED.findall(text))
        if unspaced > len(text) / 3:
            words = max(words, unspaced // 2)
    stripped = text.rstrip(_CLOSERS)
    sentence_end = bool(stripped) and stripped[-1] in _SENTENCE_END
    alpha = len(tokens)
    if _DIGIT_OR_UNDERSCORE.search(text):
        alpha -= len(_NON_ALPHA_START.findall(text))
    capitalised = len(_UPPER_START.findall(text)) / alpha if alpha else 0.0
    stopword_share = None
    if stoplist and tokens:
        stopword_share = sum(map(stoplist.__contains__, tokens)) / len(tokens)
    short = words <= COMMENT_META_WORDS
    # Positional, in the order of the fields: a named tuple is built faster so than by keywords.
    return LineFeatures(
        words,
        sentence_end,
        stopword_share,
        capitalised,
        len(_CAMEL_JOIN.findall(text)),  # camel_joins
        short and _commenter(text),  # commenter
        short and ":" in text and _CLOCK.search(text) is not None,  # timestamp
    )


def _commenter(text: str) -> bool:
    return text.rstrip("\n").endswith(_COMMENTER_ENDS) and _COMMENTER.search(text) is not None


def score_lines(lines: Sequence[Line], language: str | None) -> list[LineFeatures]:
    return [line_features_cached(line.text, language) for line in lines]


@lru_cache(maxsize=1 << 15)
def line_features_cached(text: str, language: str | None) -> LineFeatures:
    """Menus and footers repeat on every page of a site: their features are computed once."""
    return line_features(text, stopwords(language))
