"""The prose guard on hand-built lines, and the `guard` field of rule packs."""

from __future__ import annotations

import pytest

from cleaner.model import Line, RuleHit
from cleaner.pipeline.guard import spare_guarded_prose
from cleaner.pipeline.heuristics import score_lines
from cleaner.rules.loader import RulePackError, load_pack

PROSE = (
    "The regional council said on Monday that the new bus routes would start in the spring, "
    "after a long consultation with residents, drivers and the owners of local shops."
)
QUOTE = "“We will not stop until every family has a home,” the mayor told the crowd on Friday."
GUARDED = RuleHit("LRN001", "recurring line", "drop-line", guarded=True)
PLAIN = RuleHit("LRN002", "recurring line", "drop-line")


def spared(texts: list[str], hits: dict[int, RuleHit]) -> set[int]:
    """Line numbers (1-based) whose hits the guard takes back."""
    lines = [Line(number, text, number) for number, text in enumerate(texts, start=1)]
    kept = spare_guarded_prose(lines, score_lines(lines, "en"), hits)
    return set(hits) - set(kept)


def test_a_guarded_prose_line_inside_the_body_is_spared():
    texts = ["Home", PROSE, QUOTE, PROSE, "Contact us"]
    assert spared(texts, {3: GUARDED}) == {3}
    assert spared(texts, {3: PLAIN}) == set()  # an unguarded rule removes it all the same


def test_a_guarded_heading_between_two_paragraphs_is_spared():
    assert spared(["Home", PROSE, "What we know so far", PROSE], {3: GUARDED}) == {3}


def test_guarded_lines_at_the_edges_or_in_a_box_still_go():
    texts = ["Quayside Gazette", PROSE, "Get our app", "Download it now", PROSE, "Gazette 2024"]
    hits = {1: GUARDED, 3: GUARDED, 4: GUARDED, 6: GUARDED}
    assert spared(texts, hits) == set()


def test_lines_removed_by_unguarded_rules_are_not_neighbours():
    # "Advertisement" goes anyway; the heading still stands between two paragraphs.
    texts = [PROSE, "Advertisement", "What we know so far", PROSE]
    assert spared(texts, {2: PLAIN, 3: GUARDED}) == {3}


PACK = """
category: test
rules:
  - code: TST001
    description: A test rule.
    guard: {guard}
    patterns: [{{literal: "quayside gazette"}}]
    examples: {{match: ["Quayside Gazette"]}}
"""


def test_the_guard_field_is_read_and_checked(tmp_path):
    path = tmp_path / "pack.yaml"
    path.write_text(PACK.format(guard="prose"), encoding="utf-8")
    (rule,) = load_pack(path)
    assert rule.guard == "prose"
    path.write_text(PACK.format(guard="always"), encoding="utf-8")
    with pytest.raises(RulePackError, match="rule TST001: guard must be one of prose"):
        load_pack(path)
