"""Safe and unsafe fixes, as in ruff: `check --fix` leaves a fix that would remove a whole list
or much of a file's prose unless `--unsafe-fixes` is given, and says how many it held back."""

from __future__ import annotations

import shutil
from pathlib import Path

from helpers import (
    FIXTURES,
    GREEDY_PACK,
    GREEDY_PARAGRAPHS,
    GREEDY_STORY,
    SEEDS,
    findings,
    run,
)


def write_story(folder: Path) -> Path:
    (folder / "rules").mkdir(parents=True)
    (folder / "rules" / "site.yaml").write_text(GREEDY_PACK, encoding="utf-8")
    story = folder / "story.txt"
    story.write_text(GREEDY_STORY, encoding="utf-8")
    return story


def test_a_fix_that_would_eat_the_prose_is_held_back(tmp_path):
    story = write_story(tmp_path)
    rules = str(tmp_path / "rules")
    result = run("check", "--rules", rules, str(story))
    found = findings(result.stdout.decode())
    unsafe = [m for m in found if m["rest"].startswith("[unsafe fix]")]
    assert {m["code"] for m in unsafe} == {"STE001"} and len(unsafe) == 3
    assert (
        result.stdout.decode()
        .splitlines()[-1]
        .endswith("`clean-news check --fix` removes 1 of them, `--unsafe-fixes` 3 more.")
    )

    fixed = run("check", "--fix", "--rules", rules, str(story))
    assert fixed.returncode == 1  # debris is left
    text = story.read_text(encoding="utf-8")
    assert all(paragraph in text for paragraph in GREEDY_PARAGRAPHS)
    assert "Back to top" not in text  # the safe fix was applied
    summary = fixed.stdout.decode().splitlines()[-1]
    assert "3 unsafe fixes held back (`--unsafe-fixes` applies them)" in summary

    eaten = run("check", "--fix", "--unsafe-fixes", "--rules", rules, str(story))
    assert eaten.returncode == 0, eaten.stdout
    assert [p for p in GREEDY_PARAGRAPHS if p in story.read_text(encoding="utf-8")] == [
        GREEDY_PARAGRAPHS[2]
    ]


def test_a_whole_list_of_debris_is_an_unsafe_fix(tmp_path):
    """Seed 001 ends with a three-item app-promo list that the cleaner reads as debris from end
    to end: its removal is unsafe, so `--fix` keeps it and `--unsafe-fixes` removes it."""
    seed = next(SEEDS.glob("001_*.txt"))
    story = tmp_path / seed.name
    shutil.copy(seed, story)
    bullets = [line for line in seed.read_text(encoding="utf-8").splitlines() if "•" in line]
    assert len(bullets) == 3
    fixed = run("check", "--fix", str(story))
    assert fixed.returncode == 1
    assert "3 unsafe fixes held back" in fixed.stdout.decode()
    kept = story.read_text(encoding="utf-8")
    assert all(line in kept for line in bullets)
    again = run("check", "--fix", "--unsafe-fixes", str(story))
    assert again.returncode == 0, again.stdout
    assert not any(line in story.read_text(encoding="utf-8") for line in bullets)


def test_diff_shows_the_safe_fix_and_counts_the_held_back_ones(tmp_path):
    story = write_story(tmp_path)
    result = run("check", "--diff", "--rules", str(tmp_path / "rules"), str(story))
    assert result.returncode == 1
    diff = result.stdout.decode()
    assert "-Back to top" in diff
    assert not any(f"-{p}" in diff for p in GREEDY_PARAGRAPHS)
    assert "3 unsafe fixes held back" in result.stderr.decode()
    assert story.read_text(encoding="utf-8") == GREEDY_STORY


def test_prose_is_weighed_alike_in_every_script():
    """A Japanese article, written without spaces, with an English copyright line at its end:
    counted in words its paragraphs weighed one word each, and removing the copyright line
    looked like removing much of the prose. Counted in characters, it is a safe fix."""
    article = FIXTURES / "text" / "ja" / "rice_price_high.txt"
    result = run("check", str(article))
    found = findings(result.stdout.decode())
    assert any(m["code"] == "LEG001" for m in found)
    assert not [m for m in found if m["rest"].startswith("[unsafe fix]")]
