"""Properties over arbitrary bytes and text: no exception escapes `Cleaner.clean`, every record
is valid, every line of a text document is kept or removed, and the output is deterministic."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner.model import SourceDocument
from cleaner.pipeline.cleaner import INTERNAL_ERROR

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Text with the characters that break things: controls, NUL, newlines of every kind, surrogate
# look-alikes, combining marks, right-to-left marks, emoji, CJK and markup.
awkward = st.text(
    st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(["\n", "\r", "\x00", "\u2028", "\u200b", "\ufeff", "<", "&"]),
    ),
    max_size=600,
)
lines = st.lists(
    st.one_of(awkward, st.sampled_from(["Back to top", "Related Articles", "Share this"])),
    max_size=25,
).map("\n".join)
markup = st.lists(
    st.one_of(
        st.sampled_from(["<p>", "</p>", "<div class='share'>", "</div>", "<h1>", "<!--", "-->"]),
        st.sampled_from(["<script>", "</script>", "<![CDATA[", "&amp;", "&#0;", "&#xD800;"]),
        awkward,
    ),
    max_size=40,
).map("".join)


@SETTINGS
@given(st.binary(max_size=3000), st.sampled_from(["text", "html"]))
def test_any_bytes_give_one_valid_record(cleaner, validate_record, data, input_format):
    source = SourceDocument("doc", data, input_format)
    record = validate_record(cleaner.clean(source))
    assert not (record["error"] or "").startswith(INTERNAL_ERROR), record["error"]
    assert record["error"] is not None or record["text"]
    assert cleaner.clean(source) == record


@SETTINGS
@given(lines)
def test_any_text_keeps_or_removes_every_line(cleaner, validate_record, text):
    article = cleaner.clean_text(text)
    kept = {line.number for line in article.body_lines()}
    removed = set(article.verdicts)
    assert not kept & removed
    assert kept | removed == {line.number for line in article.lines}
    source = SourceDocument("doc.txt", text.encode("utf-8"), "text")
    record = validate_record(cleaner.clean(source))
    assert not (record["error"] or "").startswith(INTERNAL_ERROR), record["error"]
    assert cleaner.clean(source) == record


@SETTINGS
@given(markup)
def test_any_markup_gives_one_valid_record(cleaner, validate_record, page):
    source = SourceDocument("doc.html", ("<html><body>" + page).encode("utf-8"), "html")
    record = validate_record(cleaner.clean(source))
    assert not (record["error"] or "").startswith(INTERNAL_ERROR), record["error"]
    assert cleaner.clean(source) == record
