"""Wording shared by the commands' messages, so that one thing is said one way everywhere."""

from __future__ import annotations


def plural(count: int, noun: str, plural_form: str | None = None) -> str:
    """`1 file`, `2 files`; `plural_form` for nouns that do not just take an s."""
    return f"{count} {noun if count == 1 else plural_form or noun + 's'}"


def too_large(limit: int) -> str:
    """The error of a document over `--max-bytes` (after decompression)."""
    return f"too large: more than {limit} bytes (raise --max-bytes)"
