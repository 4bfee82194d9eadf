"""`clean-news check`: debris in stored text articles, reported like a linter and removed in place.

A text file that holds an article is checked line by line against what the cleaner would remove.
Debris is every line the cleaner removes except the metadata lines (codes `MET...`): the
headline, deck, kicker, byline, dateline and page-title line belong to a stored article even
though the JSON record moves them into fields. Fixing deletes only debris lines and keeps every
other byte of the file: its encoding and byte-order mark, each line's newline (`\\n`, `\\r\\n`
or `\\r`), the trailing newline or its absence, and the blank lines between paragraphs.
"""

from __future__ import annotations

import codecs
import contextlib
import difflib
import json
import os
import re
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, replace
from itertools import pairwise
from pathlib import Path

from charset_normalizer import from_bytes

from cleaner.decode import DecodeError
from cleaner.inputs import TEXT_SUFFIXES, format_of, is_special_file, one_line
from cleaner.model import Verdict
from cleaner.pipeline import Cleaner
from cleaner.rules import CodeFilter

METADATA_PREFIX = "MET"
EXCERPT_CHARS = 60  # of the line's text, quoted at the end of a finding

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_LINE = re.compile(r"([^\r\n]*)(\r\n|\n|\r|$)")
# Line separators that the cleaner's normalisation would turn into new lines: inside a line of
# the file they become spaces, so that the cleaner's line numbers are the file's.
_INNER_BREAKS = re.compile("[\u2028\u2029]")


class CheckFilter(CodeFilter):
    """The user's select/ignore, with the metadata codes always on.

    Metadata lines are not debris, so turning a `MET` code off must not turn the headline into
    a line outside the body that `--fix` would delete."""

    def enabled(self, code: str) -> bool:
        return code.startswith(METADATA_PREFIX) or super().enabled(code)


@dataclass(frozen=True)
class TextFile:
    """A text file as lines plus everything needed to write it back byte for byte."""

    encoding: str
    bom: bytes
    lines: tuple[str, ...]  # without their newline
    endings: tuple[str, ...]  # each line's own newline; "" for a last line without one

    @classmethod
    def from_bytes(cls, data: bytes) -> TextFile:
        """Decode with the file's own encoding: a byte-order mark, UTF-8, else the best guess."""
        encoding, bom = _encoding_of(data)
        try:
            text = data[len(bom) :].decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise DecodeError(f"cannot decode as {encoding}: {exc}") from None
        lines, endings = [], []
        for match in _LINE.finditer(text):
            content, ending = match.groups()
            if not content and not ending:  # the empty match after the last newline
                continue
            lines.append(content)
            endings.append(ending)
        return cls(encoding, bom, tuple(lines), tuple(endings))

    def to_bytes(self) -> bytes:
        text = "".join(line + ending for line, ending in zip(self.lines, self.endings, strict=True))
        return self.bom + text.encode(self.encoding)

    def cleaner_text(self) -> str:
        """The text the cleaner sees: one line per line of the file, numbered the same."""
        return "\n".join(_INNER_BREAKS.sub(" ", line) for line in self.lines)

    def without(self, numbers: set[int]) -> TextFile:
        """The file with lines removed (1-based numbers), the blank-line gaps kept as they were.

        Where removed lines stood between two kept lines, the widest of the gaps between them
        stays, so separate paragraphs stay separate and the lines of one paragraph stay
        together. Leading and trailing blank lines stay, and so does the file's trailing
        newline or its absence."""
        if not numbers:
            return self
        contents = [i for i, line in enumerate(self.lines) if line.strip()]
        kept_contents = [i for i in contents if i + 1 not in numbers]
        first = contents[0] if contents else len(self.lines)
        last = contents[-1] if contents else len(self.lines) - 1
        order = list(range(first))  # leading blank lines
        for previous, current in pairwise(kept_contents):
            order.append(previous)
            gaps = _blank_runs(self.lines, previous, current)
            order.extend(max(gaps, key=len, default=[]))
        order.extend(kept_contents[-1:])
        order.extend(range(last + 1, len(self.lines)))  # trailing blank lines
        lines = [self.lines[i] for i in order]
        endings = [self.endings[i] for i in order]
        if endings and not self.endings[-1]:
            endings[-1] = ""
        return replace(self, lines=tuple(lines), endings=tuple(endings))


