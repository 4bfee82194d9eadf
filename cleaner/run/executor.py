"""The base of the executors: each runs a whole batch (`--executor local` or `dask`) from its
options and the cleaners' spec to a summary, writing the records where the options say."""

from __future__ import annotations

from abc import ABC, abstractmethod

from rich.console import Console

from cleaner.io.inputs import one_line
from cleaner.run.spec import BatchConfig, CleanerSpec
from cleaner.run.summary import BatchSummary


class ExecutorFailure(RuntimeError):
    """The executor could not finish the batch (a Dask cluster lost a partition's task). What
    it wrote stays whole, and `--resume` goes on from there."""


class Executor(ABC):
    """Runs a batch; `run_batch` validates the options before and reports the summary after."""

    @abstractmethod
    def run(self, config: BatchConfig, spec: CleanerSpec, console: Console) -> BatchSummary:
        """Clean every input document into the output; the summary of what was done."""


def report_error(console: Console, record: dict) -> None:
    """A document that failed, in one line on the console (stderr)."""
    message = one_line(f"{record['path']}: {record['error']}")
    console.print(message, markup=False, highlight=False)
