"""The `clean-news` command line."""

from __future__ import annotations

import difflib
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
from cleaner.codes import BUILTIN_CODES, FAMILIES, LEARNED, METADATA, family_of
from cleaner.commands.check import ALWAYS_ON, run_check
from cleaner.commands.explain import explain
from cleaner.commands.learn import MIN_DOCS, LearnError, Learning, learn_batch, site_rules
from cleaner.commands.report import RecordError, read_records
from cleaner.commands.report import render as render_report
from cleaner.io.inputs import (
    DEFAULT_MAX_BYTES,
    INPUT_FORMATS,
    FileSelection,
    OverlapError,
    check_outputs,
    missing_paths,
)
from cleaner.io.outputs import OUTPUT_FORMATS, write_atomically
from cleaner.messages import plural
from cleaner.pipeline.cleaner import Cleaner
from cleaner.rules.loader import (
    CodeFilter,
    Rule,
    RulePackError,
    example_failures,
    load_pack,
    load_rules,
    pack_files,
)
from cleaner.run.batch import run_batch
from cleaner.run.config import (
    ConfigError,
    Settings,
    find_config,
    load_config,
    search_start,
    settings,
)
from cleaner.run.executor import ExecutorFailure
from cleaner.run.interrupt import Interrupted
from cleaner.run.spec import (
    BatchConfig,
    Cleaners,
    CleanerSpec,
    UsageError,
    format_for_output,
)

