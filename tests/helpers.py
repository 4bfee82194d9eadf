"""Helpers shared by the test modules: paths, the command runners and the golden records.

Test modules import from here (and from nothing else under tests/ or bench/), so that no
test module depends on another.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from cleaner.decide import HEURISTICS
from cleaner.metadata import METADATA_CODES
from cleaner.model import SourceDocument
from cleaner.pipeline import Cleaner
from cleaner.rules import load_rules

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
FIXTURES = ROOT / "fixtures"

# The golden fixtures: a document and, beside it, `NAME.expected.json`.
TEXT_GOLDEN = sorted(FIXTURES.glob("text/*/*.txt"))
HTML_GOLDEN = sorted(FIXTURES.glob("html/*/*.html"))
GOLDEN_INPUT_FORMAT = {".txt": "text", ".html": "html"}
PINNED_REMOVED = ("line", "source", "rule", "text")


def fixture_id(path: Path) -> str:
    """`en/city_budget`: the language folder and the stem, as test ids."""
    return f"{path.parent.name}/{path.stem}"


def expected_path(document: Path) -> Path:
    return document.with_suffix(".expected.json")


def read_expected(document: Path) -> dict:
    return json.loads(expected_path(document).read_text(encoding="utf-8"))


def clean_golden(cleaner: Cleaner, document: Path) -> dict:
    """The record of one golden fixture."""
    source = SourceDocument(
        document.name, document.read_bytes(), GOLDEN_INPUT_FORMAT[document.suffix]
    )
    return cleaner.clean(source)


def removed_lines(record: dict) -> list[dict]:
    """What a golden file pins of `removed`: where each line stood, what it said and the exact
    code that removed it (the reason is the code's description, pinned by the packs' tests)."""
    return [{key: entry[key] for key in PINNED_REMOVED} for entry in record["removed"]]


def family_of(code: str) -> str:
    """A code's family: its letter prefix (`NAV` for NAV001)."""
    match = re.match(r"[A-Z]+", code)
    assert match, code
    return match.group()


def code_families() -> list[str]:
    """Every family of codes the shipped cleaner can remove a line with: the rule packs'
    prefixes and the heuristics' (decision, extraction and metadata stages)."""
    codes = [rule.code for rule in load_rules()] + [*HEURISTICS, *METADATA_CODES]
    return sorted({family_of(code) for code in codes})


def command() -> list[str]:
    """The installed `clean-news` script beside this Python, else `python -m cleaner`."""
    script = Path(sys.executable).with_name("clean-news")
    return [str(script)] if script.exists() else [sys.executable, "-m", "cleaner"]


def run(
    *args: str, stdin: bytes | None = None, cwd: Path | None = None, timeout: float = 300
) -> subprocess.CompletedProcess:
    """`clean-news ARGS` in a subprocess, as a user runs it: output captured as bytes."""
    return subprocess.run(
        [*command(), *args], input=stdin, capture_output=True, cwd=cwd or ROOT, timeout=timeout
    )


def records(output: bytes | str) -> list[dict]:
    """The JSON Lines records of a command's output."""
    text = output.decode("utf-8") if isinstance(output, bytes) else output
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def golden_differences(record: dict, expected: dict) -> list[str]:
    """The fields of an expected file that the record does not match (`removed` compared as
    `removed_lines` does)."""
    return [
        key
        for key, value in expected.items()
        if (removed_lines(record) if key == "removed" else record.get(key)) != value
    ]
