"""`--executor local`: documents streamed from the inputs through worker processes to a writer.

Order is kept (results are taken in submission order), so the output is byte-identical whatever
the number of workers; at most a few chunks per worker are in flight, so memory does not grow
with the corpus.
"""

from __future__ import annotations

import multiprocessing
import signal
import time
from collections import deque
from collections.abc import Iterable, Iterator

from rich.console import Console

from cleaner.io.inputs import iter_documents
from cleaner.io.outputs import completed_documents, open_writer
from cleaner.model import SourceDocument, UnreadableInput
from cleaner.pipeline.record import record_id
from cleaner.run.executor import Executor, report_error
from cleaner.run.interrupt import raise_if_interrupted
from cleaner.run.progress import BatchProgress
from cleaner.run.spec import BatchConfig, Cleaners, CleanerSpec, input_bytes
from cleaner.run.summary import BatchSummary

# Documents sent to a worker at once, and chunks in flight per worker: enough to keep workers
# busy between the main process's reads, few enough that memory stays flat.
CHUNK_DOCUMENTS = 8
CHUNK_BYTES = 4 * 1024 * 1024
CHUNKS_PER_WORKER = 4


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


class _Workers:
    """Cleans documents in order, in this process (one job) or a pool of worker processes."""

    def __init__(self, spec: CleanerSpec, jobs: int) -> None:
        self.spec = spec
        self.jobs = jobs
        self.pool = None

    def __enter__(self) -> _Workers:
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


class LocalExecutor(Executor):
    """This machine: the main process reads and writes, a pool of processes cleans."""

    def run(self, config: BatchConfig, spec: CleanerSpec, console: Console) -> BatchSummary:
        return _run_local(config, spec, console)


def _run_local(config: BatchConfig, spec: CleanerSpec, console: Console) -> BatchSummary:
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
    with _Workers(spec, jobs) as executor, BatchProgress(console, show) as progress:
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
                raise_if_interrupted()
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
