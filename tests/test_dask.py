"""`--executor dask` on a real local cluster with worker processes gives the local run's records."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import psutil
import pytest
from distributed import LocalCluster

from helpers import FIXTURES, SEEDS, command, copies_of, records, run

pytestmark = pytest.mark.slow  # starts a Dask cluster with worker processes
ENGLISH = sorted((FIXTURES / "text" / "en").glob("*.txt"))[:6]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("dask-corpus")
    for path in sorted((FIXTURES / "text" / "de").glob("*.txt"))[:5]:
        shutil.copy(path, root / path.name)
    (root / "more").mkdir()
    for path in SEEDS.glob("*.txt"):
        shutil.copy(path, root / "more" / path.name)
    (root / "more" / "broken.txt").write_bytes(b"\x00\x01binary\x00")
    return root


def test_cluster_parts_equal_the_local_run(corpus, tmp_path):
    local = run("-q", "-j", "1", str(corpus))
    assert local.returncode == 1  # the broken file
    out = tmp_path / "out"
    summary_file = tmp_path / "summary.json"
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
    ) as cluster:
        result = run(
            "--executor",
            "dask",
            "--scheduler",
            cluster.scheduler_address,
            "--partition-files",
            "3",
            "--summary-json",
            str(summary_file),
            "-o",
            str(out),
            str(corpus),
        )
    assert result.returncode == 1, result.stderr
    parts = sorted(out.glob("part-*.jsonl"))
    assert [p.name for p in parts] == ["part-00000.jsonl", "part-00001.jsonl", "part-00002.jsonl"]
    assert b"".join(p.read_bytes() for p in parts) == local.stdout
    summary = json.loads(summary_file.read_text("utf-8"))
    assert (summary["documents"], summary["failed"]) == (8, 1)
    stderr = result.stderr.decode()
    assert "more/broken.txt: binary content" in stderr
    assert "8 documents: 7 cleaned, 1 failed" in stderr


def _wait_for_a_part(out: Path) -> None:
    deadline = time.monotonic() + 120
    while not list(out.glob("part-*.jsonl")) and time.monotonic() < deadline:
        time.sleep(0.05)


def _paths_in_parts(out: Path) -> list[str]:
    parts = sorted(out.glob("part-*.jsonl"))
    return [record["path"] for part in parts for record in records(part.read_bytes())]


def _stopped_run(tmp_path: Path) -> tuple[list[str], Path, list[str]]:
    """A corpus long enough to stop a two-worker run in: its paths in input order, the output
    folder and the run's arguments."""
    out = tmp_path / "out"
    arguments = ["--executor", "dask", "-j", "2", "--partition-files", "2", "-o", str(out)]
    return copies_of(ENGLISH, tmp_path / "corpus", 12), out, arguments


def _resume_finishes(tmp_path: Path, expected: list[str], out: Path, arguments: list[str]) -> None:
    """The stopped run left whole lines of some documents, and `--resume` writes the rest."""
    assert 0 < len(_paths_in_parts(out)) < len(expected)
    resumed = run("-q", *arguments, "--resume", str(tmp_path / "corpus"))
    assert resumed.returncode == 0, resumed.stderr
    assert _paths_in_parts(out) == expected


def test_ctrl_c_stops_the_cluster_with_one_line_and_resume_finishes(tmp_path):
    expected, out, arguments = _stopped_run(tmp_path)
    # Its own process group, which Ctrl-C in a terminal signals whole: the workers too.
    process = subprocess.Popen(
        [*command(), "-q", *arguments, str(tmp_path / "corpus")],
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    _wait_for_a_part(out)
    os.killpg(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stderr
    # One line: neither the workers nor Dask's shutdown add tracebacks or log lines.
    assert stderr.decode().splitlines() == [
        "clean-news: interrupted; run again with --resume to go on"
    ]
    _resume_finishes(tmp_path, expected, out, arguments)


def test_a_cluster_that_loses_its_workers_stops_with_one_line_and_resume_finishes(tmp_path):
    expected, out, arguments = _stopped_run(tmp_path)
    process = subprocess.Popen(
        [*command(), "-q", *arguments, str(tmp_path / "corpus")], stderr=subprocess.PIPE
    )
    _wait_for_a_part(out)
    for child in psutil.Process(process.pid).children():  # the worker processes, at once
        if "spawn_main" in " ".join(child.cmdline()):
            child.kill()
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 1, stderr
    [line] = stderr.decode().splitlines()
    assert line.startswith("clean-news: error: the Dask cluster did not write part-")
    assert line.endswith("; run again with --resume to go on")
    _resume_finishes(tmp_path, expected, out, arguments)


def test_an_unreachable_scheduler_is_one_line_naming_it(corpus, tmp_path):
    environment = {**os.environ, "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "2s"}
    arguments = ["--executor", "dask", "--scheduler", "tcp://127.0.0.1:9", "-o", str(tmp_path)]
    result = subprocess.run(
        [*command(), *arguments, str(corpus)], capture_output=True, env=environment, timeout=120
    )
    assert result.returncode == 2
    [line] = result.stderr.decode().splitlines()
    assert line.startswith("clean-news: error: cannot reach the Dask scheduler: ")
    assert "tcp://127.0.0.1:9" in line


def test_a_local_cluster_beside_another_says_nothing_of_it(corpus, tmp_path):
    # Port 8787 is where Dask serves a cluster's HTTP endpoints by default; another cluster (or
    # this test's socket) holding it made Dask warn on stderr.
    with socket.socket() as holder:
        try:
            holder.bind(("", 8787))
            holder.listen()
        except OSError:  # already held: the case this test is about
            pass
        result = run("--executor", "dask", "-q", "-o", str(tmp_path / "out"), str(corpus))
    assert result.returncode == 1  # the broken file
    [line] = result.stderr.decode().splitlines()
    assert line.startswith("more/broken.txt: binary content")
