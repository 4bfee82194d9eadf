"""The rule screen's reading of regex sources: it may let through lines no rule matches, but
must never hold back one that a rule matches."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.model import Line
from cleaner.pipeline.decode import normalise_text
from cleaner.pipeline.segment import segment
from cleaner.rules import screen as prefilter
from cleaner.rules.loader import (
    PREFIX_CHARS,
    RuleMatcher,
    _finder,
    load_rules,
    match_key,
    required_factors,
)

RULES = load_rules()
ROOT = Path(__file__).resolve().parents[1]
LINE_PATTERNS = [
    pattern for rule in RULES for pattern in rule.patterns if pattern.joinable() is not None
]
MATCHER = RuleMatcher(RULES)
EXAMPLES = sorted({t for rule in RULES for t in (*rule.examples_match, *rule.examples_no_match)})


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("a|b", ["a", "b"]),
        ("(?:a|b)", ["a", "b"]),
        ("(?:read|see) (?:more|also)", ["(?:read) (?:more|also)", "(?:see) (?:more|also)"]),
        ("(?:the )?(?:a|b)c", ["(?:the )(?:a|b)c", "(?:a)c", "(?:b)c"]),
        (r"(?<!\w)(?:x|y)z", [r"(?<!\w)(?:x)z", r"(?<!\w)(?:y)z"]),
        ("(a|b)c", ["(a|b)c"]),  # a capturing group is not copied
        ("(?:a|b)+c", ["(?:a|b)+c"]),
        (r"[|(]x|\|y", [r"[|(]x", r"\|y"]),  # a bar in a class or escaped does not split
    ],
)
def test_phrases(source, expected):
    assert prefilter.phrases(source) == expected


@pytest.mark.parametrize(
    ("source", "prefixes"),
    [
        ("(?:the )?related (?:news|stories)", {"the re", "relate"}),
        (r"(?<!\w)back to top(?!\w)", {"back t"}),
        ("menu", {"menu"}),
        ("(?:más )?sobre", {"m\x80s so", "sobre"}),  # "á" stands for any non-ASCII character
        ("x+y", {"x"}),
        (r"\(c\)", {"(c)"}),
        ("a{0,2}b", None),
        (r"\d+ min read", None),
        ("[ab]c", None),
        ("a|", None),
        ("ſign", None),  # the long s matches "s": it cannot stand for a non-ASCII character
    ],
)
def test_literal_prefixes(source, prefixes):
    found = prefilter.literal_prefixes(source, 6)
    assert (set(found) if found is not None else None) == prefixes


@pytest.mark.parametrize(
    ("source", "factors"),
    [
        (r"(?<![a-z] )created with sketch", {"created with sketch"}),
        ("(?:him|her) at home", {" at home"}),
        ("(?:ab|cd) channel", {" channel"}),  # the longest required piece
        ("(?:canal|channel) (?:de |on )?(?:whatsapp|telegram)", {"whatsapp", "telegram"}),
        (r"\S\s+\(?(?:©|\(c\))", {"©", "(c)"}),  # a caseless character stands for itself
        (r"\s(?:é|\(c\))", None),  # "é" may be "É" in the key
        ("ab+c", None),  # nothing of three characters is required
        # A class that lists its characters requires one of them: a lone "»" or ">" is worth
        # screening for, where a space or a comma, which most lines hold, is not.
        (r"\w+ [>»/] \w+", {">", "»", "/"}),
        (r"\w+ [\-|] \w+", None),
        (r"\w+ [,;] \w+", None),
        (r"\w+ [^>»] \w+", None),  # negated: any other character
        (r"\w+ [<-@] \w+", None),  # a range
    ],
)
def test_required_factors(source, factors):
    found = prefilter.required_factors(source)
    assert (set(found) if found is not None else None) == factors


@pytest.mark.parametrize(
    ("literals", "text", "found"),
    [
        # Overlapping literals and literals inside others are all found.
        (["ab", "abc", "bca", "b", "xyz"], "xabcab", {"abc", "ab", "bca", "b"}),
        (["a.b", "(c)"], "a.b axb (c) c", {"a.b", "(c)"}),  # no regex: "." is a dot
        (["mail", "e-mail", "mail on"], "e-mail on", {"mail", "e-mail", "mail on"}),
        (["©", "é"], "© 2024 café", {"©", "é"}),
        (["xyz"], "nothing here", set()),
        ([], "anything", set()),
    ],
)
def test_finder_reports_every_literal_the_key_holds(literals, text, found):
    assert _finder([frozenset(literals)])(text) == found


def test_fold_follows_the_regex_case_rules():
    assert prefilter.fold("ſIGN İstanbul \u212aelvin Été") == "sign istanbul kelvin Été"
    assert prefilter.prefix_form("Más ſí") == "m\x80s s\x80"


# Text a pattern may meet: pieces of the rule examples, in changed case, among characters
# with unusual case rules and non-ASCII letters.
_tricky = st.sampled_from(list("ſ\u212aıİéÉßẞµΜσςΣ©»•  \t.-|:ab1"))
_piece = st.sampled_from(EXAMPLES).map(lambda text: text[: len(text) // 2 + 3])
_chunk = st.one_of(_piece, _piece.map(str.upper), _piece.map(str.swapcase), _tricky)
_texts = st.lists(_chunk, min_size=1, max_size=4).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(LINE_PATTERNS), st.one_of(st.sampled_from(EXAMPLES), _texts))
def test_a_match_always_passes_the_screen(pattern, text):
    key = match_key(text)
    if not pattern.matches(key):
        return
    if pattern.scope == "contains":
        factors = required_factors(pattern.regex.pattern)
        assert factors is None or any(f in prefilter.fold(key) for f in factors)
        return
    head = prefilter.prefix_form(key[:PREFIX_CHARS])
    for branch, prefixes in pattern.phrases():
        if re.match(branch, key):
            assert prefixes is None or any(head.startswith(p) for p in prefixes)
            factors = required_factors(branch)
            assert factors is None or any(f in prefilter.fold(key) for f in factors)
            return
    pytest.fail(f"no phrase of {pattern.regex.pattern!r} matches {key!r}, but the pattern does")


def _first_rule_in_order(text: str, language: str | None) -> str | None:
    return next((rule.code for rule in RULES if rule.matches(text, language)), None)


@settings(max_examples=300, deadline=None)
@given(_texts, st.sampled_from([None, "en", "de", "fr"]))
def test_matcher_agrees_with_trying_each_rule_in_order(text, language):
    hit = MATCHER.first_match(match_key(text), len(text.split()), language)
    assert (hit.code if hit else None) == _first_rule_in_order(text, language)


def test_matcher_agrees_on_every_fixture_and_seed_line():
    paths = [*(ROOT / "fixtures").rglob("*.txt"), *(ROOT / "seeds").glob("*.txt")]
    lines: list[Line] = []
    for path in paths:
        lines += segment(normalise_text(path.read_text(encoding="utf-8")))
    assert len(lines) > 1000
    for line in lines:
        hit = MATCHER.first_match(match_key(line.text), line.words, "en")
        assert (hit.code if hit else None) == _first_rule_in_order(line.text, "en"), line.text
