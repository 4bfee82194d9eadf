"""What a batch runs: its options (`BatchConfig`), what every worker needs to build its
cleaners (`CleanerSpec`) and the settings fingerprint that `--resume` compares."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from cleaner import __version__
from cleaner.io.inputs import (
    DEFAULT_MAX_BYTES,
    FileSelection,
    OverlapError,
    check_outputs,
    file_size,
    iter_input_files,
)
from cleaner.io.outputs import TEXT_FORMATS, check_text_targets, parquet_available
from cleaner.model import SourceDocument, UnreadableInput
from cleaner.pipeline.cleaner import Cleaner
from cleaner.pipeline.record import error_record
from cleaner.rules.loader import CodeFilter, Rule
from cleaner.run.config import Settings

EXECUTORS = ("local", "dask")


class UsageError(ValueError):
    """Options that cannot work together; reported in one line with exit status 2."""


@dataclass(frozen=True)
class CleanerSpec:
    """What a worker needs to build its cleaners: picklable, sent once per worker.

    The code filter can differ from file to file (per-file ignores of the configuration) and the
    rules from site to site (`clean --learn`), so each document's cleaner is chosen by the file
    it was read from.
    """

    rules: tuple[Rule, ...]
    settings: Settings = field(default_factory=Settings)
    site_rules: Mapping[str, tuple[Rule, ...]] = field(default_factory=dict)
    site_of: Mapping[str, str] = field(default_factory=dict)  # origin file -> site
    # Code prefixes on whatever is selected (`check` keeps the metadata codes).
    always_on: tuple[str, ...] = ()
    fingerprint: str | None = None  # of the batch's settings, written into every record

    def build(self) -> Cleaner:
        """The cleaner of a document with no file, site or per-file settings of its own."""
        selected = self.settings.code_filter_for(None)
        return Cleaner(
            rules=self.rules,
            code_filter=CodeFilter(selected.select, selected.ignore, self.always_on),
        )


class Cleaners:
    """Each document's cleaner, built on first use and kept for the documents like it."""

    def __init__(self, spec: CleanerSpec) -> None:
        self.spec = spec
        self.cache: dict[tuple[CodeFilter, str | None], Cleaner] = {}

    def clean(self, item: SourceDocument | UnreadableInput) -> dict:
        """The document's record, with the batch's settings fingerprint."""
        record = clean_one(self.for_document(item), item)
        record["settings"] = self.spec.fingerprint
        return record

    def for_document(self, item: SourceDocument | UnreadableInput) -> Cleaner:
        origin = item.origin if isinstance(item, SourceDocument) else None
        if origin is None:
            return self.for_file(None)
        return self.for_file(Path(origin), self.spec.site_of.get(origin))

    def for_file(self, path: Path | None, site: str | None = None) -> Cleaner:
        selected = self.spec.settings.code_filter_for(path)
        code_filter = CodeFilter(selected.select, selected.ignore, self.spec.always_on)
        key = (code_filter, site)
        if key not in self.cache:
            rules = self.spec.rules + self.spec.site_rules.get(site or "", ())
            self.cache[key] = Cleaner(rules=rules, code_filter=code_filter)
        return self.cache[key]


