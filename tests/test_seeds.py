"""The two seed documents: the issue's acceptance, cleaned exactly."""

from __future__ import annotations

import pytest

from cleaner.model import SourceDocument
from helpers import SEEDS


def clean_seed(cleaner, prefix: str) -> dict:
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    return cleaner.clean(SourceDocument(path.name, path.read_bytes(), "text"))


def article_paragraphs(raw: str, first: str, last: str) -> list[str]:
    """The seed's own article lines, from the first paragraph to the last, whitespace folded."""
    lines = [" ".join(line.split()) for line in raw.splitlines() if line.strip()]
    start = next(i for i, line in enumerate(lines) if line.startswith(first))
    end = next(i for i, line in enumerate(lines) if line.endswith(last))
    return lines[start : end + 1]


def removed_rule(record: dict, text: str) -> str:
    return next(entry["rule"] for entry in record["removed"] if text in entry["text"])


@pytest.fixture(scope="module")
def xi(cleaner):
    return clean_seed(cleaner, "000")


@pytest.fixture(scope="module")
def kyodo(cleaner):
    return clean_seed(cleaner, "001")


def test_000_title_and_body(xi, validate_record):
    validate_record(xi)
    assert xi["error"] is None
    assert xi["language"] == "en"
    assert xi["title"] == (
        "President Xi says China to work with Pyongyang to preserve peace on Korean peninsula"
    )
    assert xi["text"].startswith("Chinese President Xi Jinping said Monday")
    assert xi["text"].endswith("the denuclearization of North Korea.”")


def test_000_debris_removed_with_rule_codes(xi):
    assert removed_rule(xi, "Related Articles") == "REL001"
    assert removed_rule(xi, "Back to top button") == "NAV001"
    for entry in xi["removed"]:
        assert entry["reason"]


def test_001_title_and_body(kyodo, validate_record):
    validate_record(kyodo)
    assert kyodo["title"] == "Xi tells Kim Jong Un he will work for peace on peninsula"
    assert kyodo["subtitle"] == "Leaders of China and North Korea exchange messages"
    assert kyodo["text"].startswith("BEIJING (Kyodo) --")
    assert kyodo["text"].endswith("North Korea and the United States have no diplomatic relations.")


@pytest.mark.parametrize(
    ("seed", "first", "last"),
    [
        ("000", "Chinese President Xi Jinping", "North Korea.”"),
        ("001", "BEIJING (Kyodo)", "no diplomatic relations."),
    ],
)
def test_every_article_paragraph_kept_word_for_word(cleaner, seed, first, last):
    raw = next(SEEDS.glob(f"{seed}_*.txt")).read_text(encoding="utf-8")
    expected = article_paragraphs(raw, first, last)
    assert clean_seed(cleaner, seed)["text"].split("\n\n") == expected


@pytest.mark.parametrize(
    ("debris", "code"),
    [
        ("ArrowArtboardCreated with Sketch", "ICO001"),  # the icon-name line
        ("N Korea at crossroads", "MET003"),  # kicker
        ("Leaders of China and North Korea exchange messages", "MET002"),  # deck
        ("walk during Xi's visit in Pyongyang", "CAP001"),  # photo caption
        ("Sponsored Content", "SPO001"),
        ("About Sponsored Content", "SPO003"),
        ("Discover the all new Nikkei Asia app", "PRO002"),
        ("Take your reading anywhere", "BDY002"),  # the app-promo list after the body
        ("Celebrate our next chapter", "BDY002"),
        ("Free access for everyone", "BDY002"),
        ("Find out more", "BDY002"),
        ("will be the voice of the Asian Century", "BDY002"),
    ],
)
def test_001_debris_not_in_text_and_removed_with_its_code(kyodo, debris, code):
    assert debris not in kyodo["text"]
    assert removed_rule(kyodo, debris) == code


def test_001_metadata_lines_are_labelled(kyodo):
    assert removed_rule(kyodo, "Xi tells Kim Jong Un") == "MET001"
    assert removed_rule(kyodo, "Leaders of China and North Korea") == "MET002"
    assert removed_rule(kyodo, "N Korea at crossroads") == "MET003"
    assert removed_rule(kyodo, "© Reuters") == "CAP001"
    assert removed_rule(kyodo, "ArrowArtboard") == "ICO001"


def test_every_input_line_is_kept_or_removed(xi, kyodo):
    for record in (xi, kyodo):
        kept = [line for line in record["text"].split("\n") if line]
        assert record["stats"]["lines_in"] == len(kept) + len(record["removed"])
        assert record["stats"]["lines_out"] == len(kept)
