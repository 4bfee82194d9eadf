"""`clean-news check`: debris in stored text articles, reported like a linter and removed in place.

A text file that holds an article is checked line by line against what the cleaner would remove.
Debris is every line the cleaner removes except the metadata lines (codes `MET...`): the
headline, deck, kicker, byline, dateline and page-title line belong to a stored article even
though the JSON record moves them into fields. Fixing deletes only debris lines and keeps every
other byte of the file: its encoding and byte-order mark, each line's newline (`\\n`, `\\r\\n`
or `\\r`), the trailing newline or its absence, and the blank lines between paragraphs.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, replace
from itertools import pairwise
from pathlib import Path

from cleaner.codes import METADATA_PREFIX
from cleaner.io.inputs import (
    TEXT_SUFFIXES,
    FileSelection,
    format_of,
    is_special_file,
    iter_input_files,
    one_line,
)
from cleaner.io.outputs import write_atomically
from cleaner.messages import plural
from cleaner.model import Verdict
from cleaner.pipeline.cleaner import Cleaner
from cleaner.pipeline.decode import DecodeError, decode
from cleaner.run.interrupt import raise_if_interrupted

EXCERPT_CHARS = 60  # of the line's text, quoted at the end of a finding

_LINE = re.compile(r"([^\r\n]*)(\r\n|\n|\r|$)")
# Line separators that the cleaner's normalisation would turn into new lines: inside a line of
# the file they become spaces, so that the cleaner's line numbers are the file's.
_INNER_BREAKS = re.compile("[\u2028\u2029]")
# A list item: a bullet or a number, then the item's text.
_LIST_ITEM = re.compile(r"\s*(?:[-*+•·▪▸►‣◦–—]|\d{1,3}[.)])\s+\S")
_SENTENCE_END = re.compile(r"[.!?…。！？][\"'”’»)\]]*$")
# A prose line has at least this many words. Debris prose past this share of a file's prose
# (counted in characters other than white space, so that Chinese and Japanese, written without
# spaces, weigh like other languages) makes those fixes unsafe: a policy limit, not a fitted
# weight, set well above what debris sentences ("Take your reading anywhere...") weigh
# against a whole article.
PROSE_WORDS = 6
UNSAFE_PROSE_SHARE = 0.25


# Metadata lines are not debris, so turning a `MET` code off must not turn the headline into a
# line outside the body that `--fix` would delete: `check` keeps these codes on.
ALWAYS_ON = (METADATA_PREFIX,)


@dataclass(frozen=True)
class TextFile:
    """A text file as lines plus everything needed to write it back byte for byte."""

    encoding: str
    bom: bytes
    lines: tuple[str, ...]  # without their newline
    endings: tuple[str, ...]  # each line's own newline; "" for a last line without one

    @classmethod
    def from_bytes(cls, data: bytes) -> TextFile:
        """Decode as `clean` does (cleaner.decode), keeping the encoding to write it back."""
        decoded = decode(data)
        lines, endings = [], []
        for match in _LINE.finditer(decoded.text):
            content, ending = match.groups()
            if not content and not ending:  # the empty match after the last newline
                continue
            lines.append(content)
            endings.append(ending)
        return cls(decoded.encoding, decoded.bom, tuple(lines), tuple(endings))

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
    safe: bool = True  # whether `--fix` removes it without `--unsafe-fixes`

    def __str__(self) -> str:
        excerpt = self.text if len(self.text) <= EXCERPT_CHARS else self.text[:EXCERPT_CHARS] + "…"
        message = self.message.rstrip(".")
        mark = "" if self.safe else " [unsafe fix]"
        return f"{self.path}:{self.line}:{self.column}: {self.code}{mark} {message}: {excerpt}"


@dataclass(frozen=True)
class FileReport:
    """What checking one file found and, when fixing, what is left after the fix."""

    path: str
    original: TextFile
    findings: tuple[Finding, ...]
    fixed: TextFile | None = None  # the file without its debris, when a fix was asked for
    remaining: tuple[Finding, ...] = ()  # debris in the fixed file (numbered as in it)

    @property
    def applied(self) -> tuple[Finding, ...]:
        """The findings whose lines the fix removed."""
        if self.fixed is None or self.fixed == self.original:
            return ()
        return tuple(f for f in self.findings if f.safe) if self.held_back else self.findings

    @property
    def held_back(self) -> int:
        """Unsafe fixes left out of the fix (`--unsafe-fixes` was not given)."""
        return sum(1 for f in self.findings if not f.safe) if not self.all_applied else 0

    all_applied: bool = False  # the fix included the unsafe ones


def unsafe_lines(text_file: TextFile, debris_lines: set[int]) -> set[int]:
    """The debris lines whose removal could eat the article, so that `--fix` leaves them
    unless `--unsafe-fixes` is given (as ruff does with fixes that may change meaning).

    A whole list (every item of a run of two or more list items, blank lines allowed between
    them) is unsafe: a debris list is most often one promo item among article items, and a
    list that reads as debris from end to end may well be the article's own. So is every
    debris prose line when together they hold more than UNSAFE_PROSE_SHARE of the file's prose
    text: debris is mostly labels and short lines, and a cleaner that misreads an article
    takes whole paragraphs for debris."""
    unsafe: set[int] = set()
    run: list[int] = []
    for number, line in enumerate([*text_file.lines, "end"], start=1):
        if not line.strip():
            continue
        if _LIST_ITEM.match(line):
            run.append(number)
            continue
        if len(run) >= 2 and all(n in debris_lines for n in run):
            unsafe.update(run)
        run = []
    prose = {
        number: len("".join(line.split()))
        for number, line in enumerate(text_file.lines, start=1)
        if _is_prose(line)
    }
    removed = sum(size for n, size in prose.items() if n in debris_lines and n not in unsafe)
    if removed > UNSAFE_PROSE_SHARE * sum(prose.values()):
        unsafe.update(n for n in prose if n in debris_lines)
    return unsafe


def _is_prose(line: str) -> bool:
    """A sentence: a few words ending in sentence punctuation (or a long CJK run)."""
    stripped = line.strip()
    if not _SENTENCE_END.search(stripped):
        return False
    return len(stripped.split()) >= PROSE_WORDS or (
        len(stripped) >= PROSE_WORDS * 4 and " " not in stripped
    )


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


def _findings(
    path: str, text_file: TextFile, verdicts: dict[int, Verdict], unsafe: set[int] | None = None
) -> tuple[Finding, ...]:
    held = unsafe_lines(text_file, set(verdicts)) if unsafe is None else unsafe
    found = []
    for number in sorted(verdicts):
        line = text_file.lines[number - 1]
        column = len(line) - len(line.lstrip()) + 1
        verdict = verdicts[number]
        folded = " ".join(line.split())
        found.append(
            Finding(path, number, column, verdict.rule, verdict.reason, folded, number not in held)
        )
    return tuple(found)


def check_text(
    cleaner: Cleaner, path: str, data: bytes, fix: bool = False, unsafe: bool = False
) -> FileReport:
    """Check one file's bytes; with `fix`, also the file without its debris, checked again.

    Fixing removes only lines reported, never a line the cleaner keeps, so the headline and
    every article paragraph stay; the unsafe ones (`unsafe_lines`) only with `unsafe`. The
    fixed file is checked again: in the rare case where removing debris changes how the
    cleaner reads the rest, what it finds then is reported as remaining rather than removed,
    since it was article text a moment before. Raises DecodeError or NoArticle for files that
    cannot be checked."""
    original = TextFile.from_bytes(data)
    verdicts = debris(cleaner, original)
    held = unsafe_lines(original, set(verdicts))
    findings = _findings(path, original, verdicts, held)
    if not fix:
        return FileReport(path, original, findings)
    if original.to_bytes() != data:
        raise DecodeError(f"cannot rewrite: {original.encoding} does not give back the same bytes")
    fixed = original.without(set(verdicts) if unsafe else set(verdicts) - held)
    try:
        remaining = _findings(path, fixed, debris(cleaner, fixed)) if verdicts else ()
    except NoArticle:
        raise NoArticle(
            "without its debris the file reads as no article at all; not fixed"
        ) from None
    return FileReport(path, original, findings, fixed, remaining, all_applied=unsafe)


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


def _text_files(paths: Sequence[str], selection: FileSelection) -> Iterator[tuple[Path, str]]:
    """(file, path as shown: a folder's files joined to the folder as typed)."""
    for given in paths:
        for path, _ in iter_input_files([given], selection, TEXT_SUFFIXES):
            yield path, os.path.normpath(path) if os.path.isdir(given) else given


def run_check(
    paths: Sequence[str],
    cleaner_for: Callable[[Path], Cleaner],
    mode: str = "check",
    output_format: str = "text",
    selection: FileSelection | None = None,
    unsafe: bool = False,
) -> bool:
    """Check (`mode` "check"), fix in place ("fix") or show the fix ("diff"); print as asked.

    Folders are walked for .txt and .md files as `selection` says (hidden and .gitignore'd
    paths skipped); a file named in `paths` is always checked. Findings go to stdout, one per
    line or as one JSON list; a file that cannot be checked gets one line `path: problem` on
    stderr and the run goes on. Returns whether all is well: no debris (none left, for "fix";
    no change to show, for "diff") and no file in error."""
    selection = selection or FileSelection(gitignore=True)
    found: list[Finding] = []
    fixed: list[Finding] = []
    remaining: list[Finding] = []
    files = failed = changed = held_back = 0
    for path, shown in _text_files(paths, selection):
        raise_if_interrupted()
        files += 1
        try:
            if is_special_file(path):  # reading could block; fixing would replace it
                raise DecodeError("not a regular file (a FIFO, socket or device)")
            data = path.read_bytes()
            if format_of(shown, data) == "html":
                raise DecodeError("an HTML page, not checked: check works on text files")
            report = check_text(cleaner_for(path), shown, data, fix=mode != "check", unsafe=unsafe)
        except OSError as exc:
            failed += 1
            _error(f"{shown}: cannot read: {exc.strerror or exc}")
            continue
        except (DecodeError, NoArticle) as exc:
            failed += 1
            _error(f"{shown}: {exc}")
            continue
        found.extend(report.findings)
        held_back += report.held_back
        if mode == "check" or report.fixed is None or report.fixed == report.original:
            remaining.extend(report.remaining)
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
        fixed.extend(report.applied)
        if output_format == "text":
            codes = ", ".join(sorted({finding.code for finding in report.applied}))
            count = plural(len(report.applied), "debris line")
            print(f"fixed {shown}: removed {count} ({codes})")
    reported = remaining if mode == "fix" else found
    checked = files - failed
    if output_format == "json":
        entries = [dict(asdict(finding), fixed=True) for finding in fixed]
        entries += [dict(asdict(finding), fixed=False) for finding in reported]
        print(json.dumps(entries, ensure_ascii=False, indent=2))
    else:
        if mode != "diff":
            for finding in reported:
                print(finding)
        summary = _summary(mode, checked, failed, found, fixed, remaining, changed, held_back)
        print(summary, file=sys.stderr if mode == "diff" else sys.stdout)
    if mode == "fix":
        return not remaining and not failed
    if mode == "diff":
        return not changed and not failed and not held_back
    return not found and not failed


def _summary(
    mode: str,
    checked: int,
    failed: int,
    found: list[Finding],
    fixed: list[Finding],
    remaining: list[Finding],
    changed: int,
    held_back: int,
) -> str:
    not_checked = f" ({plural(failed, 'file')} could not be checked)" if failed else ""
    if not found:
        return f"No debris found in {plural(checked, 'file')}{not_checked}."
    in_files = (
        f"{plural(len(found), 'debris line')} in {plural(len({f.path for f in found}), 'file')}"
    )
    unsafe_count = sum(1 for f in found if not f.safe)
    hint = (
        f"; {plural(held_back, 'unsafe fix', 'unsafe fixes')} held back "
        "(`--unsafe-fixes` applies them)"
        if held_back
        else ""
    )
    if mode == "fix":
        return (
            f"Found {in_files}{not_checked} ({len(fixed)} fixed, {len(remaining)} remaining{hint})."
        )
    if mode == "diff":
        return f"Found {in_files}{not_checked}; {plural(changed, 'file')} would be fixed{hint}."
    if unsafe_count == 0:
        return f"Found {in_files}{not_checked}; `clean-news check --fix` removes them."
    safe_count = len(found) - unsafe_count
    return (
        f"Found {in_files}{not_checked}; `clean-news check --fix` removes {safe_count} of them, "
        f"`--unsafe-fixes` {unsafe_count} more."
    )


def _error(message: str) -> None:
    print(one_line(message), file=sys.stderr)
