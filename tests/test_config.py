"""Configuration in pyproject.toml or clean-news.toml, for `check` and `clean`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleaner.commands.cli import app
from cleaner.run.config import Config, find_config, settings

ARTICLE = "\n\n".join(
    [
        "Home",
        "Council approves new cycle lanes",
        "The city council voted on Tuesday to build four new protected cycle lanes across the "
        "centre, after two years of consultation with residents and shop owners.",
        "Work on the first lane is expected to begin in the spring and to last about six months, "
        "the council said in a statement on its website.",
        "Share on Facebook",
        "Cyclists' groups welcomed the plan but said the lanes should link up with the routes of "
        "the neighbouring towns, so that commuters can ride all the way to work.",
        "Subscribe to our newsletter",
    ]
)
SITE_PACK = """\
category: site
description: This site's own furniture.
rules:
  - code: STE001
    description: The site's council-news footer.
    patterns: [{regex: 'more council news every tuesday'}]
    examples: {match: ['More council news every Tuesday']}
"""


def codes_reported(*args: str) -> set[str]:
    result = CliRunner().invoke(app, ["check", "--output-format", "json", *args])
    assert result.exit_code in (0, 1), result.output
    return {entry["code"] for entry in json.loads(result.stdout)}


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    """A project folder with two articles, the working directory elsewhere."""
    for name in ("articles/story.txt", "articles/legacy/old.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(ARTICLE, encoding="utf-8")
    elsewhere = tmp_path.parent / f"{tmp_path.name}-cwd"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    return tmp_path


def test_no_configuration_reports_every_category(project):
    assert {"NAV", "SOC", "PRO"} <= {code[:3] for code in codes_reported(str(project))}


def test_pyproject_table_is_found_upward_from_the_paths(project):
    (project / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.clean-news]\nselect = ["SOC"]\n', encoding="utf-8"
    )
    assert {code[:3] for code in codes_reported(str(project / "articles"))} == {"SOC"}


def test_pyproject_without_the_table_is_passed_over(project):
    (project / "articles" / "pyproject.toml").write_text('[project]\nname = "x"\n', "utf-8")
    (project / "clean-news.toml").write_text('select = ["NAV"]\n', encoding="utf-8")
    assert {code[:3] for code in codes_reported(str(project / "articles"))} == {"NAV"}


def test_clean_news_toml_comes_before_pyproject_in_one_folder(project):
    (project / "pyproject.toml").write_text('[tool.clean-news]\nselect = ["SOC"]\n', "utf-8")
    (project / "clean-news.toml").write_text('select = ["PRO"]\n', encoding="utf-8")
    assert {code[:3] for code in codes_reported(str(project))} == {"PRO"}


def test_command_line_replaces_the_file_and_extend_select_adds(project):
    (project / "clean-news.toml").write_text(
        'select = ["SOC"]\nextend-select = ["PRO"]\n', encoding="utf-8"
    )
    assert {code[:3] for code in codes_reported(str(project))} == {"SOC", "PRO"}
    assert {c[:3] for c in codes_reported("--select", "NAV", str(project))} == {"NAV", "PRO"}
    extended = codes_reported("--select", "NAV", "--extend-select", "SOC", str(project))
    assert {code[:3] for code in extended} == {"NAV", "SOC", "PRO"}


def test_ignore_from_the_file_and_from_the_command_line(project):
    (project / "clean-news.toml").write_text('ignore = ["SOC", "PRO"]\n', encoding="utf-8")
    assert not {"SOC", "PRO"} & {code[:3] for code in codes_reported(str(project))}
    replaced = {code[:3] for code in codes_reported("--ignore", "NAV", str(project))}
    assert "NAV" not in replaced and "SOC" in replaced


def test_rule_folders_are_relative_to_the_file(project):
    (project / "site-rules").mkdir()
    (project / "site-rules" / "site.yaml").write_text(SITE_PACK, encoding="utf-8")
    (project / "clean-news.toml").write_text('rules = ["site-rules"]\n', encoding="utf-8")
    story = project / "articles" / "story.txt"
    story.write_text(ARTICLE + "\n\nMore council news every Tuesday\n", encoding="utf-8")
    assert "STE001" in codes_reported(str(story))
    explained = CliRunner().invoke(
        app, ["rule", "STE001", "--config", str(project / "clean-news.toml")]
    )
    assert explained.exit_code == 0 and "pack:       site" in explained.stdout


def test_per_file_ignores_match_globs_relative_to_the_file(project):
    (project / "pyproject.toml").write_text(
        '[tool.clean-news.per-file-ignores]\n"articles/legacy/*.txt" = ["SOC", "NAV"]\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["check", "--output-format", "json", str(project)])
    by_file: dict[str, set[str]] = {}
    for entry in json.loads(result.stdout):
        by_file.setdefault(Path(entry["path"]).name, set()).add(entry["code"][:3])
    assert {"SOC", "NAV"} <= by_file["story.txt"]
    assert not {"SOC", "NAV"} & by_file["old.txt"]


def test_clean_uses_the_configuration_too(project):
    (project / "pyproject.toml").write_text(
        '[tool.clean-news]\nignore = ["PRO"]\n\n'
        '[tool.clean-news.per-file-ignores]\n"old.txt" = ["SOC"]\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["clean", str(project / "articles")])
    assert result.exit_code == 0, result.output
    rules = {
        record["path"]: {entry["rule"][:3] for entry in record["removed"]}
        for record in map(json.loads, result.stdout.splitlines())
    }
    assert "PRO" not in rules["story.txt"] and "SOC" in rules["story.txt"]
    assert not {"PRO", "SOC"} & rules["legacy/old.txt"]


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ('selct = ["NAV"]\n', "unknown key `selct`"),
        ("select = [\n", "invalid TOML"),
        ('select = "NAV"\n', "`select` must be a list of rule codes"),
        ('ignore = ["nav-1"]\n', "`ignore`: 'NAV-1' is not a rule code or prefix"),
        ('rules = "mine"\n', "`rules` must be a list"),
        ("per-file-ignores = 3\n", "`per-file-ignores` must be a table"),
    ],
)
def test_a_bad_file_is_a_usage_error_naming_it(project, content, problem):
    config = project / "clean-news.toml"
    config.write_text(content, encoding="utf-8")
    for command in ("check", "clean"):
        result = CliRunner().invoke(app, [command, str(project)])
        assert result.exit_code == 2
        assert f"{config}: {problem}" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1


def test_named_configuration_file_replaces_the_search(project):
    (project / "clean-news.toml").write_text('select = ["SOC"]\n', encoding="utf-8")
    named = project / "team.toml"
    named.write_text('select = ["NAV"]\n', encoding="utf-8")
    assert {c[:3] for c in codes_reported("--config", str(named), str(project))} == {"NAV"}
    missing = CliRunner().invoke(app, ["check", "--config", str(project / "nope.toml"), "x"])
    assert missing.exit_code == 2


def test_settings_merge():
    assert find_config(Path("/")) == Config()
    config = Config(path=Path("/p/clean-news.toml"), select=("NAV",), ignore=("NAV001",))
    merged = settings(config)
    assert merged.select == ("NAV",) and merged.ignore == ("NAV001",)
    assert merged.root == Path("/p")
    overridden = settings(config, select=("SOC",), ignore=("SOC001",))
    assert overridden.select == ("SOC",) and overridden.ignore == ("SOC001",)
    assert not overridden.code_filter_for(Path("/p/a.txt")).enabled("SOC001")
