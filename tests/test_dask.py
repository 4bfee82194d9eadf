"""`--executor dask` on a real local cluster with worker processes gives the local run's records."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from distributed import LocalCluster

from helpers import FIXTURES, SEEDS, run

pytestmark = pytest.mark.slow  # starts a Dask cluster with worker processes


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
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
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
