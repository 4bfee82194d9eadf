"""Finding input documents: files (plain or gzip), WARC archives, folders walked recursively,
or stdin. Documents are produced one at a time so that a batch never holds the corpus."""

from __future__ import annotations

import gzip
import os
import stat
import sys
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path

from cleaner.model import SourceDocument

TEXT_SUFFIXES = (".txt", ".md")
HTML_SUFFIXES = (".html", ".htm")
GZIP_SUFFIX = ".gz"
WARC_SUFFIXES = (".warc", ".warc.gz")
DOCUMENT_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES
INPUT_SUFFIXES = (
    DOCUMENT_SUFFIXES + tuple(suffix + GZIP_SUFFIX for suffix in DOCUMENT_SUFFIXES) + WARC_SUFFIXES
)
INPUT_FORMATS = ("auto", "text", "html")
# Largest document accepted, after decompression: a news page is far smaller, and the limit keeps
# a decompression bomb or a mislabelled dump from exhausting memory.
DEFAULT_MAX_BYTES = 32 * 1024 * 1024

ReadCallback = Callable[[int], None]


@dataclass(frozen=True)
class UnreadableInput:
    """A document that could not be read at all; it still gets an error record."""

    path: str
    input_format: str
    message: str


@dataclass(frozen=True)
class FileSelection:
    """Which files of a walked folder are read: `--include`/`--exclude` globs on the path
    relative to the folder (fnmatch rules: `*` also crosses `/`)."""

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()

    def selects(self, relative: str) -> bool:
        if self.include and not any(fnmatchcase(relative, glob) for glob in self.include):
            return False
        return not any(fnmatchcase(relative, glob) for glob in self.exclude)


def without_gzip(path: str) -> str:
    return path[: -len(GZIP_SUFFIX)] if path.lower().endswith(GZIP_SUFFIX) else path


def is_warc(path: str) -> bool:
    return path.lower().endswith(WARC_SUFFIXES)


def format_of(path: str, data: bytes, requested: str = "auto") -> str:
    """`text` or `html`: from the option, else the file suffix, else a look at the content."""
    if requested != "auto":
        return requested
    suffix = os.path.splitext(without_gzip(path))[1].lower()
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in TEXT_SUFFIXES:
        return "text"
    head = data[:1024].lstrip().lower()
    return "html" if head.startswith((b"<!doctype html", b"<html", b"<?xml")) else "text"


def _walk(folder: Path, selection: FileSelection) -> Iterator[tuple[Path, str]]:
    """Input files below `folder`, sorted, not following links to folders."""
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            if not name.lower().endswith(INPUT_SUFFIXES):
                continue
            path = Path(root) / name
            relative = path.relative_to(folder).as_posix()
            if selection.selects(relative):
                yield path, relative


def iter_input_files(
    paths: Sequence[str], selection: FileSelection = FileSelection()
) -> Iterator[tuple[Path, str]]:
    """(file on disk, path shown in records) in command-line order; a folder's files are named
    relative to the folder, a file argument as typed. Globs apply to walked folders only."""
    for given in paths:
        if os.path.isdir(given):
            yield from _walk(Path(given), selection)
        else:
            yield Path(given), given


def _too_large(limit: int) -> str:
    return f"too large: more than {limit} bytes (raise --max-bytes)"


def _read_file(path: Path, shown: str, requested: str, max_bytes: int) -> SourceDocument | str:
    """The document's bytes, decompressed for `.gz`, or the reason they cannot be had."""
    try:
        if shown.lower().endswith(GZIP_SUFFIX):
            with gzip.open(path, "rb") as stream:
                data = stream.read(max_bytes + 1)
        else:
            if path.stat().st_size > max_bytes:
                return _too_large(max_bytes)
            data = path.read_bytes()
    except EOFError:
        return "truncated gzip: the compressed data ends early"
    except (gzip.BadGzipFile, zlib.error) as exc:
        return f"not a valid gzip file: {exc}"
    except OSError as exc:
        return f"cannot read: {exc.strerror or exc}"
    if len(data) > max_bytes:
        return _too_large(max_bytes)
    return SourceDocument(shown, data, format_of(shown, data, requested), origin=str(path))


def read_input_file(
    path: Path,
    shown: str,
    requested: str = "auto",
    max_bytes: int = DEFAULT_MAX_BYTES,
    on_read: ReadCallback | None = None,
    regular_only: bool = True,
) -> Iterator[SourceDocument | UnreadableInput]:
    """The documents of one input file: one for a page or text, one per HTML response record
    for a WARC archive. `on_read` is told how many bytes of the file were consumed. Only a file
    named on the command line (`regular_only=False`) may be a pipe, e.g. `<(zcat dump.gz)`."""
    if regular_only and is_special_file(path):  # reading a FIFO found in a folder could block
        kind = "html" if is_warc(shown) else format_of(shown, b"", requested)
        yield UnreadableInput(shown, kind, "not a regular file (a FIFO, socket or device)")
        return
    if is_warc(shown):
        from cleaner.warc import iter_warc

        yield from iter_warc(path, shown, max_bytes, on_read)
        return
    document = _read_file(path, shown, requested, max_bytes)
    if on_read:
        on_read(file_size(path))
    if isinstance(document, str):
        yield UnreadableInput(shown, format_of(shown, b"", requested), document)
    else:
        yield document


def one_line(text: str) -> str:
    """Control characters escaped (a newline in a file name), so that a message is one line."""
    return "".join(repr(char)[1:-1] if char < " " or char == "\x7f" else char for char in text)


def is_special_file(path: Path) -> bool:
    """A FIFO, socket or device (a file that cannot be stat'ed is left for reading to report)."""
    try:
        return not stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return False


def file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def missing_paths(paths: Sequence[str]) -> list[str]:
    return [p for p in paths if p != "-" and not os.path.exists(p)]


def iter_documents(
    paths: Sequence[str],
    requested: str = "auto",
    selection: FileSelection = FileSelection(),
    max_bytes: int = DEFAULT_MAX_BYTES,
    on_read: ReadCallback | None = None,
) -> Iterator[SourceDocument | UnreadableInput]:
    """Documents in command-line order, read lazily one file at a time; '-' reads stdin."""
    for given in paths:
        if given == "-":
            data = sys.stdin.buffer.read(max_bytes + 1)
            if len(data) > max_bytes:
                yield UnreadableInput("-", format_of("-", b"", requested), _too_large(max_bytes))
            else:
                yield SourceDocument("-", data, format_of("-", data, requested))
            continue
        walked = os.path.isdir(given)
        for path, shown in iter_input_files([given], selection):
            yield from read_input_file(path, shown, requested, max_bytes, on_read, walked)
