"""Every rule's examples, and the loader's refusal of broken packs."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaner.model import Line
from cleaner.rules.loader import (
    CodeFilter,
    RuleMatcher,
    RulePackError,
    example_failures,
    load_pack,
    load_rules,
)

RULES = load_rules()


def test_packs_cover_the_debris_categories():
    categories = {rule.category for rule in RULES}
    assert {
        "navigation", "social", "promotion", "sponsored", "icons", "legal", "related", "captions",
        "comments",
    } <= categories  # fmt: skip


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.code)
def test_rule_examples(rule):
    """Line rules match example lines; selector rules match example HTML fragments."""
    assert example_failures(rule) == []


def test_end_markers_drop_the_rest():
    actions = {rule.action for rule in RULES if rule.category == "related" and not rule.selectors}
    assert actions == {"drop-rest"}


def test_selector_rules_never_match_text_lines():
    selector_rules = [rule for rule in RULES if rule.selectors]
    assert {rule.action for rule in selector_rules} == {"drop-element"}
    assert not any(rule.matches("svg") or rule.matches("comments") for rule in selector_rules)


def test_languages_restrict_a_rule():
    restricted = next(rule for rule in RULES if rule.languages)
    example = restricted.examples_match[0]
    assert all(restricted.matches(example, language) for language in restricted.languages)
    assert restricted.matches(example, None)  # unknown language: every rule applies
    other = next(code for code in ("en", "fr", "ja") if code not in restricted.languages)
    assert not restricted.matches(example, other)


def test_the_matcher_reports_the_first_matching_rule():
    lines = [Line(1, "Back to top", 0), Line(2, "The council met on Monday to vote.", 1)]
    hits = RuleMatcher(RULES).apply(lines, "en")
    assert set(hits) == {1}
    assert hits[1].rule == "NAV001"


@pytest.mark.parametrize("language", [None, "en", "de", "fr", "ja"])
def test_the_matcher_agrees_with_trying_each_rule_in_order(language):
    texts = sorted({t for rule in RULES for t in (*rule.examples_match, *rule.examples_no_match)})
    lines = [Line(number, text, 0) for number, text in enumerate(texts, start=1)]
    hits = RuleMatcher(RULES).apply(lines, language)
    for line in lines:
        first = next((rule.code for rule in RULES if rule.matches(line.text, language)), None)
        assert (hits[line.number].rule if line.number in hits else None) == first, line.text


def test_patterns_that_cannot_be_joined_still_match(tmp_path):
    """Backreferences (a group number means another pattern's group once joined) and global
    inline flags keep a rule out of the matcher's screen; it must still match."""
    path = write(
        tmp_path,
        """
category: test
rules:
  - code: TST001
    description: A doubled word.
    patterns: [{regex: '(read) on'}, {regex: '(\\w+) \\1'}]
    examples: {match: ["Bingo bingo"]}
  - code: TST002
    description: A global inline flag.
    patterns: [{regex: '(?s)x.y'}]
    examples: {match: ["x y"]}
""",
    )
    rules = load_rules([path])
    lines = [Line(1, "Bingo bingo", 0), Line(2, "x y", 0), Line(3, "The council met.", 0)]
    hits = RuleMatcher(rules).apply(lines, "en")
    assert {number: hit.rule for number, hit in hits.items()} == {1: "TST001", 2: "TST002"}


@pytest.mark.parametrize(
    ("select", "ignore", "code", "enabled"),
    [
        (("ALL",), (), "NAV001", True),
        (("ALL",), ("NAV",), "NAV001", False),
        (("ALL",), ("NAV",), "SOC001", True),
        (("NAV",), (), "SOC001", False),
        (("ALL",), ("NAV",), "NAV", False),
        (("NAV001",), ("NAV",), "NAV001", True),  # the more specific prefix wins
        (("NAV",), ("NAV001",), "NAV001", False),
        (("NAV",), ("NAV001",), "NAV002", True),
    ],
)
def test_code_filter(select, ignore, code, enabled):
    assert CodeFilter(select, ignore).enabled(code) is enabled


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "pack.yaml"
    path.write_text(text, encoding="utf-8")
    return path


GOOD_RULE = """
category: test
rules:
  - code: TST001
    description: A test rule.
    patterns: [{literal: "read more"}]
    examples: {match: ["Read more"]}
"""


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("category: [unclosed", "YAML"),
        ("- just a list", "must be a mapping"),
        (GOOD_RULE + "colour: red\n", "unknown field(s) colour"),
        (GOOD_RULE.replace("TST001", "tst1"), "code must look like NAV001"),
        (GOOD_RULE.replace('literal: "read more"', 'regex: "(unclosed"'), "invalid regex"),
        (GOOD_RULE.replace("literal:", "scope: middle, literal:"), "scope must be one of"),
        (GOOD_RULE.replace("    description: A test rule.\n", ""), "description"),
        (GOOD_RULE.replace('{match: ["Read more"]}', "{}"), "examples.match"),
        (GOOD_RULE + "    action: explode\n", "action must be one of"),
        (GOOD_RULE + "    speed: 3\n", "rule TST001: unknown field(s) speed"),
        (GOOD_RULE + "    selectors: [aside]\n", "either `patterns` (text) or `selectors`"),
        (
            GOOD_RULE.replace('patterns: [{literal: "read more"}]', 'selectors: ["div[class="]'),
            "invalid selector",
        ),
        (
            GOOD_RULE.replace('patterns: [{literal: "read more"}]', "selectors: [aside]")
            + "    action: drop-rest\n",
            "action must be one of drop-element",
        ),
    ],
)
def test_broken_pack_is_rejected_naming_file_and_problem(tmp_path, text, problem):
    path = write(tmp_path, text)
    with pytest.raises(RulePackError) as caught:
        load_pack(path)
    message = str(caught.value)
    assert str(path) in message
    assert problem in message
    assert "\n" not in message


def test_duplicate_codes_across_packs_are_rejected(tmp_path):
    (tmp_path / "a.yaml").write_text(GOOD_RULE, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(GOOD_RULE, encoding="utf-8")
    with pytest.raises(RulePackError, match="TST001: duplicate code"):
        load_rules([tmp_path], builtin=False)


def test_user_pack_clashing_with_builtin_code_is_rejected(tmp_path):
    write(tmp_path, GOOD_RULE.replace("TST001", RULES[0].code))
    with pytest.raises(RulePackError, match="duplicate code"):
        load_rules([tmp_path])


def test_user_pack_is_added(tmp_path):
    write(tmp_path, GOOD_RULE)
    rules = load_rules([tmp_path])
    assert len(rules) == len(RULES) + 1
    assert rules[-1].matches("» Read more")
    assert not rules[-1].matches("Nobody wanted to read more reports.")
