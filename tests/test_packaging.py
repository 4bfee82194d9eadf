"""The wheel carries the rule packs, the record schema and the report template, so a plain
install finds them."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest

from helpers import ROOT

# `pip wheel` builds in an isolated environment, fetching the build backend.
pytestmark = [pytest.mark.slow, pytest.mark.network]


def test_wheel_ships_rules_and_schema(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    (wheel,) = tmp_path.glob("clean_news-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    packs = {path.name for path in (ROOT / "rules").glob("*.yaml")}
    assert packs
    assert {f"cleaner/packs/{name}" for name in packs} <= names
    assert "cleaner/pipeline/record.schema.json" in names
    assert "cleaner/commands/report.html" in names  # the review report's page template
