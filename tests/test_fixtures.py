"""Golden test: every text fixture cleans to its expected record: the hand-written fields and
the removed lines with the exact codes that removed them.

`removed` in the expected files is written by `python tests/regenerate_golden.py --write`, a
deliberate act after reading the differences the script prints without `--write`.
"""

from __future__ import annotations

from collections import Counter

import pytest

from helpers import TEXT_GOLDEN, clean_golden, fixture_id, read_expected, removed_lines

FIELDS = ("text", "title", "subtitle", "author", "authors", "language")


def test_corpus_covers_languages():
    per_language = Counter(path.parent.name for path in TEXT_GOLDEN)
    assert len(TEXT_GOLDEN) >= 30
    assert per_language["en"] >= 10
    assert sum(1 for language, count in per_language.items() if language != "en" and count) >= 3


@pytest.mark.parametrize("path", TEXT_GOLDEN, ids=fixture_id)
def test_fixture_cleans_to_expected(cleaner, validate_record, path):
    expected = read_expected(path)
    record = validate_record(clean_golden(cleaner, path))
    assert {field: record[field] for field in FIELDS} == {
        field: expected[field] for field in FIELDS
    }
    assert removed_lines(record) == expected["removed"]
