"""`check` on the project's own documents: the seeds' debris with the right codes, and no false
alarms on clean articles."""

from __future__ import annotations

import json
import re

import pytest

from cleaner.commands.check import ALWAYS_ON, check_text
from cleaner.model import SourceDocument
from cleaner.pipeline.cleaner import Cleaner
from cleaner.rules.loader import CodeFilter
from helpers import FIXTURES, SEEDS, TEXT_GOLDEN, cli, findings, fixture_id, read_expected, run


def fold(line: str) -> str:
    """White space folded as the cleaner folds it (the ideographic space stays)."""
    return re.sub(r"[^\S\u3000]+", " ", line).strip()


def test_seeds_report_each_debris_line_with_the_cleaners_code(cleaner):
    """End to end with the installed command: each line the cleaner removes as debris is
    reported at its line and column with the code of the rule that removes it."""
    result = run("check", "seeds")
    assert result.returncode == 1, result.stderr
    stdout = result.stdout.decode("utf-8")
    found = findings(stdout)
    for seed in sorted(SEEDS.glob("*.txt")):
        record = cleaner.clean(SourceDocument(seed.name, seed.read_bytes(), "text"))
        expected = {
            (entry["line"], entry["rule"])
            for entry in record["removed"]
            if not entry["rule"].startswith("MET")
        }
        reported = {(int(m["line"]), m["code"]) for m in found if m["path"] == f"seeds/{seed.name}"}
        assert reported == expected
        lines = seed.read_text(encoding="utf-8").split("\n")
        for match in found:
            if match["path"] == f"seeds/{seed.name}":
                line = lines[int(match["line"]) - 1]
                assert int(match["column"]) == len(line) - len(line.lstrip()) + 1
                assert " ".join(line.split())[:60] in match["rest"]
    codes = {m["rest"].split(":")[-1].strip(): m["code"] for m in found}
    assert codes["Related Articles"] == "REL001"
    assert codes["Back to top button"] == "NAV001"
    assert codes["Sponsored Content"] == "SPO001"
    assert not any("Xi tells Kim Jong Un" in m["rest"] for m in found)  # the headline stays
    # The three-item app-promo list after seed 001's body is debris from end to end: a whole
    # list, so an unsafe fix.
    unsafe = [m for m in found if m["rest"].startswith("[unsafe fix]")]
    assert [m["code"] for m in unsafe] == ["BDY002"] * 3
    assert all("•" in m["rest"] for m in unsafe)
    assert stdout.splitlines()[-1] == f"Found {len(found)} debris lines in 2 files; " + (
        f"`clean-news check --fix` removes {len(found) - 3} of them, `--unsafe-fixes` 3 more."
    )


def test_clean_fixtures_report_nothing():
    result = cli("check", str(FIXTURES / "clean"))
    assert result.exit_code == 0, result.output
    count = len(list((FIXTURES / "clean").glob("*/*.txt")))
    assert count == len(list(FIXTURES.glob("text/*/*.txt")))
    assert result.stdout == f"No debris found in {count} files.\n"


@pytest.mark.parametrize(
    "clean_path", sorted(FIXTURES.glob("clean/*/*.txt")), ids=lambda p: f"{p.parent.name}/{p.stem}"
)
def test_clean_fixture_is_its_text_fixture_without_debris(clean_path):
    """The clean fixtures are what --fix made of the text fixtures: only lines were deleted, and
    the hand-written headline and article paragraphs are all there, in order."""
    source = FIXTURES / "text" / clean_path.parent.name / clean_path.name
    expected = json.loads(source.with_suffix(".expected.json").read_text(encoding="utf-8"))
    clean = [fold(line) for line in clean_path.read_text("utf-8").splitlines()]
    raw = iter(fold(line) for line in source.read_text("utf-8").splitlines())
    assert all(line in raw for line in clean if line)
    wanted = ([expected["title"]] if expected["title"] else []) + expected["text"].split("\n\n")
    remaining = iter(clean)
    assert all(paragraph in remaining for paragraph in wanted)


def test_articles_written_from_expected_outputs_have_no_debris():
    """No false alarms: a file holding only a fixture's headline, deck and article paragraphs
    (the hand-written expected output, not the fixer's) has nothing to report."""
    checker = Cleaner(code_filter=CodeFilter(always=ALWAYS_ON))
    for path in sorted(FIXTURES.glob("text/*/*.expected.json")):
        expected = json.loads(path.read_text(encoding="utf-8"))
        header = [part for part in (expected["title"], expected["subtitle"]) if part]
        text = "\n\n".join([*header, *expected["text"].split("\n\n")]) + "\n"
        assert check_text(checker, path.name, text.encode()).findings == (), path.name


@pytest.fixture(scope="module")
def checker() -> Cleaner:
    return Cleaner(code_filter=CodeFilter(always=ALWAYS_ON))


@pytest.mark.parametrize("path", TEXT_GOLDEN, ids=fixture_id)
def test_check_reports_exactly_the_golden_debris(checker, path):
    """`check` reports the lines that the golden record removes, with the same codes, except
    the metadata lines (headline, deck, byline...), which belong to a stored article."""
    debris = [
        (entry["line"], entry["rule"])
        for entry in read_expected(path)["removed"]
        if not entry["rule"].startswith("MET")
    ]
    report = check_text(checker, path.name, path.read_bytes())
    assert [(finding.line, finding.code) for finding in report.findings] == debris
