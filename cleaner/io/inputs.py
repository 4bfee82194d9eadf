"""Finding input documents: files (plain or gzip), WARC archives, folders walked recursively,
or stdin. Documents are produced one at a time so that a batch never holds the corpus."""

from __future__ import annotations

import contextlib
import gzip
import os
import stat
import sys
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from fnmatch import fnmatchcase
from pathlib import Path

import pathspec

from cleaner.io.warc import WARC_SUFFIXES, is_warc, iter_warc
from cleaner.messages import too_large
from cleaner.model import ReadCallback, SourceDocument, UnreadableInput

TEXT_SUFFIXES = (".txt", ".md")
HTML_SUFFIXES = (".html", ".htm")
GZIP_SUFFIX = ".gz"
DOCUMENT_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES
INPUT_SUFFIXES = (
    DOCUMENT_SUFFIXES + tuple(suffix + GZIP_SUFFIX for suffix in DOCUMENT_SUFFIXES) + WARC_SUFFIXES
)
INPUT_FORMATS = ("auto", "text", "html")
# Largest document accepted, after decompression: a news page is far smaller, and the limit keeps
# a decompression bomb or a mislabelled dump from exhausting memory.
DEFAULT_MAX_BYTES = 32 * 1024 * 1024

# Folders that are never articles, skipped by the walk unless `exclude` is given (as ruff does).
DEFAULT_EXCLUDE = ("node_modules", "site-packages", "venv")
GITIGNORE = ".gitignore"


@dataclass(frozen=True)
class FileSelection:
    """Which files of a walked folder are read. Hidden files and folders are skipped, and so
    are `exclude` globs (matched against the name, the path relative to the walked folder, or
    the path relative to `root`, the configuration's folder; fnmatch rules: `*` also crosses
    `/`), paths that `.gitignore` files ignore (`gitignore`, for `check`), and this run's own
    outputs (`skip`, real paths). `include` globs, when given, must match the path relative to
    the walked folder. Files named on the command line are always read."""

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    root: Path | None = None
    gitignore: bool = False
    skip: frozenset[str] = frozenset()

    def excludes(self, relative: str, path: Path) -> bool:
        candidates = [relative, path.name]
        if self.root is not None:
            with contextlib.suppress(ValueError):
                candidates.append(Path(os.path.abspath(path)).relative_to(self.root).as_posix())
        return any(fnmatchcase(c, glob) for glob in self.exclude for c in candidates)

    def selects(self, relative: str, path: Path | None = None) -> bool:
        if self.include and not any(fnmatchcase(relative, glob) for glob in self.include):
            return False
        return not self.excludes(relative, path or Path(relative))

    def with_outputs(self, *outputs: Path | None) -> FileSelection:
        """The selection that also skips these outputs of the run (files or folders)."""
        real = {os.path.realpath(p) for p in outputs if p is not None}
        return replace(self, skip=self.skip | real)


class _Ignores:
    """The `.gitignore` files that apply below a folder, as git reads them: those of the folder
    and its parents up to the repository's top (with `.git/info/exclude`), the deeper winning."""

    def __init__(self, specs: tuple[tuple[Path, pathspec.PathSpec], ...]) -> None:
        self.specs = specs

    @classmethod
    def above(cls, folder: Path) -> _Ignores:
        folder = Path(os.path.abspath(folder))
        chain = [folder]
        for parent in folder.parents:
            if (chain[-1] / ".git").exists():
                break
            chain.append(parent)
        else:  # not inside a repository: only the walked tree's own files
            chain = [folder]
        specs: list[tuple[Path, pathspec.PathSpec]] = []
        top = chain[-1]
        if (exclude := top / ".git" / "info" / "exclude").is_file():
            specs.extend(_spec(top, exclude))
        for base in reversed(chain):
            specs.extend(_spec(base, base / GITIGNORE))
        return cls(tuple(specs))

    def below(self, folder: Path) -> _Ignores:
        return _Ignores(self.specs + _spec(folder, folder / GITIGNORE))

    def ignores(self, path: Path, is_dir: bool) -> bool:
        ignored = False
        for base, spec in self.specs:
            try:
                relative = path.relative_to(base).as_posix() + ("/" if is_dir else "")
            except ValueError:
                continue
            result = spec.check_file(relative)
            if result.include is not None:
                ignored = result.include
        return ignored


def _spec(base: Path, file: Path) -> tuple[tuple[Path, pathspec.PathSpec], ...]:
    try:
        lines = file.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ()
    return ((base, pathspec.GitIgnoreSpec.from_lines(lines)),)


def without_gzip(path: str) -> str:
    return path[: -len(GZIP_SUFFIX)] if path.lower().endswith(GZIP_SUFFIX) else path


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


