"""Language stage: which language the document is in, detected on a bounded sample."""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from itertools import accumulate
from types import FrameType

from langdetect import DetectorFactory
from langdetect.detector_factory import PROFILES_DIRECTORY
from langdetect.lang_detect_exception import LangDetectException
from langdetect.utils.ngram import NGram

from cleaner.model import Language, Line

# langdetect is slow on long input and random by default; a seeded factory and a sample of the
# longest lines keep it fast and deterministic. It averages several random trials by default: a
# few hundred characters of the longest lines (some fifty words of prose) and one trial find the
# same language as a longer sample and the default trials, except on a page in two languages,
# in a fraction of the time.
DetectorFactory.seed = 0
SAMPLE_CHARS = 300
TRIALS = 1


def sample_for_detection(lines: Sequence[Line], limit: int = SAMPLE_CHARS) -> str:
    """The longest lines first (prose rather than menus), up to `limit` characters."""
    # Only the longest lines can be taken: those at least as long as the shortest one that the
    # sample needs, found from the lengths alone, are sorted.
    lengths = sorted((len(line.text) for line in lines), reverse=True)
    shortest = next(
        (
            length
            for length, upto in zip(lengths, accumulate(lengths), strict=True)
            if upto >= limit
        ),
        0,
    )
    longest = [line for line in lines if len(line.text) >= shortest]
    chosen: list[str] = []
    total = 0
    for line in sorted(longest, key=lambda line: (-len(line.text), line.number)):
        if total >= limit:
            break
        chosen.append(line.text[: limit - total])
        total += len(chosen[-1])
    return "\n".join(chosen)


def detect_language(lines: Sequence[Line]) -> Language:
    return _detect_sample(sample_for_detection(lines))


# An HTML page's text-mode opinion and its final line stages read the same longest lines: the
# second detection of a sample is the first one's result.
@lru_cache(maxsize=1)
def _detect_sample(sample: str) -> Language:
    if not any(ch.isalpha() for ch in sample):
        return Language(None, None)
    detector = language_profiles().create()
    detector.n_trial = TRIALS
    detector.append(sample)
    known = detector.word_lang_prob_map
    detector._extract_ngrams = lambda: extract_ngrams(detector.text, known)
    try:
        best = detector.get_probabilities()[0]
    except (LangDetectException, IndexError):
        return Language(None, None)
    code = best.lang.split("-")[0]  # zh-cn / zh-tw -> zh
    return Language(code, round(best.prob, 4))


class _Normalised(dict):
    """Each character as langdetect's n-grams see it (`NGram.normalize`), filled as characters
    come; a table for `str.translate`."""

    def __missing__(self, char: int) -> str:
        normal = self[char] = NGram.normalize(chr(char))
        return normal


_NORMALISED = _Normalised()
# The profiles, and the n-grams of each word seen with them. Prose repeats its words ("the",
# "and", "die"), and a word's n-grams do not depend on what stands around it. Replaced whole
# when full (so that a long run does not keep every word it met) or for other profiles: one
# assignment, which a thread running beside it sees either before or after.
_WORD_NGRAMS: tuple[dict[str, list[float]] | None, dict[str, list[str]]] = (None, {})
WORD_CACHE_SIZE = 1 << 16


def clear_word_cache() -> None:
    """Forget the n-grams of the words seen, and the last sample's language (the benchmark
    times rounds that start afresh)."""
    global _WORD_NGRAMS
    _WORD_NGRAMS = (None, {})
    _detect_sample.cache_clear()


def extract_ngrams(text: str, known: dict[str, list[float]]) -> list[str]:
    """The n-grams of `text` that langdetect's profiles know, in order: the same list as
    `Detector._extract_ngrams`, which ran a method call per character and half its time.

    `NGram.add_char` starts afresh after each space (a character it normalises to one): the
    n-grams of a text are those of its words, each with the space that ends it. So the text is
    normalised at once, cut at its spaces, and each word's n-grams are found once (`_scan`)."""
    global _WORD_NGRAMS
    profiles, cache = _WORD_NGRAMS
    if profiles is not known or len(cache) > WORD_CACHE_SIZE:
        profiles, cache = _WORD_NGRAMS = (known, {})
    *words, last = text.translate(_NORMALISED).split(" ")
    words = [word + " " for word in words if word]
    if last:
        words.append(last)  # no space after it: no n-gram ends in one
    found: list[str] = []
    for word in words:
        ngrams = cache.get(word)
        if ngrams is None:
            ngrams = cache[word] = _scan(word, known)
        found += ngrams
    return found


def _scan(normalised: str, known: dict[str, list[float]]) -> list[str]:
    """The known n-grams of an already normalised text, following `NGram.add_char` step by
    step from its initial state (the one after a space)."""
    found: list[str] = []
    grams = " "  # the last three characters, reset after a space
    capital = False  # inside a word in capitals: its n-grams say nothing of the language
    for normal in normalised:
        last = grams[-1]
        if last == " ":
            capital = False
            if normal == " ":
                continue
            grams = " " + normal
        else:
            grams = grams[-2:] + normal if len(grams) >= 3 else grams + normal
        capital = normal.isupper() and (capital or last.isupper())
        if capital:
            continue
        if normal != " " and normal in known:
            found.append(normal)
        if len(grams) >= 2:
            if grams[-2:] in known:
                found.append(grams[-2:])
            if len(grams) == 3 and grams in known:
                found.append(grams)
    return found


@lru_cache(maxsize=1)
def language_profiles() -> DetectorFactory:
    """langdetect's language profiles, loaded once (as its own `detect` does).

    Its loader turns any exception, Ctrl-C's included, into a "profile format error", so
    Ctrl-C is held back while it runs (less than a second) and acted on right after."""
    factory = DetectorFactory()
    with _sigint_held():
        factory.load_profile(PROFILES_DIRECTORY)
    return factory


@contextmanager
def _sigint_held() -> Iterator[None]:
    """Ctrl-C is noted, not acted on, until the block ends; then the handler that was in place
    gets it. (A signal mask would not do: another thread may receive the signal.)"""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread runs signal handlers: nothing can interrupt this one
        return
    noted: list[FrameType | None] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: noted.append(frame))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if noted and callable(previous):
            previous(signal.SIGINT, noted[0])
        elif noted and previous == signal.SIG_DFL:
            os.kill(os.getpid(), signal.SIGINT)
