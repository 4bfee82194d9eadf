"""The `clean-news` command line."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from cleaner import __version__
from cleaner.decide import HEURISTICS
from cleaner.inputs import INPUT_FORMATS, UnreadableInput, missing_paths
from cleaner.learn import MIN_DOCS, LearnError, SiteCleaners, learn_batch, walk
from cleaner.metadata import METADATA_CODES
from cleaner.model import SourceDocument
from cleaner.pipeline import Cleaner
from cleaner.record import error_record
from cleaner.report import RecordError, read_records
from cleaner.report import render as render_report
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
InputFormatOption = Annotated[
    str,
    typer.Option(
        metavar="[auto|text|html]",
        help="Treat inputs as text or html; auto decides by suffix and content.",
    ),
]
MinDocsOption = Annotated[
    int,
    typer.Option(
        "--min-docs",
        min=1,
        metavar="N",
        help="A line is learned when it recurs in at least N documents of a site.",
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


def _load(extra: list[Path] | None) -> list[Rule]:
    try:
        return load_rules(extra or [])
    except RulePackError as exc:
        raise fail(str(exc)) from None


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
    learn: Annotated[
        bool,
        typer.Option(
            "--learn",
            help="First learn each site's recurring lines from the inputs (as `learn` does), "
            "then clean every document with its site's learned rules.",
        ),
    ] = False,
    min_docs: MinDocsOption = MIN_DOCS,
) -> None:
    """Clean documents and write one JSON record per document (JSON Lines)."""
    if input_format not in INPUT_FORMATS:
        raise fail(
            f"--input-format must be one of {', '.join(INPUT_FORMATS)}, not {input_format!r}"
        )
    if missing := missing_paths(paths):
        raise fail(f"no such file or folder: {missing[0]}")
    code_filter = CodeFilter(_codes(select) or ("ALL",), _codes(ignore))
    cleaner = Cleaner(rules=_load(rules), code_filter=code_filter)
    site_cleaners = _learn_sites(paths, input_format, cleaner, min_docs) if learn else None
    failed = 0
    try:
        sink = output.open("w", encoding="utf-8") if output else sys.stdout
    except OSError as exc:
        raise fail(f"cannot write {output}: {exc.strerror or exc}") from None
    try:
        for sourced in walk(paths, input_format):
            document = sourced.document
            if isinstance(document, UnreadableInput):
                source = SourceDocument(document.path, b"", document.input_format)
                record = error_record(source, document.message)
            elif site_cleaners:
                record = site_cleaners.cleaner_for(sourced.given, document).clean(document)
            else:
                record = cleaner.clean(document)
            if record["error"]:
                failed += 1
                errors.print(f"{record['path']}: {record['error']}", markup=False)
            sink.write(json.dumps(record, ensure_ascii=False) + "\n")
            sink.flush()
    finally:
        if output:
            sink.close()
    raise typer.Exit(EXIT_SOME_FAILED if failed else EXIT_OK)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _learn_sites(
    paths: list[str], input_format: str, cleaner: Cleaner, min_docs: int
) -> SiteCleaners:
    """The first pass of `clean --learn`; unreadable documents are reported by the second."""
    if "-" in paths:
        raise fail("--learn reads the inputs twice, so it cannot read '-' (stdin)")
    try:
        return SiteCleaners(cleaner, learn_batch(paths, input_format, cleaner, min_docs))
    except LearnError as exc:
        raise fail(str(exc)) from None


def write_atomically(path: Path, text: str) -> None:
    """Write a whole file or nothing: a temporary file beside it is renamed over it."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise fail(f"cannot write {path}: {exc.strerror or exc}") from None


