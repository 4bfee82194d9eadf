"""The golden fixtures pin every family of codes: with any one family switched off (as
`--ignore PREFIX` does), some golden fixture no longer matches its expected record."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from cleaner.pipeline.cleaner import Cleaner
from cleaner.rules.loader import CodeFilter, load_rules
from helpers import (
    HTML_GOLDEN,
    TEXT_GOLDEN,
    clean_golden,
    code_families,
    family_of,
    fixture_id,
    golden_differences,
    read_expected,
)

# Families that the shipped packs cannot trigger, so no golden fixture can show them; each has
# the reason, which a test below keeps true, and the test that covers the family instead.
WITHOUT_SHIPPED_TRIGGER = {
    "BLK": "only a rule with `action: drop-block` triggers BLK001, and no shipped pack has one "
    "(tests/test_decide.py covers it with such a rule)",
}


def fixtures_by_family() -> dict[str, list[Path]]:
    """The golden fixtures whose expected `removed` holds a code of each family."""
    found: dict[str, list[Path]] = defaultdict(list)
    for document in [*TEXT_GOLDEN, *HTML_GOLDEN]:
        for family in sorted({family_of(e["rule"]) for e in read_expected(document)["removed"]}):
            found[family].append(document)
    return found


BY_FAMILY = fixtures_by_family()
PINNED = sorted(set(code_families()) - set(WITHOUT_SHIPPED_TRIGGER))


def test_every_family_is_pinned_by_a_golden_fixture():
    assert PINNED, "no code families found"
    assert [family for family in PINNED if family not in BY_FAMILY] == []


def test_families_without_a_fixture_really_have_no_shipped_trigger():
    assert not any(rule.action == "drop-block" for rule in load_rules())
    assert set(WITHOUT_SHIPPED_TRIGGER) <= set(code_families())


@pytest.mark.parametrize("family", PINNED)
def test_switching_a_family_off_breaks_a_golden_fixture(family):
    cleaner = Cleaner(code_filter=CodeFilter(ignore=(family,)))
    candidates = BY_FAMILY[family]
    for document in candidates:
        if golden_differences(clean_golden(cleaner, document), read_expected(document)):
            return
    pytest.fail(f"with {family} off, all of {', '.join(map(fixture_id, candidates))} still match")
