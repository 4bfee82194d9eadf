"""`--executor dask`: the same batch on Dask distributed, on a cluster or a local one.

The input files are split into partitions of `--partition-files` files in input order; each
partition is one task that cleans its files and writes `part-NNNNN.jsonl` under the output
folder (through a temporary name, so a part is whole or absent). Reading the parts in order gives
the records of a local run. Workers read the input paths themselves, so on a real cluster the
inputs and the output folder must be on storage every worker sees.
"""

from __future__ import annotations

import json
import logging
import signal
import time
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console

from cleaner.io.inputs import file_size, iter_input_files, one_line, read_input_file
from cleaner.io.outputs import AtomicFile, check_settings, record_line
from cleaner.run.executor import Executor, ExecutorFailure
from cleaner.run.progress import BatchProgress
from cleaner.run.spec import BatchConfig, Cleaners, CleanerSpec, UsageError, input_bytes
from cleaner.run.summary import BatchSummary

if TYPE_CHECKING:
    from distributed import LocalCluster

PART_GLOB = "part-*.jsonl"
# Partitions submitted ahead per worker: workers never wait, the driver holds few results.
PARTITIONS_PER_WORKER = 2
# What Dask and the event loop it runs on may log while a run lasts: nothing but a crash. Their
# errors are about their own connections (a worker that loses the scheduler while an
# interrupted run shuts down, a cancelled scatter); clean-news reports what the run did itself,
# one line per failed document, the summary, and "interrupted".
DASK_LOG_LEVEL = logging.CRITICAL


def part_path(folder: Path, number: int) -> Path:
    return folder / f"part-{number:05d}.jsonl"


def clean_partition(
    number: int,
    files: list[tuple[str, str]],
    spec: CleanerSpec,
    input_format: str,
    max_bytes: int,
    folder: str,
) -> dict:
    """Runs on a worker: clean the partition's files into its part file; return its summary
    and the error lines for the driver to print."""
    cleaners = Cleaners(spec)  # cheap: the rules arrive compiled
    summary = BatchSummary()
    errors: list[str] = []
    with AtomicFile(part_path(Path(folder), number), "wb") as stream:
        for path, shown in files:
            for item in read_input_file(Path(path), shown, input_format, max_bytes):
                record = cleaners.clean(item)
                summary.add(record)
                if record["error"]:
                    errors.append(f"{record['path']}: {record['error']}")
                stream.write(record_line(record).encode("utf-8"))
    return {"summary": summary.as_dict(), "errors": errors}


def _partitions(config: BatchConfig) -> Iterator[list[tuple[str, str]]]:
    """(absolute path for the workers, path shown in records) in input order, in partitions."""
    files = (
        (str(path.resolve()), shown) for path, shown in iter_input_files(config.paths, config.walk)
    )
    while partition := list(islice(files, config.partition_files)):
        yield partition


def _count_lines(path: Path) -> int:
    with path.open("rb") as stream:
        return sum(1 for _ in stream)


def _quiet_dask_logs() -> None:
    """From here on, Dask's log records in this process below `DASK_LOG_LEVEL` are dropped:
    its handlers sit on the `distributed` logger (some of whose children set levels of their
    own, so the handlers are raised, as Dask itself does), and asyncio's records go to the
    root. For the rest of the process, not the run: a cluster that Ctrl-C left half-built is
    closed by Dask at exit, after the run has returned."""
    for handler in logging.getLogger("distributed").handlers:
        if isinstance(handler, logging.StreamHandler):
            handler.setLevel(DASK_LOG_LEVEL)
    logging.getLogger("asyncio").setLevel(DASK_LOG_LEVEL)


def _local_cluster(workers: int) -> LocalCluster:
    """A local cluster whose worker processes ignore Ctrl-C, which the terminal sends to every
    process of the run: they would each die with a traceback, while this process closes the
    cluster itself. A process started while SIGINT is ignored keeps ignoring it, so it is
    ignored here while the cluster starts (a Ctrl-C in that second is lost)."""
    from distributed import LocalCluster

    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        return LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            # Its HTTP server (health checks; no dashboard without bokeh) on a free port: the
            # default one may be another cluster's, and Dask would warn of it.
            dashboard_address=":0",
            silence_logs=DASK_LOG_LEVEL,  # in the worker processes
        )
    finally:
        signal.signal(signal.SIGINT, previous)


class DaskExecutor(Executor):
    """A Dask cluster (a local one unless `--scheduler` names one); needs `dask[distributed]`."""

    def run(self, config: BatchConfig, spec: CleanerSpec, console: Console) -> BatchSummary:
        return _run_dask(config, spec, console)


def _run_dask(config: BatchConfig, spec: CleanerSpec, console: Console) -> BatchSummary:
    from distributed import Client, as_completed

    _quiet_dask_logs()  # after the import, which sets up Dask's handlers
    assert config.output is not None
    started = time.perf_counter()
    summary = BatchSummary()
    folder = config.output
    folder.mkdir(parents=True, exist_ok=True)
    if not config.resume:  # parts of an earlier run would mix with this one's
        for stale in folder.glob(PART_GLOB):
            stale.unlink()
    else:
        for part in sorted(folder.glob(PART_GLOB)):
            with part.open("rb") as stream:
                for line in stream:
                    check_settings(part, json.loads(line), spec.fingerprint or "")
    cluster = None if config.scheduler else _local_cluster(config.workers())
    try:
        try:
            client = Client(config.scheduler or cluster)
        except OSError as exc:  # no scheduler answers there (a TimeoutError is an OSError)
            raise UsageError(f"cannot reach the Dask scheduler: {exc}") from None
        with client, BatchProgress(console, not config.quiet) as progress:
            if progress.enabled:
                progress.set_total(input_bytes(config))
            workers = max(len(client.scheduler_info()["workers"]), 1)
            shared_spec = client.scatter(spec, broadcast=True)
            running = as_completed()
            tasks: dict[str, tuple[int, int]] = {}  # each task's partition and input bytes

            def collect(future) -> None:
                number, size = tasks.pop(future.key)
                part = part_path(folder, number).name
                try:
                    result = future.result()
                except Exception as exc:  # workers died, the cluster went away, a part unwritable
                    reason = f"{type(exc).__name__}: {exc}"
                    raise ExecutorFailure(
                        one_line(f"the Dask cluster did not write {part} ({reason})")
                    ) from None
                summary.merge(BatchSummary.from_dict(result["summary"]))
                for line in result["errors"]:
                    console.print(line, markup=False, highlight=False)
                progress.read(size)
                progress.advance(summary.documents)

            for number, files in enumerate(_partitions(config)):
                if config.resume and part_path(folder, number).exists():
                    summary.skipped += _count_lines(part_path(folder, number))
                    continue
                future = client.submit(
                    clean_partition,
                    number,
                    files,
                    shared_spec,
                    config.input_format,
                    config.max_bytes,
                    str(folder.resolve()),
                    pure=False,
                )
                tasks[future.key] = (number, sum(file_size(Path(path)) for path, _ in files))
                running.add(future)
                while running.count() >= workers * PARTITIONS_PER_WORKER:
                    collect(next(running))
            for future in running:
                collect(future)
    finally:
        if cluster is not None:
            cluster.close()
    summary.seconds = time.perf_counter() - started
    return summary
