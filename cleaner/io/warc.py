"""WARC input: each HTML response record of a `.warc` or `.warc.gz` archive is one document.

warcio reads the archive as a stream. A record is named `ARCHIVE#record-N`, N being its
1-based position among all records of the archive (warcinfo and request records count too), so
the name points at one record whatever is selected. Its `url` is the WARC-Target-URI and its
`fetch_date` the WARC-Date.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord

from cleaner.messages import too_large
from cleaner.model import ReadCallback, SourceDocument, UnreadableInput

HTML_TYPES = ("text/html", "application/xhtml+xml")
WARC_SUFFIXES = (".warc", ".warc.gz")
_RECORD_MARK = "#"
_TAIL_BYTES = 4096  # of what follows the last whole record: enough to tell blank lines from more


def is_warc(path: str) -> bool:
    return path.lower().endswith(WARC_SUFFIXES)


def record_name(archive: str, number: int) -> str:
    return f"{archive}{_RECORD_MARK}record-{number}"


def split_record_name(path: str) -> tuple[str, str | None]:
    """(archive, `record-N`) for a name `record_name` made, (path, None) for any other path (a
    `#` in a file's own name). The name is what records carry, so it is read back here, where
    it is made."""
    archive, _, record = path.rpartition(_RECORD_MARK)
    return (archive, record) if archive and is_warc(archive) else (path, None)


def _is_html_response(record) -> bool:
    if record.rec_type != "response" or record.http_headers is None:
        return False
    content_type = (record.http_headers.get_header("Content-Type") or "").lower()
    return content_type.startswith(HTML_TYPES)


def _cut_short(record: ArcWarcRecord) -> str | None:
    """How a record read to its end falls short of a whole one, if it does: every WARC record
    declares its Content-Length, and its content is that long."""
    if record.rec_headers is None or record.rec_headers.get_header("Content-Length") is None:
        return "the archive ends inside its headers"
    if record.raw_stream.limit:  # what the Content-Length promised and the archive lacks
        return "content ends early"
    return None


def _goes_on_past(stream: BinaryIO, read_up_to: int) -> bool:
    """Whether the archive goes on past its last whole record with more than the blank lines
    that end a record: warcio ends its iteration there without a word when a gzip member is
    cut in its first block. A pipe cannot be read again, and is not checked."""
    if not stream.seekable():
        return False
    stream.seek(read_up_to)
    return bool(stream.read(_TAIL_BYTES).strip())


def _html_document(
    record: ArcWarcRecord, name: str, path: Path, max_bytes: int
) -> SourceDocument | UnreadableInput | None:
    """The page an HTML response record holds (an error when it is too large); None for any
    other record."""
    if not _is_html_response(record):
        return None
    body = record.content_stream().read(max_bytes + 1)
    if len(body) > max_bytes:
        return UnreadableInput(name, "html", too_large(max_bytes))
    headers = record.rec_headers
    return SourceDocument(
        name,
        body,
        "html",
        url=headers.get_header("WARC-Target-URI"),
        fetch_date=headers.get_header("WARC-Date"),
        origin=str(path),
    )


def iter_warc(
    path: Path, shown: str, max_bytes: int, on_read: ReadCallback | None = None
) -> Iterator[SourceDocument | UnreadableInput]:
    """HTML response records in archive order; a truncated or malformed archive ends with an
    error record named after the record where reading failed."""
    number = 0
    position = 0
    read_up_to = 0  # where the last whole record ends in the file
    try:
        with path.open("rb") as stream:
            records = ArchiveIterator(stream)
            for number, record in enumerate(records, start=1):
                name = record_name(shown, number)
                document = _html_document(record, name, path, max_bytes)
                # Reads the rest of the record, to where the next one begins.
                read_up_to = records.get_record_offset() + records.get_record_length()
                if on_read:
                    on_read(read_up_to - position)
                    position = read_up_to
                if cut := _cut_short(record):
                    yield UnreadableInput(name, "html", f"truncated WARC record: {cut}")
                    return
                if document is not None:
                    yield document
            if _goes_on_past(stream, read_up_to):
                yield UnreadableInput(
                    record_name(shown, number + 1),
                    "html",
                    "truncated WARC record: the archive ends inside it",
                )
    except OSError as exc:
        yield UnreadableInput(shown, "html", f"cannot read: {exc.strerror or exc}")
    # warcio raises assorted errors (ArchiveLoadFailed, zlib, parsing) on damaged archives; any
    # of them ends this archive with one error record and the batch goes on.
    except Exception as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        yield UnreadableInput(
            record_name(shown, number + 1), "html", f"truncated or malformed WARC: {reason}"
        )
    finally:
        if on_read:
            on_read(max(path.stat().st_size - position, 0) if path.exists() else 0)
