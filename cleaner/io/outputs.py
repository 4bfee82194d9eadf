"""Output formats. JSON Lines is written in place one whole, flushed record at a time, so an
interrupted run leaves a valid file that `--resume` continues; every other output is written to a
temporary name and renamed when complete, so it is either whole or absent."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import stat
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path, PurePosixPath
from typing import IO, Any

from cleaner.io.inputs import (
    FileSelection,
    OverlapError,
    is_inside,
    iter_input_files,
    without_gzip,
)
from cleaner.io.warc import split_record_name
from cleaner.pipeline.record import record_schema

OUTPUT_FORMATS = ("jsonl", "json", "txt", "md", "parquet")
TEXT_FORMATS = ("txt", "md")
# Records per Parquet row group: big enough for columnar compression, small enough for memory.
PARQUET_BATCH = 1000


def record_line(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False) + "\n"


class AtomicFile:
    """A file written under a temporary name beside `target`, renamed over it by `commit` and
    removed by `discard` (or on any exception, Ctrl-C included), so `target` is never
    half-written. The one writer of whole files of every command.

    A symbolic link is followed (the file it points to is replaced, the link stays) and an
    existing file keeps its permission bits; a new one gets the usual mode for the umask. No
    fsync: like code formatters, this leaves flushing to the file system. An error names the
    target, never the temporary file."""

    def __init__(self, target: Path, mode: str = "w") -> None:
        self.target = Path(os.path.realpath(target))
        try:
            self.target.parent.mkdir(parents=True, exist_ok=True)
            try:
                self.mode = stat.S_IMODE(self.target.stat().st_mode)
            except FileNotFoundError:
                self.mode = 0o666 & ~_UMASK
            handle, temporary = tempfile.mkstemp(
                dir=self.target.parent, prefix=f".{self.target.name}.", suffix=".tmp"
            )
        except OSError as exc:
            raise _naming(exc, target) from None
        self.temporary = Path(temporary)
        encoding = None if "b" in mode else "utf-8"
        self.stream: IO[Any] = os.fdopen(handle, mode, encoding=encoding)

    def commit(self) -> None:
        try:
            self.stream.close()
            os.chmod(self.temporary, self.mode)
            os.replace(self.temporary, self.target)
        except OSError as exc:
            self.temporary.unlink(missing_ok=True)
            raise _naming(exc, self.target) from None

    def discard(self) -> None:
        with contextlib.suppress(OSError):
            self.stream.close()
        self.temporary.unlink(missing_ok=True)

    def __enter__(self) -> IO[Any]:
        return self.stream

    def __exit__(self, exc_type, exc, traceback) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.discard()


def write_atomically(target: Path, data: bytes | str) -> None:
    """Replace a file's content in one step (see AtomicFile)."""
    with AtomicFile(target, "wb" if isinstance(data, bytes) else "w") as stream:
        try:
            stream.write(data)
        except OSError as exc:
            raise _naming(exc, target) from None


def _naming(exc: OSError, target: Path) -> OSError:
    """The error with the target as its file name (not the temporary file's)."""
    return OSError(exc.errno, exc.strerror or str(exc), str(target))


def _read_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# Read once at import, before any thread runs: os.umask can only be read by setting it.
_UMASK = _read_umask()


class SettingsMismatch(ValueError):
    """`--resume` on records written with other settings: the output would mix two runs."""


def completed_documents(target: Path, fingerprint: str) -> set[tuple[str, str]]:
    """(path, id) of the records already in a JSON Lines output, for `--resume`. The records
    must carry this run's settings fingerprint (SettingsMismatch otherwise, before anything is
    changed). A last line cut short by a crash is then dropped from the file so that appending
    continues a valid file."""
    done: set[tuple[str, str]] = set()
    if not target.exists():
        return done
    complete_end = 0
    with target.open("rb+") as stream:
        for line in stream:
            if not line.endswith(b"\n"):
                break
            complete_end += len(line)
            try:
                record = json.loads(line)
                done.add((record["path"], record["id"]))
            except (ValueError, KeyError, TypeError):
                continue
            check_settings(target, record, fingerprint)
        stream.truncate(complete_end)
    return done


def check_settings(target: Path, record: dict, fingerprint: str) -> None:
    written = record.get("settings")
    if written != fingerprint:
        raise SettingsMismatch(
            f"{target} was written with other settings (fingerprint {written}, now "
            f"{fingerprint}: another version, rules, selection or input option); run with the "
            "same options, or without --resume to start again"
        )


class JsonLinesWriter:
    """One record per line, each written whole and flushed."""

    def __init__(self, target: Path | None, append: bool = False) -> None:
        self.target = target
        self.stream = target.open("ab" if append else "wb") if target else sys.stdout.buffer

    def write(self, record: dict) -> None:
        self.stream.write(record_line(record).encode("utf-8"))
        self.stream.flush()

    def close(self, completed: bool) -> None:
        if self.target:
            self.stream.close()


class JsonArrayWriter:
    """One JSON array of all records; to a file through a temporary name."""

    def __init__(self, target: Path | None) -> None:
        self.file = AtomicFile(target) if target else None
        self.stream = self.file.stream if self.file else sys.stdout
        self.count = 0

    def write(self, record: dict) -> None:
        self.stream.write(
            ("[\n" if self.count == 0 else ",\n") + json.dumps(record, ensure_ascii=False)
        )
        self.count += 1

    def close(self, completed: bool) -> None:
        if completed:
            self.stream.write("\n]\n" if self.count else "[]\n")
        self.stream.flush()
        if self.file:
            self.file.commit() if completed else self.file.discard()


