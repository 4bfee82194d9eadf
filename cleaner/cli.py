"""The `clean-news` command line."""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from cleaner import __version__
from cleaner.batch import BatchConfig, Cleaners, CleanerSpec, UsageError, run_batch
from cleaner.check import CheckFilter, run_check
from cleaner.config import ConfigError, Settings, find_config, load_config, search_start, settings
from cleaner.decide import HEURISTICS
from cleaner.explain import explain
from cleaner.inputs import DEFAULT_MAX_BYTES, INPUT_FORMATS, FileSelection, missing_paths
from cleaner.learn import MIN_DOCS, LearnError, learn_batch, site_rules
from cleaner.metadata import METADATA_CODES
from cleaner.outputs import OUTPUT_FORMATS
from cleaner.pipeline import Cleaner
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


def _rules_for(run: Settings) -> list[Rule]:
    """The rules a run uses; a selected or ignored code that names no rule is a usage error
    (a typo would otherwise select nothing, or ignore nothing, without a word)."""
    rules = _load(run.rule_paths)
    known = [rule.code for rule in rules] + list(HEURISTICS) + list(METADATA_CODES)
    given = run.select + run.ignore + tuple(c for _, codes in run.per_file_ignores for c in codes)
    for code in given:
        # LRN codes appear only once `--learn` has learned them.
        if (
            code != "ALL"
            and not code.startswith("LRN")
            and not any(k.startswith(code) for k in known)
        ):
            raise fail(f"unknown rule code or prefix {code!r} (`clean-news rules` lists them)")
    return rules


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


def _check_cleaners(run: Settings) -> Cleaners:
    """One cleaner per distinct code filter (per-file ignores), metadata codes always on."""
    return Cleaners(CleanerSpec(tuple(_rules_for(run)), run, filter_type=CheckFilter))


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
    extend_select: ExtendSelectOption = None,
    config: ConfigOption = None,
    learn: Annotated[
        bool,
        typer.Option(
            "--learn",
            help="First learn each site's recurring lines from the inputs (as `learn` does), "
            "then clean every document with its site's learned rules.",
        ),
    ] = False,
    min_docs: MinDocsOption = MIN_DOCS,
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
    run = _settings(paths, config, select, ignore, extend_select, rules)
    spec = CleanerSpec(tuple(_rules_for(run)), run)
    if learn:
        spec = _learn_sites(paths, input_format, spec, min_docs)
    batch = BatchConfig(
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
        summary = run_batch(batch, spec, errors)
    except UsageError as exc:
        raise fail(str(exc)) from None
    except BrokenPipeError:
        # The reader went away (`clean-news FOLDER | head`): stop quietly, as other tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(EXIT_SOME_FAILED) from None
    except OSError as exc:
        target = exc.filename or output or "stdout"
        raise fail(f"cannot write {target}: {exc.strerror or exc}") from None
    except KeyboardInterrupt:
        errors.print("clean-news: interrupted; run again with --resume to go on", markup=False)
        raise typer.Exit(EXIT_INTERRUPTED) from None
    raise typer.Exit(EXIT_SOME_FAILED if summary.failed else EXIT_OK)


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
    clean_run = run_check(paths, _check_cleaners(run).for_file, mode, output_format)
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


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _learn_sites(
    paths: list[str], input_format: str, spec: CleanerSpec, min_docs: int
) -> CleanerSpec:
    """The first pass of `clean --learn`; unreadable documents are reported by the second."""
    if "-" in paths:
        raise fail("--learn reads the inputs twice, so it cannot read '-' (stdin)")
    try:
        learning = learn_batch(paths, input_format, spec.build(), min_docs)
    except LearnError as exc:
        raise fail(str(exc)) from None
    return replace(spec, site_rules=site_rules(learning), site_of=learning.sites)


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
    """Write one self-contained HTML page to review the records.

    Each document is shown with its kept lines and its removed lines struck through, beside
    charts of removals by rule and category and a search box.
    """
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
def list_rules(rules: RulesOption = None, config: ConfigOption = None) -> None:
    """List every rule and heuristic with its code, category and action."""
    table = Table(title="clean-news rules", show_lines=False)
    for column in ("code", "category", "action", "languages", "description"):
        table.add_column(column, overflow="fold")
    for rule in _load(_settings([], config, rules=rules).rule_paths):
        languages = ", ".join(sorted(rule.languages)) if rule.languages else "any"
        table.add_row(rule.code, rule.category, rule.action, languages, escape(rule.description))
    for code, reason in HEURISTICS.items():
        table.add_row(code, "heuristic", "drop-line", "any", reason)
    for code, reason in METADATA_CODES.items():
        table.add_row(code, "metadata", "move", "any", reason)
    Console().print(table)


_COMMANDS = {"check", "clean", "learn", "report", "rule", "rules"}


def main() -> None:
    """Entry point: `clean-news PATH...` runs `clean` when no command is named."""
    args = sys.argv[1:]
    if args and args[0] not in _COMMANDS and args[0] not in {"-h", "--help", "--version"}:
        sys.argv.insert(1, "clean")
    app(prog_name="clean-news")
