"""HTML mode's combined extraction: blocks, the opinions read back onto them, the fitted scorer,
what it leaves out reported as removed, and pages that the parser alone would lose."""

from __future__ import annotations

import pytest
from lxml import html

from cleaner import codes
from cleaner.model import SourceDocument
from cleaner.pipeline import combine
from cleaner.pipeline.blocks import Block, found_in, page_blocks
from cleaner.pipeline.cleaner import Cleaner
from cleaner.pipeline.extract import flatten_nesting, gather_opinions, parse_page
from cleaner.rules.loader import CodeFilter

PARAGRAPHS = [
    "The council approved the new school budget on Monday after a debate that lasted until "
    "late in the evening, with several members asking for more money for teachers.",
    "Officials said the plan would pay for smaller classes from next year, and that the "
    "district would hire forty new teachers before the autumn term begins in September.",
    "Parents who attended the meeting welcomed the decision but said that the buildings of "
    "several schools also needed repairs that the budget does not cover this year.",
    "The mayor said the city would look for the money for the repairs in next year's budget, "
    "once the costs of the work have been estimated by the city's engineers.",
]
MENU = ["Home", "News", "Sport", "Weather", "Business", "Culture", "Travel", "Contact us"]


def _table_layout_page() -> bytes:
    """An old table-layout page: a menu of short link lines in one cell, the article in another."""
    menu = "".join(f'<tr><td><a href="/{m.lower()}">{m}</a></td></tr>' for m in MENU)
    article = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return (
        "<html><head><title>Budget</title></head><body><table><tr>"
        f'<td width="150"><table>{menu}</table></td>'
        f"<td><h1>Council approves the school budget</h1>{article}</td>"
        "</tr></table></body></html>"
    ).encode()


def _clean(cleaner: Cleaner, page: bytes) -> dict:
    return cleaner.clean(SourceDocument("page.html", page, "html"))


def test_page_blocks_cut_at_block_elements_and_count_link_text():
    tree = html.fromstring(
        "<html><body><div>Intro <b>bold</b> text<p>A <a href='/x'>link</a></p>tail</div>"
        "<script>var x = 1;</script><ul><li><a href='/a'>Menu item</a></li></ul></body></html>"
    )
    blocks = page_blocks(tree)
    assert [b.text for b in blocks] == ["Intro bold text", "A link", "tail", "Menu item"]
    assert blocks[1].link_chars == len("link")
    assert blocks[3].link_density == 1.0


def test_found_in_reads_each_opinion_in_order_and_counts_repeats():
    blocks = [Block(text, 0, 1) for text in ["Home", PARAGRAPHS[0], "Home", PARAGRAPHS[0]]]
    # The output has the paragraph once: only its first copy is found; "Home" only near it.
    assert found_in(blocks, PARAGRAPHS[0]) == [False, True, False, False]
    assert found_in(blocks, "Home\n" + PARAGRAPHS[0]) == [True, True, False, False]


def test_a_menu_of_link_lines_is_left_out_and_reported(cleaner, validate_record):
    record = validate_record(_clean(cleaner, _table_layout_page()))
    for paragraph in PARAGRAPHS:
        assert paragraph in record["text"]
    for item in MENU:
        assert item not in record["text"].split("\n\n")
    removed = {entry["text"]: entry for entry in record["removed"]}
    assert removed["Contact us"]["rule"] == "EXT001"
    assert removed["Contact us"]["source"] == "html"
    assert removed["Contact us"]["reason"] == codes.reason_of("EXT001")


def test_ignoring_the_extraction_code_keeps_what_it_removed():
    cleaner = Cleaner(code_filter=CodeFilter(ignore=("EXT",)))
    record = _clean(cleaner, _table_layout_page())
    assert not any(entry["rule"].startswith("EXT") for entry in record["removed"])
    assert "Weather" in record["text"]


def test_left_out_tells_outside_from_inside_the_main_content():
    assert combine.left_out([False, True, False, True, False]) == [
        "EXT001",
        None,
        "EXT002",
        None,
        "EXT001",
    ]
    assert combine.left_out([False, False]) == ["EXT001", "EXT001"]


def test_the_scorer_follows_its_weights():
    blocks = [Block(PARAGRAPHS[0], 0, 1), Block("Home", 4, 2)]
    votes = {name: [True, False] for name in combine.OPINIONS}
    assert combine.keep(blocks, votes) == [True, False]
    # A scorer that weighs nothing but a positive bias keeps everything.
    flat = dict.fromkeys(combine.FEATURES, 0.0) | {"bias": 1.0}
    assert combine.keep(blocks, votes, flat) == [True, True]


def test_the_shipped_weights_name_every_feature_and_come_from_the_fitting_script():
    shipped = combine.shipped()
    assert shipped["features"] == list(combine.FEATURES)
    assert set(shipped["weights"]) == {*combine.FEATURES, "bias"}
    assert shipped["fitted_by"] == "bench/fit_html.py"
    # Each opinion's own vote counts for the article.
    assert all(shipped["weights"][name] > 0 for name in combine.OPINIONS)


@pytest.mark.parametrize("tag", ["div", "font"])
def test_a_paragraph_nested_1000_deep_keeps_its_text(cleaner, tag):
    """Unclosed tags that a browser renders fine: lxml alone stops at depth 255."""
    page = (
        f"<html><body>{f'<{tag}>' * 1000}<p>{PARAGRAPHS[0]} {PARAGRAPHS[1]}</p></body></html>"
    ).encode()
    record = _clean(cleaner, page)
    assert record["error"] is None
    assert PARAGRAPHS[0] in record["text"]


def test_flatten_nesting_drops_only_the_tags_past_the_depth():
    markup = "<div><div><div><p>deep</p></div></div></div><p>after</p>"
    flat = flatten_nesting(markup, 2)
    assert flat == "<div><div>deep</div></div><p>after</p>"
    tree = parse_page(f"<html><body>{'<div>' * 5000}<p>deep text</p></body></html>")
    assert tree is not None and "deep text" in tree.text_content()


def test_a_fragment_without_html_element_is_parsed(cleaner):
    page = (
        f'<text id="x" title="A page"><table><tr><td><p>{PARAGRAPHS[0]}</p>'
        f"<p>{PARAGRAPHS[1]}</p></td></tr></table></text>"
    ).encode()
    record = _clean(cleaner, page)
    assert PARAGRAPHS[1] in record["text"]


def test_the_text_mode_runs_only_where_the_extractors_disagree():
    blocks = [Block(text, 0, 1) for text in PARAGRAPHS[:2]]
    agree = {"trafilatura": [True, True], "readability": [True, True]}
    differ = {"trafilatura": [True, False], "readability": [False, True]}
    assert not combine.text_mode_pays(blocks, agree)
    assert combine.text_mode_pays(blocks, differ)
    assert combine.text_mode_stand_in(differ) == [False, False]
    assert 0 < combine.shipped()["text_mode_agreement"] <= 1


def test_gather_opinions_asks_the_text_mode_only_when_it_pays(cleaner):
    calls = []

    def text_mode(texts):
        calls.append(texts)
        return [True] * len(texts)

    tree = parse_page(_table_layout_page().decode())
    opinions = gather_opinions(tree, text_mode, always=True)
    assert calls and opinions.votes["text_mode"] == [True] * len(opinions.blocks)
    calls.clear()
    tree = parse_page(_table_layout_page().decode())
    opinions = gather_opinions(tree, text_mode)
    expected = combine.text_mode_pays(opinions.blocks, opinions.votes)
    assert bool(calls) == expected