app = typer.Typer(
    name="clean-news",
    help="Strip boilerplate from scraped news and emit clean article text with metadata.\n\n"
    "`clean-news PATH...` is short for `clean-news clean PATH...`.",
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
errors = Console(stderr=True, highlight=False, soft_wrap=True)


def _hide_type_names() -> None:
    """Recent typer versions print Python types in help (`<bool>` beside a flag,
    `<list[str]>` beside an argument that has a metavar); the metavars say what a value is."""
    from typer import core

    shown_option = getattr(core.TyperOption, "display_type_rich", None)
    shown_argument = getattr(core.TyperArgument, "display_type_rich", None)
    if shown_option is None or shown_argument is None:  # older typer: nothing to hide
        return

    def option_label(option: core.TyperOption, ctx: object) -> str | None:
        if option.metavar is not None or option.is_flag:
            return option.metavar
        return shown_option(option, ctx)

    def argument_label(argument: core.TyperArgument, ctx: object) -> str | None:
        return None if argument.metavar is not None else shown_argument(argument, ctx)

    core.TyperOption.display_type_rich = option_label
    core.TyperArgument.display_type_rich = argument_label


_hide_type_names()

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
ExcludeOption = Annotated[
    list[str] | None,
    typer.Option(
        metavar="GLOB",
        help="Skip files and folders of walked folders matching (repeatable); replaces the "
        "default exclusions and the configuration's `exclude`.",
    ),
]
ExtendExcludeOption = Annotated[
    list[str] | None,
    typer.Option(metavar="GLOB", help="Skip these too, besides `exclude` (repeatable)."),
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
    known = [rule.code for rule in rules] + list(BUILTIN_CODES)
    given = run.select + run.ignore + tuple(c for _, codes in run.per_file_ignores for c in codes)
    for code in given:
        family = family_of(code)
        # Learned codes appear only once `--learn` has learned them.
        if (
            code != "ALL"
            and not (family and family.kind == LEARNED)
            and not any(k.startswith(code) for k in known)
        ):
            where = f"{run.config_path}: " if code in run.config_codes else ""
            raise fail(
                f"{where}unknown rule code or prefix {code!r} (`clean-news rules` lists them)"
            )
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
    exclude: list[str] | None = None,
    extend_exclude: list[str] | None = None,
) -> Settings:
    """The configuration file (named, else the nearest) merged with the command line."""
    try:
        found = load_config(config) if config else find_config(search_start(paths))
    except ConfigError as exc:
        raise fail(str(exc)) from None
    return settings(
        found,
        _codes(select),
        _codes(ignore) or None,
        _codes(extend_select),
        rules,
        tuple(exclude or ()),
        tuple(extend_exclude or ()),
    )


def _check_cleaners(run: Settings) -> Cleaners:
    """One cleaner per distinct code filter (per-file ignores), metadata codes always on."""
    return Cleaners(CleanerSpec(tuple(_rules_for(run)), run, always_on=ALWAYS_ON))


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
    "its error), or a Dask cluster lost a partition (run again with --resume); 2 usage error; "
    "130 interrupted (run again with --resume)."
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
        str | None,
        typer.Option(
            "--format",
            "-f",
            metavar="[jsonl|json|txt|md|parquet]",
            help="Output format (default: from the -o suffix .jsonl .json .parquet, else jsonl).",
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
    exclude: ExcludeOption = None,
    extend_exclude: ExtendExcludeOption = None,
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
    if output_format is not None and output_format not in OUTPUT_FORMATS:
        raise fail(f"--format must be one of {', '.join(OUTPUT_FORMATS)}, not {output_format!r}")
    if missing := missing_paths(paths):
        raise fail(f"no such file or folder: {missing[0]}")
    try:
        chosen_format = format_for_output(output, output_format, executor)
    except UsageError as exc:
        raise fail(str(exc)) from None
    run = _settings(paths, config, select, ignore, extend_select, rules, exclude, extend_exclude)
    batch = BatchConfig(
        paths=tuple(paths),
        output=output,
        output_format=chosen_format,
        input_format=input_format,
        jobs=jobs,
        resume=resume,
        selection=run.selection(include or ()),
        max_bytes=max_bytes,
        quiet=quiet,
        executor=executor,
        scheduler=scheduler,
        partition_files=partition_files,
        summary_json=summary_json,
    )
    try:
        batch.validate()  # before the learning pass, so that a usage error costs nothing
    except UsageError as exc:
        raise fail(str(exc)) from None
    spec = CleanerSpec(tuple(_rules_for(run)), run)
    if learn:
        spec = _learn_sites(paths, input_format, spec, min_docs, batch.walk)
    resumable = output is not None and chosen_format == "jsonl"
    resume_hint = "; run again with --resume to go on" if resumable else ""
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
    except ExecutorFailure as exc:
        errors.print(f"clean-news: error: {exc}{resume_hint}", markup=False)
        raise typer.Exit(EXIT_SOME_FAILED) from None
    except Interrupted:
        errors.print(f"clean-news: interrupted{resume_hint}", markup=False)
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
    unsafe_fixes: Annotated[
        bool,
        typer.Option(
            "--unsafe-fixes",
            help="Also apply the unsafe fixes (a whole list, or much of the file's prose).",
        ),
    ] = False,
    exclude: ExcludeOption = None,
    extend_exclude: ExtendExcludeOption = None,
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
    run = _settings(paths, config, select, ignore, extend_select, rules, exclude, extend_exclude)
    mode = "fix" if fix else "diff" if diff else "check"
    clean_run = run_check(
        paths,
        _check_cleaners(run).for_file,
        mode,
        output_format,
        run.selection(gitignore=True),
        unsafe_fixes,
    )
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


def _say_folder_sites(learning: Learning) -> None:
    if learning.by_folder:
        errors.print(
            f"clean-news: {plural(learning.by_folder, 'document')} named no URL or site name; "
            "grouped by the folder they are in",
            markup=False,
        )


def _learn_sites(
    paths: list[str], input_format: str, spec: CleanerSpec, min_docs: int, walk: FileSelection
) -> CleanerSpec:
    """The first pass of `clean --learn`; unreadable documents are reported by the second."""
    if "-" in paths:
        raise fail("--learn reads the inputs twice, so it cannot read '-' (stdin)")
    try:
        learning = learn_batch(paths, input_format, spec.build(), min_docs, walk)
    except LearnError as exc:
        raise fail(str(exc)) from None
    _say_folder_sites(learning)
    return replace(spec, site_rules=site_rules(learning), site_of=learning.sites)


def _write(path: Path, text: str) -> None:
    """A whole file or nothing (see AtomicFile); a failure is a one-line usage error."""
    try:
        write_atomically(path, text)
    except OSError as exc:
        raise fail(f"cannot write {path}: {exc.strerror or exc}") from None


def _refuse_overlap(paths: list[str], output: Path | None) -> None:
    try:
        check_outputs(paths, files=[output])
    except OverlapError as exc:
        raise fail(str(exc)) from None


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
    _refuse_overlap(paths, output)
    code_filter = CodeFilter(_codes(select) or ("ALL",), _codes(ignore))
    cleaner = Cleaner(rules=_load(rules), code_filter=code_filter)
    try:
        learning = learn_batch(paths, input_format, cleaner, min_docs)
    except LearnError as exc:
        raise fail(str(exc)) from None
    for path, problem in learning.failures:
        errors.print(f"{path}: {problem}", markup=False)
    _say_folder_sites(learning)
    documents, sites = learning.learner.documents, learning.site_count
    if not learning.rules:
        errors.print(
            f"clean-news: no line recurs in {min_docs} or more documents of a site "
            f"({plural(documents, 'document')}, {plural(sites, 'site')}); no pack written",
            markup=False,
        )
        raise typer.Exit(EXIT_SOME_FAILED)
    text = learning.pack_yaml()
    if output:
        _write(output, text)
    else:
        sys.stdout.write(text)
    errors.print(
        f"learned {plural(len(learning.rules), 'rule')} from {plural(documents, 'document')} "
        f"of {plural(sites, 'site')}" + (f" -> {output}" if output else ""),
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
    _refuse_overlap([records], output)
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
    _write(output, render_report(documents, Path(records).name))
    raise typer.Exit(EXIT_SOME_FAILED if problems else EXIT_OK)


def _test_packs(target: Path) -> None:
    """`rules --test`: every example of every pack of a folder (or one pack), each wrong one
    reported as `FILE: rule CODE: problem`; exit 1 when any is wrong."""
    try:
        files = [target] if target.is_file() else pack_files(target)
        packs = [(path, load_pack(path, check_examples=False)) for path in files]
    except RulePackError as exc:
        raise fail(str(exc)) from None
    wrong = examples = count = 0
    for path, pack in packs:
        for rule in pack:
            count += 1
            examples += len(rule.examples_match) + len(rule.examples_no_match)
            for failure in example_failures(rule):
                wrong += 1
                typer.echo(f"{path}: rule {rule.code}: {failure}")
    tested = (
        f"{plural(examples, 'example')} of {plural(count, 'rule')} in {plural(len(packs), 'pack')}"
    )
    typer.echo(f"{plural(wrong, 'example')} wrong ({tested})" if wrong else f"All {tested} right.")
    raise typer.Exit(EXIT_SOME_FAILED if wrong else EXIT_OK)


@app.command(
    "rules",
    epilog="Exit status: 0 listed (with --test: every example right); 1 with --test, some "
    "example wrong; 2 usage error.",
)
def list_rules(
    rules: RulesOption = None,
    config: ConfigOption = None,
    test: Annotated[
        Path | None,
        typer.Option(
            "--test",
            metavar="PATH",
            help="Instead of listing, check every rule of the packs in this folder (or file) "
            "against its own examples and report each one it gets wrong.",
        ),
    ] = None,
) -> None:
    """List every rule and heuristic with its code, category and action."""
    if test is not None:
        if not test.exists():
            raise fail(f"{test}: no such rule file or folder")
        _test_packs(test)
    table = Table(title="clean-news rules", show_lines=False)
    for column in ("code", "category", "action", "languages", "description"):
        table.add_column(column, overflow="fold")
    for rule in _load(_settings([], config, rules=rules).rule_paths):
        languages = ", ".join(sorted(rule.languages)) if rule.languages else "any"
        table.add_row(rule.code, rule.category, rule.action, languages, escape(rule.description))
    for family in FAMILIES.values():
        action = "move" if family.kind == METADATA else "drop-line"
        for code, reason in family.codes.items():
            table.add_row(code, family.kind, action, "any", reason)
    Console().print(table)


_COMMANDS = ("check", "clean", "learn", "report", "rule", "rules")


def _command_args(args: list[str]) -> list[str]:
    """The arguments with `clean` put in front when no command is named; a first word that is
    no path but close to a command's name is taken for a misspelt command."""
    if not args or args[0] in _COMMANDS or args[0] in {"-h", "--help", "--version"}:
        return args
    first = args[0]
    if not first.startswith("-") and first != "-" and not os.path.exists(first):
        close = difflib.get_close_matches(first, _COMMANDS, n=1, cutoff=0.6)
        if close:
            raise fail(f"unknown command {first!r}; did you mean {close[0]!r}?")
    return ["clean", *args]


def main() -> None:
    """Entry point: `clean-news PATH...` runs `clean` when no command is named. Every usage
    error, the parser's too, is one line on stderr with status 2."""
    try:
        args = _command_args(sys.argv[1:]) or ["--help"]
        code = app(args=args, prog_name="clean-news", standalone_mode=False)
    except typer.Exit as exc:
        code = exc.exit_code
    except typer.Abort:
        code = EXIT_INTERRUPTED
    except Exception as exc:
        # The parser's errors (click's UsageError; typer vendors click in recent versions).
        if not (hasattr(exc, "format_message") and hasattr(exc, "exit_code")):
            raise
        message = " ".join(exc.format_message().split())
        context = getattr(exc, "ctx", None)
        if context is not None and context.info_name not in (None, "clean-news"):
            message = f"{context.info_name}: {message}"
        errors.print(f"clean-news: error: {message}", markup=False)
        code = exc.exit_code
    sys.exit(code if isinstance(code, int) else 0)
