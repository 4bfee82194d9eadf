"""Batch cleaning: documents streamed from the inputs through worker processes to a writer.

Order is kept (results are taken in submission order), so the output is byte-identical whatever
the number of workers; at most a few chunks per worker are in flight, so memory does not grow
with the corpus.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import re
import signal
import time
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from rich.console import Console

from cleaner import __version__
from cleaner.config import Settings
from cleaner.inputs import (
    DEFAULT_MAX_BYTES,
    FileSelection,
    OverlapError,
    UnreadableInput,
    check_outputs,
    file_size,
    iter_documents,
    iter_input_files,
    one_line,
)
from cleaner.model import SourceDocument
from cleaner.outputs import (
    TEXT_FORMATS,
    AtomicFile,
    SettingsMismatch,
    check_text_targets,
    completed_documents,
    open_writer,
    parquet_available,
)
from cleaner.pipeline import Cleaner
from cleaner.progress import BatchProgress
from cleaner.record import error_record, record_id
from cleaner.rules import CodeFilter, Rule

EXECUTORS = ("local", "dask")
# Documents sent to a worker at once, and chunks in flight per worker: enough to keep workers
# busy between the main process's reads, few enough that memory stays flat.
CHUNK_DOCUMENTS = 8
CHUNK_BYTES = 4 * 1024 * 1024
CHUNKS_PER_WORKER = 4
_CATEGORY = re.compile(r"[A-Z]+")


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
    # `check` keeps the metadata codes on whatever is selected (its CheckFilter).
    filter_type: type[CodeFilter] = CodeFilter
    fingerprint: str | None = None  # of the batch's settings, written into every record

    def build(self) -> Cleaner:
        """The cleaner of a document with no file, site or per-file settings of its own."""
        selected = self.settings.code_filter_for(None)
        return Cleaner(
            rules=self.rules, code_filter=self.filter_type(selected.select, selected.ignore)
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
        code_filter = self.spec.filter_type(selected.select, selected.ignore)
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


@dataclass
class BatchSummary:
    """What a batch did: counts, lines removed per code category (NAV, REL, BDY...) and time."""

    documents: int = 0
    cleaned: int = 0
    failed: int = 0
    skipped: int = 0  # already in the output (--resume)
    removed_by_category: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    def add(self, record: dict) -> None:
        self.documents += 1
        if record["error"]:
            self.failed += 1
        else:
            self.cleaned += 1
        for removal in record["removed"]:
            match = _CATEGORY.match(removal["rule"])
            self.removed_by_category[match.group() if match else removal["rule"]] += 1

    def merge(self, other: BatchSummary) -> None:
        self.documents += other.documents
        self.cleaned += other.cleaned
        self.failed += other.failed
        self.skipped += other.skipped
        self.removed_by_category.update(other.removed_by_category)

    def as_dict(self) -> dict:
        return {
            "documents": self.documents,
            "cleaned": self.cleaned,
            "failed": self.failed,
            "skipped": self.skipped,
            "lines_removed": sum(self.removed_by_category.values()),
            "lines_removed_by_category": dict(sorted(self.removed_by_category.items())),
            "seconds": round(self.seconds, 3),
            "documents_per_second": round(self.documents / self.seconds, 2)
            if self.seconds
            else None,
        }

    @classmethod
    def from_dict(cls, data: dict) -> BatchSummary:
        return cls(
            documents=data["documents"],
            cleaned=data["cleaned"],
            failed=data["failed"],
            skipped=data["skipped"],
            removed_by_category=Counter(data["lines_removed_by_category"]),
            seconds=data["seconds"],
        )

    def render(self) -> str:
        facts = self.as_dict()
        rate = facts["documents_per_second"]
        lines = [
            f"{self.documents} document{'' if self.documents == 1 else 's'}: "
            f"{self.cleaned} cleaned, {self.failed} failed"
            + (f", {self.skipped} already done (skipped)" if self.skipped else "")
            + f" in {self.seconds:.1f} s"
            + (f" ({rate} documents/s)" if rate else ""),
        ]
        if self.removed_by_category:
            parts = ", ".join(f"{k} {v}" for k, v in facts["lines_removed_by_category"].items())
            lines.append(f"lines removed: {facts['lines_removed']} ({parts})")
        return "\n".join(lines)


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
        "check": spec.filter_type is not CodeFilter,
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


_worker_cleaners: Cleaners | None = None
# Cleaning one small page loads what the stages load lazily (language profiles, stop-word lists,
# the HTML extractor): done once before forking, every worker inherits it instead of paying it.
_WARM_UP_PAGE = (
    b"<html><body><article><h1>Warm-up</h1><p>The council met on Monday and agreed the budget "
    b"for the coming year after a long debate about roads and schools.</p></article></body></html>"
)


def _warm_up(spec: CleanerSpec) -> None:
    cleaner = spec.build()
    cleaner.clean(SourceDocument("warm-up.html", _WARM_UP_PAGE, "html"))


def _start_worker(spec: CleanerSpec) -> None:
    """Pool initializer: one Cleaner per worker; Ctrl-C is the main process's to handle."""
    global _worker_cleaners
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker_cleaners = Cleaners(spec)


def _clean_chunk(chunk: list[SourceDocument | UnreadableInput]) -> list[dict]:
    assert _worker_cleaners is not None
    return [_worker_cleaners.clean(item) for item in chunk]


