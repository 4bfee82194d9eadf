"""Properties over generated documents: cleaning is idempotent and accounts for every line."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner.model import Article
from cleaner.pipeline.decode import normalise_text
from cleaner.pipeline.segment import join_paragraphs, segment
from cleaner.rules.loader import load_rules
from helpers import FIXTURES, SEEDS

DEBRIS = sorted({text for rule in load_rules() for text in rule.examples_match})
PHRASE = (
    "the council said on monday that new rules would apply to all schools in the region from "
    "next year while officials and parents welcomed plans for more teachers smaller classes "
    "and longer opening hours despite concerns over costs"
)
WORDS = tuple(PHRASE.split())

sentence = st.lists(st.sampled_from(WORDS), min_size=3, max_size=40).map(
    lambda words: " ".join(words).capitalize() + "."
)
fragment = st.lists(st.sampled_from(WORDS), min_size=1, max_size=6).map(
    lambda words: " ".join(words).title()
)
line = st.one_of(sentence, sentence, fragment, st.sampled_from(DEBRIS))
document = st.lists(st.tuples(line, st.sampled_from(["\n", "\n\n"])), min_size=1, max_size=30).map(
    lambda parts: "".join(text + gap for text, gap in parts)
)

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def cleaned_text(cleaner, text: str) -> str:
    return join_paragraphs(cleaner.clean_text(text).body_lines())


def assert_rule_hits_removed(cleaner, article: Article) -> None:
    """Every line that a rule of the packs matches is gone from the text (with the rule's code,
    or moved to a metadata field): a document's debris examples do not survive."""
    hits = cleaner.matcher.apply(article.lines, article.language.code)
    assert set(hits) <= set(article.verdicts)


@SETTINGS
@given(document)
def test_cleaning_cleaned_text_changes_nothing(cleaner, text):
    article = cleaner.clean_text(text)
    assert_rule_hits_removed(cleaner, article)
    once = join_paragraphs(article.body_lines())
    assert cleaned_text(cleaner, once) == once


@SETTINGS
@given(document)
def test_every_line_is_kept_or_removed_once(cleaner, text):
    article = cleaner.clean_text(text)
    kept = {line.number for line in article.body_lines()}
    removed = set(article.verdicts)
    assert not kept & removed
    assert kept | removed == {line.number for line in article.lines}
    assert_rule_hits_removed(cleaner, article)


def test_real_documents_are_idempotent(cleaner):
    """Cleaning is a fixed point, and not the trivial one: every seed and fixture loses at
    least its headline (to the title field) or some debris the first time."""
    paths = [*SEEDS.glob("*.txt"), *FIXTURES.glob("text/*/*.txt")]
    assert paths
    for path in paths:
        text = path.read_text(encoding="utf-8")
        once = cleaned_text(cleaner, text)
        assert len(segment(once)) < len(segment(normalise_text(text))), path.name
        assert cleaned_text(cleaner, once) == once, path.name
