"""The language stage's own n-gram extraction gives langdetect's list, and so its language."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.model import Line
from cleaner.pipeline.language import detect_language, extract_ngrams, language_profiles

TEXTS = [
    "The council approved the budget on Monday after a long debate.",
    "NASA and the FBI said  the UN's   report was LATE, again.",
    "Der Bundesrat hat am Montag über die Änderung abgestimmt.",
    "Tiếng Việt có dấu: Hà Nội, thành phố.",
    "東京都は月曜日に新しい予算を承認した。ひらがな カタカナ",
    "서울시는 월요일에 예산을 승인했다",
    "وافق المجلس على الميزانية یی",
    "Ça coûte 12,50 € — «très» cher… l’été ș ț",
]

_chars = st.sampled_from(list("aAbBzZ  .,-'’éÉşțẠỆ東あアㄅ가یб1\u2014\u00a0\u00d7"))


def langdetect_ngrams(text: str) -> list[str]:
    detector = language_profiles().create()
    detector.append(text)
    detector.cleaning_text()
    return detector._extract_ngrams()


def prepared(text: str) -> tuple[str, dict]:
    detector = language_profiles().create()
    detector.append(text)
    detector.cleaning_text()
    return detector.text, detector.word_lang_prob_map


def test_ngrams_are_langdetects_on_many_scripts():
    for text in TEXTS:
        cleaned, known = prepared(text)
        assert extract_ngrams(cleaned, known) == langdetect_ngrams(text), text


@settings(max_examples=300, deadline=None)
@given(st.lists(_chars, max_size=40).map("".join))
def test_ngrams_are_langdetects_on_any_text(text):
    cleaned, known = prepared(text)
    assert extract_ngrams(cleaned, known) == langdetect_ngrams(text)


def test_languages_are_detected():
    found = [detect_language([Line(1, text, 0)]).code for text in TEXTS[:3]]
    assert found == ["en", "en", "de"]