def _chunks(
    items: Iterable[SourceDocument | UnreadableInput],
) -> Iterator[list[SourceDocument | UnreadableInput]]:
    chunk: list[SourceDocument | UnreadableInput] = []
    size = 0
    for item in items:
        chunk.append(item)
        size += len(item.data) if isinstance(item, SourceDocument) else 0
        if len(chunk) >= CHUNK_DOCUMENTS or size >= CHUNK_BYTES:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


class LocalExecutor:
    """Cleans documents in order, in this process (one job) or a pool of worker processes."""

    def __init__(self, spec: CleanerSpec, jobs: int) -> None:
        self.spec = spec
        self.jobs = jobs
        self.pool = None

    def __enter__(self) -> LocalExecutor:
        if self.jobs > 1:
            if multiprocessing.get_start_method() == "fork":
                _warm_up(self.spec)
            self.pool = multiprocessing.Pool(self.jobs, _start_worker, (self.spec,))
        return self

    def __exit__(self, exc_type, exc, traceback) -> None:
        if self.pool is None:
            return
        if exc_type is None:
            self.pool.close()
        else:
            self.pool.terminate()
        self.pool.join()

    def map(self, items: Iterable[SourceDocument | UnreadableInput]) -> Iterator[dict]:
        if self.pool is None:
            cleaners = Cleaners(self.spec)
            for item in items:
                yield cleaners.clean(item)
            return
        pending: deque = deque()
        for chunk in _chunks(items):
            pending.append(self.pool.apply_async(_clean_chunk, (chunk,)))
            while len(pending) >= self.jobs * CHUNKS_PER_WORKER:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()


def _skip_done(
    documents: Iterable[SourceDocument | UnreadableInput],
    done: set[tuple[str, str]],
    summary: BatchSummary,
) -> Iterator[SourceDocument | UnreadableInput]:
    for document in documents:
        data = document.data if isinstance(document, SourceDocument) else b""
        if (document.path, record_id(data)) in done:
            summary.skipped += 1
        else:
            yield document


class ReadLedger:
    """Input bytes read, credited to the progress bar when the document they were read for is
    written: reading runs ahead of writing, and the ETA should follow what is done."""

    def __init__(self) -> None:
        self.unassigned = 0
        self.per_document: deque[int] = deque()

    def read(self, size: int) -> None:
        self.unassigned += size

    def tag(
        self, documents: Iterable[SourceDocument | UnreadableInput]
    ) -> Iterator[SourceDocument | UnreadableInput]:
        for document in documents:
            self.per_document.append(self.unassigned)
            self.unassigned = 0
            yield document

    def written(self) -> int:
        return self.per_document.popleft()


def input_bytes(config: BatchConfig) -> int | None:
    """Total size of the input files, for the progress bar's ETA (None when reading stdin)."""
    if "-" in config.paths:
        return None
    return sum(file_size(path) for path, _ in iter_input_files(config.paths, config.walk))


def report_error(console: Console, record: dict) -> None:
    message = one_line(f"{record['path']}: {record['error']}")
    console.print(message, markup=False, highlight=False)


def run_local(config: BatchConfig, spec: CleanerSpec, console: Console) -> BatchSummary:
    summary = BatchSummary()
    started = time.perf_counter()
    done = (
        completed_documents(config.output, spec.fingerprint or "")
        if config.resume and config.output
        else set()
    )
    # A single stdin document is not worth starting workers for.
    jobs = 1 if list(config.paths) == ["-"] else config.workers()
    show = not config.quiet and not config.filter_mode
    ledger = ReadLedger()
    # Workers are forked before the progress bar starts its refresh thread.
    with LocalExecutor(spec, jobs) as executor, BatchProgress(console, show) as progress:
        if progress.enabled:
            progress.set_total(input_bytes(config))
        documents: Iterable[SourceDocument | UnreadableInput] = iter_documents(
            config.paths,
            config.input_format,
            config.walk,
            config.max_bytes,
            on_read=ledger.read,
        )
        if done:
            documents = _skip_done(documents, done, summary)
        documents = ledger.tag(documents)
        writer = open_writer(config.output_format, config.output, append=config.resume)
        completed = False
        try:
            for record in executor.map(documents):
                summary.add(record)
                if record["error"]:
                    report_error(console, record)
                writer.write(record)
                progress.read(ledger.written())
                progress.advance(summary.documents)
            completed = True
        finally:
            writer.close(completed)
    summary.seconds = time.perf_counter() - started
    return summary


def run_batch(config: BatchConfig, spec: CleanerSpec, console: Console) -> BatchSummary:
    """Run the batch with the chosen executor, then report the summary (stderr and JSON)."""
    config.validate()
    spec = replace(spec, fingerprint=settings_fingerprint(config, spec))
    try:
        if config.executor == "dask":
            from cleaner.dask_executor import run_dask

            summary = run_dask(config, spec, console)
        else:
            summary = run_local(config, spec, console)
    except SettingsMismatch as exc:
        raise UsageError(str(exc)) from None
    if not config.quiet and not config.filter_mode:
        console.print(summary.render(), markup=False, highlight=False)
    if config.summary_json:
        with AtomicFile(config.summary_json) as stream:
            stream.write(json.dumps(summary.as_dict(), indent=2) + "\n")
    return summary
