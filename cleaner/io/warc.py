"""WARC input: each HTML response record of a `.warc` or `.warc.gz` archive is one document.

warcio reads the archive as a stream. A record is named `ARCHIVE#record-N`, N being its
1-based position among all records of the archive (warcinfo and request records count too), so
the name points at one record whatever is selected. Its `url` is the WARC-Target-URI and its
`fetch_date` the WARC-Date.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from cleaner.messages import too_large
from cleaner.model import ReadCallback, SourceDocument, UnreadableInput

HTML_TYPES = ("text/html", "application/xhtml+xml")
WARC_SUFFIXES = (".warc", ".warc.gz")
_RECORD_MARK = "#"


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


def iter_warc(
    path: Path, shown: str, max_bytes: int, on_read: ReadCallback | None = None
) -> Iterator[SourceDocument | UnreadableInput]:
    """HTML response records in archive order; a truncated or malformed archive ends with an
    error record named after the record where reading failed."""
    number = 0
    position = 0
    try:
        with path.open("rb") as stream:
            for number, record in enumerate(ArchiveIterator(stream), start=1):
                if not _is_html_response(record):
                    continue
                name = record_name(shown, number)
                body = record.content_stream().read(max_bytes + 1)
                if on_read:
                    on_read(stream.tell() - position)
                    position = stream.tell()
                if len(body) > max_bytes:
                    yield UnreadableInput(name, "html", too_large(max_bytes))
                elif record.raw_stream.limit:  # bytes the record's Content-Length promised
                    yield UnreadableInput(name, "html", "truncated WARC record: content ends early")
                    return
                else:
                    headers = record.rec_headers
                    yield SourceDocument(
                        name,
                        body,
                        "html",
                        url=headers.get_header("WARC-Target-URI"),
                        fetch_date=headers.get_header("WARC-Date"),
                        origin=str(path),
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
