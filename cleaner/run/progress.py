"""The progress bar on stderr: documents done, throughput and an ETA from the input bytes read.

Shown only when stderr is a terminal and `--quiet` is not given; otherwise every call is a no-op.
"""

from __future__ import annotations

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text


class DocumentsColumn(ProgressColumn):
    """Documents written so far and documents per second since the start."""

    def render(self, task: Task) -> Text:
        documents = task.fields.get("documents", 0)
        elapsed = task.elapsed or 0.0
        rate = f"{documents / elapsed:,.1f}/s" if elapsed > 0 else "-/s"
        return Text(f"{documents:,} docs  {rate}")


class BatchProgress:
    """Context manager around a rich Progress; `read` and `advance` feed it."""

    def __init__(self, console: Console, wanted: bool) -> None:
        self.enabled = wanted and console.is_terminal
        self._progress = (
            Progress(
                SpinnerColumn(),
                TextColumn("cleaning"),
                BarColumn(),
                DocumentsColumn(),
                TimeElapsedColumn(),
                TextColumn("ETA"),
                TimeRemainingColumn(),
                console=console,
                transient=True,
            )
            if self.enabled
            else None
        )
        self._task = None

    def __enter__(self) -> BatchProgress:
        if self._progress:
            self._progress.start()
            self._task = self._progress.add_task("cleaning", total=None, documents=0)
        return self

    def __exit__(self, exc_type, exc, traceback) -> None:
        if self._progress:
            self._progress.stop()

    def set_total(self, total_bytes: int | None) -> None:
        if self._progress and self._task is not None:
            self._progress.update(self._task, total=total_bytes or None)

    def read(self, size: int) -> None:
        """Input bytes consumed: they drive the bar and the ETA."""
        if self._progress and self._task is not None:
            self._progress.advance(self._task, size)

    def advance(self, documents: int) -> None:
        if self._progress and self._task is not None:
            self._progress.update(self._task, documents=documents)
