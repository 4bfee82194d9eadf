"""Hostile and broken input: one batch over a folder of bad files, each case with its exact
outcome (a clean record, or an error record with a clear one-line message), the batch going on
and exit status 1. Big inputs are generated here, never committed."""

from __future__ import annotations

import gzip
import io
import json
import os
import signal
import subprocess
import time
import zipfile
from pathlib import Path

import pytest

from cleaner.io.inputs import DEFAULT_MAX_BYTES
from cleaner.io.outputs import text_output_path
from cleaner.model import SourceDocument
from cleaner.pipeline.cleaner import INTERNAL_ERROR, NO_ARTICLE
from cleaner.rules.loader import MAX_RULE_LINE_CHARS, RulePackError, load_rules
from helpers import FIXTURES, PAGE, ROOT, command, records, run, write_warc

# --max-bytes of the batch: the 10 MB line fits, the over-limit file and the gzip bomb do not.
LIMIT = 11 * 1024 * 1024
EN = FIXTURES / "text" / "en" / "storm_power.txt"
FR = FIXTURES / "text" / "fr" / "greve_transports.txt"
JA = FIXTURES / "text" / "ja" / "rice_price_high.txt"
ZH = FIXTURES / "text" / "zh" / "metro_line_east.txt"
PAGES = {
    "page-windows-1252.html": FIXTURES / "html" / "fr" / "grele-vignoble.html",
    "page-shift_jis.html": FIXTURES / "html" / "ja" / "shotengai-yoichi.html",
    "page-gb18030.html": FIXTURES / "html" / "zh" / "tushuguan-yejian-kaifang.html",
}
SENTENCE_COUNCIL = "The council met on Monday and agreed the budget for the coming year"
SENTENCE = b"The council met on Monday and agreed the budget after a long debate about roads. "
LAUGHS = "".join(
    f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(2, 10)
)  # 10**8 "lol"s if expanded
ENTITY_BOMB = (
    f'<?xml version="1.0"?><!DOCTYPE html [<!ENTITY lol1 "lol">{LAUGHS}]>'
    "<html><head><title>Budget agreed</title></head><body><article><h1>Budget agreed</h1>"
    "<p>&lol9;</p><p>" + SENTENCE.decode() * 3 + "</p></article></body></html>"
).encode()
PDF = (
    b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Length 256 /Filter /FlateDecode >>\nstream\n"
    + bytes(range(256))
    + b"\nendstream\nendobj\n%%EOF\n"
)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00@\x00\x00\x00@\x08\x06\x00\x00\x00" + bytes(
    range(256)
)


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("story.txt", EN.read_text(encoding="utf-8"))
    return buffer.getvalue()


def _deep_page() -> bytes:
    depth = 100_000
    return (
        b"<html><body>" + b"<div>" * depth + b"<p>" + SENTENCE * 3 + b"</p>" + b"</div>" * depth
    ) + b"</body></html>"


def _invalid_utf8(data: bytes) -> bytes:
    return data.replace(b". ", b".\xff ", 3)


def _with_nuls(data: bytes) -> bytes:
    return data.replace(b". ", b".\x00 ", 3)


