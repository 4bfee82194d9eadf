"""`clean-news check`: findings, --fix, --diff, JSON output, exit codes and `clean-news rule`."""

from __future__ import annotations

import codecs
import json
import os
from pathlib import Path

import pytest

from cleaner.commands.check import TextFile
from helpers import ROOT, cli, findings

HEADLINE = "Council approves new cycle lanes"
ARTICLE = [
    "Menu",
    "",
    HEADLINE,
    "",
    "The city council voted on Tuesday to build four new protected cycle lanes across the "
    "centre, after two years of consultation with residents and shop owners.",
    "",
    "Work on the first lane is expected to begin in the spring and to last about six months, "
    "the council said in a statement on its website.",
    "",
    "Share on Facebook",
    "",
    "Cyclists' groups welcomed the plan but said the lanes should link up with the routes of "
    "the neighbouring towns, so that commuters can ride all the way to work.",
    "",
    "Back to top",
]
DEBRIS = {"Menu", "Share on Facebook", "Back to top"}


def write_article(folder: Path, name: str = "story.txt", newline: str = "\n", **encode) -> Path:
    path = folder / name
    path.write_bytes(newline.join(ARTICLE).encode(**encode or {"encoding": "utf-8"}))
    return path


def test_fix_rewrites_in_place_keeping_encoding_newlines_and_mode(tmp_path):
    path = write_article(tmp_path, newline="\r\n", encoding="utf-8-sig")
    path.chmod(0o640)
    codes = {
        e["code"] for e in json.loads(cli("check", "--output-format", "json", str(path)).stdout)
    }
    result = cli("check", "--fix", str(path))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"fixed {path}: removed 3 debris lines ({', '.join(sorted(codes))})",
        "Found 3 debris lines in 1 file (3 fixed, 0 remaining).",
    ]
    data = path.read_bytes()
    assert data.startswith(codecs.BOM_UTF8)
    paragraphs = [line for line in ARTICLE if line and line not in DEBRIS]
    # One blank line between paragraphs as before, and still no newline at the end.
    assert data == codecs.BOM_UTF8 + "\r\n\r\n".join(paragraphs).encode()
    assert path.stat().st_mode & 0o777 == 0o640
    assert os.listdir(tmp_path) == ["story.txt"]  # no temporary file left
    again = cli("check", str(path))
    assert again.exit_code == 0 and again.stdout == "No debris found in 1 file.\n"


def test_fix_follows_a_symbolic_link(tmp_path):
    target = write_article(tmp_path, "real.txt")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    assert cli("check", "--fix", str(link)).exit_code == 0
    assert link.is_symlink()
    assert "Back to top" not in target.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-be", "utf-32", "cp1252"]
)
@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_text_files_round_trip_byte_for_byte(encoding, newline):
    lines = [
        "Le café a rouvert ses portes après les travaux, a annoncé la mairie à la presse.",
        "",
        "  Les élèves du lycée voisin y déjeunent déjà, à des prix réduits.  ",
        "Fin",
    ]
    text = newline.join(lines)
    if encoding == "utf-16-be":  # with its byte-order mark
        data = codecs.BOM_UTF16_BE + text.encode(encoding)
    else:
        data = text.encode(encoding)
    text_file = TextFile.from_bytes(data)
    assert text_file.to_bytes() == data
    assert text_file.endings == (newline, newline, newline, "")
    if encoding.startswith("utf"):  # a single-byte code page is charset-normalizer's guess
        assert text_file.lines == tuple(lines)


@pytest.mark.parametrize(
    ("text", "remove", "fixed"),
    [
        ("A\n\nX\n\nB\n", {3}, "A\n\nB\n"),  # separate paragraphs stay separate
        ("A\nX\nB\n", {2}, "A\nB\n"),  # one block stays one block
        ("A\nX\n\n\nB\n", {2}, "A\n\n\nB\n"),  # the widest gap stays
        ("X\n\nA\n", {1}, "A\n"),
        ("\nX\nA\n", {2}, "\nA\n"),  # leading blank lines are the file's own
        ("A\n\nX", {3}, "A"),  # no trailing newline before, none after
        ("A\r\n\r\nX\r\n", {3}, "A\r\n"),
        ("A\n\nX\n\n", {3}, "A\n\n"),  # trailing blank lines stay
    ],
)
def test_removing_lines_keeps_the_spacing(text, remove, fixed):
    assert TextFile.from_bytes(text.encode()).without(remove).to_bytes() == fixed.encode()


def test_line_numbers_are_the_files_despite_unicode_line_separators(tmp_path):
    path = tmp_path / "story.txt"
    lines = ["Intro\u2028still the first line", "", *ARTICLE]
    path.write_text("\n".join(lines), encoding="utf-8")
    reported = {int(m["line"]): m["rest"] for m in findings(cli("check", str(path)).stdout)}
    for number, rest in reported.items():
        assert " ".join(lines[number - 1].split())[:60] in rest
    assert lines.index("Back to top") + 1 in reported