def text_of(record: dict, markdown: bool) -> str:
    """The cleaned document as text: the title as first line (a `# heading` in Markdown), the
    deck (standfirst) under it, then the body. The deck is article text that the record keeps
    in a field of its own, as it does the title."""
    parts = []
    if record.get("title"):
        parts.append(f"# {record['title']}" if markdown else record["title"])
    if record.get("subtitle"):
        parts.append(record["subtitle"])
    if record.get("text"):
        parts.append(record["text"])
    return "\n\n".join(parts) + "\n"


def text_output_path(record_path: str, markdown: bool) -> PurePosixPath:
    """Where a document's text goes under the output folder: its input path with `.gz` dropped
    and the suffix replaced, a WARC record as `ARCHIVE/record-N`; never outside the folder."""
    if record_path == "-":
        record_path = "stdin"
    archive, record = split_record_name(record_path)
    path = PurePosixPath(without_root(without_gzip(archive)))
    if record:
        path = path / without_root(record)
    return path.with_suffix(".md" if markdown else ".txt")


def check_text_targets(
    paths: Sequence[str], folder: Path, markdown: bool, selection: FileSelection
) -> None:
    """Refuse (OverlapError), before anything is written, a text output folder whose files would
    overwrite an input, or land in a walked input folder where the walk would read them back.
    An output folder inside a walked folder is fine: the walk skips it."""
    inputs = list(iter_input_files(paths, selection))
    real_inputs = {os.path.realpath(path): str(path) for path, _ in inputs}
    real_folder = os.path.realpath(folder)
    walked = [os.path.realpath(p) for p in paths if p != "-" and os.path.isdir(p)]
    for _, shown in inputs:
        written = folder / text_output_path(shown, markdown)
        target = os.path.realpath(written)
        if target in real_inputs:
            raise OverlapError(f"{written} would overwrite the input {real_inputs[target]}")
        for source in walked:
            if is_inside(target, source) and not is_inside(real_folder, source):
                raise OverlapError(
                    f"{written} would be written inside the input folder {source}, where this "
                    "run reads; write elsewhere"
                )


def without_root(path: str) -> str:
    parts = PurePosixPath(path.replace("\\", "/")).parts
    return "/".join(part for part in parts if part not in ("/", "..", ".")) or "document"


class TextFilesWriter:
    """One cleaned text file per document under a folder, mirroring the input tree. A document
    that failed gets no file (its error goes to stderr and the summary)."""

    def __init__(self, folder: Path, markdown: bool) -> None:
        self.folder = folder
        self.markdown = markdown

    def write(self, record: dict) -> None:
        if record["error"]:
            return
        target = self.folder / text_output_path(record["path"], self.markdown)
        # The path cannot climb out (text_output_path); a link inside the folder must not either.
        if not target.resolve().is_relative_to(self.folder.resolve()):
            raise OSError(errno.EPERM, "a link there leads outside the output folder", target)
        with AtomicFile(target) as stream:
            stream.write(text_of(record, self.markdown))

    def close(self, completed: bool) -> None:
        """Each file was renamed into place when written."""


class FilterWriter:
    """Filter mode: the clean text of stdin to stdout."""

    def __init__(self, markdown: bool) -> None:
        self.markdown = markdown

    def write(self, record: dict) -> None:
        if not record["error"]:
            sys.stdout.write(text_of(record, self.markdown))
            sys.stdout.flush()

    def close(self, completed: bool) -> None:
        """Nothing buffered."""


def arrow_type(spec: dict):
    """The Arrow type of a JSON Schema property (strings, numbers, integers, booleans, arrays
    and objects; `null` in a type list only makes it nullable)."""
    import pyarrow as pa

    if "enum" in spec:
        return pa.string()
    kinds = spec["type"] if isinstance(spec["type"], list) else [spec["type"]]
    (kind,) = [k for k in kinds if k != "null"]
    if kind == "array":
        return pa.list_(arrow_type(spec["items"]))
    if kind == "object":
        properties = spec["properties"]
        return pa.struct([pa.field(name, arrow_type(properties[name])) for name in properties])
    return {
        "string": pa.string(),
        "number": pa.float64(),
        "integer": pa.int64(),
        "boolean": pa.bool_(),
    }[kind]


def arrow_schema():
    """The record's Arrow schema, derived from `record.schema.json` so it follows the record."""
    import pyarrow as pa

    properties = record_schema()["properties"]
    return pa.schema([pa.field(name, arrow_type(spec)) for name, spec in properties.items()])


class ParquetWriter:
    """Records as a Parquet file (pyarrow), in row groups of PARQUET_BATCH records."""

    def __init__(self, target: Path) -> None:
        import pyarrow.parquet as pq

        self.schema = arrow_schema()
        self.file = AtomicFile(target, "wb")
        self._writer = pq.ParquetWriter(self.file.stream, self.schema)
        self.batch: list[dict] = []

    def write(self, record: dict) -> None:
        self.batch.append(record)
        if len(self.batch) >= PARQUET_BATCH:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa

        if self.batch:
            self._writer.write_table(pa.Table.from_pylist(self.batch, schema=self.schema))
            self.batch = []

    def close(self, completed: bool) -> None:
        if completed:
            self._flush()
        self._writer.close()
        self.file.commit() if completed else self.file.discard()


def parquet_available() -> bool:
    try:
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        return False
    return True


def open_writer(output_format: str, target: Path | None, append: bool = False):
    """The writer for a format; the caller has validated the format/target combination."""
    if output_format == "jsonl":
        return JsonLinesWriter(target, append)
    if output_format == "json":
        return JsonArrayWriter(target)
    if output_format in TEXT_FORMATS:
        markdown = output_format == "md"
        return TextFilesWriter(target, markdown) if target else FilterWriter(markdown)
    assert target is not None
    return ParquetWriter(target)