@dataclass(frozen=True)
class BatchConfig:
    """The `clean` command's options that shape a batch."""

    paths: tuple[str, ...]
    output: Path | None = None
    output_format: str = "jsonl"
    input_format: str = "auto"
    jobs: int = 0  # 0: every core this process may use
    resume: bool = False
    selection: FileSelection = field(default_factory=FileSelection)
    max_bytes: int = DEFAULT_MAX_BYTES
    quiet: bool = False
    executor: str = "local"
    scheduler: str | None = None
    partition_files: int = 64
    summary_json: Path | None = None

    @property
    def walk(self) -> FileSelection:
        """The folder walk: the selection, skipping this run's own outputs."""
        return self.selection.with_outputs(self.output, self.summary_json)

    @property
    def filter_mode(self) -> bool:
        return self.output_format in TEXT_FORMATS and self.output is None

    def workers(self) -> int:
        if self.jobs > 0:
            return self.jobs
        return (
            len(os.sched_getaffinity(0))
            if hasattr(os, "sched_getaffinity")
            else os.cpu_count() or 1
        )

    def validate(self) -> None:
        """Refuse option combinations up front, before any work is done."""
        if self.executor not in EXECUTORS:
            raise UsageError(f"--executor must be one of {', '.join(EXECUTORS)}")
        if self.jobs < 0:
            raise UsageError("--jobs must be 0 (all cores) or more")
        if self.max_bytes <= 0:
            raise UsageError("--max-bytes must be positive")
        if self.filter_mode and list(self.paths) != ["-"]:
            raise UsageError(
                f"--format {self.output_format} needs -o FOLDER, or '-' alone to filter stdin"
            )
        if self.output_format == "parquet":
            if self.output is None:
                raise UsageError("--format parquet needs -o FILE")
            if not parquet_available():
                raise UsageError(
                    "--format parquet needs pyarrow: pip install 'clean-news[parquet]'"
                )
        if self.resume and (self.output_format != "jsonl" or self.output is None):
            raise UsageError("--resume needs --format jsonl and -o FILE (or FOLDER with dask)")
        if self.executor == "dask":
            if self.output is None or self.output_format != "jsonl":
                raise UsageError("--executor dask needs -o FOLDER and --format jsonl")
            if "-" in self.paths:
                raise UsageError("--executor dask cannot read stdin")
        elif self.scheduler:
            raise UsageError("--scheduler needs --executor dask")
        if self.partition_files <= 0:
            raise UsageError("--partition-files must be positive")
        dask = self.executor == "dask"
        text_files = self.output_format in TEXT_FORMATS and not dask
        try:
            check_outputs(
                self.paths,
                files=[None if dask or text_files else self.output, self.summary_json],
                folders=[self.output if dask else None],
            )
            if text_files and self.output is not None:
                check_text_targets(self.paths, self.output, self.output_format == "md", self.walk)
        except OverlapError as exc:
            raise UsageError(str(exc)) from None


# Output formats named by the suffix of `-o`.
SUFFIX_FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".parquet": "parquet"}


def format_for_output(output: Path | None, given: str | None, executor: str = "local") -> str:
    """The output format: `--format`, else the one the `-o` suffix names, else jsonl. A suffix
    that names another format than `--format` is a usage error, as is a file name for an output
    that is a folder (txt, md, dask's part files)."""
    suffix = output.suffix.lower() if output is not None else ""
    implied = SUFFIX_FORMATS.get(suffix)
    chosen = given or implied or "jsonl"
    if output is None:
        return chosen
    if given and implied and implied != given:
        raise UsageError(f"--format {given} contradicts -o {output} (a .{implied} file)")
    folder = chosen in TEXT_FORMATS or executor == "dask"
    if folder and suffix and not output.is_dir():
        what = "dask writes part files" if executor == "dask" else f"--format {chosen} writes files"
        raise UsageError(f"{what} into a folder: give -o FOLDER, not the file name {output}")
    if not given and suffix in (".txt", ".md"):
        raise UsageError(
            f"-o {output}: records go to .jsonl, .json or .parquet files; for one {suffix} "
            f"file per document give --format {suffix[1:]} -o FOLDER"
        )
    return chosen


def _rule_signature(rule: Rule) -> list:
    return [
        rule.code,
        rule.action,
        [[p.regex.pattern, int(p.regex.flags), p.scope] for p in rule.patterns],
        sorted(rule.languages) if rule.languages is not None else None,
        rule.max_words,
        rule.guard,
        list(rule.selectors),
    ]


def settings_fingerprint(config: BatchConfig, spec: CleanerSpec) -> str:
    """What decides a record besides the document: the version, the rules (what they match,
    not where they were loaded from), the selection and the input options. `--resume` appends
    only to records with the same fingerprint."""
    settings = spec.settings
    facts = {
        "version": __version__,
        "input_format": config.input_format,
        "max_bytes": config.max_bytes,
        "select": list(settings.select),
        "ignore": list(settings.ignore),
        "per_file_ignores": [[glob, list(codes)] for glob, codes in settings.per_file_ignores],
        "check": bool(spec.always_on),
        "rules": [_rule_signature(rule) for rule in spec.rules],
        "site_rules": {
            site: [_rule_signature(rule) for rule in rules]
            for site, rules in sorted(spec.site_rules.items())
        },
    }
    encoded = json.dumps(facts, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(encoded).hexdigest()[:16]


def clean_one(cleaner: Cleaner, item: SourceDocument | UnreadableInput) -> dict:
    """One document to its record; nothing a document contains may stop the batch."""
    if isinstance(item, UnreadableInput):
        return error_record(SourceDocument(item.path, b"", item.input_format), item.message)
    return cleaner.clean(item)


def input_bytes(config: BatchConfig) -> int | None:
    """Total size of the input files, for the progress bar's ETA (None when reading stdin)."""
    if "-" in config.paths:
        return None
    return sum(file_size(path) for path, _ in iter_input_files(config.paths, config.walk))
