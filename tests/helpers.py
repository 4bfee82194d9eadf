"""Helpers shared by the test modules: paths, the command runners and the golden records.

Test modules import from here (and from nothing else under tests/ or bench/), so that no
test module depends on another.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner, Result
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from cleaner import codes
from cleaner.codes import EXTRACTION, HEURISTIC, METADATA, builtin_codes
from cleaner.commands.cli import app
from cleaner.model import SourceDocument
from cleaner.pipeline.cleaner import Cleaner
from cleaner.rules.loader import load_rules

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
FIXTURES = ROOT / "fixtures"

# The golden fixtures: a document and, beside it, `NAME.expected.json`.
TEXT_GOLDEN = sorted(FIXTURES.glob("text/*/*.txt"))
HTML_GOLDEN = sorted(FIXTURES.glob("html/*/*.html"))
GOLDEN_INPUT_FORMAT = {".txt": "text", ".html": "html"}
PINNED_REMOVED = ("line", "source", "rule", "text")


def fixture_id(path: Path) -> str:
    """`en/city_budget`: the language folder and the stem, as test ids."""
    return f"{path.parent.name}/{path.stem}"


def expected_path(document: Path) -> Path:
    return document.with_suffix(".expected.json")


def read_expected(document: Path) -> dict:
    return json.loads(expected_path(document).read_text(encoding="utf-8"))


def clean_golden(cleaner: Cleaner, document: Path) -> dict:
    """The record of one golden fixture."""
    source = SourceDocument(
        document.name, document.read_bytes(), GOLDEN_INPUT_FORMAT[document.suffix]
    )
    return cleaner.clean(source)


def removed_lines(record: dict) -> list[dict]:
    """What a golden file pins of `removed`: where each line stood, what it said and the exact
    code that removed it (the reason is the code's description, pinned by the packs' tests)."""
    return [{key: entry[key] for key in PINNED_REMOVED} for entry in record["removed"]]


def family_of(code: str) -> str:
    """A code's family: its registered prefix (`NAV` for NAV001)."""
    family = codes.family_of(code)
    assert family is not None, code
    return family.prefix


def code_families() -> list[str]:
    """Every family of codes the shipped cleaner can remove a line with: the rule packs'
    prefixes and the heuristics' (decision, extraction and metadata stages)."""
    shipped = [rule.code for rule in load_rules()] + [
        *builtin_codes(HEURISTIC, EXTRACTION, METADATA)
    ]
    return sorted({family_of(code) for code in shipped})


def command() -> list[str]:
    """The installed `clean-news` script beside this Python, else `python -m cleaner`."""
    script = Path(sys.executable).with_name("clean-news")
    return [str(script)] if script.exists() else [sys.executable, "-m", "cleaner"]


def run(
    *args: str, stdin: bytes | None = None, cwd: Path | None = None, timeout: float = 300
) -> subprocess.CompletedProcess:
    """`clean-news ARGS` in a subprocess, as a user runs it: output captured as bytes."""
    return subprocess.run(
        [*command(), *args], input=stdin, capture_output=True, cwd=cwd or ROOT, timeout=timeout
    )


def records(output: bytes | str) -> list[dict]:
    """The JSON Lines records of a command's output."""
    text = output.decode("utf-8") if isinstance(output, bytes) else output
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def golden_differences(record: dict, expected: dict) -> list[str]:
    """The fields of an expected file that the record does not match (`removed` compared as
    `removed_lines` does)."""
    return [
        key
        for key, value in expected.items()
        if (removed_lines(record) if key == "removed" else record.get(key)) != value
    ]


def cli(*args: str) -> Result:
    """A command run in-process (typer's runner): quicker than `run` where the entry point and
    the terminal do not matter."""
    return CliRunner().invoke(app, list(args))


# `check`'s findings, one per line: PATH:LINE:COLUMN: CODE message.
FINDING = re.compile(
    r"^(?P<path>.+):(?P<line>\d+):(?P<column>\d+): (?P<code>[A-Z]+\d{3}) (?P<rest>.+)$"
)


def findings(stdout: str) -> list[re.Match]:
    return [match for line in stdout.splitlines() if (match := FINDING.match(line))]


# A short text dump: a headline, two article paragraphs and a "Back to top" button.
ARTICLE = (
    "Council approves new cycle lanes\n\n"
    "The city council voted on Tuesday to build four new protected cycle lanes across the "
    "centre, after two years of consultation with residents and shop owners.\n\n"
    "Work on the first lane is expected to begin in the spring and to last about six months, "
    "the council said in a statement.\n\n"
    "Back to top\n"
)

# A short HTML article with a menu and a footer.
PAGE = (
    b"<html><head><title>Harbour ferry returns after repairs</title></head><body>"
    b"<nav><a href='/'>Home</a> <a href='/news'>News</a></nav><article>"
    b"<h1>Harbour ferry returns after repairs</h1>"
    b"<p>The harbour ferry carried its first passengers in three months on Monday, after "
    b"engineers replaced both engines and repaired the landing stage on the east quay.</p>"
    b"<p>The operator said the crossing would run every twenty minutes during the day and "
    b"that season tickets bought before the repairs would be extended by three months.</p>"
    b"</article><footer>Back to top</footer></body></html>"
)


def copies_of(texts: list[Path], root: Path, copies: int) -> list[str]:
    """`copies` folders `00`, `01`... under `root`, each holding the same `texts`, so that a
    batch over `root` runs long enough to be stopped; their paths in input order."""
    for copy in range(copies):
        (root / f"{copy:02d}").mkdir(parents=True)
        for path in texts:
            shutil.copy(path, root / f"{copy:02d}" / path.name)
    return [f"{copy:02d}/{path.name}" for copy in range(copies) for path in texts]


def write_warc(path: Path, pages: list[tuple[str, bytes, str]]) -> None:
    """A gzip WARC: a warcinfo record, then per page a request and a response record."""
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "tests"}))
        for url, body, content_type in pages:
            asked = StatusAndHeaders(
                "GET / HTTP/1.1", [("Host", "example.org")], is_http_request=True
            )
            request = writer.create_warc_record(
                url, "request", payload=io.BytesIO(b""), http_headers=asked
            )
            writer.write_record(request)
            headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], "HTTP/1.1")
            response = writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), http_headers=headers
            )
            writer.write_record(response)


# A story whose prose a careless rule pack takes for debris (`GREEDY_PACK`): fixing it would
# remove most of the file, an unsafe fix.
GREEDY_HEADLINE = "New cycle lanes for the city centre"
GREEDY_PARAGRAPHS = [
    "The city council voted on Tuesday to build four new protected cycle lanes across the "
    "centre, after two years of consultation with residents and shop owners.",
    "Work on the first lane is expected to begin in the spring and to last about six months, "
    "the council said in a statement on its website.",
    "Cyclists' groups welcomed the plan but said the lanes should link up with the routes of "
    "the neighbouring towns, so that commuters can ride all the way to work.",
    "Shop owners on the high street, who had opposed an earlier plan, said the council had "
    "listened to them this time and kept the loading bays.",
]
GREEDY_STORY = "\n\n".join([GREEDY_HEADLINE, *GREEDY_PARAGRAPHS, "Back to top"]) + "\n"
GREEDY_PACK = """\
category: site
rules:
  - code: STE001
    description: A line about the council (a learned rule gone wrong).
    patterns: [{regex: '.*\\bcouncil\\b.*'}]
    examples: {match: ['The council met on Monday.']}
"""