def test_diff_shows_the_fix_and_writes_nothing(tmp_path):
    path = write_article(tmp_path)
    before = path.read_bytes()
    result = cli("check", "--diff", str(path))
    assert result.exit_code == 1
    assert result.stdout.startswith(f"--- {path}\n+++ {path}\n@@ ")
    removed = {line[1:] for line in result.stdout.splitlines()[2:] if line.startswith("-")}
    assert {"Menu", "Share on Facebook", "Back to top"} <= removed
    assert HEADLINE not in removed
    assert "would be fixed" in result.stderr
    assert path.read_bytes() == before
    cli("check", "--fix", str(path))
    clean = cli("check", "--diff", str(path))
    assert clean.exit_code == 0 and clean.stdout == ""


def test_json_output_matches_the_text_output(tmp_path):
    path = write_article(tmp_path)
    listed = json.loads(cli("check", "--output-format", "json", str(path)).stdout)
    as_text = findings(cli("check", str(path)).stdout)
    assert [(e["line"], e["column"], e["code"]) for e in listed] == [
        (int(m["line"]), int(m["column"]), m["code"]) for m in as_text
    ]
    assert {entry["text"] for entry in listed} == DEBRIS
    assert all(entry["path"] == str(path) and not entry["fixed"] for entry in listed)
    fixed = json.loads(cli("check", "--fix", "--output-format", "json", str(path)).stdout)
    assert [entry["fixed"] for entry in fixed] == [True, True, True]


def test_metadata_lines_are_not_debris_even_when_their_codes_are_ignored(tmp_path):
    path = write_article(tmp_path)
    result = cli("check", "--fix", "--ignore", "MET", str(path))
    assert result.exit_code == 0
    assert path.read_text(encoding="utf-8").startswith(HEADLINE + "\n\n")


def test_folders_are_walked_for_text_files_only(tmp_path):
    (tmp_path / "sub").mkdir()
    write_article(tmp_path / "sub", "a.md")
    (tmp_path / "page.html").write_text("<html><body><p>Menu</p></body></html>", "utf-8")
    (tmp_path / "notes.csv").write_text("Menu\n", "utf-8")
    result = cli("check", str(tmp_path))
    assert {m["path"] for m in findings(result.stdout)} == {str(tmp_path / "sub" / "a.md")}


def test_files_that_cannot_be_checked_get_one_line_and_the_run_goes_on(tmp_path):
    write_article(tmp_path, "good.txt")
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (tmp_path / "menu.txt").write_text("Home\nNews\nSport\nWeather\n", "utf-8")
    (tmp_path / "page.html").write_text("<html><body><p>Hi</p></body></html>", "utf-8")
    result = cli("check", "--fix", *(str(tmp_path / n) for n in os.listdir(tmp_path)))
    assert result.exit_code == 1
    problems = dict(line.split(": ", 1) for line in result.stderr.splitlines())
    assert "binary" in problems[str(tmp_path / "binary.txt")]
    assert "no article text found" in problems[str(tmp_path / "menu.txt")]
    assert "HTML page" in problems[str(tmp_path / "page.html")]
    assert len(problems) == 3
    assert (tmp_path / "menu.txt").read_text("utf-8") == "Home\nNews\nSport\nWeather\n"
    assert "Back to top" not in (tmp_path / "good.txt").read_text("utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--fix", "--diff", "seeds"], "--fix and --diff do not combine"),
        (["--output-format", "xml", "seeds"], "--output-format must be text or json"),
        (["--diff", "--output-format", "json", "seeds"], "--diff prints a diff"),
        (["no/such/file.txt"], "no such file or folder: no/such/file.txt"),
        (["-"], "check reads files, not stdin"),
        (["--rules", "no/such/rules", "seeds"], "no/such/rules: no such rule file or folder"),
    ],
)
def test_usage_errors_exit_2_with_one_line(args, message, monkeypatch):
    monkeypatch.chdir(ROOT)
    result = cli("check", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_rule_explains_a_pack_rule_with_its_patterns_and_examples():
    result = cli("rule", "nav001")
    assert result.exit_code == 0
    text = result.stdout
    assert text.startswith('NAV001: A "back to top" button or link.')
    assert "pack:       navigation" in text and "action:     drop-line" in text
    assert "regex '(?:back|return|go|scroll|jump)" in text
    assert "  Back to top button" in text  # an example it removes
    assert "  The climbers went back to the top of the ridge at dawn." in text  # one it keeps


@pytest.mark.parametrize(
    ("code", "words"),
    [("BDY002", "after the article body"), ("BLK001", "drop-block"), ("SHP001", "icon")],
)
def test_rule_explains_heuristic_codes(code, words):
    result = cli("rule", code)
    assert result.exit_code == 0
    assert result.stdout.startswith(f"{code}: ") and words in result.stdout
    assert "heuristic" in result.stdout


def test_rule_explains_metadata_codes_and_refuses_unknown_ones():
    assert "never reports MET lines" in cli("rule", "MET001").stdout
    unknown = cli("rule", "XYZ999")
    assert unknown.exit_code == 2
    assert "unknown rule code 'XYZ999'" in unknown.stderr
