"""Batch cleaning: the options validated, the chosen executor run, the summary reported."""

from __future__ import annotations

import json
from dataclasses import replace

from rich.console import Console

from cleaner.io.outputs import AtomicFile, SettingsMismatch
from cleaner.run.dask import DaskExecutor
from cleaner.run.executor import Executor
from cleaner.run.local import LocalExecutor
from cleaner.run.spec import BatchConfig, CleanerSpec, UsageError, settings_fingerprint
from cleaner.run.summary import BatchSummary

RUNNERS: dict[str, type[Executor]] = {"local": LocalExecutor, "dask": DaskExecutor}


def run_batch(config: BatchConfig, spec: CleanerSpec, console: Console) -> BatchSummary:
    """Run the batch with the chosen executor, then report the summary (stderr and JSON)."""
    config.validate()
    spec = replace(spec, fingerprint=settings_fingerprint(config, spec))
    try:
        summary = RUNNERS[config.executor]().run(config, spec, console)
    except SettingsMismatch as exc:
        raise UsageError(str(exc)) from None
    if not config.quiet and not config.filter_mode:
        console.print(summary.render(), markup=False, highlight=False)
    if config.summary_json:
        with AtomicFile(config.summary_json) as stream:
            stream.write(json.dumps(summary.as_dict(), indent=2) + "\n")
    return summary
