"""The command line: paths, stdin, output file, exit codes, errors and the rules listing."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from helpers import ARTICLE, ROOT, SEEDS, command, records, run


def test_folder_gives_one_valid_record_per_document(validate_record):
    result = run(str(SEEDS))
    assert result.returncode == 0, result.stderr
    found = records(result.stdout)
    assert [r["path"] for r in found] == sorted(p.name for p in SEEDS.glob("*.txt"))
    for record in found:
        validate_record(record)
        assert record["text"] and record["title"]


def test_clean_subcommand_equals_the_short_form():
    short, explicit = run(str(SEEDS)), run("clean", str(SEEDS))
    assert short.stdout == explicit.stdout


def test_output_file(tmp_path):
    target = tmp_path / "out.jsonl"
    result = run(str(SEEDS), "-o", str(target))
    assert result.returncode == 0
    assert result.stdout == b""
    assert len(records(target.read_bytes())) == 2


def test_stdin_is_read_with_dash(validate_record):
    result = run("-", stdin=ARTICLE.encode())
    assert result.returncode == 0, result.stderr
    (record,) = records(result.stdout)
    validate_record(record)
    assert record["path"] == "-"
    assert record["title"] == "Council approves new cycle lanes"
    assert record["text"].startswith("The city council voted")
    assert "Back to top" not in record["text"]


def test_output_is_deterministic():
    assert run(str(SEEDS)).stdout == run(str(SEEDS)).stdout


def test_folder_walk_is_recursive_and_relative(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "story.md").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "notes.csv").write_text("not,a,document\n", encoding="utf-8")
    result = run(str(tmp_path))
    assert [r["path"] for r in records(result.stdout)] == ["a/b/story.md"]


def test_bad_document_gets_error_record_and_exit_1(tmp_path, validate_record):
    shutil.copy(next(SEEDS.glob("000_*.txt")), tmp_path / "good.txt")
    (tmp_path / "broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    (tmp_path / "empty.html").write_bytes(b"<html><body></body></html>")
    result = run("--quiet", str(tmp_path))  # quiet: no summary, the error lines still show
    assert result.returncode == 1
    by_path = {r["path"]: validate_record(r) for r in records(result.stdout)}
    assert by_path["good.txt"]["error"] is None and by_path["good.txt"]["text"]
    assert "binary" in by_path["broken.txt"]["error"]
    assert by_path["broken.txt"]["text"] == ""
    assert "no article text found" in by_path["empty.html"]["error"]
    assert f"broken.txt: {by_path['broken.txt']['error']}" in result.stderr.decode()
    assert len(result.stderr.decode().splitlines()) == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["no/such/folder"], "no such file or folder: no/such/folder"),
        (["--input-format", "pdf", "seeds"], "--input-format must be one of"),
        (["--rules", "no/such/rules", "seeds"], "no/such/rules: no such rule file or folder"),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(args, message):
    result = run(*args)
    assert result.returncode == 2
    stderr = result.stderr.decode().strip()
    assert message in stderr
    assert "Traceback" not in stderr
    assert len(stderr.splitlines()) == 1


def test_malformed_user_pack_is_a_usage_error(tmp_path):
    pack = tmp_path / "site.yaml"
    pack.write_text("category: site\nrules:\n  - code: SITE1\n", encoding="utf-8")
    result = run("--rules", str(tmp_path), str(SEEDS))
    assert result.returncode == 2
    assert f"{pack}: rule 1: code must look like NAV001" in result.stderr.decode()


def test_user_pack_and_select_ignore(tmp_path):
    (tmp_path / "site.yaml").write_text(
        "category: site\nrules:\n  - code: STE001\n    description: Site promo.\n"
        "    patterns: [{regex: 'free access for everyone.*'}]\n"
        "    examples: {match: ['Free access for everyone - Sep. 30']}\n",
        encoding="utf-8",
    )
    seed = str(next(SEEDS.glob("001_*.txt")))
    (record,) = records(run("--rules", str(tmp_path), seed).stdout)
    rules_used = {entry["rule"] for entry in record["removed"]}
    assert "STE001" in rules_used
    (ignored,) = records(run("--rules", str(tmp_path), "--ignore", "STE,MET003", seed).stdout)
    rules_used = {entry["rule"] for entry in ignored["removed"]}
    assert "STE001" not in rules_used and "MET003" not in rules_used


def test_rules_lists_codes_of_packs_and_heuristics():
    result = run("rules")
    assert result.returncode == 0
    listing = result.stdout.decode()
    for code in ("NAV001", "REL001", "CAP001", "BDY001", "MET001"):
        assert code in listing


def test_help_and_version():
    assert b"clean-news PATH" in run("--help").stdout
    assert run("--version").stdout.decode().startswith("clean-news ")
    assert b"--output" in run("clean", "--help").stdout


def test_installed_command_finds_rules_from_another_directory(tmp_path):
    result = run("rules", cwd=tmp_path)
    assert result.returncode == 0
    assert "NAV001" in result.stdout.decode()


@pytest.mark.parametrize("option", ["--select", "--ignore"])
def test_unknown_rule_code_is_a_usage_error(option):
    result = run(option, "NAV,NOPE42", str(SEEDS))
    assert result.returncode == 2
    assert (
        result.stderr.decode()
        .strip()
        .endswith("unknown rule code or prefix 'NOPE42' (`clean-news rules` lists them)")
    )
    assert result.stdout == b""


def test_a_reader_that_goes_away_ends_the_run_quietly():
    writer = subprocess.Popen(
        [*command(), "-q", str(ROOT / "fixtures" / "text")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert writer.stdout is not None
    writer.stdout.read(10)
    writer.stdout.close()  # like `| head -c 10`
    _, stderr = writer.communicate(timeout=120)
    assert writer.returncode == 1
    assert stderr == b""
