"""The review report: kept and removed lines back in input order, reading records, the page."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from cleaner.cli import app
from cleaner.model import SourceDocument
from cleaner.record import build_record
from cleaner.report import RecordError, _document, interleave, read_records, render
from conftest import FIXTURES, SEEDS

DOCUMENTS = sorted([*FIXTURES.glob("*/*/*.txt"), *SEEDS.glob("*.txt")])


def removed(line: int, rule: str, text: str | None = None) -> dict:
    return {"line": line, "text": text or f"line {line}", "rule": rule, "reason": "why"}


def test_kept_and_removed_lines_are_put_back_in_input_order(cleaner):
    """Records number removed lines only; on every fixture the report's order is the input's."""
    assert len(DOCUMENTS) >= 100
    for path in DOCUMENTS:
        source = SourceDocument(path.name, path.read_bytes(), "text")
        article = cleaner.article(source)
        record = build_record(source, article)
        truth = [
            (line.text, verdict.rule if (verdict := article.verdicts.get(line.number)) else None)
            for line in article.lines
        ]
        kept = record["text"].split("\n\n") if record["text"] else []
        rows = interleave(kept, record["removed"])
        assert [(row.text, row.rule) for row in rows] == truth, path.name


def test_a_body_running_to_the_end_of_a_double_spaced_page():
    rows = interleave(["a", "b", "c"], [removed(1, "MET001"), removed(5, "PRO001")])
    # Lines 3 and 7, 9: the gap of three lines holds one kept line at this spacing.
    assert [row.rule or row.text for row in rows] == ["MET001", "a", "PRO001", "b", "c"]


@given(
    kept=st.lists(st.text(min_size=1, max_size=5), max_size=8),
    lines=st.lists(st.integers(1, 60), unique=True, max_size=8),
    codes=st.lists(st.sampled_from(["BDY001", "MET001", "NAV001", "BDY002", "BDY003"]), min_size=8),
)
def test_interleave_keeps_every_line_and_both_orders(kept, lines, codes):
    entries = [removed(line, code) for line, code in zip(lines, codes, strict=False)]
    rows = interleave(kept, entries)
    assert [row.text for row in rows if row.rule is None] == kept
    assert [row.line for row in rows if row.rule] == sorted(lines)


def test_records_that_are_not_records_are_named_by_line():
    good = json.dumps({"path": "a.txt", "text": "Kept.", "removed": [removed(1, "NAV001")]})
    items = list(
        read_records(
            [good, "", "{not json", "[1, 2]", json.dumps({"removed": [{"line": "x"}]})], "r.jsonl"
        )
    )
    assert isinstance(items[0], dict) and items[0]["path"] == "a.txt"
    problems = [str(item) for item in items[1:]]
    assert problems[0].startswith("r.jsonl:3: not JSON")
    assert problems[1] == "r.jsonl:4: not a record (a JSON object)"
    assert problems[2].startswith("r.jsonl:5: `removed` must be")
    assert all(isinstance(item, RecordError) for item in items[1:])


HOSTILE = "</script><script>alert('x')</script><!-- <img src=x onerror=alert(1)> &amp; \u2028"


def test_page_data_cannot_break_out_of_its_script_element():
    record = {"path": "evil</script>.txt", "title": HOSTILE, "text": HOSTILE, "removed": []}
    (document,) = read_records([json.dumps(record)], "r.jsonl")
    page = render([document], "r</title>.jsonl")
    assert page.count("<script") == 2 and page.count("</script>") == 2
    assert "<img" not in page and "<!-- <" not in page
    assert "<title>clean-news report: r&lt;/title&gt;.jsonl</title>" in page
    data = re.search(r'<script id="report-data" type="application/json">(.*?)</script>', page, re.S)
    assert json.loads(data.group(1))["documents"] == [document]


def test_page_loads_nothing_from_the_network():
    page = render([], "empty.jsonl")
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//|@import|url\(""", page)


def invoke(*args: str):
    return CliRunner().invoke(app, list(args))


def test_report_command_writes_the_page_and_names_bad_lines(tmp_path):
    records = tmp_path / "records.jsonl"
    good = {"path": "a.txt", "title": "A title", "text": "Kept line.", "removed": []}
    records.write_text(json.dumps(good) + "\nnot json\n", encoding="utf-8")
    page = tmp_path / "report.html"
    result = invoke("report", str(records), "-o", str(page))
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
    result = invoke(*args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_pruned_html_elements_come_before_the_text_lines():
    record = {
        "path": "page.html",
        "text": "First paragraph of the story.\n\nSecond paragraph of the story.",
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
    lines = _document(record)["lines"]
    assert lines[0][:2] == ["Share bar", "SOC008"]
    assert lines[1][:2] == ["Headline", "MET001"]
    assert lines[2:] == ["First paragraph of the story.", "Second paragraph of the story."]
