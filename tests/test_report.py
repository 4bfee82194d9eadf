"""The review report: kept and removed lines back in input order, reading records, the page."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cleaner.commands.report import RecordError, read_records, render
from cleaner.model import SourceDocument
from helpers import FIXTURES, HTML_GOLDEN, SEEDS, cli, code_families

DOCUMENTS = sorted([*FIXTURES.glob("*/*/*.txt"), *SEEDS.glob("*.txt")])


def removed(line: int, rule: str, text: str | None = None) -> dict:
    return {"line": line, "text": text or f"line {line}", "rule": rule, "reason": "why"}


def page_data(page: str) -> dict:
    """The JSON the page's script draws, as the page carries it."""
    data = re.search(r'<script id="report-data" type="application/json">(.*?)</script>', page, re.S)
    assert data
    return json.loads(data.group(1))


def drawn(record: dict) -> list[tuple[str, str | None]]:
    """The lines the page draws for a record: (text, code), code None for a kept line."""
    (document,) = read_records([json.dumps(record)], "r.jsonl")
    return [(line[0], None if len(line) == 2 else line[1]) for line in document["lines"]]


def test_every_code_has_a_category_and_a_colour_in_the_page():
    """The page's script takes a code's category from the prefixes in its data and its colour
    from the `c-PREFIX` class of its style sheet: every family the cleaner removes with (and
    learned rules) has both."""
    page = render([], "r.jsonl")
    categories = page_data(page)["categories"]
    for family in [*code_families(), "LRN"]:
        prefix = next((p for p in categories if family.startswith(p)), None)
        assert prefix is not None, family
        assert re.search(rf"\.c-{prefix} \{{ --c: #[0-9a-f]{{6}}; \}}", page), prefix
    assert re.search(r"\.c-OTHER \{ --c: #[0-9a-f]{6}; \}", page)  # what the script falls back to
    assert '|| "OTHER"' in page


def test_kept_and_removed_lines_are_drawn_in_input_order(cleaner):
    """On every text fixture and seed, the page draws the lines in the input's order with the
    codes that removed them."""
    assert len(DOCUMENTS) >= 100
    for path in DOCUMENTS:
        source = SourceDocument(path.name, path.read_bytes(), "text")
        truth = [
            (line.text, verdict.rule if (verdict := article.verdicts.get(line.number)) else None)
            for article in [cleaner.article(source)]
            for line in article.lines
        ]
        assert drawn(cleaner.clean(source)) == truth, path.name


def test_html_pages_are_drawn_with_pruned_elements_first_then_the_text_in_order(cleaner):
    for path in HTML_GOLDEN:
        source = SourceDocument(path.name, path.read_bytes(), "html")
        article = cleaner.article(source)
        truth = [(element.text, element.rule) for element in article.pruned] + [
            (line.text, verdict.rule if (verdict := article.verdicts.get(line.number)) else None)
            for line in article.lines
        ]
        assert drawn(cleaner.clean(source)) == truth, path.name


def test_lines_are_merged_by_their_numbers_not_their_spacing():
    record = {
        "text": "a\n\nb\n\nc",
        "kept_lines": [2, 3, 9],
        "removed": [removed(1, "MET001"), removed(5, "PRO001"), removed(12, "BDY002")],
    }
    assert [code or text for text, code in drawn(record)] == [
        "MET001", "a", "b", "PRO001", "c", "BDY002"
    ]  # fmt: skip


@given(
    numbers=st.lists(st.integers(1, 200), unique=True, max_size=16),
    kept_share=st.integers(0, 16),
)
def test_merging_keeps_every_line_in_number_order(numbers, kept_share):
    kept_numbers, removed_numbers = sorted(numbers[:kept_share]), numbers[kept_share:]
    record = {
        "text": "\n\n".join(f"kept {n}" for n in kept_numbers),
        "kept_lines": kept_numbers,
        "removed": [removed(n, "NAV001") for n in removed_numbers],
    }
    (document,) = read_records([json.dumps(record)], "r.jsonl")
    assert [line[-1] for line in document["lines"]] == sorted(numbers)
    assert [line[0] for line in document["lines"] if len(line) == 2] == [
        f"kept {n}" for n in kept_numbers
    ]


