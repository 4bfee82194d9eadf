"""Headless Chromium for the report's browser test and benchmark: load a page, keep its DOM
after the scripts ran, its console messages, and optionally a screenshot.

Chromium prints the page's console messages with `--enable-logging=stderr`, one `CONSOLE`
line each, whatever their level; the report logs nothing, so any such line is a fault.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "chrome")
_CONSOLE = re.compile(r"CONSOLE[^\]]*\]\s*(?P<message>.*)")


@dataclass(frozen=True)
class PageLoad:
    dom: str  # the document serialised after its scripts ran (empty without dump_dom)
    console: list[str]  # the page's console messages
    seconds: float  # wall-clock time of the browser run, start-up included


def find_browser() -> str | None:
    """The path of a Chromium-family browser on PATH, or None."""
    return next((path for name in BROWSERS if (path := shutil.which(name))), None)


def load(
    browser: str,
    page: Path,
    *,
    dump_dom: bool = True,
    screenshot: Path | None = None,
    window: tuple[int, int] = (1400, 1000),
    query: str = "",
    timeout: float = 120,
) -> PageLoad:
    """Open a local page in headless Chromium with a fresh profile."""
    with tempfile.TemporaryDirectory(prefix="clean-news-chromium-") as profile:
        command = [
            browser,
            "--headless=new",
            "--no-sandbox",  # CI runs as root, where the sandbox cannot start
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--hide-scrollbars",
            "--enable-logging=stderr",
            "--v=0",
            f"--user-data-dir={profile}",
            f"--window-size={window[0]},{window[1]}",
        ]
        if dump_dom:
            command.append("--dump-dom")
        if screenshot is not None:
            command.append(f"--screenshot={screenshot}")
        command.append(page.resolve().as_uri() + (f"?{query}" if query else ""))
        started = time.perf_counter()
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=timeout, cwd=profile, check=False
        )
        seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"{browser} exited with {result.returncode}: {result.stderr[-2000:]}")
    console = [
        match.group("message")
        for line in result.stderr.splitlines()
        if (match := _CONSOLE.search(line))
    ]
    return PageLoad(result.stdout, console, seconds)
