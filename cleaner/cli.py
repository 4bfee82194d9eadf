"""The `clean-news` command line."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from cleaner import __version__
from cleaner.batch import BatchConfig, CleanerSpec, UsageError, run_batch
from cleaner.decide import HEURISTICS
from cleaner.inputs import DEFAULT_MAX_BYTES, INPUT_FORMATS, FileSelection, missing_paths
from cleaner.metadata import METADATA_CODES
from cleaner.outputs import OUTPUT_FORMATS
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

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130

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
    "its error); 2 usage error; 130 interrupted (run again with --resume)."
)
def clean(
    paths: Annotated[
        list[str],
        typer.Argument(
            metavar="PATH...",
            help="Files or folders (walked for .txt .md .html .htm, each also .gz, and "
            ".warc .warc.gz); '-' reads stdin.",
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            metavar="PATH",
            help="Output file (jsonl, json, parquet) or folder (txt, md, dask); default stdout.",
        ),
    ] = None,
    output_format: Annotated[
        str,
        typer.Option(
            "--format", "-f", metavar="[jsonl|json|txt|md|parquet]", help="Output format."
        ),
    ] = "jsonl",
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
    jobs: Annotated[
        int,
        typer.Option("--jobs", "-j", metavar="N", help="Worker processes (0: all cores)."),
    ] = 0,
    include: Annotated[
        list[str] | None,
        typer.Option(metavar="GLOB", help="Only files of walked folders matching (repeatable)."),
    ] = None,
    exclude: Annotated[
        list[str] | None,
        typer.Option(metavar="GLOB", help="Skip files of walked folders matching (repeatable)."),
    ] = None,
    max_bytes: Annotated[
        int,
        typer.Option(metavar="N", help="Largest document accepted, after decompression."),
    ] = DEFAULT_MAX_BYTES,
    resume: Annotated[
        bool,
        typer.Option(help="Skip documents already in the -o JSON Lines file and append the rest."),
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress bar and no summary.")
    ] = False,
    summary_json: Annotated[
        Path | None,
        typer.Option(metavar="FILE", help="Also write the end-of-run summary as JSON here."),
    ] = None,
    executor: Annotated[
        str,
        typer.Option(metavar="[local|dask]", help="Run on this machine or on Dask distributed."),
    ] = "local",
    scheduler: Annotated[
        str | None,
        typer.Option(
            metavar="ADDRESS",
            help="Dask scheduler (tcp://host:8786); default: a local cluster of --jobs workers.",
        ),
    ] = None,
    partition_files: Annotated[
        int,
        typer.Option(metavar="N", help="Input files per Dask partition (part-NNNNN.jsonl)."),
    ] = 64,
) -> None:
    """Clean documents and write one record per document (JSON Lines by default)."""
    if input_format not in INPUT_FORMATS:
        raise fail(
            f"--input-format must be one of {', '.join(INPUT_FORMATS)}, not {input_format!r}"
        )
    if output_format not in OUTPUT_FORMATS:
        raise fail(f"--format must be one of {', '.join(OUTPUT_FORMATS)}, not {output_format!r}")
    if missing := missing_paths(paths):
        raise fail(f"no such file or folder: {missing[0]}")
    code_filter = CodeFilter(_codes(select) or ("ALL",), _codes(ignore))
    config = BatchConfig(
        paths=tuple(paths),
        output=output,
        output_format=output_format,
        input_format=input_format,
        jobs=jobs,
        resume=resume,
        selection=FileSelection(tuple(include or ()), tuple(exclude or ())),
        max_bytes=max_bytes,
        quiet=quiet,
        executor=executor,
        scheduler=scheduler,
        partition_files=partition_files,
        summary_json=summary_json,
    )
    try:
        summary = run_batch(config, CleanerSpec(tuple(_load(rules)), code_filter), errors)
    except UsageError as exc:
        raise fail(str(exc)) from None
    except OSError as exc:
        target = exc.filename or output or "stdout"
        raise fail(f"cannot write {target}: {exc.strerror or exc}") from None
    except KeyboardInterrupt:
        errors.print("clean-news: interrupted; run again with --resume to go on", markup=False)
        raise typer.Exit(EXIT_INTERRUPTED) from None
    raise typer.Exit(EXIT_SOME_FAILED if summary.failed else EXIT_OK)


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


_COMMANDS = {"clean", "rules"}


def main() -> None:
    """Entry point: `clean-news PATH...` runs `clean` when no command is named."""
    args = sys.argv[1:]
    if args and args[0] not in _COMMANDS and args[0] not in {"-h", "--help", "--version"}:
        sys.argv.insert(1, "clean")
    app(prog_name="clean-news")