def _blank_runs(lines: tuple[str, ...], start: int, stop: int) -> list[list[int]]:
    """The runs of blank lines strictly between two line indexes."""
    runs: list[list[int]] = [[]]
    for index in range(start + 1, stop):
        if lines[index].strip():
            runs.append([])
        else:
            runs[-1].append(index)
    return runs


def _encoding_of(data: bytes) -> tuple[str, bytes]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding, bom
    if b"\x00" in data[:8192]:
        raise DecodeError(
            "binary content (NUL bytes in a file without a UTF-16/32 byte-order mark)"
        )
    try:
        data.decode("utf-8")
        return "utf-8", b""
    except UnicodeDecodeError:
        pass
    guess = from_bytes(data).best()
    if guess is None:
        raise DecodeError("binary or undecodable content (no text encoding fits)")
    return guess.encoding, b""


class NoArticle(ValueError):
    """The cleaner found no article text: nothing to tell debris from, so nothing is fixed."""


@dataclass(frozen=True)
class Finding:
    """One debris line, located like a linter's diagnostic (1-based line and column)."""

    path: str
    line: int
    column: int
    code: str
    message: str
    text: str

    def __str__(self) -> str:
        excerpt = self.text if len(self.text) <= EXCERPT_CHARS else self.text[:EXCERPT_CHARS] + "…"
        message = self.message.rstrip(".")
        return f"{self.path}:{self.line}:{self.column}: {self.code} {message}: {excerpt}"


@dataclass(frozen=True)
class FileReport:
    """What checking one file found and, when fixing, what is left after the fix."""

    path: str
    original: TextFile
    findings: tuple[Finding, ...]
    fixed: TextFile | None = None  # the file without its debris, when a fix was asked for
    remaining: tuple[Finding, ...] = ()  # debris in the fixed file (numbered as in it)


def debris(cleaner: Cleaner, text_file: TextFile) -> dict[int, Verdict]:
    """The debris lines of a file, keyed by 1-based line number, with the cleaner's verdicts."""
    article = cleaner.clean_text(text_file.cleaner_text())
    if not article.lines:
        return {}
    if not article.body_lines():
        raise NoArticle("no article text found (every line reads as debris); not checked")
    return {
        number: verdict
        for number, verdict in article.verdicts.items()
        if not verdict.rule.startswith(METADATA_PREFIX)
    }


def _findings(path: str, text_file: TextFile, verdicts: dict[int, Verdict]) -> tuple[Finding, ...]:
    found = []
    for number in sorted(verdicts):
        line = text_file.lines[number - 1]
        column = len(line) - len(line.lstrip()) + 1
        verdict = verdicts[number]
        folded = " ".join(line.split())
        found.append(Finding(path, number, column, verdict.rule, verdict.reason, folded))
    return tuple(found)


def check_text(cleaner: Cleaner, path: str, data: bytes, fix: bool = False) -> FileReport:
    """Check one file's bytes; with `fix`, also the file without its debris, checked again.

    Fixing removes exactly the lines reported, never a line the cleaner keeps, so the
    headline and every article paragraph stay. The fixed file is checked again: in the rare
    case where removing debris changes how the cleaner reads the rest, what it finds then is
    reported as remaining rather than removed, since it was article text a moment before.
    Raises DecodeError or NoArticle for files that cannot be checked."""
    original = TextFile.from_bytes(data)
    verdicts = debris(cleaner, original)
    findings = _findings(path, original, verdicts)
    if not fix:
        return FileReport(path, original, findings)
    if original.to_bytes() != data:
        raise DecodeError(f"cannot rewrite: {original.encoding} does not give back the same bytes")
    fixed = original.without(set(verdicts))
    try:
        remaining = _findings(path, fixed, debris(cleaner, fixed)) if verdicts else ()
    except NoArticle:
        raise NoArticle(
            "without its debris the file reads as no article at all; not fixed"
        ) from None
    return FileReport(path, original, findings, fixed, remaining)


def write_atomically(path: Path, data: bytes) -> None:
    """Replace a file's content in one step: a temporary file beside it, then a rename.

    A reader sees the old content or the new, never half of it, and a failure leaves the old.
    No fsync: like code formatters, the tool leaves flushing to the file system, which would
    otherwise cost more than the check itself. The file keeps its permission bits; a symbolic
    link is followed, so the link stays."""
    target = Path(os.path.realpath(path))
    mode = stat.S_IMODE(target.stat().st_mode)
    handle, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def unified_diff(path: str, before: TextFile, after: TextFile) -> str:
    """A unified diff of the fix, marking a last line without a newline as `diff` does."""

    def diff_lines(text_file: TextFile) -> list[str]:
        lines = [
            line + (ending or "\n")
            for line, ending in zip(text_file.lines, text_file.endings, strict=True)
        ]
        if lines and not text_file.endings[-1]:
            lines[-1] += "\\ No newline at end of file\n"
        return lines

    return "".join(
        difflib.unified_diff(diff_lines(before), diff_lines(after), f"{path}", f"{path}")
    )


