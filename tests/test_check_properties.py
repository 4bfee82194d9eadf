"""Fixing is idempotent and stable, shown over generated article files.

A generated file is one fixture's headline and a run of its article paragraphs (the
hand-written expected output), with debris lines from the rule packs' examples for that
language around and between them, in a random encoding, newline style and spacing.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

from cleaner.commands.check import ALWAYS_ON, FileReport, NoArticle, TextFile, check_text
from cleaner.model import SourceDocument
from cleaner.pipeline.cleaner import Cleaner
from cleaner.rules.loader import CodeFilter, load_rules
from helpers import FIXTURES

EXPECTED = [
    json.loads(path.read_text(encoding="utf-8"))
    for path in sorted(FIXTURES.glob("text/*/*.expected.json"))
]
RULES = load_rules()


def debris_for(language: str) -> list[str]:
    """Rule examples that apply in this language: debris a page in it could carry."""
    return sorted(
        {
            example
            for rule in RULES
            if rule.languages is None or language in rule.languages
            for example in rule.examples_match
        }
    )


DEBRIS = {language: debris_for(language) for language in {e["language"] for e in EXPECTED}}
# The lines that a line rule (not an HTML selector rule) matches by its own examples.
LINE_DEBRIS = {example for rule in RULES if not rule.selectors for example in rule.examples_match}
ENCODINGS = {"utf-8": b"", "utf-8-sig": b"", "utf-16": b""}  # the last two write a BOM


@st.composite
def article_file(draw) -> bytes:
    expected = draw(st.sampled_from(EXPECTED))
    paragraphs = expected["text"].split("\n\n")
    # A run of at least three paragraphs, or the whole article when it is shorter.
    size = draw(st.integers(min(3, len(paragraphs)), len(paragraphs)))
    start = draw(st.integers(0, len(paragraphs) - size))
    body = paragraphs[start : start + size]
    junk = st.sampled_from(DEBRIS[expected["language"]])
    lines = draw(st.lists(junk, max_size=4))
    if expected["title"] and draw(st.booleans()):
        lines.append(expected["title"])
    for paragraph in body:
        lines.append(paragraph)
        lines.extend(draw(st.lists(junk, max_size=1)))
    lines.extend(draw(st.lists(junk, max_size=5)))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    gaps = draw(st.lists(st.sampled_from([1, 2]), min_size=len(lines), max_size=len(lines)))
    text = "".join(line + newline * gap for line, gap in zip(lines, gaps, strict=True))
    if not draw(st.booleans()):
        text = text.rstrip("\r\n")
    return text.encode(draw(st.sampled_from(sorted(ENCODINGS))))


SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def checker() -> Cleaner:
    return Cleaner(rules=RULES, code_filter=CodeFilter(always=ALWAYS_ON))


def fixed_report(checker: Cleaner, data: bytes, unsafe: bool = True) -> FileReport:
    """The fix of a generated file, unsafe fixes included (`--unsafe-fixes`). A file in which
    the cleaner finds no article at all (a block rule took the whole run of paragraphs) is
    refused by check and left alone, so it says nothing about fixing and is not counted."""
    try:
        report = check_text(checker, "article.txt", data, fix=True, unsafe=unsafe)
    except NoArticle:
        reject()
    if unsafe:
        assert not report.remaining
    return report


def has_line_debris(file: TextFile) -> bool:
    """Whether the file holds a line that a line rule's own examples say is debris."""
    return any(line.strip() in LINE_DEBRIS for line in file.lines)


def fixed_bytes(checker: Cleaner, data: bytes) -> bytes:
    return fixed_report(checker, data).fixed.to_bytes()


@SETTINGS
@given(article_file())
def test_fixing_twice_is_fixing_once_and_check_then_passes(checker, data):
    once = fixed_bytes(checker, data)
    if has_line_debris(TextFile.from_bytes(data)):
        assert once != data  # the first fix did something
    assert fixed_bytes(checker, once) == once
    assert check_text(checker, "article.txt", once).findings == ()


@SETTINGS
@given(article_file())
def test_fix_removes_only_the_reported_lines_and_keeps_the_file_format(checker, data):
    report = fixed_report(checker, data)
    original, fixed = report.original, report.fixed
    reported = {finding.line for finding in report.findings}
    if has_line_debris(original):
        assert reported  # the debris put in is found
    kept = [line for number, line in enumerate(original.lines, 1) if number not in reported]
    assert [line for line in fixed.lines if line.strip()] == [line for line in kept if line.strip()]
    assert (fixed.encoding, fixed.bom) == (original.encoding, original.bom)
    assert set(fixed.endings[:-1]) <= set(original.endings)
    assert bool(fixed.endings[-1]) == bool(original.endings[-1])  # trailing newline or not
    assert TextFile.from_bytes(fixed.to_bytes()) == fixed


@SETTINGS
@given(article_file())
def test_a_safe_fix_keeps_the_unsafe_lines(checker, data):
    """Without `--unsafe-fixes` the fix removes the safe findings only; the unsafe lines stay."""
    report = fixed_report(checker, data, unsafe=False)
    original, fixed = report.original, report.fixed
    safe = {finding.line for finding in report.findings if finding.safe}
    kept = [line for number, line in enumerate(original.lines, 1) if number not in safe]
    assert [line for line in fixed.lines if line.strip()] == [line for line in kept if line.strip()]
    assert report.held_back == sum(1 for finding in report.findings if not finding.safe)


def is_subsequence(part: list[str], whole: list[str]) -> bool:
    remaining = iter(whole)
    return all(item in remaining for item in part)


@SETTINGS
@given(article_file())
def test_fix_keeps_every_article_paragraph_in_order(checker, data):
    """Cleaning the fixed file gives back every paragraph of the original's article text, in
    order. It may give more: debris between two paragraphs can hide a paragraph's neighbour,
    and without it the cleaner sees the article's first lines as part of the body."""
    cleaner = Cleaner(rules=RULES)
    before = cleaner.clean(SourceDocument("a.txt", data, "text"))
    after = cleaner.clean(SourceDocument("a.txt", fixed_bytes(checker, data), "text"))
    assert is_subsequence(before["text"].split("\n\n"), after["text"].split("\n\n"))