def test_records_that_are_not_records_are_named_by_line():
    good = json.dumps(
        {"path": "a.txt", "text": "Kept.", "kept_lines": [2], "removed": [removed(1, "NAV001")]}
    )
    unnumbered = json.dumps({"path": "b.txt", "text": "One.\n\nTwo.", "kept_lines": [3]})
    items = list(
        read_records(
            [good, "", "{not json", "[1, 2]", json.dumps({"removed": [{"line": "x"}]}), unnumbered],
            "r.jsonl",
        )
    )
    assert isinstance(items[0], dict) and items[0]["path"] == "a.txt"
    problems = [str(item) for item in items[1:]]
    assert problems[0].startswith("r.jsonl:3: not JSON")
    assert problems[1] == "r.jsonl:4: not a record (a JSON object)"
    assert problems[2].startswith("r.jsonl:5: `removed` must be")
    assert (
        problems[3] == "r.jsonl:6: `kept_lines` must give one line number per paragraph of `text`"
    )
    assert all(isinstance(item, RecordError) for item in items[1:])


HOSTILE = "</script><script>alert('x')</script><!-- <img src=x onerror=alert(1)> &amp; \u2028"


def test_page_data_cannot_break_out_of_its_script_element():
    record = {
        "path": "evil</script>.txt",
        "title": HOSTILE,
        "text": HOSTILE,
        "kept_lines": [1],
        "removed": [],
    }
    (document,) = read_records([json.dumps(record)], "r.jsonl")
    page = render([document], "r</title>.jsonl")
    assert page.count("<script") == 2 and page.count("</script>") == 2
    assert "<img" not in page and "<!-- <" not in page
    assert "<title>clean-news report: r&lt;/title&gt;.jsonl</title>" in page
    assert page_data(page)["documents"] == [document]


def test_page_loads_nothing_from_the_network():
    page = render([], "empty.jsonl")
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//|@import|url\(""", page)


def test_report_command_writes_the_page_and_names_bad_lines(tmp_path):
    records = tmp_path / "records.jsonl"
    good = {
        "path": "a.txt",
        "title": "A title",
        "text": "Kept line.",
        "kept_lines": [1],
        "removed": [],
    }
    records.write_text(json.dumps(good) + "\nnot json\n", encoding="utf-8")
    page = tmp_path / "report.html"
    result = cli("report", str(records), "-o", str(page))
    assert result.exit_code == 1
    assert result.stderr.strip() == f"{records}:2: not JSON (Expecting value)"
    assert "A title" in page.read_text(encoding="utf-8")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["records.jsonl", "report.html"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["report", "no/such.jsonl", "-o", "r.html"], "cannot read no/such.jsonl"),
        (["report", "x.jsonl"], "Missing option '-o'"),
    ],
)
def test_report_usage_errors_exit_2(args, message):
    result = cli(*args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_pruned_html_elements_come_before_the_text_lines():
    record = {
        "path": "page.html",
        "text": "First paragraph of the story.\n\nSecond paragraph of the story.",
        "kept_lines": [3, 5],
        "removed": [
            {
                "line": 1,
                "text": "Headline",
                "rule": "MET001",
                "reason": "headline",
                "source": "text",
            },
            {
                "line": 240,
                "text": "Share bar",
                "rule": "SOC008",
                "reason": "share",
                "source": "html",
            },
        ],
    }
    assert drawn(record) == [
        ("Share bar", "SOC008"),
        ("Headline", "MET001"),
        ("First paragraph of the story.", None),
        ("Second paragraph of the story.", None),
    ]