def build(folder: Path) -> dict[str, bytes]:
    """The bad-input folder; returns the text documents whose record must equal the record of
    `bytes` cleaned as UTF-8 (same text, title and removed lines)."""
    same_as: dict[str, bytes] = {}

    def put(name: str, data: bytes, clean_utf8: bytes | None = None) -> None:
        (folder / name).write_bytes(data)
        if clean_utf8 is not None:
            same_as[name] = clean_utf8

    put("empty.txt", b"")
    put("whitespace.txt", b" \n\t\n   \r\n\n")
    put("image.html", PNG)
    put("document.txt", PDF)
    put("archive.txt", _zip())
    utf8 = EN.read_bytes()
    # each invalid byte becomes U+FFFD, the rest is read as the UTF-8 it is
    replaced = _invalid_utf8(FR.read_bytes()).replace(b"\xff", "\ufffd".encode())
    put("invalid-utf8.txt", _invalid_utf8(FR.read_bytes()), replaced)
    text = EN.read_text(encoding="utf-8")
    put("utf16-bom.txt", text.encode("utf-16"), utf8)
    put("utf16le-no-bom.txt", text.encode("utf-16-le"), utf8)
    put("utf16be-no-bom.txt", JA.read_text(encoding="utf-8").encode("utf-16-be"), JA.read_bytes())
    put("windows-1252.txt", FR.read_text(encoding="utf-8").encode("cp1252"), FR.read_bytes())
    put("gb18030.txt", ZH.read_text(encoding="utf-8").encode("gb18030"), ZH.read_bytes())
    for name, page in PAGES.items():
        put(name, page.read_bytes())
    put("nul-bytes.txt", _with_nuls(utf8), utf8)
    put("one-line-10mb.txt", SENTENCE * (10 * 1024 * 1024 // len(SENTENCE)))
    with (folder / "too-large.txt").open("wb") as stream:
        stream.truncate(LIMIT + 1)
    put("deep.html", _deep_page())
    put("entity-bomb.html", ENTITY_BOMB)
    put("bomb.txt.gz", gzip.compress(b"a" * (LIMIT + 1024 * 1024)))
    put("truncated.txt.gz", gzip.compress(utf8)[:-40])
    write_warc(folder / "truncated.warc.gz", [("https://example.org/a", PAGE, "text/html")])
    put("truncated.warc.gz", (folder / "truncated.warc.gz").read_bytes()[:-100])
    put("unreadable.txt", utf8)
    (folder / "unreadable.txt").chmod(0)
    os.symlink("loop-b.txt", folder / "loop-a.txt")
    os.symlink("loop-a.txt", folder / "loop-b.txt")
    os.symlink("missing.txt", folder / "dangling.txt")
    os.mkfifo(folder / "fifo.txt")
    (folder / "sub").mkdir()
    os.symlink("..", folder / "sub" / "up")  # a folder loop: links to folders are not followed
    for name in ("name with spaces.txt", "line\nbreak.txt", "ünïcödé 新聞.txt"):
        put(name, utf8, utf8)
    put("bad\nname.txt", b"")
    return same_as


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    same_as = build(folder)
    result = run("-q", "-j", "2", "--max-bytes", str(LIMIT), str(folder))
    found = {record["path"]: record for record in records(result.stdout)}
    return result, found, same_as


def _error(batch, path: str) -> str | None:
    return batch[1][path]["error"]


def test_every_file_gets_one_valid_record_and_the_batch_goes_on(batch, validate_record):
    result, found, _ = batch
    assert result.returncode == 1
    names = sorted(found)
    assert len(names) == len(records(result.stdout))  # one record per document, none twice
    for record in found.values():
        validate_record(record)
    assert not any(name.startswith("sub/") for name in names)  # the folder loop is not walked
    failed = [path for path, record in found.items() if record["error"]]
    stderr = result.stderr.decode().splitlines()
    assert len(stderr) == len(failed)  # one line per failed document, nothing else
    assert r"bad\nname.txt: " + NO_ARTICLE in stderr  # a newline in a name is escaped


@pytest.mark.parametrize("name", ["empty.txt", "whitespace.txt", "bad\nname.txt"])
def test_empty_documents_have_no_article(batch, name):
    assert _error(batch, name) == NO_ARTICLE


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("image.html", "binary content (NUL bytes in a file without a UTF-16/32 byte-order mark)"),
        (
            "document.txt",
            "binary content (NUL bytes in a file without a UTF-16/32 byte-order mark)",
        ),
        ("archive.txt", "binary content (NUL bytes in a file without a UTF-16/32 byte-order mark)"),
        ("too-large.txt", f"too large: more than {LIMIT} bytes (raise --max-bytes)"),
        ("bomb.txt.gz", f"too large: more than {LIMIT} bytes (raise --max-bytes)"),
        ("truncated.txt.gz", "truncated gzip: the compressed data ends early"),
        ("truncated.warc.gz#record-3", "truncated WARC record: content ends early"),
        ("loop-a.txt", "cannot read: Too many levels of symbolic links"),
        ("loop-b.txt", "cannot read: Too many levels of symbolic links"),
        ("dangling.txt", "cannot read: No such file or directory"),
        ("fifo.txt", "not a regular file (a FIFO, socket or device)"),
    ],
)
def test_bad_files_get_an_error_record_saying_why(batch, name, problem):
    assert _error(batch, name) == problem


