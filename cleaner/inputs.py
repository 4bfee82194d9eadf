"""Finding input documents: files, folders walked recursively, or stdin."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from cleaner.model import SourceDocument

TEXT_SUFFIXES = (".txt", ".md")
HTML_SUFFIXES = (".html", ".htm")
INPUT_FORMATS = ("auto", "text", "html")


@dataclass(frozen=True)
class UnreadableInput:
    """A document that could not be read at all; it still gets an error record."""

    path: str
    input_format: str
    message: str


def format_of(path: str, data: bytes, requested: str = "auto") -> str:
    """`text` or `html`: from the option, else the file suffix, else a look at the content."""
    if requested != "auto":
        return requested
    suffix = os.path.splitext(path)[1].lower()
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in TEXT_SUFFIXES:
        return "text"
    head = data[:1024].lstrip().lower()
    return "html" if head.startswith((b"<!doctype html", b"<html", b"<?xml")) else "text"


def _walk(folder: Path) -> Iterator[Path]:
    """Files with a known suffix below `folder`, sorted, not following links to folders."""
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            if name.lower().endswith(TEXT_SUFFIXES + HTML_SUFFIXES):
                yield Path(root) / name


def _read(path: Path, shown: str, requested: str) -> SourceDocument | UnreadableInput:
    try:
        data = path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        return UnreadableInput(shown, format_of(shown, b"", requested), f"cannot read: {reason}")
    return SourceDocument(shown, data, format_of(shown, data, requested))


def missing_paths(paths: Sequence[str]) -> list[str]:
    return [p for p in paths if p != "-" and not os.path.exists(p)]


def iter_documents(
    paths: Sequence[str], requested: str = "auto"
) -> Iterator[SourceDocument | UnreadableInput]:
    """Documents in command-line order; a folder's files are named relative to the folder."""
    for given in paths:
        if given == "-":
            data = sys.stdin.buffer.read()
            yield SourceDocument("-", data, format_of("-", data, requested))
        elif os.path.isdir(given):
            root = Path(given)
            for path in _walk(root):
                yield _read(path, path.relative_to(root).as_posix(), requested)
        else:
            yield _read(Path(given), given, requested)
