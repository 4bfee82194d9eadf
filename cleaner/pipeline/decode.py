"""Decode stage: raw bytes to normalised Unicode text, or a clear reason why not."""

from __future__ import annotations

import codecs
import itertools
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

try:  # the regex parser and compiler behind `re`: public as sre_parse before Python 3.11
    from re import _compiler as sre_compile
    from re import _parser as sre_parse
except ImportError:  # pragma: no cover
    import sre_compile
    import sre_parse

import ftfy
from charset_normalizer import from_bytes
from ftfy.badness import BADNESS_RE, is_bad
from ftfy.chardata import CONTROL_CHARS, HTML_ENTITY_RE, LIGATURES

# Longest first: the UTF-32-LE mark begins with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.I)
# C0/C1 controls except tab and newline, plus stray format characters that break tokenisers.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u2060\ufeff\ufffe]")
_FTFY_CONFIG = ftfy.TextFixerConfig(
    uncurl_quotes=False,  # curly quotes are the article's own characters
    fix_character_width=False,  # full-width forms are normal in CJK text
    normalization="NFC",
)
# A line of printable ASCII that ftfy leaves as it is: `&` could start an HTML entity it would
# unescape, and `<` switches that unescaping off for the rest of the text.
_PLAIN_LINE = re.compile(r"[\t\x20-\x25\x27-\x3b\x3d-\x7e]*\n?")
# What ftfy's fixers other than the mojibake one (which `is_bad` stands for) act on: entities
# (its `HTML_ENTITY_RE`: "&amp;", not the "&" of "News & Sport"), C1 controls and odd line
# breaks, Latin ligatures, surrogates, terminal escapes and the control characters it strips.
# A line without any of these, in NFC, and not `is_bad` is one that ftfy returns unchanged.
_FTFY_TOUCHES = re.compile(
    "[<\x1b\x80-\x9f\r\u2028\u2029\ud800-\udfff"
    + "".join(re.escape(chr(code)) for code in sorted({*LIGATURES, *CONTROL_CHARS}))
    + "]"
)
_LINE = re.compile(r"[^\n]*\n|[^\n]+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


# Bytes looked at to tell text from binary: enough for any header, cheap on a huge file.
_SAMPLE = 8192
# Share of the bytes that may be NUL in a text file that has a few stray NULs (a scraper's
# padding, a truncated write) rather than being binary.
_STRAY_NUL_SHARE = 0.01


class DecodeError(ValueError):
    """The bytes are not text we can clean (binary, or in no encoding we can identify)."""


def _declared_charset(data: bytes) -> str | None:
    """The page's `<meta charset>`, if it names a text encoding that can be trusted: as HTML
    parsers do, a UTF-16/32 or UTF-7 declaration on a page without a byte-order mark is ignored
    (a codec that is not a text encoding, such as `base64`, fails to decode and is passed over)."""
    match = _META_CHARSET.search(data[:4096])
    if not match:
        return None
    name = match.group(1).decode("ascii", "replace")
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    return None if codec.startswith(("utf-16", "utf-32", "utf-7")) else codec


def _bomless_utf16(data: bytes) -> tuple[str, str] | None:
    """UTF-16 text without a byte-order mark, or None. Its ASCII characters (spaces, digits,
    newlines, Latin letters) put their NUL byte on one side of each code unit; binary data
    spreads NULs over both sides, or decodes into control characters."""
    sample = data[:_SAMPLE]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if len(data) % 2 or max(even, odd) < 9 * min(even, odd) + 1:
        return None
    encoding = "utf-16-le" if odd > even else "utf-16-be"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    head = text[: _SAMPLE // 2]
    controls = sum(1 for char in head if (char < " " and char not in "\t\n\r") or char == "\x7f")
    return (text, encoding) if controls <= len(head) * 0.01 else None


def _stray_nuls(data: bytes) -> bool:
    """A few NUL bytes in what is otherwise UTF-8 text: dropped, not taken for binary."""
    if data.count(0) > len(data) * _STRAY_NUL_SHARE:
        return False
    try:
        data.replace(b"\x00", b"").decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _mostly_utf8(text: str) -> bool:
    """UTF-8 with a few invalid bytes (decoded as U+FFFD): its valid multi-byte characters far
    outnumber the bad bytes. Text in a legacy encoding has almost no valid UTF-8 sequences, so
    it goes to charset detection instead of being decoded into replacement characters."""
    bad = text.count("\ufffd")
    valid = len(text) - len(text.encode("ascii", "ignore")) - bad  # non-ASCII, less the bad
    return valid >= 4 * bad


@dataclass(frozen=True)
class Decoded:
    """Text with the encoding it was read in. `bom + text.encode(encoding)` gives back the
    bytes unless decoding had to change them (invalid bytes replaced, stray NULs dropped)."""

    text: str
    encoding: str
    bom: bytes = b""


def decode(data: bytes, html: bool = False) -> Decoded:
    """Bytes to text: a BOM, then (for HTML) the page's own `<meta charset>`, then UTF-8, then
    charset-normalizer's best guess. Binary data is refused rather than decoded into noise.
    The one decoder of every command (`clean`, `check`, `learn`)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return Decoded(data[len(bom) :].decode(encoding, errors="replace"), encoding, bom)
    if b"\x00" in data[:_SAMPLE]:
        if _stray_nuls(data):
            data = data.replace(b"\x00", b"")
        elif (utf16 := _bomless_utf16(data)) is not None:
            return Decoded(*utf16)
        else:
            raise DecodeError(
                "binary content (NUL bytes in a file without a UTF-16/32 byte-order mark)"
            )
    if html and (declared := _declared_charset(data)):
        try:
            return Decoded(data.decode(declared), declared)
        except (UnicodeDecodeError, LookupError):  # LookupError: `base64` is no text encoding
            pass
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="replace")
    if _mostly_utf8(text):
        return Decoded(text, "utf-8")
    guess = from_bytes(data).best()
    if guess is None:
        raise DecodeError("binary or undecodable content (no text encoding fits)")
    return Decoded(str(guess), guess.encoding)


def decode_bytes(data: bytes, html: bool = False) -> str:
    """The text of `decode`."""
    return decode(data, html).text


def normalise_text(text: str) -> str:
    """Fix mojibake (ftfy), apply NFC, unify newlines and drop control characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = fix_mojibake(text)  # fast on plain lines; an ASCII "&amp;" is still unescaped
    text = _CONTROL.sub("", text)
    return unicodedata.normalize("NFC", text)


def fix_mojibake(text: str) -> str:
    """`ftfy.fix_text` with our settings, without the lines it would leave as they are.

    ftfy fixes a text line by line and is slow per line, while most lines of a page need
    nothing: plain ASCII, or other text in NFC with nothing that ftfy fixes. Only the runs of
    other lines go through it. Like ftfy, a `<` anywhere turns HTML entity unescaping off for
    the lines after it.
    """
    if _left_alone_by_ftfy(text, whole=True):  # most pages: every line is left alone
        return text
    config = _FTFY_CONFIG
    fixed: list[str] = []
    lines = _LINE.findall(text)
    for alone, run in itertools.groupby(lines, key=_left_alone_by_ftfy):
        chunk = "".join(run)
        if alone:
            fixed.append(chunk)
            continue
        fixed.append(ftfy.fix_text(chunk, config=config))
        if "<" in chunk:
            config = config._replace(unescape_html=False)
    return "".join(fixed)


def _left_alone_by_ftfy(line: str, whole: bool = False) -> bool:
    """Whether ftfy leaves the line as it is. For a `whole` text of many lines, a cheaper
    sufficient test: what holds of the whole holds of each line (NFC does not compose across a
    line break, and a line's non-ASCII characters are among the text's), short of `is_bad`,
    which is left to the lines."""
    if not whole and _PLAIN_LINE.fullmatch(line):
        return True
    return (
        _FTFY_TOUCHES.search(line) is None
        and ("&" not in line or HTML_ENTITY_RE.search(line) is None)
        and unicodedata.is_normalized("NFC", line)
        and not (_may_be_bad(frozenset(_NON_ASCII.findall(line))) and (whole or is_bad(line)))
    )


@lru_cache(maxsize=4096)
def _may_be_bad(non_ascii: frozenset[str]) -> bool:
    """Whether `is_bad` can be true for a line whose non-ASCII characters are these.

    ftfy's mojibake pattern is an alternation tried at every position of a line, slow on
    long lines, while each alternative needs certain non-ASCII characters (an accented
    capital, a currency sign...). Lines of a page share a few sets of these (curly quotes,
    dashes), so the answer per set is kept, and `is_bad` runs only where it can be true."""
    return any(
        all(any(element.fullmatch(char) for char in non_ascii) for element in needed)
        for needed in _badness_needs()
    )


@lru_cache(maxsize=1)
def _badness_needs() -> tuple[tuple[re.Pattern[str], ...], ...]:
    """For each alternative of ftfy's mojibake pattern, its one-character elements that match
    no ASCII character: a match of the alternative takes one non-ASCII character of the line
    for each. Read from the pattern itself; anything unexpected in it gives an alternative
    that needs nothing, so that `is_bad` always runs."""
    needs_nothing: tuple[tuple[re.Pattern[str], ...], ...] = ((),)
    parsed = sre_parse.parse(BADNESS_RE.pattern, BADNESS_RE.flags)
    if len(parsed.data) != 1 or parsed.data[0][0] is not sre_parse.BRANCH:
        return needs_nothing
    needs = []
    for alternative in parsed.data[0][1][1]:
        needed = []
        for element in alternative.data:
            if element[0] not in (sre_parse.LITERAL, sre_parse.IN):
                continue  # an anchor, an optional or any character: nothing certain
            single = sre_parse.SubPattern(alternative.state, [element])
            compiled = sre_compile.compile(single, BADNESS_RE.flags)
            if not any(compiled.fullmatch(chr(code)) for code in range(128)):
                needed.append(compiled)
        needs.append(tuple(needed))
    return tuple(needs)