def iter_text_files(paths: Sequence[str]) -> Iterator[tuple[Path, str]]:
    """(file, path as shown) for each file argument and each .txt/.md file below a folder."""
    for given in paths:
        if not os.path.isdir(given):
            yield Path(given), given
            continue
        for root, dirs, files in os.walk(given):
            dirs.sort()
            for name in sorted(files):
                if name.lower().endswith(TEXT_SUFFIXES):
                    shown = os.path.normpath(os.path.join(root, name))
                    yield Path(shown), shown


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def run_check(
    paths: Sequence[str],
    cleaner_for: Callable[[Path], Cleaner],
    mode: str = "check",
    output_format: str = "text",
) -> bool:
    """Check (`mode` "check"), fix in place ("fix") or show the fix ("diff"); print as asked.

    Findings go to stdout, one per line or as one JSON list; a file that cannot be checked
    gets one line `path: problem` on stderr and the run goes on. Returns whether all is well:
    no debris (none left, for "fix"; no change to show, for "diff") and no file in error."""
    found: list[Finding] = []
    fixed: list[Finding] = []
    remaining: list[Finding] = []
    files = failed = changed = 0
    for path, shown in iter_text_files(paths):
        files += 1
        try:
            if is_special_file(path):  # reading could block; fixing would replace it
                raise DecodeError("not a regular file (a FIFO, socket or device)")
            data = path.read_bytes()
            if format_of(shown, data) == "html":
                raise DecodeError("an HTML page; check works on text files")
            report = check_text(cleaner_for(path), shown, data, fix=mode != "check")
        except OSError as exc:
            failed += 1
            _error(f"{shown}: cannot read: {exc.strerror or exc}")
            continue
        except (DecodeError, NoArticle) as exc:
            failed += 1
            _error(f"{shown}: {exc}")
            continue
        found.extend(report.findings)
        if mode == "check" or report.fixed is None or report.fixed == report.original:
            continue
        changed += 1
        remaining.extend(report.remaining)
        if mode == "diff":
            sys.stdout.write(unified_diff(shown, report.original, report.fixed))
            continue
        try:
            write_atomically(path, report.fixed.to_bytes())
        except OSError as exc:
            failed += 1
            _error(f"{shown}: cannot write: {exc.strerror or exc}")
            continue
        fixed.extend(report.findings)
        if output_format == "text":
            codes = ", ".join(sorted({finding.code for finding in report.findings}))
            count = _plural(len(report.findings), "debris line")
            print(f"fixed {shown}: removed {count} ({codes})")
    reported = remaining if mode == "fix" else found
    if output_format == "json":
        entries = [dict(asdict(finding), fixed=True) for finding in fixed]
        entries += [dict(asdict(finding), fixed=False) for finding in reported]
        print(json.dumps(entries, ensure_ascii=False, indent=2))
    else:
        if mode != "diff":
            for finding in reported:
                print(finding)
        summary = _summary(mode, files, found, fixed, remaining, changed)
        print(summary, file=sys.stderr if mode == "diff" else sys.stdout)
    if mode == "fix":
        return not remaining and not failed
    if mode == "diff":
        return not changed and not failed
    return not found and not failed


def _summary(
    mode: str,
    files: int,
    found: list[Finding],
    fixed: list[Finding],
    remaining: list[Finding],
    changed: int,
) -> str:
    if not found:
        return f"No debris found in {_plural(files, 'file')}."
    in_files = (
        f"{_plural(len(found), 'debris line')} in {_plural(len({f.path for f in found}), 'file')}"
    )
    if mode == "fix":
        return f"Found {in_files} ({len(fixed)} fixed, {len(remaining)} remaining)."
    if mode == "diff":
        return f"Found {in_files}; {_plural(changed, 'file')} would be fixed."
    return f"Found {in_files}; `clean-news check --fix` removes them."


def _error(message: str) -> None:
    print(one_line(message), file=sys.stderr)
