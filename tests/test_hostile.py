"""Hostile and broken input: one batch over a folder of bad files, each case with its exact
outcome (a clean record, or an error record with a clear one-line message), the batch going on
and exit status 1. Big inputs are generated here, never committed."""

from __future__ import annotations

import gzip
import io
import json
import os
import zipfile
from pathlib import Path

import pytest
from test_batch import PAGE, records, run, write_warc

from cleaner.extract import TOO_DEEP
from cleaner.inputs import DEFAULT_MAX_BYTES
from cleaner.model import SourceDocument
from cleaner.pipeline import NO_ARTICLE
from conftest import FIXTURES, ROOT

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
        ("deep.html", TOO_DEEP),
    ],
)
def test_bad_files_get_an_error_record_saying_why(batch, name, problem):
    assert _error(batch, name) == problem


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
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"default {DEFAULT_MAX_BYTES}, 32 MiB" in readme
