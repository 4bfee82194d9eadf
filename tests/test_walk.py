"""The one folder walk, decoder and atomic writer that every command shares: `check` walks like
ruff (hidden and .gitignore'd paths skipped, `exclude`/`extend-exclude`), and reads a file as
`clean` does."""

from __future__ import annotations

import codecs
import os
import subprocess
from pathlib import Path

import pytest

from helpers import ARTICLE, findings, records, run

DEBRIS = ARTICLE  # its last line, "Back to top", is debris


def tree(root: Path, files: list[str]) -> Path:
    for name in files:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(DEBRIS, encoding="utf-8")
    return root


def checked(result) -> list[str]:
    return sorted({match["path"] for match in findings(result.stdout.decode())})


def test_check_skips_hidden_folders_and_files(tmp_path):
    root = tree(tmp_path / "repo", ["a.txt", ".drafts/b.txt", "sub/.c.txt", "sub/d.md"])
    result = run("check", str(root))
    assert checked(result) == [f"{root}/a.txt", f"{root}/sub/d.md"]


def test_check_skips_what_gitignore_files_ignore(tmp_path):
    root = tree(
        tmp_path / "repo",
        ["a.txt", "build/b.txt", "sub/c.txt", "sub/keep.txt", "sub/deep/e.txt", "notes/f.txt"],
    )
    (root / ".gitignore").write_text("build/\n*.txt\n!a.txt\n!sub/**/\n!sub/*.txt\n")
    (root / "sub" / ".gitignore").write_text("c.txt\n")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    result = run("check", str(root))
    assert checked(result) == [f"{root}/a.txt", f"{root}/sub/keep.txt"]
    # The repository's .gitignore applies to a folder below it, as git reads it.
    assert checked(run("check", str(root / "sub"))) == [f"{root}/sub/keep.txt"]


def test_files_named_on_the_command_line_are_always_checked(tmp_path):
    root = tree(tmp_path / "repo", ["build/b.txt", ".hidden/h.txt", "venv/v.txt"])
    (root / ".gitignore").write_text("build/\n")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    named = [str(root / "build/b.txt"), str(root / ".hidden/h.txt"), str(root / "venv/v.txt")]
    assert checked(run("check", *named, "--exclude", "venv")) == sorted(named)
    assert checked(run("check", str(root))) == []


def test_exclude_and_extend_exclude(tmp_path):
    root = tree(tmp_path / "repo", ["a.txt", "drafts/b.txt", "venv/c.txt", "x/old-d.txt"])
    assert checked(run("check", str(root))) == [
        f"{root}/a.txt",
        f"{root}/drafts/b.txt",
        f"{root}/x/old-d.txt",
    ]
    # --exclude replaces the default exclusions (venv), --extend-exclude adds to them.
    assert checked(run("check", "--exclude", "drafts", str(root))) == [
        f"{root}/a.txt",
        f"{root}/venv/c.txt",
        f"{root}/x/old-d.txt",
    ]
    assert checked(run("check", "--extend-exclude", "old-*", str(root))) == [
        f"{root}/a.txt",
        f"{root}/drafts/b.txt",
    ]


def test_exclude_keys_of_the_configuration(tmp_path):
    root = tree(tmp_path / "repo", ["a.txt", "drafts/b.txt", "archive/2019/c.txt"])
    (root / "pyproject.toml").write_text(
        '[tool.clean-news]\nextend-exclude = ["drafts", "archive/2019"]\n', encoding="utf-8"
    )
    assert checked(run("check", str(root))) == [f"{root}/a.txt"]
    # `clean` walks the same way.
    paths = [r["path"] for r in records(run("-q", str(root)).stdout)]
    assert paths == ["a.txt"]


def test_a_bad_exclude_in_the_configuration_names_the_file(tmp_path):
    (tmp_path / "clean-news.toml").write_text("exclude = 'drafts'\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    result = run("check", str(tmp_path / "a.txt"))
    assert result.returncode == 2
    assert result.stderr.decode().strip() == (
        f"clean-news: error: {tmp_path / 'clean-news.toml'}: `exclude` must be a list of glob "
        "patterns"
    )


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(ARTICLE.encode("utf-16-le"), id="utf-16 without a byte-order mark"),
        pytest.param(ARTICLE.replace("spring", "spr\x00ing").encode(), id="a stray NUL byte"),
    ],
)
def test_check_reads_a_file_as_clean_does(tmp_path, data):
    """The cases where check's own decoder had drifted from clean's: check now finds exactly
    the debris lines that clean removes."""
    path = tmp_path / "a.txt"
    path.write_bytes(data)
    cleaned = records(run("-q", str(path)).stdout)[0]
    assert cleaned["error"] is None
    result = run("check", str(path))
    assert result.returncode == 1, result.stderr
    reported = {(int(m["line"]), m["code"]) for m in findings(result.stdout.decode())}
    removed = {
        (e["line"], e["rule"]) for e in cleaned["removed"] if not e["rule"].startswith("MET")
    }
    assert reported == removed and reported


def test_a_bom_file_round_trips_through_the_shared_decoder(tmp_path):
    path = tmp_path / "a.txt"
    data = codecs.BOM_UTF16_LE + ARTICLE.replace("\n", "\r\n").encode("utf-16-le")
    path.write_bytes(data)
    assert run("check", "--fix", str(path)).returncode == 0
    fixed = path.read_bytes()
    assert fixed.startswith(codecs.BOM_UTF16_LE)
    assert fixed.decode("utf-16").replace("\r\n", "\n") == ARTICLE.replace("Back to top\n", "")[:-1]


@pytest.mark.parametrize("command", ["learn", "report"])
def test_every_command_writes_through_links_and_keeps_permissions(tmp_path, command):
    """`learn -o` and `report -o` use the same atomic writer as `check --fix`: a symbolic link
    stays a link to the rewritten file, and the file keeps its permission bits."""
    corpus = tmp_path / "site"
    for number in range(3):
        (corpus / f"p{number}.txt").parent.mkdir(exist_ok=True)
        (corpus / f"p{number}.txt").write_text(
            "Harbour Times weekly edition\n\n" + ARTICLE.replace("four", str(number + 4)),
            encoding="utf-8",
        )
    real = tmp_path / "real.out"
    real.write_text("old\n")
    real.chmod(0o640)
    link = tmp_path / "link.out"
    link.symlink_to(real)
    if command == "learn":
        result = run("learn", str(corpus), "-o", str(link))
    else:
        jsonl = tmp_path / "r.jsonl"
        jsonl.write_bytes(run("-q", str(corpus)).stdout)
        result = run("report", str(jsonl), "-o", str(link))
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text() != "old\n"
    assert real.stat().st_mode & 0o777 == 0o640
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