def test_a_page_nested_100000_deep_keeps_its_paragraph(batch):
    """Past the parser's nesting limit the deepest tags are flattened: the text stays."""
    record = batch[1]["deep.html"]
    assert record["error"] is None
    assert SENTENCE.decode().strip() in record["text"]


def test_unreadable_file(batch):
    if os.geteuid() == 0:  # root reads a file whatever its mode: only the record can be checked
        assert _error(batch, "unreadable.txt") is None
    else:
        assert _error(batch, "unreadable.txt") == "cannot read: Permission denied"


@pytest.mark.parametrize(
    "name",
    [
        "invalid-utf8.txt",
        "utf16-bom.txt",
        "utf16le-no-bom.txt",
        "utf16be-no-bom.txt",
        "windows-1252.txt",
        "gb18030.txt",
        "nul-bytes.txt",
        "name with spaces.txt",
        "line\nbreak.txt",
        "ünïcödé 新聞.txt",
    ],
)
def test_text_in_any_encoding_is_cleaned_as_its_utf8_version(batch, cleaner, name):
    record = batch[1][name]
    expected = cleaner.clean(SourceDocument(name, batch[2][name], "text"))
    assert record["error"] is None
    for field in ("text", "title", "author", "date", "removed", "language"):
        assert record[field] == expected[field], field


@pytest.mark.parametrize("name", sorted(PAGES))
def test_pages_in_legacy_encodings(batch, name):
    expected = json.loads(PAGES[name].with_suffix(".expected.json").read_text(encoding="utf-8"))
    record = batch[1][name]
    assert record["error"] is None
    assert (record["title"], record["text"]) == (expected["title"], expected["text"])