@app.command(
    "learn",
    epilog="Exit status: 0 a pack was written; 1 nothing recurs (no pack is written) or some "
    "documents could not be read (each named on stderr); 2 usage error.",
)
def learn_command(
    paths: Annotated[
        list[str],
        typer.Argument(metavar="PATH...", help="Files or folders, walked for .txt .md .html .htm."),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "-o", "--output", metavar="FILE", help="Write the rule pack here, not stdout."
        ),
    ] = None,
    min_docs: MinDocsOption = MIN_DOCS,
    input_format: InputFormatOption = "auto",
    rules: RulesOption = None,
    select: SelectOption = None,
    ignore: IgnoreOption = None,
) -> None:
    """Learn each site's recurring lines from a corpus and write them as a rule pack (YAML).

    Documents are grouped by site: the host of the URL the document gives, else its folder.
    Lines already removed by a rule (built-in or --rules) are not learned again.
    """
    if input_format not in INPUT_FORMATS:
        raise fail(
            f"--input-format must be one of {', '.join(INPUT_FORMATS)}, not {input_format!r}"
        )
    if missing := missing_paths(paths):
        raise fail(f"no such file or folder: {missing[0]}")
    if "-" in paths:
        raise fail("learn needs documents from files or folders, not '-' (stdin)")
    code_filter = CodeFilter(_codes(select) or ("ALL",), _codes(ignore))
    cleaner = Cleaner(rules=_load(rules), code_filter=code_filter)
    try:
        learning = learn_batch(paths, input_format, cleaner, min_docs)
    except LearnError as exc:
        raise fail(str(exc)) from None
    for path, problem in learning.failures:
        errors.print(f"{path}: {problem}", markup=False)
    documents, sites = learning.learner.documents, learning.site_count
    if not learning.rules:
        errors.print(
            f"clean-news: no line recurs in {min_docs} or more documents of a site "
            f"({_count(documents, 'document')}, {_count(sites, 'site')}); no pack written",
            markup=False,
        )
        raise typer.Exit(EXIT_SOME_FAILED)
    text = learning.pack_yaml()
    if output:
        write_atomically(output, text)
    else:
        sys.stdout.write(text)
    errors.print(
        f"learned {_count(len(learning.rules), 'rule')} from {_count(documents, 'document')} "
        f"of {_count(sites, 'site')}" + (f" -> {output}" if output else ""),
        markup=False,
    )
    raise typer.Exit(EXIT_SOME_FAILED if learning.failures else EXIT_OK)


@app.command(
    "report",
    epilog="Exit status: 0 the page was written from every line; 1 some lines were not records "
    "(each named on stderr, the page shows the rest); 2 usage error.",
)
def report_command(
    records: Annotated[
        str, typer.Argument(metavar="RECORDS.jsonl", help="Records from `clean`; '-' reads stdin.")
    ],
    output: Annotated[
        Path, typer.Option("-o", "--output", metavar="FILE", help="The HTML page to write.")
    ],
) -> None:
    """Write one self-contained HTML page to review the records: each document with its kept
    lines and its removed lines struck through, charts of removals by rule and category, and
    a search box."""
    try:
        if records == "-":
            lines = sys.stdin.read().splitlines()
        else:
            lines = Path(records).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise fail(f"cannot read {records}: {getattr(exc, 'strerror', None) or exc}") from None
    documents, problems = [], 0
    for item in read_records(lines, records):
        if isinstance(item, RecordError):
            problems += 1
            errors.print(str(item), markup=False)
        else:
            documents.append(item)
    write_atomically(output, render_report(documents, Path(records).name))
    raise typer.Exit(EXIT_SOME_FAILED if problems else EXIT_OK)


@app.command("rules")
def list_rules(rules: RulesOption = None) -> None:
    """List every rule and heuristic with its code, category and action."""
    table = Table(title="clean-news rules", show_lines=False)
    for column in ("code", "category", "action", "languages", "description"):
        table.add_column(column, overflow="fold")
    for rule in _load(rules):
        languages = ", ".join(sorted(rule.languages)) if rule.languages else "any"
        table.add_row(rule.code, rule.category, rule.action, languages, rule.description)
    for code, reason in HEURISTICS.items():
        table.add_row(code, "heuristic", "drop-line", "any", reason)
    for code, reason in METADATA_CODES.items():
        table.add_row(code, "metadata", "move", "any", reason)
    Console().print(table)


_COMMANDS = {"clean", "learn", "report", "rules"}


def main() -> None:
    """Entry point: `clean-news PATH...` runs `clean` when no command is named."""
    args = sys.argv[1:]
    if args and args[0] not in _COMMANDS and args[0] not in {"-h", "--help", "--version"}:
        sys.argv.insert(1, "clean")
    app(prog_name="clean-news")
