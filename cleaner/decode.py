"""Decode stage: raw bytes to normalised Unicode text, or a clear reason why not."""

from __future__ import annotations

import codecs
import itertools
import re
import unicodedata

import ftfy
from charset_normalizer import from_bytes

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
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
_LINE = re.compile(r"[^\n]*\n|[^\n]+")


class DecodeError(ValueError):
    """The bytes are not text we can clean (binary, or in no encoding we can identify)."""


def _declared_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    if not match:
        return None
    name = match.group(1).decode("ascii", "replace")
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_bytes(data: bytes, html: bool = False) -> str:
    """Bytes to str: a BOM, then (for HTML) the page's own `<meta charset>`, then UTF-8, then
    charset-normalizer's best guess. Binary data is refused rather than decoded into noise."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    if b"\x00" in data[:8192]:
        raise DecodeError(
            "binary content (NUL bytes in a file without a UTF-16/32 byte-order mark)"
        )
    if html and (declared := _declared_charset(data)):
        try:
            return data.decode(declared)
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    guess = from_bytes(data).best()
    if guess is None:
        raise DecodeError("binary or undecodable content (no text encoding fits)")
    return str(guess)


def normalise_text(text: str) -> str:
    """Fix mojibake (ftfy), apply NFC, unify newlines and drop control characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = fix_mojibake(text)  # fast on plain lines; an ASCII "&amp;" is still unescaped
    text = _CONTROL.sub("", text)
    return unicodedata.normalize("NFC", text)


def fix_mojibake(text: str) -> str:
    """`ftfy.fix_text` with our settings, without the lines it would leave as they are.

    ftfy fixes a text line by line and is slow per line, while most lines of a page are plain
    ASCII; only the runs of other lines go through it. Like ftfy, a `<` anywhere turns HTML
    entity unescaping off for the lines after it.
    """
    config = _FTFY_CONFIG
    fixed: list[str] = []
    lines = _LINE.findall(text)
    for plain, run in itertools.groupby(lines, key=lambda line: bool(_PLAIN_LINE.fullmatch(line))):
        chunk = "".join(run)
        if plain:
            fixed.append(chunk)
            continue
        fixed.append(ftfy.fix_text(chunk, config=config))
        if "<" in chunk:
            config = config._replace(unescape_html=False)
    return "".join(fixed)
