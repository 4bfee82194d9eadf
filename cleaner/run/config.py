"""Project configuration: `[tool.clean-news]` in `pyproject.toml`, or a `clean-news.toml`.

The nearest configuration file wins, searching upward from the folder that holds the given
paths. In one folder `clean-news.toml` comes before `pyproject.toml`, and a `pyproject.toml`
without a `[tool.clean-news]` table is passed over, as ruff does. Options given on the command
line replace the file's values; `extend-select` from both adds to the selection.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path

from cleaner.io.inputs import DEFAULT_EXCLUDE, FileSelection
from cleaner.rules.loader import CodeFilter

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10 has no tomllib; tomli is the same parser
    import tomli as tomllib

CONFIG_NAME = "clean-news.toml"
PYPROJECT_NAME = "pyproject.toml"
KEYS = (
    "select",
    "ignore",
    "extend-select",
    "rules",
    "per-file-ignores",
    "exclude",
    "extend-exclude",
)
_CODE = re.compile(r"^(?:ALL|[A-Z]{1,4}[0-9]{0,3})$")


class ConfigError(ValueError):
    """A configuration file that cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class Config:
    """The settings of one configuration file; None where the file says nothing."""

    path: Path | None = None
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    rules: tuple[Path, ...] | None = None  # resolved against the file's folder
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    exclude: tuple[str, ...] | None = None
    extend_exclude: tuple[str, ...] = ()

    @property
    def root(self) -> Path:
        """The folder that per-file-ignore globs are relative to."""
        return self.path.parent if self.path else Path.cwd()


def _codes(path: Path, key: str, value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{path}: `{key}` must be a list of rule codes or prefixes")
    codes = tuple(v.strip().upper() for v in value)
    if bad := [c for c in codes if not _CODE.match(c)]:
        raise ConfigError(f"{path}: `{key}`: {bad[0]!r} is not a rule code or prefix")
    return codes


def _globs(path: Path, key: str, value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ConfigError(f"{path}: `{key}` must be a list of glob patterns")
    return tuple(value)


def parse_config(path: Path, table: dict) -> Config:
    """Validate one configuration table (the `[tool.clean-news]` table or a whole file)."""
    if unknown := sorted(set(table) - set(KEYS)):
        raise ConfigError(f"{path}: unknown key `{unknown[0]}` (known: {', '.join(KEYS)})")
    rules = table.get("rules")
    if rules is not None:
        if not isinstance(rules, list) or not all(isinstance(r, str) for r in rules):
            raise ConfigError(f"{path}: `rules` must be a list of rule pack files or folders")
        rules = tuple(path.parent / r for r in rules)
    per_file = table.get("per-file-ignores", {})
    if not isinstance(per_file, dict):
        raise ConfigError(f"{path}: `per-file-ignores` must be a table of glob = [codes]")
    return Config(
        path=path,
        select=_codes(path, "select", table["select"]) if "select" in table else None,
        ignore=_codes(path, "ignore", table["ignore"]) if "ignore" in table else None,
        extend_select=_codes(path, "extend-select", table.get("extend-select", [])),
        rules=rules,
        per_file_ignores=tuple(
            (glob, _codes(path, f"per-file-ignores.{glob}", codes))
            for glob, codes in per_file.items()
        ),
        exclude=_globs(path, "exclude", table["exclude"]) if "exclude" in table else None,
        extend_exclude=_globs(path, "extend-exclude", table.get("extend-exclude", [])),
    )


def _read_toml(path: Path) -> dict:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None


def _table_of(path: Path) -> dict | None:
    """The clean-news settings in a file, or None for a pyproject.toml without them."""
    data = _read_toml(path)
    if path.name != PYPROJECT_NAME:
        return data
    table = data.get("tool", {}).get("clean-news")
    if table is not None and not isinstance(table, dict):
        raise ConfigError(f"{path}: `tool.clean-news` must be a table")
    return table


def load_config(path: Path) -> Config:
    """The settings of a file named on the command line (`--config`)."""
    if not path.is_file():
        raise ConfigError(f"{path}: no such configuration file")
    return parse_config(path, _table_of(path) or {})


def find_config(start: Path) -> Config:
    """The nearest configuration at or above `start`, or the defaults when there is none."""
    for folder in (start, *start.parents):
        for name in (CONFIG_NAME, PYPROJECT_NAME):
            candidate = folder / name
            if candidate.is_file() and (table := _table_of(candidate)) is not None:
                return parse_config(candidate, table)
    return Config()


def search_start(paths: Sequence[str]) -> Path:
    """Where the search starts: the deepest folder holding all given paths (else the cwd)."""
    given = [os.path.abspath(p) for p in paths if p != "-"]
    if not given:
        return Path.cwd()
    common = Path(os.path.commonpath(given))
    return common if common.is_dir() else common.parent


@dataclass(frozen=True)
class Settings:
    """The configuration file merged with the command line: what a run uses."""

    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
    rule_paths: tuple[Path, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    root: Path = field(default_factory=Path.cwd)
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    # Where each code given in the configuration file came from, for error messages.
    config_path: Path | None = None
    config_codes: frozenset[str] = frozenset()

    def selection(self, include: Sequence[str] = (), gitignore: bool = False) -> FileSelection:
        """What a folder walk keeps under these settings."""
        return FileSelection(tuple(include), self.exclude, self.root, gitignore)

    def ignores_for(self, path: Path | None) -> tuple[str, ...]:
        """The codes that `per-file-ignores` turn off for a file.

        A glob matches the file's path relative to the configuration's folder, or its name."""
        if path is None:
            return ()
        absolute = Path(os.path.abspath(path))
        try:
            relative = absolute.relative_to(self.root).as_posix()
        except ValueError:
            relative = None
        return tuple(
            code
            for glob, codes in self.per_file_ignores
            if (relative is not None and fnmatchcase(relative, glob))
            or fnmatchcase(path.name, glob)
            for code in codes
        )

    def code_filter_for(self, path: Path | None) -> CodeFilter:
        return CodeFilter(self.select, self.ignore + self.ignores_for(path))


def settings(
    config: Config,
    select: Sequence[str] = (),
    ignore: Sequence[str] | None = None,
    extend_select: Sequence[str] = (),
    rules: Sequence[Path] | None = None,
    exclude: Sequence[str] = (),
    extend_exclude: Sequence[str] = (),
) -> Settings:
    """Command-line values replace the file's; `extend-select` and `extend-exclude` from both
    are added."""
    chosen = tuple(select) or config.select or ("ALL",)
    excluded = tuple(exclude) or (config.exclude if config.exclude is not None else DEFAULT_EXCLUDE)
    from_file = {
        *(config.select or ()),
        *(config.ignore or ()),
        *config.extend_select,
        *(code for _, codes in config.per_file_ignores for code in codes),
    }
    return Settings(
        select=chosen + config.extend_select + tuple(extend_select),
        ignore=tuple(ignore) if ignore else (config.ignore or ()),
        rule_paths=tuple(rules) if rules else (config.rules or ()),
        per_file_ignores=config.per_file_ignores,
        root=config.root,
        exclude=excluded + config.extend_exclude + tuple(extend_exclude),
        config_path=config.path,
        config_codes=frozenset(from_file),
    )
