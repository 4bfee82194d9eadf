"""Heuristic stage: score each line's likeness to article prose.

The features are the ones that separate prose from page furniture on any site: length, a
sentence ending, the share of stop words of the document's language, title-case runs (menus,
link lists) and glued camel-case words (icon names). The decision stage turns the scores into
an article region.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import justext

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
_CAMEL_JOIN = re.compile(r"[a-z][A-Z]")
_SENTENCE_END = ".!?。！？…:;"
_CLOSERS = "\"'”’»)]）」』"


@lru_cache(maxsize=64)
def stopwords(language: str | None) -> frozenset[str]:
    """jusText's stop-word list for an ISO 639-1 code, empty when it has none."""
    name = _STOPLIST_NAMES.get(language or "")
    return justext.get_stoplist(name) if name else frozenset()


@dataclass(frozen=True)
class LineFeatures:
    words: int  # tokens; for CJK and Thai, characters / 2
    sentence_end: bool
    stopword_share: float | None  # None when the language has no stop-word list
    capitalised_share: float
    camel_joins: int  # "IconFacebookIconTwitter": lower-to-upper joins inside words

    @property
    def closing_sentence(self) -> bool:
        """A short full sentence: several words ending in terminal punctuation."""
        return self.sentence_end and self.words >= 3 and self.camel_joins == 0

    @property
    def prose(self) -> bool:
        """Reads like a sentence of running text."""
        if self.words < 8 or (not self.sentence_end and self.words < 20):
            return False
        if self.stopword_share is not None and self.stopword_share < 0.15:
            return False
        return self.capitalised_share < 0.6


def line_features(text: str, stoplist: frozenset[str]) -> LineFeatures:
    tokens = _WORD.findall(text)
    unspaced = len(_UNSPACED.findall(text))
    words = len(text.split())
    if unspaced > len(text) / 3:
        words = max(words, unspaced // 2)
    stripped = text.rstrip(_CLOSERS)
    sentence_end = bool(stripped) and stripped[-1] in _SENTENCE_END
    alpha = [t for t in tokens if t[0].isalpha()]
    capitalised = sum(t[0].isupper() for t in alpha) / len(alpha) if alpha else 0.0
    stopword_share = None
    if stoplist and tokens:
        stopword_share = sum(t.lower() in stoplist for t in tokens) / len(tokens)
    return LineFeatures(
        words=words,
        sentence_end=sentence_end,
        stopword_share=stopword_share,
        capitalised_share=capitalised,
        camel_joins=len(_CAMEL_JOIN.findall(text)),
    )


def score_lines(lines: Sequence[Line], language: str | None) -> list[LineFeatures]:
    return [line_features_cached(line.text, language) for line in lines]


@lru_cache(maxsize=1 << 15)
def line_features_cached(text: str, language: str | None) -> LineFeatures:
    """Menus and footers repeat on every page of a site: their features are computed once."""
    return line_features(text, stopwords(language))