def test_ten_megabyte_line_is_cleaned_without_rules(batch):
    record = batch[1]["one-line-10mb.txt"]
    assert record["error"] is None
    assert record["text"] == (SENTENCE * (10 * 1024 * 1024 // len(SENTENCE))).decode().strip()


def test_entity_bomb_is_not_expanded(batch):
    record = batch[1]["entity-bomb.html"]
    assert record["error"] is None
    assert record["title"] == "Budget agreed"
    assert "lollol" not in record["text"]  # the reference stays as written, unexpanded
    assert len(record["text"]) < 1000
    assert SENTENCE.decode().strip() in record["text"]


def test_default_max_bytes_is_documented():
    assert DEFAULT_MAX_BYTES == 32 * 1024 * 1024
    batch_docs = (ROOT / "docs" / "batch.md").read_text(encoding="utf-8")
    assert f"default {DEFAULT_MAX_BYTES}, 32 MiB" in batch_docs


CATASTROPHIC_PACK = """category: user
rules:
  - code: USR001
    description: A line of nothing but the letter a.
    patterns: [{regex: "(a+)+$", scope: contains}]
    examples: {match: ["aaaa"]}
"""


def test_a_catastrophic_user_pattern_cannot_hang_a_run(tmp_path):
    """`(a+)+$` on 5,000 a's and a b backtracks for ever under `re`; a user pattern runs with a
    time limit, is switched off the first time it hits it (one warning naming the rule), and the
    run finishes."""
    pack = tmp_path / "pack.yaml"
    pack.write_text(CATASTROPHIC_PACK, encoding="utf-8")
    article = EN.read_bytes()
    documents = []
    for number in range(3):
        path = tmp_path / f"doc{number}.txt"
        path.write_bytes(article + b"\n" + b"a" * 5000 + b"b\n\naaaa\n")
        documents.append(str(path))
    started = time.monotonic()
    result = run("-q", "-j", "1", "--rules", str(pack), *documents)
    assert time.monotonic() - started < 60  # not hours
    assert result.returncode == 0, result.stderr
    warnings = result.stderr.decode().splitlines()
    assert warnings == [
        f"{pack}: rule USR001, pattern 1: gave up after 0.5 s on a line of 5001 characters "
        "(catastrophic backtracking?); the pattern is off for the rest of this run"
    ]
    found = records(result.stdout)
    assert len(found) == 3
    assert all(r["rule"] != "USR001" for record in found for r in record["removed"])


def test_only_packs_other_than_the_built_in_ones_run_under_the_limit(tmp_path):
    pack = tmp_path / "pack.yaml"
    pack.write_text(CATASTROPHIC_PACK, encoding="utf-8")
    rules = load_rules([pack])
    assert all(p.untrusted is None for rule in rules[:-1] for p in rule.patterns)
    (user,) = rules[-1].patterns
    assert user.untrusted == f"{pack}: rule USR001, pattern 1"
    assert rules[-1].matches("aaaa") and not rules[-1].matches("aaab")


def test_an_invalid_user_regex_is_refused_naming_file_rule_and_reason(tmp_path):
    pack = tmp_path / "pack.yaml"
    pack.write_text(CATASTROPHIC_PACK.replace("(a+)+$", "(a+"), encoding="utf-8")
    with pytest.raises(RulePackError) as caught:
        load_rules([pack])
    assert str(caught.value).startswith(
        f"{pack}: rule USR001, pattern 1: invalid regex '(a+': missing ), unterminated subpattern"
    )


@pytest.mark.parametrize(
    ("record_path", "written"),
    [
        ("news/a.html.gz", "news/a.txt"),
        ("../../etc/passwd", "etc/passwd.txt"),
        ("/etc/cron.d/job.txt", "etc/cron.d/job.txt"),
        ("a/../../../b.html", "a/b.txt"),
        ("..", "document.txt"),
        ("-", "stdin.txt"),
        ("crawl.warc.gz#record-7", "crawl.warc/record-7.txt"),
        ("../crawl.warc#record-2", "crawl.warc/record-2.txt"),
        ("notes#1.txt", "notes#1.txt"),
    ],
)
def test_text_outputs_stay_inside_the_folder(record_path, written):
    assert text_output_path(record_path, markdown=False).as_posix() == written


def test_a_batch_writes_nothing_outside_the_output_folder(tmp_path):
    inside = tmp_path / "work" / "in"
    inside.mkdir(parents=True)
    (inside / "a.txt").write_bytes(EN.read_bytes())
    urls = [
        ("http:///etc/passwd", PAGE, "text/html"),
        ("https://x.org/../../../etc", PAGE, "text/html"),
    ]
    write_warc(inside / "crawl.warc.gz", urls)
    out = tmp_path / "work" / "out"
    before = set(tmp_path.rglob("*"))
    climbing = os.path.relpath(inside / "a.txt", ROOT)  # ../../tmp/.../a.txt from the checkout
    assert climbing.startswith("..")
    result = run("-q", "-f", "txt", "-o", str(out), climbing, str(inside / "crawl.warc.gz"))
    assert result.returncode == 0, result.stderr
    new = {path for path in set(tmp_path.rglob("*")) - before if path.is_file()}
    assert new and all(path.is_relative_to(out) for path in new)
    assert len(new) == 3  # the text file and the two WARC responses


def test_a_link_in_the_output_folder_cannot_carry_a_write_outside(tmp_path):
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "a.txt").write_bytes(EN.read_bytes())
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    os.symlink(elsewhere, out / "news")
    result = run("-q", "-f", "txt", "-o", str(out), str(tmp_path))
    assert result.returncode == 2
    assert "a link there leads outside the output folder" in result.stderr.decode()
    assert not list(elsewhere.iterdir())


def test_sigkill_mid_batch_leaves_a_valid_output_that_resume_completes(tmp_path):
    corpus = tmp_path / "corpus"
    texts = sorted((FIXTURES / "text" / "en").glob("*.txt"))[:8]
    copies = 64  # enough documents that the kill, at the first output, lands mid-batch
    for copy in range(copies):
        (corpus / f"{copy:02d}").mkdir(parents=True)
        for path in texts:
            (corpus / f"{copy:02d}" / path.name).write_bytes(path.read_bytes())
    target = tmp_path / "out.jsonl"
    process = subprocess.Popen(
        [*command(), "-q", "-j", "2", "-o", str(target), str(corpus)],
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: the kill takes the workers too
    )
    deadline = time.monotonic() + 60
    while (not target.exists() or not target.read_bytes()) and time.monotonic() < deadline:
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL
    lines = target.read_bytes().split(b"\n")
    assert all(json.loads(line) for line in lines[:-1] if line)  # whole records, the last maybe cut
    assert 0 < len(lines) - 1 < copies * len(texts)
    resumed = run("-q", "-o", str(target), "--resume", str(corpus))
    assert resumed.returncode == 0, resumed.stderr
    expected = [f"{copy:02d}/{path.name}" for copy in range(copies) for path in texts]
    assert [record["path"] for record in records(target.read_bytes())] == expected


HOSTILE = sorted((FIXTURES / "hostile").iterdir())
# What the hand-made ones must give; every file there must at least not raise inside the cleaner.
HOSTILE_TEXT = {
    "meta-charset-base64.html": SENTENCE_COUNCIL,  # raised LookupError: not a text encoding
    "meta-charset-utf-16.html": SENTENCE_COUNCIL,  # was decoded as UTF-16 into CJK noise
    # raised ValueError: jusText has no Thai stop words. The body is the mayor's paragraph; the
    # unpunctuated line above it is the headline.
    "thai.txt": "นายกเทศมนตรีกล่าวว่า",
}


@pytest.mark.parametrize("path", HOSTILE, ids=lambda path: path.name)
def test_inputs_that_once_broke_the_cleaner(cleaner, validate_record, path):
    input_format = "html" if path.suffix == ".html" else "text"
    source = SourceDocument(path.name, path.read_bytes(), input_format)
    record = validate_record(cleaner.clean(source))
    assert not (record["error"] or "").startswith(INTERNAL_ERROR)
    if path.name in HOSTILE_TEXT:
        assert record["error"] is None
        assert record["text"].startswith(HOSTILE_TEXT[path.name])


def test_check_refuses_special_files_and_keeps_each_error_on_one_line(tmp_path):
    os.mkfifo(tmp_path / "fifo.txt")  # reading it would block for ever
    (tmp_path / "bad\nname.txt").write_bytes(PNG)
    os.symlink("missing.txt", tmp_path / "dangling.txt")
    result = run("check", str(tmp_path))
    assert result.returncode == 1
    assert result.stderr.decode().splitlines() == [
        f"{tmp_path}/bad\\nname.txt: binary content (NUL bytes in a file without a UTF-16/32 "
        "byte-order mark)",
        f"{tmp_path}/dangling.txt: cannot read: No such file or directory",
        f"{tmp_path}/fifo.txt: not a regular file (a FIFO, socket or device)",
    ]


def test_rules_skip_lines_too_long_to_be_debris(tmp_path):
    pack = tmp_path / "pack.yaml"
    pack.write_text(
        CATASTROPHIC_PACK.replace("(a+)+$", "breaking").replace('["aaaa"]', '["breaking"]'),
        encoding="utf-8",
    )
    rule = load_rules([pack], builtin=False)[0]
    assert rule.matches("breaking " + "x" * (MAX_RULE_LINE_CHARS - 9))
    assert not rule.matches("breaking " + "x" * (MAX_RULE_LINE_CHARS - 8))
