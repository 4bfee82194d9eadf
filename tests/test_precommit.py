"""The hooks in .pre-commit-hooks.yaml, run by the real pre-commit in a new git repository.

pre-commit installs this project from the checkout's committed HEAD into its own virtual
environment (pip, from PyPI), so the hooks tested are the committed ones. The environments are
kept in the pytest cache: the install happens once per commit, and `pre-commit gc` drops those of
commits that no test repository uses any more."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import GREEDY_PACK, GREEDY_PARAGRAPHS, GREEDY_STORY, ROOT

# pre-commit installs the committed project into its own environment, from PyPI.
pytestmark = [pytest.mark.slow, pytest.mark.network]

PARAGRAPHS = [
    "Skip to content",
    "Council approves new cycle lanes",
    "The city council voted on Tuesday to build four new protected cycle lanes across the "
    "centre, after two years of consultation with residents and shop owners.",
    "Work on the first lane is expected to begin in the spring and to last about six months, "
    "the council said in a statement on its website.",
    "Share on Facebook",
    "Cyclists' groups welcomed the plan but said the lanes should link up with the routes of "
    "the neighbouring towns, so that commuters can ride all the way to work.",
    "Back to top",
]
STORY = "\n\n".join(PARAGRAPHS) + "\n"
DEBRIS = ("Skip to content", "Share on Facebook", "Back to top")


def git(repo: Path, *args: str, env: dict[str, str]) -> str:
    result = subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=Test", "-c", "user.email=test@example.invalid",
         *args],
        capture_output=True, text=True, env=env, check=True, timeout=60,
    )  # fmt: skip
    return result.stdout.strip()


def test_hooks_fail_on_debris_fix_it_and_then_pass(tmp_path, request):
    # The hook must run the installed commit, not this checkout's modules, and the temporary
    # repository must not inherit a surrounding git operation's variables.
    env = {
        key: value
        for key, value in os.environ.items()
        if key != "PYTHONPATH" and not key.startswith("GIT_")
    }
    cache = getattr(request.config, "cache", None)  # None with -p no:cacheprovider
    home = cache.mkdir("pre-commit-home") if cache else tmp_path / "pre-commit-home"
    env["PRE_COMMIT_HOME"] = str(home)
    head = git(ROOT, "rev-parse", "HEAD", env=env)

    repo = tmp_path / "articles"
    repo.mkdir()
    git(repo, "init", "-q", env=env)
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {json.dumps(str(ROOT))}\n    rev: {head}\n"
        "    hooks:\n      - id: clean-news-check\n      - id: clean-news-fix\n",
        encoding="utf-8",
    )
    git(repo, "add", ".pre-commit-config.yaml", env=env)
    git(repo, "commit", "-q", "-m", "pre-commit configuration", env=env)
    story = repo / "story.txt"
    story.write_text(STORY, encoding="utf-8")
    git(repo, "add", "story.txt", env=env)

    def hook(name: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "pre_commit", "run", name, "--all-files", "--color", "never"],
            cwd=repo, capture_output=True, text=True, env=env, timeout=900,
        )  # fmt: skip

    checked = hook("clean-news-check")
    assert checked.returncode == 1, checked.stdout + checked.stderr
    assert "story.txt:1:1: NAV" in checked.stdout
    assert "Found 3 debris lines in 1 file" in checked.stdout
    assert story.read_text(encoding="utf-8") == STORY  # checking writes nothing

    fixed = hook("clean-news-fix")
    assert fixed.returncode == 1  # pre-commit fails a hook that changed files
    assert "fixed story.txt: removed 3 debris lines" in fixed.stdout
    assert "files were modified by this hook" in fixed.stdout
    text = story.read_text(encoding="utf-8")
    assert text == "\n\n".join(p for p in PARAGRAPHS if p not in DEBRIS) + "\n"

    git(repo, "add", "story.txt", env=env)
    for name in ("clean-news-check", "clean-news-fix"):
        passed = hook(name)
        assert passed.returncode == 0, passed.stdout + passed.stderr
        assert "Passed" in passed.stdout

    # A rule pack that takes article sentences for debris (a learned rule nobody reviewed):
    # the fix hook removes only the safe debris and leaves the article's paragraphs.
    (repo / "rules").mkdir()
    (repo / "rules" / "site.yaml").write_text(GREEDY_PACK, encoding="utf-8")
    (repo / "pyproject.toml").write_text('[tool.clean-news]\nrules = ["rules"]\n', encoding="utf-8")
    eaten = repo / "eaten.txt"
    eaten.write_text(GREEDY_STORY, encoding="utf-8")
    git(repo, "add", ".", env=env)
    fixed = hook("clean-news-fix")
    assert fixed.returncode == 1
    assert "unsafe fixes held back" in fixed.stdout
    assert all(p in eaten.read_text(encoding="utf-8") for p in GREEDY_PARAGRAPHS)
    subprocess.run([sys.executable, "-m", "pre_commit", "gc"], env=env, capture_output=True)
