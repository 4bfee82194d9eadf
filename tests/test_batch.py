"""Batch cleaning: workers and order, inputs (.gz, WARC, globs), formats, resume, summary."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pyarrow.json as pajson
import pyarrow.parquet as pq
import pytest
from warcio.archiveiterator import ArchiveIterator

from helpers import FIXTURES, PAGE, SEEDS, command, copies_of, records, run, write_warc

TEXTS = sorted((FIXTURES / "text" / "en").glob("*.txt"))[:8]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """A small tree of text fixtures, pages and seeds, some of them in sub-folders."""
    root = tmp_path_factory.mktemp("corpus")
    (root / "en").mkdir()
    for path in TEXTS:
        shutil.copy(path, root / "en" / path.name)
    for path in SEEDS.glob("*.txt"):
        shutil.copy(path, root / path.name)
    (root / "pages").mkdir()
    (root / "pages" / "ferry.html").write_bytes(PAGE)
    return root


@pytest.fixture(scope="module")
def local_run(corpus) -> bytes:
    result = run("-q", "-j", "1", str(corpus))
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_output_is_byte_identical_whatever_the_number_of_jobs(corpus, local_run):
    parallel = run("-q", "-j", "2", str(corpus))
    assert parallel.returncode == 0, parallel.stderr
    assert parallel.stdout == local_run
    paths = [record["path"] for record in records(local_run)]
    assert len(paths) == len(TEXTS) + 3
    assert paths[:2] == sorted(p.name for p in SEEDS.glob("*.txt"))


def test_summary_on_stderr_and_as_json(corpus, local_run, tmp_path):
    summary_file = tmp_path / "summary.json"
    result = run("-j", "2", "--summary-json", str(summary_file), str(corpus))
    summary = json.loads(summary_file.read_text("utf-8"))
    found = records(result.stdout)
    removed = [entry["rule"] for record in found for entry in record["removed"]]
    assert summary["documents"] == summary["cleaned"] == len(found)
    assert summary["failed"] == 0
    assert summary["lines_removed"] == len(removed)
    assert summary["lines_removed_by_category"]["NAV"] == sum(r[:3] == "NAV" for r in removed)
    assert summary["seconds"] > 0
    assert f"{len(found)} documents: {len(found)} cleaned, 0 failed" in result.stderr.decode()
    assert run("-q", str(corpus)).stderr == b""


def test_gzip_inputs_match_their_plain_versions(tmp_path):
    plain, packed = tmp_path / "plain", tmp_path / "packed"
    plain.mkdir()
    packed.mkdir()
    (plain / "ferry.html").write_bytes(PAGE)
    (packed / "ferry.html.gz").write_bytes(gzip.compress(PAGE))
    shutil.copy(TEXTS[0], plain / "story.txt")
    (packed / "story.txt.gz").write_bytes(gzip.compress(TEXTS[0].read_bytes()))
    expected = records(run("-q", str(plain)).stdout)
    found = records(run("-q", str(packed)).stdout)
    assert [r["path"] for r in found] == ["ferry.html.gz", "story.txt.gz"]
    for mine, theirs in zip(found, expected, strict=True):
        assert mine["error"] is None
        assert mine["input_format"] == theirs["input_format"]
        assert (mine["title"], mine["text"], mine["id"]) == (
            theirs["title"],
            theirs["text"],
            theirs["id"],
        )


def test_gzip_limits_and_truncation_are_errors(tmp_path):
    (tmp_path / "big.txt.gz").write_bytes(gzip.compress(b"word " * 10_000))
    (tmp_path / "cut.txt.gz").write_bytes(gzip.compress(TEXTS[0].read_bytes())[:-30])
    (tmp_path / "fake.html.gz").write_bytes(PAGE)
    result = run("-q", "--max-bytes", "20000", str(tmp_path))
    assert result.returncode == 1
    errors = {r["path"]: r["error"] for r in records(result.stdout)}
    assert errors["big.txt.gz"].startswith("too large: more than 20000 bytes")
    assert errors["cut.txt.gz"].startswith("truncated gzip")
    assert errors["fake.html.gz"].startswith("not a valid gzip file")


def test_warc_html_responses_become_documents(tmp_path, validate_record):
    archive = tmp_path / "crawl.warc.gz"
    write_warc(
        archive,
        [
            ("https://example.org/ferry", PAGE, "text/html; charset=utf-8"),
            ("https://example.org/logo.png", b"\x89PNG\r\n\x1a\n", "image/png"),
            ("https://example.org/ferry-2", PAGE.replace(b"Monday", b"Tuesday"), "text/html"),
        ],
    )
    result = run("-q", str(tmp_path))
    assert result.returncode == 0, result.stderr
    found = [validate_record(record) for record in records(result.stdout)]
    # warcinfo is record 1, then request/response pairs: the HTML responses are 3 and 7.
    assert [r["path"] for r in found] == ["crawl.warc.gz#record-3", "crawl.warc.gz#record-7"]
    assert [r["url"] for r in found] == ["https://example.org/ferry", "https://example.org/ferry-2"]
    assert all(r["fetch_date"] and r["fetch_date"][:2] == "20" for r in found)
    assert found[0]["title"] == "Harbour ferry returns after repairs"
    assert "Monday" in found[0]["text"] and "Tuesday" in found[1]["text"]
    assert all(r["input_format"] == "html" for r in found)


def test_truncated_warc_keeps_whole_records_and_reports_the_cut(tmp_path):
    archive = tmp_path / "crawl.warc.gz"
    write_warc(archive, [(f"https://example.org/{n}", PAGE, "text/html") for n in range(3)])
    data = archive.read_bytes()
    archive.write_bytes(data[: len(data) - 120])
    result = run("-q", str(archive))
    assert result.returncode == 1
    found = records(result.stdout)
    assert [r["error"] is None for r in found] == [True, True, False]
    assert found[-1]["path"] == f"{archive}#record-7"
    assert "truncated" in found[-1]["error"]


def _record_offsets(archive: Path) -> list[int]:
    with archive.open("rb") as stream:
        records_read = ArchiveIterator(stream)
        return [records_read.get_record_offset() for _ in records_read]


@pytest.mark.parametrize("compressed", [True, False], ids=["warc.gz", "warc"])
@pytest.mark.parametrize("into", [10, 200], ids=["first block", "headers"])
@pytest.mark.parametrize("record", [1, 5], ids=["first record", "later record"])
def test_a_warc_cut_inside_a_record_reports_it(tmp_path, compressed, into, record):
    # Where warcio stops without a word: the cut falls in a record's headers, or in the first
    # block of its gzip member. The whole records before it are kept.
    archive = tmp_path / "crawl.warc.gz"
    write_warc(archive, [(f"https://example.org/{n}", PAGE, "text/html") for n in range(3)])
    if not compressed:
        archive = archive.rename(tmp_path / "crawl.warc")
        archive.write_bytes(gzip.decompress(archive.read_bytes()))
    cut = _record_offsets(archive)[record - 1] + into
    archive.write_bytes(archive.read_bytes()[:cut])
    result = run("-q", str(archive))
    assert result.returncode == 1
    found = records(result.stdout)
    kept = [r["path"] for r in found if r["error"] is None]
    assert kept == [f"{archive}#record-{n}" for n in (3, 5, 7) if n < record]
    assert found[-1]["path"] == f"{archive}#record-{record}"
    assert found[-1]["error"].startswith("truncated WARC record: ")


def test_a_warc_named_on_the_command_line_may_be_a_pipe(tmp_path):
    archive = tmp_path / "crawl.warc.gz"
    write_warc(archive, [(f"https://example.org/{n}", PAGE, "text/html") for n in range(2)])
    pipe = tmp_path / "pipe.warc.gz"
    os.mkfifo(pipe)
    process = subprocess.Popen([*command(), "-q", str(pipe)], stdout=subprocess.PIPE)
    pipe.write_bytes(archive.read_bytes())  # blocks until the cleaner opens the pipe
    stdout, _ = process.communicate(timeout=120)
    assert process.returncode == 0
    assert [r["path"] for r in records(stdout)] == [f"{pipe}#record-3", f"{pipe}#record-5"]


def test_include_and_exclude_globs(corpus):
    included = records(run("-q", "--include", "en/*", "--exclude", "*court*", str(corpus)).stdout)
    expected = [f"en/{p.name}" for p in TEXTS if "court" not in p.name]
    assert [r["path"] for r in included] == expected


def test_json_array_format(corpus, local_run, tmp_path):
    target = tmp_path / "out.json"
    result = run("-q", "--format", "json", "-o", str(target), str(corpus))
    assert result.returncode == 0
    assert json.loads(target.read_text("utf-8")) == records(local_run)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert json.loads(run("-q", "--format", "json", str(corpus)).stdout) == records(local_run)


@pytest.mark.parametrize(("fmt", "heading"), [("txt", ""), ("md", "# ")])
def test_text_formats_mirror_the_input_tree(corpus, local_run, tmp_path, fmt, heading):
    out = tmp_path / "out"
    result = run("-q", "--format", fmt, "-o", str(out), str(corpus))
    assert result.returncode == 0, result.stderr
    for record in records(local_run):
        stem = os.path.splitext(record["path"])[0]
        written = (out / f"{stem}.{fmt}").read_text("utf-8")
        deck = f"{record['subtitle']}\n\n" if record["subtitle"] else ""
        assert written == f"{heading}{record['title']}\n\n{deck}{record['text']}\n"
    assert len(list(out.rglob(f"*.{fmt}"))) == len(records(local_run))


def test_filter_mode_reads_stdin_and_writes_clean_text():
    result = run("--format", "txt", "-", stdin=PAGE)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.decode().splitlines()
    assert lines[0] == "Harbour ferry returns after repairs"
    assert lines[2].startswith("The harbour ferry carried")
    assert "Back to top" not in result.stdout.decode()
    assert result.stderr == b""


def test_text_formats_without_a_folder_need_stdin(corpus):
    result = run("--format", "txt", str(corpus))
    assert result.returncode == 2
    assert "--format txt needs -o FOLDER" in result.stderr.decode()


def test_parquet_has_every_record(corpus, local_run, tmp_path):
    target = tmp_path / "out.parquet"
    result = run("-q", "--format", "parquet", "-o", str(target), str(corpus))
    assert result.returncode == 0, result.stderr
    table = pq.read_table(target)
    assert table.to_pylist() == records(local_run)


def test_pyarrow_reads_the_json_lines(corpus, tmp_path):
    """Error records (no stats, nothing removed) come first and blocks are small, so Arrow
    must infer each column across blocks: every field keeps one type."""
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "a-empty.txt").write_bytes(b"")
    (bad / "b-binary.txt").write_bytes(b"\x00\x01\x02" * 10)
    target = tmp_path / "out.jsonl"
    run("-q", "-o", str(target), str(bad), str(corpus))
    longest = max(len(line) for line in target.read_bytes().splitlines())
    options = pajson.ReadOptions(block_size=2 * longest)  # blocks of a few records each
    table = pajson.read_json(target, read_options=options)
    expected = records(target.read_bytes())
    assert table.num_rows == len(expected) == len(TEXTS) + 5
    assert table.column("path").to_pylist() == [r["path"] for r in expected]
    assert table.column("removed").to_pylist()[-1] == expected[-1]["removed"]


def test_resume_completes_an_interrupted_output(corpus, local_run, tmp_path):
    target = tmp_path / "out.jsonl"
    lines = local_run.splitlines(keepends=True)
    target.write_bytes(b"".join(lines[:4]) + lines[4][:50])  # a crash in the middle of a write
    summary_file = tmp_path / "summary.json"
    result = run("-o", str(target), "--resume", "--summary-json", str(summary_file), str(corpus))
    assert result.returncode == 0, result.stderr
    assert target.read_bytes() == local_run
    summary = json.loads(summary_file.read_text("utf-8"))
    assert summary["skipped"] == 4
    assert summary["documents"] == len(lines) - 4
    again = run("-q", "-o", str(target), "--resume", str(corpus))
    assert again.returncode == 0 and target.read_bytes() == local_run


def test_resume_needs_a_json_lines_file(corpus):
    result = run("--resume", str(corpus))
    assert result.returncode == 2
    assert "--resume needs --format jsonl and -o FILE" in result.stderr.decode()


def test_bad_files_do_not_stop_the_batch(tmp_path, validate_record):
    """The benchmark's bad-files folder: one error record per bad file, all good ones cleaned."""
    good = [TEXTS[0].name, TEXTS[1].name, "page.html"]
    shutil.copy(TEXTS[0], tmp_path / TEXTS[0].name)
    shutil.copy(TEXTS[1], tmp_path / TEXTS[1].name)
    (tmp_path / "page.html").write_bytes(PAGE)
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "invalid-utf8.txt").write_bytes(bytes(range(0x80, 0x100)) * 20)
    (tmp_path / "truncated.txt.gz").write_bytes(gzip.compress(TEXTS[2].read_bytes())[:-40])
    write_warc(tmp_path / "truncated.warc.gz", [("https://example.org/a", PAGE, "text/html")])
    warc = (tmp_path / "truncated.warc.gz").read_bytes()
    (tmp_path / "truncated.warc.gz").write_bytes(warc[:-100])
    result = run("-q", "-j", "2", str(tmp_path))
    assert result.returncode == 1
    found = {r["path"]: validate_record(r) for r in records(result.stdout)}
    for name in good:
        assert found[name]["error"] is None and found[name]["text"]
    failed = {path for path, record in found.items() if record["error"]}
    assert failed == {
        "empty.txt",
        "binary.txt",
        "invalid-utf8.txt",
        "truncated.txt.gz",
        "truncated.warc.gz#record-3",
    }
    stderr = result.stderr.decode().splitlines()
    assert sorted(line.split(": ")[0] for line in stderr) == sorted(failed)


def test_ctrl_c_leaves_whole_records_and_resume_finishes(tmp_path):
    # Enough documents that the run is still going when the first records are on disk.
    corpus = tmp_path / "corpus"
    expected = copies_of(TEXTS, corpus, 40)
    target = tmp_path / "out.jsonl"
    process = subprocess.Popen(
        [*command(), "-q", "-j", "2", "-o", str(target), str(corpus)], stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 60
    while (not target.exists() or not target.read_bytes()) and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "run again with --resume" in stderr.decode()
    partial = records(target.read_bytes())  # every line whole
    assert 0 < len(partial) < len(expected)
    assert run("-q", "-o", str(target), "--resume", str(corpus)).returncode == 0
    assert [record["path"] for record in records(target.read_bytes())] == expected
