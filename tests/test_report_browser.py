"""The report in a real browser: headless Chromium loads it without a console message, shows
the seeds' removed lines, shows hostile text as text, and takes a screenshot.

Skipped when no Chromium is on PATH (Debian: `apt-get install chromium`; CI installs it).
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from typer.testing import CliRunner

from cleaner.commands.cli import app
from cleaner.model import SourceDocument
from headless import find_browser, load
from helpers import SEEDS

BROWSER = find_browser()
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        BROWSER is None,
        reason="no chromium on PATH (apt-get install chromium) to render the report",
    ),
]

INJECTED = "<script>console.error('injected')</script>"
INJECTED_KEPT = "The council's site showed <img src=x onerror=\"console.error('img')\"> all day."
HOSTILE_PAGE = "\n\n".join(
    [
        INJECTED,
        "Council website defaced by pranksters",
        "The city council's website was defaced on Tuesday by pranksters who replaced its front "
        "page with a picture of a goose, officials said, adding that no data had been taken.",
        f"{INJECTED_KEPT} Staff restored the normal page shortly after lunch, and the council "
        "said it would review who could edit it.",
        "Back to top",
    ]
)


class Lines(HTMLParser):
    """The text of the report's kept and removed lines, and the tags the page really has."""

    def __init__(self) -> None:
        super().__init__()
        self.removed: list[str] = []
        self.kept: list[str] = []
        self.tags: list[str] = []
        self._into: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        classes = (dict(attrs).get("class") or "").split()
        if tag == "s" and self._into is None:
            self._into = self.removed
            self.removed.append("")
        elif tag == "li" and "kept" in classes:
            self._into = self.kept
            self.kept.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("s", "li"):
            self._into = None

    def handle_data(self, data: str) -> None:
        if self._into is not None:
            self._into[-1] += data


@pytest.fixture(scope="module")
def rendered(tmp_path_factory, cleaner):
    folder = tmp_path_factory.mktemp("report")
    records = [
        cleaner.clean(SourceDocument(path.name, path.read_bytes(), "text"))
        for path in sorted(SEEDS.glob("*.txt"))
    ]
    records.append(cleaner.clean(SourceDocument("hostile.txt", HOSTILE_PAGE.encode(), "text")))
    source = folder / "records.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    page = folder / "report.html"
    result = CliRunner().invoke(app, ["report", str(source), "-o", str(page)])
    assert result.exit_code == 0, result.stderr
    screenshot = folder / "report.png"
    return records, load(BROWSER, page, screenshot=screenshot), screenshot


def test_the_page_loads_without_console_messages(rendered):
    _, loaded, _ = rendered
    assert loaded.console == []
    assert 'data-render-ms="' in loaded.dom  # the page's script ran to the end


def test_the_seeds_removed_lines_are_shown_struck_through(rendered):
    records, loaded, _ = rendered
    lines = Lines()
    lines.feed(loaded.dom)
    for record in records[:2]:
        assert record["removed"]
        assert {entry["text"] for entry in record["removed"]} <= set(lines.removed)
        assert set(record["text"].split("\n\n")) <= set(lines.kept)


def test_hostile_text_is_shown_as_text(rendered):
    records, loaded, _ = rendered
    lines = Lines()
    lines.feed(loaded.dom)
    hostile = records[-1]
    assert INJECTED in {entry["text"] for entry in hostile["removed"]}
    assert INJECTED in lines.removed
    assert any(INJECTED_KEPT in line for line in lines.kept)
    assert lines.tags.count("script") == 2  # the page's data and its own script
    assert "img" not in lines.tags


def test_a_screenshot_is_taken(rendered):
    _, _, screenshot = rendered
    data = screenshot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(data) > 20_000  # a drawn page, not a blank one


def test_a_search_in_the_link_filters_the_documents(rendered):
    records, _, screenshot = rendered
    page = screenshot.with_name("report.html")
    filtered = load(BROWSER, page, query="q=goose+rule:MET")  # the hostile page's words
    assert filtered.console == []
    sections = re.findall(r'<section class="doc" id="doc-(\d+)"( hidden="")?', filtered.dom)
    assert len(sections) == len(records)
    assert [int(index) for index, hidden in sections if not hidden] == [len(records) - 1]
    assert f"1 of {len(records)} documents" in filtered.dom
