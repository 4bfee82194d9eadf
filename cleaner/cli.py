"""The `clean-news` command line."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from cleaner import __version__
from cleaner.check import CheckFilter, run_check
from cleaner.config import ConfigError, Settings, find_config, load_config, search_start, settings
from cleaner.decide import HEURISTICS
from cleaner.explain import explain
from cleaner.inputs import INPUT_FORMATS, UnreadableInput, iter_documents, missing_paths
from cleaner.metadata import METADATA_CODES
from cleaner.model import SourceDocument
from cleaner.pipeline import Cleaner
from cleaner.record import error_record
from cleaner.rules import CodeFilter, Rule, RulePackError, load_rules

app = typer.Typer(
    name="clean-news",
    help="Strip boilerplate from scraped news and emit clean article text with metadata.\n\n"
    "`clean-news PATH...` is short for `clean-news clean PATH...`.",
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
errors = Console(stderr=True, highlight=False, soft_wrap=True)

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2

RulesOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--rules",
        metavar="PATH",
        help="Extra rule pack file or folder of *.yaml packs (repeatable).",
    ),
]
SelectOption = Annotated[
    list[str] | None,
    typer.Option(
        metavar="CODES", help="Only these rule codes or prefixes, comma-separated (default: ALL)."
    ),
]
IgnoreOption = Annotated[
    list[str] | None,
    typer.Option(metavar="CODES", help="Turn off these rule codes or prefixes, comma-separated."),
]
ExtendSelectOption = Annotated[
    list[str] | None,
    typer.Option(metavar="CODES", help="Add these rule codes or prefixes to the selection."),
]
ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        metavar="FILE",
        help="Read settings from this pyproject.toml or clean-news.toml instead of the nearest.",
    ),
]


def fail(message: str) -> typer.Exit:
    """Print one clear line for a usage error and return the exit to raise."""
    errors.print(f"clean-news: error: {message}", markup=False)
    return typer.Exit(EXIT_USAGE)


def _codes(values: list[str] | None) -> tuple[str, ...]:
    return tuple(
        code.strip().upper() for value in values or [] for code in value.split(",") if code.strip()
    )


def _load(extra: list[Path] | tuple[Path, ...] | None) -> list[Rule]:
    try:
        return load_rules(extra or [])
    except RulePackError as exc:
        raise fail(str(exc)) from None


def _settings(
    paths: list[str],
    config: Path | None,
    select: list[str] | None = None,
    ignore: list[str] | None = None,
    extend_select: list[str] | None = None,
    rules: list[Path] | None = None,
) -> Settings:
    """The configuration file (named, else the nearest) merged with the command line."""
    try:
        found = load_config(config) if config else find_config(search_start(paths))
    except ConfigError as exc:
        raise fail(str(exc)) from None
    return settings(found, _codes(select), _codes(ignore) or None, _codes(extend_select), rules)


class _Cleaners:
    """One cleaner per distinct code filter (per-file ignores), all sharing the loaded rules."""

    def __init__(self, run: Settings, for_check: bool = False) -> None:
        self.settings = run
        self.rules = _load(run.rule_paths)
        self.for_check = for_check
        self.cache: dict[CodeFilter, Cleaner] = {}

    def __call__(self, path: Path | None) -> Cleaner:
        code_filter = self.settings.code_filter_for(path)
        if self.for_check:
            code_filter = CheckFilter(code_filter.select, code_filter.ignore)
        if code_filter not in self.cache:
            self.cache[code_filter] = Cleaner(rules=self.rules, code_filter=code_filter)
        return self.cache[code_filter]


def version_callback(value: bool) -> None:
    if value:
        typer.echo(f"clean-news {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=version_callback, is_eager=True, help="Show the version."
        ),
    ] = False,
) -> None:
    """Strip boilerplate from scraped news and emit clean article text with metadata."""


@app.command(
    epilog="Exit status: 0 all documents cleaned; 1 some failed (each still has a record with "
    "its error); 2 usage error."
)
def clean(
    paths: Annotated[
        list[str],
        typer.Argument(
            metavar="PATH...",
            help="Files or folders (walked for .txt .md .html .htm); '-' reads stdin.",
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "-o", "--output", metavar="FILE", help="Write JSON Lines records here, not stdout."
        ),
    ] = None,
    input_format: Annotated[
        str,
        typer.Option(
            metavar="[auto|text|html]",
            help="Treat inputs as text or html; auto decides by suffix and content.",
        ),
    ] = "auto",
    rules: RulesOption = None,
    select: SelectOption = None,
    ignore: IgnoreOption = None,
    extend_select: ExtendSelectOption = None,
    config: ConfigOption = None,
) -> None:
    """Clean documents and write one JSON record per document (JSON Lines)."""
    if input_format not in INPUT_FORMATS:
        raise fail(
            f"--input-format must be one of {', '.join(INPUT_FORMATS)}, not {input_format!r}"
        )
    if missing := missing_paths(paths):
        raise fail(f"no such file or folder: {missing[0]}")
    cleaner_for = _Cleaners(_settings(paths, config, select, ignore, extend_select, rules))
    failed = 0
    try:
        sink = output.open("w", encoding="utf-8") if output else sys.stdout
    except OSError as exc:
        raise fail(f"cannot write {output}: {exc.strerror or exc}") from None
    try:
        for given, document in _documents(paths, input_format):
            if isinstance(document, UnreadableInput):
                source = SourceDocument(document.path, b"", document.input_format)
                record = error_record(source, document.message)
            else:
                record = cleaner_for(_source_path(given, document.path)).clean(document)
            if record["error"]:
                failed += 1
                errors.print(f"{record['path']}: {record['error']}", markup=False)
            sink.write(json.dumps(record, ensure_ascii=False) + "\n")
            sink.flush()
    finally:
        if output:
            sink.close()
    raise typer.Exit(EXIT_SOME_FAILED if failed else EXIT_OK)


def _documents(
    paths: list[str], input_format: str
) -> Iterator[tuple[str, SourceDocument | UnreadableInput]]:
    """Each document with the command-line path it came from (for per-file ignores)."""
    for given in paths:
        for document in iter_documents([given], input_format):
            yield given, document


def _source_path(given: str, shown: str) -> Path | None:
    """The file a document was read from: `shown` is relative to a folder argument."""
    if given == "-":
        return None
    return Path(given) / shown if Path(given).is_dir() else Path(given)


@app.command(
    epilog="Exit status: 0 no debris; 1 debris found (with --fix: debris left; with --diff: a file "
    "would change) or a file could not be checked; 2 usage error."
)
def check(
    paths: Annotated[
        list[str],
        typer.Argument(metavar="PATH...", help="Text files, or folders walked for .txt and .md."),
    ],
    fix: Annotated[
        bool, typer.Option("--fix", help="Remove the debris lines from the files, in place.")
    ] = False,
    diff: Annotated[
        bool,
        typer.Option("--diff", help="Print the fix as a unified diff instead of writing it."),
    ] = False,
    output_format: Annotated[
        str,
        typer.Option(metavar="[text|json]", help="Findings as text lines or as a JSON list."),
    ] = "text",
    rules: RulesOption = None,
    select: SelectOption = None,
    ignore: IgnoreOption = None,
    extend_select: ExtendSelectOption = None,
    config: ConfigOption = None,
) -> None:
    """Report debris lines in stored text articles as path:line:col: CODE message."""
    if output_format not in ("text", "json"):
        raise fail(f"--output-format must be text or json, not {output_format!r}")
    if fix and diff:
        raise fail("--fix and --diff do not combine: --diff shows the fix without writing it")
    if diff and output_format == "json":
        raise fail("--diff prints a diff; it does not combine with --output-format json")
    if "-" in paths:
        raise fail("check reads files, not stdin ('-')")
    if missing := missing_paths(paths):
        raise fail(f"no such file or folder: {missing[0]}")
    run = _settings(paths, config, select, ignore, extend_select, rules)
    mode = "fix" if fix else "diff" if diff else "check"
    clean_run = run_check(paths, _Cleaners(run, for_check=True), mode, output_format)
    raise typer.Exit(EXIT_OK if clean_run else EXIT_SOME_FAILED)


@app.command("rule")
def explain_rule(
    code: Annotated[str, typer.Argument(metavar="CODE", help="A rule or heuristic code.")],
    rules: RulesOption = None,
    config: ConfigOption = None,
) -> None:
    """Explain one rule: its pack, action, languages, patterns and examples."""
    run = _settings([], config, rules=rules)
    text = explain(code.strip().upper(), _load(run.rule_paths))
    if text is None:
        raise fail(f"unknown rule code {code!r} (`clean-news rules` lists them all)")
    typer.echo(text)


@app.command("rules")
def list_rules(rules: RulesOption = None, config: ConfigOption = None) -> None:
    """List every rule and heuristic with its code, category and action."""
    table = Table(title="clean-news rules", show_lines=False)
    for column in ("code", "category", "action", "languages", "description"):
        table.add_column(column, overflow="fold")
    for rule in _load(_settings([], config, rules=rules).rule_paths):
        languages = ", ".join(sorted(rule.languages)) if rule.languages else "any"
        table.add_row(rule.code, rule.category, rule.action, languages, rule.description)
    for code, reason in HEURISTICS.items():
        table.add_row(code, "heuristic", "drop-line", "any", reason)
    for code, reason in METADATA_CODES.items():
        table.add_row(code, "metadata", "move", "any", reason)
    Console().print(table)


_COMMANDS = {"check", "clean", "rule", "rules"}


def main() -> None:
    """Entry point: `clean-news PATH...` runs `clean` when no command is named."""
    args = sys.argv[1:]
    if args and args[0] not in _COMMANDS and args[0] not in {"-h", "--help", "--version"}:
        sys.argv.insert(1, "clean")
    app(prog_name="clean-news")
