"""Decode and segment stages: encodings, mojibake, normalisation, line numbering."""

from __future__ import annotations

import codecs
import re
import sys

import ftfy
import pytest
from ftfy.badness import MOJIBAKE_CATEGORIES, is_bad
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.pipeline import segment as segment_module
from cleaner.pipeline.decode import (
    _FTFY_CONFIG,
    DecodeError,
    _may_be_bad,
    decode_bytes,
    fix_mojibake,
    normalise_text,
)
from cleaner.pipeline.segment import join_paragraphs, segment

TEXT = "Der Bürgermeister sagte, die Straße werde im März für den Verkehr geöffnet."


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-8"),
        codecs.BOM_UTF8 + TEXT.encode("utf-8"),
        codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"),
        TEXT.encode("windows-1252") * 3,
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-bom", "windows-1252"],
)
def test_text_encodings_decode(data):
    assert TEXT in decode_bytes(data)


def test_html_meta_charset_wins():
    page = '<html><head><meta charset="shift_jis"></head><body>東京都の新しい条例</body></html>'
    assert "東京都の新しい条例" in decode_bytes(page.encode("shift_jis"), html=True)


def test_binary_is_refused():
    with pytest.raises(DecodeError, match="binary"):
        decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")


def test_mojibake_is_fixed_and_quotes_are_kept():
    broken = "“Weâ€™re not done,â€\x9d she said."
    assert normalise_text(broken) == "“We’re not done,” she said."
    assert normalise_text("“Curly” and ‘single’") == "“Curly” and ‘single’"


# Lines that ftfy changes (mojibake, entities, ligatures, odd line breaks) and lines it leaves.
TRICKY_LINES = [
    "Plain ASCII line, nothing to fix.",
    "Weâ€™re back",
    "Fish &amp; chips",
    "AT&T, Q&A and News & Sport; P&EACUTE;REZ, &#233;t&#xE9; and &amp without its semicolon",
    "Tags like <b> turn entity unescaping off",
    "Café au lait",
    "ﬁnal ligature",
    "one\u2028two",
    "caf\u00c3\u00a9",
    "tab\tand \x1b[1mescape\x1b[0m",
    "Cafe\u0301 not in NFC",
    "C1\x85control and \x9d",
    "lone \ud800 surrogate",
    "Dutch \u0133 ligature and \u206a format control",
    "Ãœber and Ã¼ber",
    "Straße, señor, 東京, «guillemets» — dashes",
    "",
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(TRICKY_LINES), st.text(max_size=20)), max_size=12))
def test_mojibake_fixing_matches_ftfy_on_the_whole_text(lines):
    text = "\n".join(lines)
    assert fix_mojibake(text) == ftfy.fix_text(text, config=_FTFY_CONFIG)


def test_a_page_that_ftfy_leaves_alone_is_not_cut_into_lines():
    page = "News & Sport | Q&A\n\n“Curly” quotes — and dashes.\nIt’s done.\n"
    assert ftfy.fix_text(page, config=_FTFY_CONFIG) == page
    assert fix_mojibake(page) is page  # the whole text passed the screen at once


# Characters of ftfy's mojibake classes, with ASCII and a few common non-ASCII ones.
_MOJIBAKE_CHARS = "".join(sorted(set("".join(MOJIBAKE_CATEGORIES.values())))) + "ab Z.,$’“”—ÃÂ€™ВГ"


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=_MOJIBAKE_CHARS, max_size=8))
def test_the_mojibake_screen_passes_every_line_that_ftfy_finds_bad(text):
    if is_bad(text):
        assert _may_be_bad(frozenset(char for char in text if not char.isascii()))


def test_the_mojibake_screen_spares_common_punctuation():
    assert not _may_be_bad(frozenset("’“”—"))
    assert _may_be_bad(frozenset("Ã©"))


def test_normalisation_is_nfc_without_controls():
    assert normalise_text("Cafe\u0301\x07 au lait\r\nnext") == "Café au lait\nnext"


def test_segment_numbers_lines_and_blocks():
    lines = segment("Title\n\n  First   line \nsecond line\n\n\nThird\u00a0block\n")
    assert [(line.number, line.text, line.block) for line in lines] == [
        (1, "Title", 0),
        (3, "First line", 1),
        (4, "second line", 1),
        (7, "Third block", 2),
    ]
    assert join_paragraphs(lines[1:]) == "First line\n\nsecond line\n\nThird block"


def test_entities_are_unescaped_whether_or_not_the_text_is_ascii():
    assert normalise_text("Tom &amp; Jerry") == "Tom & Jerry"
    assert normalise_text("Tom &amp; Jerry au café") == "Tom & Jerry au café"


def test_other_space_is_every_white_space_but_space_newline_and_ideographic():
    """The listed class of white space that becomes a space equals `[^\\S \\n\\u3000]`."""
    negated = re.compile(r"[^\S \n\u3000]")
    assert all(
        bool(segment_module._OTHER_SPACE.fullmatch(char)) == bool(negated.fullmatch(char))
        for char in map(chr, range(sys.maxunicode + 1))
    )
