"""What a rule pattern's source says about the lines it can match, read without running it.

The rule screen (`rules.RuleMatcher`) looks up a line's first few characters in an index of
the literal text that each rule's phrases begin with, instead of running every phrase of every
pack on every line. That needs two facts about a regex source, both read conservatively (when
in doubt, "any match is possible"): its top-level alternatives, and the literal prefixes that
its matches begin with.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from functools import lru_cache

# Zero-width openers that can be skipped when reading a prefix (a lookbehind at the start of a
# key always holds; skipping a lookahead only widens the answer).
_LOOKAROUNDS = ("(?<!", "(?<=", "(?!", "(?=")
_ZERO_WIDTH_ESCAPES = ("\\b", "\\B", "\\A")
_QUANTIFIER = re.compile(r"(?:[?*+]|\{\d*(?:,\d*)?\})[?+]?")
# A plain or non-capturing group (with scoped flags); other groups are not looked into.
_GROUP_OPENER = re.compile(r"\((?!\?)|\(\?[aiLmsux-]*:")
# ASCII characters that few lines of prose hold: each alone is worth screening for (a line that
# holds one is only tried, so the screen stays exact).
_SELDOM_IN_PROSE = frozenset("/|<>@#*=~^_\\{}[]")


def _skip_class(source: str, start: int) -> int:
    """The index just past the character class that opens at `start`."""
    position = start + 1
    if position < len(source) and source[position] == "^":
        position += 1
    if position < len(source) and source[position] == "]":  # a leading "]" is a member
        position += 1
    while position < len(source) and source[position] != "]":
        position += 2 if source[position] == "\\" else 1
    return position + 1


def _structure(source: str, start: int = 0) -> Iterator[tuple[int, str, int]]:
    """(position, character, depth) for each character of the source from `start` that is
    neither escaped nor inside a character class; depth counts the groups open after it (an
    opening "(" counts itself, a closing ")" no longer does)."""
    depth = 0
    position = start
    while position < len(source):
        char = source[position]
        if char == "\\":
            position += 2
            continue
        if char == "[":
            position = _skip_class(source, position)
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        yield position, char, depth
        position += 1


def _closing_paren(source: str, start: int) -> int:
    """The index of the ")" that closes the group opening at `start`."""
    for position, char, depth in _structure(source, start):
        if char == ")" and depth == 0:
            return position
    raise ValueError(f"unbalanced group in {source!r}")


def alternatives(source: str) -> list[str]:
    """The top-level alternatives of a regex source; a group wrapping the whole source is
    opened first, so `(?:a|b)` gives `a` and `b`."""
    while source.startswith("(?:") and _closing_paren(source, 0) == len(source) - 1:
        source = source[3:-1]
    parts: list[str] = []
    start = 0
    for position, char, depth in _structure(source):
        if char == "|" and depth == 0:
            parts.append(source[start:position])
            start = position + 1
    parts.append(source[start:])
    return parts


# A phrase is split into at most this many by distributing its leading groups.
MAX_PHRASES = 64


def phrases(source: str) -> list[str]:
    """The alternatives of a regex source, with a leading group's alternatives distributed
    over what follows it, so that each phrase begins with one literal:
    `(?:read|see) (?:more|also)` gives `(?:read) (?:more|also)` and `(?:see) (?:more|also)`.
    A source that would split into more than MAX_PHRASES phrases is split only at the top."""
    parts = alternatives(source)
    distributed = [phrase for part in parts for phrase in _distribute(part)]
    return distributed if len(distributed) <= MAX_PHRASES else parts


def _distribute(part: str) -> list[str]:
    lead = ""
    while part.startswith(_LOOKAROUNDS):  # zero-width: kept in front of every phrase
        end = _closing_paren(part, 0) + 1
        lead, part = lead + part[:end], part[end:]
    opener = _GROUP_OPENER.match(part)
    if not part.startswith("(") or opener is None or opener.group() == "(":
        return [lead + part]  # a capturing group would be numbered twice
    end = _closing_paren(part, 0)
    quantifier = _QUANTIFIER.match(part, end + 1)
    if quantifier is not None and quantifier.group() != "?":
        return [lead + part]
    rest = part[quantifier.end() if quantifier else end + 1 :]
    inner = phrases(part[opener.end() : end])
    expanded = [f"{opener.group()}{phrase}){rest}" for phrase in inner]
    if quantifier is not None:  # an optional group: also the phrases without it
        expanded += _distribute(rest)
    return [lead + phrase for phrase in expanded] if len(expanded) > 1 else [lead + part]


# One element of a sequence: ("literal", lower-case ASCII character); ("caseless", character)
# or ("non-ascii", character) for one outside ASCII that matches no ASCII character in any case,
# with no case of its own ("©") or with one ("é"); ("group", inner source); ("class", its
# members as alternatives) for a class that lists its characters one by one; or ("other", "")
# for anything else that consumes a character. Each with its quantifier, or "".
_Atom = tuple[str, str, str]


def _atoms(source: str) -> list[_Atom]:
    """The elements of one alternative, zero-width ones (anchors, lookarounds) left out."""
    atoms: list[_Atom] = []
    position = 0
    while position < len(source):
        if source.startswith(_LOOKAROUNDS, position):
            position = _closing_paren(source, position) + 1
            continue
        if source.startswith(_ZERO_WIDTH_ESCAPES, position):
            position += 2
            continue
        char = source[position]
        if char in "^$":
            position += 1
            continue
        if char == "(":
            end = _closing_paren(source, position)
            opener = _GROUP_OPENER.match(source, position)
            atom = ("group", source[opener.end() : end]) if opener else ("other", "")
            position = end + 1
        elif char == "[":
            end = _skip_class(source, position)
            members = _class_members(source[position + 1 : end - 1])
            atom = ("class", "|".join(map(re.escape, members))) if members else ("other", "")
            position = end
        elif char == "\\":
            escaped = source[position + 1 : position + 2]
            literal = escaped.isascii() and not escaped.isalnum()
            atom = ("literal", escaped) if literal else ("other", "")
            position += 2
        elif char in ".|)*+?{" or (not char.isascii() and ord(char) in _fold_table()):
            atom, position = ("other", ""), position + 1
        elif not char.isascii():
            caseless = char.lower() == char == char.upper()  # "©", "€", "–": no other case
            atom, position = ("caseless" if caseless else "non-ascii", char), position + 1
        else:
            atom, position = ("literal", char.lower()), position + 1
        quantifier = _QUANTIFIER.match(source, position)
        if quantifier is not None:
            position = quantifier.end()
        atoms.append((*atom, quantifier.group() if quantifier else ""))
    return atoms


def _class_members(inside: str) -> list[str] | None:
    """The characters of a class that lists them one by one (`[>»/]`, `[\\-|]`); None for a
    negated class, a range or an escape like `\\w`, which stand for more than they show."""
    if not inside or inside.startswith("^"):
        return None
    members: list[str] = []
    position = 0
    while position < len(inside):
        char = inside[position]
        if char == "\\":
            char = inside[position + 1 : position + 2]
            if not char.isascii() or char.isalnum():
                return None
            position += 1
        elif char == "[" or (char == "-" and 0 < position < len(inside) - 1):
            return None  # a nested set (which `re` warns of) or a range
        members.append(char)
        position += 1
    return members


def _optional(quantifier: str) -> bool:
    return quantifier.startswith(("?", "*", "{0", "{,"))


def literal_prefixes(source: str, limit: int) -> frozenset[str] | None:
    """Strings of at most `limit` characters, one of which begins the `prefix_form` of every
    match of `source`; None when a match may begin with anything.

    Read conservatively: a class, an escape like `\\d` or a wildcard ends a prefix there, and a
    construct the reader does not know leaves it empty.
    """
    prefixes = _prefixes(source, limit)
    return None if any(not text for text, _ in prefixes) else frozenset(t for t, _ in prefixes)


# A prefix as read so far: its text, and whether the match goes on literally after it.
_Prefix = tuple[str, bool]
# Stands in a prefix for any character that matches no ASCII one.
NON_ASCII = "\x80"
_UNKNOWN: frozenset[_Prefix] = frozenset({("", False)})
# Beyond this many prefixes for one source, they are cut to a few characters.
_MAX_PREFIXES = 256


def _prefixes(source: str, limit: int) -> frozenset[_Prefix]:
    found: set[_Prefix] = set()
    for part in alternatives(source):
        states: set[_Prefix] = {("", True)}
        for kind, value, quantifier in _atoms(part):
            if not any(open_ for _, open_ in states):
                break
            if kind == "literal":
                atom = frozenset({(value, True)})
            elif kind in ("caseless", "non-ascii"):
                atom = frozenset({(NON_ASCII, True)})
            elif kind == "group":
                atom = _prefixes(value, limit)
            else:
                atom = _UNKNOWN
            if quantifier.startswith("?"):
                atom = atom | {("", True)}
            elif _optional(quantifier):
                atom = _UNKNOWN
            elif quantifier:  # at least once, then unknown
                atom = frozenset((text, False) for text, _ in atom)
            states = _extend(states, atom, limit)
        found |= states
    return frozenset(found)


def _extend(states: set[_Prefix], atom: frozenset[_Prefix], limit: int) -> set[_Prefix]:
    extended: set[_Prefix] = set()
    for text, open_ in states:
        if not open_:
            extended.add((text, False))
            continue
        for more, still_open in atom:
            joined = text + more
            extended.add((joined[:limit], still_open and len(joined) < limit))
    if len(extended) > _MAX_PREFIXES:
        extended = {(text[:2], False) for text, _ in extended}
    return extended


def required_factors(source: str, shortest: int = 3) -> frozenset[str] | None:
    """Strings of lower-case ASCII and caseless characters, each at least `shortest` characters
    long (or one character that running text seldom holds, like "©" or "/"), one of which the
    `fold` of every match of `source` contains; None when no such set is found.

    For each alternative, the mandatory literal runs, groups and classes are candidates, and
    the one whose shortest string is longest is kept: "(?:him|her) at home" gives {" at home"},
    and "\\w+ [>»] \\w+" gives {">", "»"}.
    """
    found = _factors(source)
    if not found or any(
        len(text) < shortest and text.isascii() and not _rare_alone(text) for text in found
    ):
        return None
    return found


def _rare_alone(text: str) -> bool:
    """A lone character that few lines of prose hold: a caseless one ("©", "»") or one of
    `_SELDOM_IN_PROSE`."""
    return len(text) == 1 and (not text.isascii() or text in _SELDOM_IN_PROSE)


def _factors(source: str) -> frozenset[str] | None:
    found: set[str] = set()
    for part in alternatives(source):
        candidates: list[frozenset[str]] = []
        run = ""
        for kind, value, quantifier in _atoms(part):
            literal = kind in ("literal", "caseless")  # `fold` leaves a caseless one as it is
            if literal and not quantifier:
                run += value
                continue
            if literal and not _optional(quantifier):
                run += value  # "s+": one "s" at least, then the run ends
            if run:
                candidates.append(frozenset({run}))
            run = ""
            if kind in ("group", "class") and not _optional(quantifier):
                inner = _factors(value)
                if inner:
                    candidates.append(inner)
        if run:
            candidates.append(frozenset({run}))
        if not candidates:
            return None
        found |= max(candidates, key=_strength)
    return frozenset(found)


def _strength(texts: frozenset[str]) -> float:
    """How few lines hold one of these texts, as the length of the shortest; a lone character
    that prose seldom holds beats a common one ("»" and ">" before " ")."""
    return min(len(text) + (0.5 if _rare_alone(text) else 0) for text in texts)


def prefix_form(text: str) -> str:
    """`fold`, then NON_ASCII for each character left outside ASCII: what `literal_prefixes`
    are matched against. A character that `fold` leaves outside ASCII matches no ASCII letter,
    so a pattern's "é" can match only where the key has one of these."""
    return folded_prefix_form(fold(text))


