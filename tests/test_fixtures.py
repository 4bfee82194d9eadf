"""Golden test: every fixture document cleans to its hand-written expected output."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from cleaner.model import SourceDocument
from conftest import FIXTURES

CASES = sorted(FIXTURES.glob("text/*/*.txt"))


def expected_for(path):
    return json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))


def test_corpus_covers_languages():
    per_language = Counter(path.parent.name for path in CASES)
    assert len(CASES) >= 30
    assert per_language["en"] >= 10
    assert sum(1 for language, count in per_language.items() if language != "en" and count) >= 3


@pytest.mark.parametrize("path", CASES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_fixture_cleans_to_expected(cleaner, validate_record, path):
    expected = expected_for(path)
    record = validate_record(cleaner.clean(SourceDocument(path.name, path.read_bytes(), "text")))
    assert record["text"] == expected["text"]
    assert record["title"] == expected["title"]
    assert record["subtitle"] == expected["subtitle"]
    assert record["author"] == expected["author"]
    assert record["authors"] == expected["authors"]
    assert record["language"] == expected["language"]