def walk_folder(
    folder: Path, selection: FileSelection, suffixes: tuple[str, ...] = INPUT_SUFFIXES
) -> Iterator[tuple[Path, str]]:
    """(file, path relative to `folder`) for the files below `folder` that have one of the
    suffixes and that the selection keeps: sorted, not following links to folders. The one
    walk of every command (clean, check, learn, dask)."""
    absolute = Path(os.path.abspath(folder))
    ignores = {absolute: _Ignores.above(absolute)} if selection.gitignore else {}
    for root, dirs, files in os.walk(folder):
        here = Path(root)
        ignore = ignores.get(Path(os.path.abspath(root)))
        if ignore is not None:
            ignore = ignore.below(Path(os.path.abspath(root))) if here != folder else ignore
        kept = []
        for name in sorted(dirs):
            path = here / name
            relative = path.relative_to(folder).as_posix()
            if (
                name.startswith(".")
                or selection.excludes(relative, path)
                or (selection.skip and os.path.realpath(path) in selection.skip)
                or (ignore is not None and ignore.ignores(Path(os.path.abspath(path)), True))
            ):
                continue
            kept.append(name)
            if ignore is not None:
                ignores[Path(os.path.abspath(path))] = ignore
        dirs[:] = kept
        for name in sorted(files):
            if name.startswith(".") or not name.lower().endswith(suffixes):
                continue
            path = here / name
            relative = path.relative_to(folder).as_posix()
            if not selection.selects(relative, path):
                continue
            if selection.skip and os.path.realpath(path) in selection.skip:
                continue
            if ignore is not None and ignore.ignores(Path(os.path.abspath(path)), False):
                continue
            yield path, relative


def iter_input_files(
    paths: Sequence[str],
    selection: FileSelection = FileSelection(),
    suffixes: tuple[str, ...] = INPUT_SUFFIXES,
) -> Iterator[tuple[Path, str]]:
    """(file on disk, path shown in records) in command-line order; a folder's files are named
    relative to the folder, a file argument as typed. The selection applies to walked folders
    only: a file named on the command line is always read."""
    for given in paths:
        if os.path.isdir(given):
            yield from walk_folder(Path(given), selection, suffixes)
        else:
            yield Path(given), given


class OverlapError(ValueError):
    """An output that would overwrite or hold an input of the same run."""


def check_outputs(
    paths: Sequence[str],
    files: Sequence[Path | None] = (),
    folders: Sequence[Path | None] = (),
) -> None:
    """Refuse, before anything is written, outputs that overlap the inputs: an output file that
    is an input file (named, or an input-like file inside an input folder), or an output folder
    (of part files, which a run may delete) that holds an input. An output inside an input
    folder is fine: the walk skips it."""
    given = [(p, os.path.realpath(p), os.path.isdir(p)) for p in paths if p != "-"]
    for output in filter(None, files):
        real = os.path.realpath(output)
        for shown, source, is_folder in given:
            if not is_folder and real == source:
                raise OverlapError(f"{output} is also an input ({shown}); write elsewhere")
            if (
                is_folder
                and is_inside(real, source)
                and os.path.isfile(real)
                and output.name.lower().endswith(INPUT_SUFFIXES)
            ):
                raise OverlapError(
                    f"{output} is an input file of {shown}; write the output elsewhere"
                )
    for output in filter(None, folders):
        real = os.path.realpath(output)
        for shown, source, _ in given:
            if is_inside(source, real):
                raise OverlapError(
                    f"the output folder {output} holds the input {shown}; write elsewhere"
                )


def is_inside(path: str, folder: str) -> bool:
    """Whether a real path is `folder` or lies below it."""
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _read_file(path: Path, shown: str, requested: str, max_bytes: int) -> SourceDocument | str:
    """The document's bytes, decompressed for `.gz`, or the reason they cannot be had."""
    try:
        if shown.lower().endswith(GZIP_SUFFIX):
            with gzip.open(path, "rb") as stream:
                data = stream.read(max_bytes + 1)
        else:
            if path.stat().st_size > max_bytes:
                return too_large(max_bytes)
            data = path.read_bytes()
    except EOFError:
        return "truncated gzip: the compressed data ends early"
    except (gzip.BadGzipFile, zlib.error) as exc:
        return f"not a valid gzip file: {exc}"
    except OSError as exc:
        return f"cannot read: {exc.strerror or exc}"
    if len(data) > max_bytes:
        return too_large(max_bytes)
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
                yield UnreadableInput("-", format_of("-", b"", requested), too_large(max_bytes))
            else:
                yield SourceDocument("-", data, format_of("-", data, requested))
            continue
        walked = os.path.isdir(given)
        for path, shown in iter_input_files([given], selection):
            yield from read_input_file(path, shown, requested, max_bytes, on_read, walked)