def folded_prefix_form(folded: str) -> str:
    """`prefix_form` of a text already folded (`fold` works character by character, so a
    prefix of the folded text is the fold of the text's prefix)."""
    if folded.isascii():
        return folded
    return "".join(char if char.isascii() else NON_ASCII for char in folded)


def fold(text: str) -> str:
    """`text` with every character that matches an ASCII letter in some case (by `re`'s case
    rules) replaced by that letter in lower case, and nothing else changed: the form in which
    `literal_prefixes` and `required_factors` can be looked for with plain string operations."""
    return text.lower() if text.isascii() else text.translate(_fold_sequence())


@lru_cache(maxsize=1)
def _fold_sequence() -> list[int]:
    """`_fold_table` as a list over the Basic Multilingual Plane, each character to itself
    where the table leaves it. `str.translate` looks each character of a non-ASCII line up in
    its table; in a dict a character that is not there costs a raised and caught KeyError,
    while here it is an index. A character beyond the list is left as it is (an IndexError is
    a LookupError), as the table leaves it."""
    sequence = list(range(0x10000))
    for code, letter in _fold_table().items():
        sequence[code] = ord(letter)
    return sequence


@lru_cache(maxsize=1)
def _fold_table() -> dict[int, str]:
    """ASCII capitals and the non-ASCII characters that `re` matches to an ASCII letter when
    ignoring case (the Kelvin sign, the long s, the dotless i...). Only the Basic Multilingual
    Plane has such characters."""
    letter = re.compile("[a-z]", re.IGNORECASE)
    table = {ord(upper): upper.lower() for upper in string.ascii_uppercase}
    everything = "".join(map(chr, range(0x80, 0xD800))) + "".join(map(chr, range(0xE000, 0x10000)))
    for char in set(letter.findall(everything)):
        table[ord(char)] = next(
            a for a in string.ascii_lowercase if re.fullmatch(a, char, re.IGNORECASE)
        )
    return table
