"""Rule packs: YAML files of debris patterns with stable codes, loaded, validated and matched.

A pack is data, not code: adding a rule means editing YAML and its examples (the test suite
runs every example). See `rules/README.md` for the format.
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import ahocorasick
import regex
import yaml
from cssselect import SelectorError

import cleaner
from cleaner.codes import FAMILIES, RULE_PACK_KINDS, family_of
from cleaner.model import Line, RuleHit
from cleaner.rules import screen as prefilter
from cleaner.rules.selectors import CompiledSelectors, compile_selectors, fragment_matches

ACTIONS = ("drop-line", "drop-block", "drop-rest", "drop-element")
LINE_ACTIONS = ACTIONS[:3]
GUARDS = ("prose",)
SCOPES = ("line", "prefix", "contains")
CODE_PATTERN = re.compile(r"^[A-Z]{2,4}[0-9]{3}$")
PREFIX_PATTERN = re.compile(r"^[A-Z]{2,4}$")
# Where the wheel puts the shipped packs (the `rules/` folder of the source tree).
PACKS_FOLDER = "packs"

_PACK_FIELDS = {"category", "prefix", "description", "rules"}
_RULE_FIELDS = {
    "code",
    "description",
    "action",
    "patterns",
    "selectors",
    "languages",
    "max-words",
    "guard",
    "examples",
}
_PATTERN_FIELDS = {"regex", "literal", "scope", "case-sensitive"}
_EXAMPLE_FIELDS = {"match", "no-match"}
# Lines longer than this are never debris labels (the longest line of a scraped article is a few
# thousand characters); rules skip them, which bounds the regex work on a 10 MB one-line file.
MAX_RULE_LINE_CHARS = 10_000
# A regex from a pack other than the built-in ones (`--rules`, learned packs) is matched by the
# `regex` module with this limit per line, so that a catastrophic pattern such as `(a+)+$` cannot
# hang a run; one that hits the limit is switched off for the rest of the run with a warning.
USER_REGEX_SECONDS = 0.5
_timed_out: set[str] = set()

# How many leading characters of a key the rule screen looks up, and how short the literals
# that it looks for inside keys may be (see RuleMatcher): two letters name a news agency ("AP").
PREFIX_CHARS = 6
FACTOR_CHARS = 2


@cache
def _compiled(source: str) -> re.Pattern[str]:
    """The screen's phrases, compiled once per process (`re`'s own cache holds only 512)."""
    return re.compile(source)


@cache
def required_factors(source: str) -> frozenset[str] | None:
    """`prefilter.required_factors` of a pattern or joined branch, at least FACTOR_CHARS long;
    None also for a source the reader cannot follow."""
    try:
        return prefilter.required_factors(source, FACTOR_CHARS)
    except ValueError:
        return None


# One attempt of the rule screen: the rule's index, its `max-words`, and the bound `match` or
# `search` of one of its phrases or patterns.
_Try = tuple[int, int | None, Callable[[str], object]]


def _within(limit: int | None, bound: int | None) -> bool:
    """Whether a rule with this `max-words` can match a line of a word count that `bisect_left`
    places at `bound` (the least limit at or above it; None beyond every limit)."""
    return limit is None or (bound is not None and limit >= bound)


def _finder(factor_sets: Iterable[frozenset[str]]) -> Callable[[str], set[str]]:
    """Which of these literals a folded key holds, found by an Aho-Corasick automaton in one
    pass over the key however many literals there are."""
    literals = {factor for factors in factor_sets for factor in factors}
    if not literals:
        return lambda folded: set()
    automaton = ahocorasick.Automaton()
    for literal in literals:
        automaton.add_word(literal, literal)
    automaton.make_automaton()
    return lambda folded: {literal for _, literal in automaton.iter(folded)}


# Decoration that scrapers leave around debris labels ("» Related", "Back to top ↑", "| Share |").
_EDGE_CHARS = " \t\u00a0\u200b\u200c\u200d\ufeff•·▪▫◦‣⁃►▶▸▹◂◀→←↑↓⇧⇩⬆⬇➔➜➤»«›‹|¦/\\-–—―_*~#>:;,.!?…"


class RulePackError(ValueError):
    """A rule pack that cannot be used; the message names the file, the rule and the problem."""


def match_key(text: str) -> str:
    """The part of a line that rules look at: the text without decoration at either end."""
    return text.strip(_EDGE_CHARS)


@dataclass(frozen=True)
class Pattern:
    regex: Any  # re.Pattern, or regex.Pattern for a pattern of an untrusted pack
    scope: str
    # Where an untrusted pattern comes from ("FILE: rule CODE, pattern N"); None for a built-in
    # pattern or a literal, which run on `re` without a time limit.
    untrusted: str | None = None

    def matches(self, key: str) -> bool:
        if self.untrusted is not None:
            return self._matches_with_limit(key)
        if self.scope == "line":
            return self.regex.fullmatch(key) is not None
        if self.scope == "prefix":
            return self.regex.match(key) is not None
        return self.regex.search(key) is not None

    def joinable(self) -> str | None:
        """This pattern as one branch of an alternation, or None when it cannot be joined.

        Whole-line patterns get their end anchor; the case flag becomes a scoped one. Patterns
        with groups stay out (a backreference would point at another pattern's group once
        joined), and so do those with global inline flags like `(?s)`, which cannot be scoped.
        """
        if self.untrusted or self.regex.groups:  # a user pattern runs only under its time limit
            return None
        case, end = self._scoping()
        branch = f"(?{case}:{self.regex.pattern}){end}"
        try:
            scoped = _compiled(branch)
        except re.error:
            return None
        return branch if scoped.flags == re.UNICODE else None

    def phrases(self) -> tuple[tuple[str, frozenset[str] | None], ...]:
        """A joinable whole-line or prefix pattern as its phrases (`prefilter.phrases`), each a
        branch of its own with the literal prefixes its matches begin with (None: anything)."""
        return _phrases(self.regex.pattern, *self._scoping())

    def _scoping(self) -> tuple[str, str]:
        """The scoped case flag and the end anchor that keep this pattern's meaning inside an
        alternation of other patterns."""
        case = "i" if self.regex.flags & re.IGNORECASE else "-i"
        return case, r"\Z" if self.scope == "line" else ""

    def _matches_with_limit(self, key: str) -> bool:
        """Match under USER_REGEX_SECONDS; a pattern that runs over is off from then on."""
        if self.untrusted in _timed_out:
            return False
        method = {"line": "fullmatch", "prefix": "match"}.get(self.scope, "search")
        try:
            return getattr(self.regex, method)(key, timeout=USER_REGEX_SECONDS) is not None
        except TimeoutError:
            _timed_out.add(self.untrusted)
            print(
                f"{self.untrusted}: gave up after {USER_REGEX_SECONDS} s on a line of "
                f"{len(key)} characters (catastrophic backtracking?); the pattern is off for "
                "the rest of this run",
                file=sys.stderr,
                flush=True,
            )
            return False


@cache
def _phrases(source: str, case: str, end: str) -> tuple[tuple[str, frozenset[str] | None], ...]:
    """Cached: every Cleaner of a process builds its matcher from the same packs."""
    try:
        phrases = tuple(
            (f"(?{case}:{part}){end}", prefilter.literal_prefixes(part, PREFIX_CHARS))
            for part in prefilter.phrases(source)
        )
        for branch, _ in phrases:
            _compiled(branch)
    except (ValueError, re.error):  # a source the splitter misreads: keep it whole
        return ((f"(?{case}:{source}){end}", None),)
    return phrases


@dataclass(frozen=True)
class Rule:
    code: str
    category: str
    description: str
    action: str
    patterns: tuple[Pattern, ...]
    languages: frozenset[str] | None
    max_words: int | None
    guard: str | None
    examples_match: tuple[str, ...]
    examples_no_match: tuple[str, ...]
    source: str
    # HTML selector rules: CSS selectors (compiled); they never match text lines.
    selectors: tuple[str, ...] = ()
    compiled_selectors: CompiledSelectors | None = field(default=None, compare=False)

    def matches(self, text: str, language: str | None = None) -> bool:
        """Whether the rule applies to a line of a document in `language` (None: unknown)."""
        return self.matches_key(match_key(text), len(text.split()), language)

    def matches_key(self, key: str, words: int, language: str | None) -> bool:
        """`matches` for a line whose match key and word count are already known."""
        if self.languages is not None and language is not None and language not in self.languages:
            return False
        if self.max_words is not None and words > self.max_words:
            return False
        if len(key) > MAX_RULE_LINE_CHARS:
            return False
        return bool(key) and any(pattern.matches(key) for pattern in self.patterns)


@dataclass(frozen=True)
class CodeFilter:
    """ruff-style `select`/`ignore` over codes and code prefixes; the most specific prefix wins."""

    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
    # Prefixes on whatever select and ignore say (`check` keeps the metadata codes).
    always: tuple[str, ...] = ()

    def enabled(self, code: str) -> bool:
        return code.startswith(self.always) or _enabled(
            tuple(self.select), tuple(self.ignore), code
        )


@lru_cache(maxsize=4096)
def _enabled(select: tuple[str, ...], ignore: tuple[str, ...], code: str) -> bool:
    """Asked for every line a rule or heuristic flags, with a few hundred codes in all."""

    def longest(prefixes: Iterable[str]) -> int:
        lengths = [
            0 if p == "ALL" else len(p) for p in prefixes if p == "ALL" or code.startswith(p)
        ]
        return max(lengths, default=-1)

    selected, ignored = longest(select), longest(ignore)
    return selected >= 0 and selected > ignored


def _fail(path: Path, where: str, problem: str) -> RulePackError:
    return RulePackError(f"{path}: {where}: {problem}")


def _compile(path: Path, code: str, raw: object, index: int, trusted: bool) -> Pattern:
    where = f"rule {code}, pattern {index + 1}"
    if not isinstance(raw, dict):
        raise _fail(path, where, "a pattern must be a mapping with `regex` or `literal`")
    unknown = set(raw) - _PATTERN_FIELDS
    if unknown:
        raise _fail(path, where, f"unknown field(s) {', '.join(sorted(unknown))}")
    if ("regex" in raw) == ("literal" in raw):
        raise _fail(path, where, "give exactly one of `regex` or `literal`")
    scope = raw.get("scope", "line")
    if scope not in SCOPES:
        raise _fail(path, where, f"scope must be one of {', '.join(SCOPES)}, not {scope!r}")
    flags = 0 if raw.get("case-sensitive", False) else re.IGNORECASE
    if "literal" in raw:
        literal = str(raw["literal"]).strip()
        if not literal:
            raise _fail(path, where, "empty literal")
        source = re.escape(literal)
        # Literals match whole words: "advert" must not fire inside "advertising".
        if literal[0].isalnum():
            source = r"(?<!\w)" + source
        if literal[-1].isalnum():
            source += r"(?!\w)"
    else:
        source = str(raw["regex"])
        if not source:
            raise _fail(path, where, "empty regex")
    try:
        compiled = re.compile(source, flags)
        if trusted or "literal" in raw:
            return Pattern(compiled, scope)
        return Pattern(regex.compile(source, flags), scope, untrusted=f"{path}: {where}")
    except (re.error, regex.error) as exc:
        raise _fail(path, where, f"invalid regex {source!r}: {exc}") from None


def _string_list(path: Path, where: str, value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _fail(path, where, "must be a list of strings")
    return tuple(value)


def _parse_rule(path: Path, category: str, raw: object, position: int, trusted: bool) -> Rule:
    if not isinstance(raw, dict):
        raise _fail(path, f"rule {position + 1}", "a rule must be a mapping")
    code = raw.get("code")
    if not isinstance(code, str) or not CODE_PATTERN.match(code):
        raise _fail(path, f"rule {position + 1}", f"code must look like NAV001, not {code!r}")
    unknown = set(raw) - _RULE_FIELDS
    if unknown:
        raise _fail(path, f"rule {code}", f"unknown field(s) {', '.join(sorted(unknown))}")
    description = raw.get("description")
    if not isinstance(description, str) or not description.strip():
        raise _fail(path, f"rule {code}", "a one-line `description` is required")
    patterns = raw.get("patterns")
    selectors = _string_list(path, f"rule {code}, selectors", raw.get("selectors"))
    if (patterns is None) == (not selectors):
        raise _fail(path, f"rule {code}", "give either `patterns` (text) or `selectors` (HTML)")
    if patterns is not None and (not isinstance(patterns, list) or not patterns):
        raise _fail(path, f"rule {code}", "`patterns` must be a non-empty list")
    allowed = ("drop-element",) if selectors else LINE_ACTIONS
    action = raw.get("action", allowed[0])
    if action not in allowed:
        raise _fail(path, f"rule {code}", f"action must be one of {', '.join(allowed)}")
    languages = raw.get("languages")
    if languages is not None:
        languages = frozenset(_string_list(path, f"rule {code}, languages", languages))
    max_words = raw.get("max-words")
    if max_words is not None and (not isinstance(max_words, int) or max_words < 1):
        raise _fail(path, f"rule {code}", "`max-words` must be a positive whole number")
    guard = raw.get("guard")
    if guard is not None and guard not in GUARDS:
        raise _fail(path, f"rule {code}", f"guard must be one of {', '.join(GUARDS)}")
    examples = raw.get("examples") or {}
    if not isinstance(examples, dict) or set(examples) - _EXAMPLE_FIELDS:
        raise _fail(path, f"rule {code}", "`examples` takes only `match` and `no-match` lists")
    must_match = _string_list(path, f"rule {code}, examples.match", examples.get("match"))
    if not must_match:
        raise _fail(path, f"rule {code}", "at least one `examples.match` line is required")
    return Rule(
        code=code,
        category=category,
        description=description.strip(),
        action=action,
        patterns=tuple(_compile(path, code, p, i, trusted) for i, p in enumerate(patterns or [])),
        languages=languages,
        max_words=max_words,
        guard=guard,
        examples_match=must_match,
        examples_no_match=_string_list(
            path, f"rule {code}, examples.no-match", examples.get("no-match")
        ),
        source=str(path),
        selectors=selectors,
        compiled_selectors=_compile_selectors(path, code, selectors) if selectors else None,
    )


def _compile_selectors(path: Path, code: str, selectors: Sequence[str]) -> CompiledSelectors:
    try:
        return compile_selectors(selectors)
    except SelectorError as exc:
        raise _fail(path, f"rule {code}", f"invalid selector: {exc}") from None


def example_failures(rule: Rule) -> list[str]:
    """The rule's examples that it gets wrong: a `match` line (an HTML fragment for a selector
    rule) it does not remove, a `no-match` line it removes."""

    def matches(example: str) -> bool:
        if rule.compiled_selectors is not None:
            return fragment_matches(rule.compiled_selectors, example)
        return rule.matches(example)

    return [
        f"examples.match {text!r} is not matched"
        for text in rule.examples_match
        if not matches(text)
    ] + [
        f"examples.no-match {text!r} is matched" for text in rule.examples_no_match if matches(text)
    ]


def load_pack(path: Path, trusted: bool = False, check_examples: bool = True) -> list[Rule]:
    """Parse and validate one YAML rule pack; the regexes of an untrusted one (any pack but the
    built-in ones) run with a time limit, and its rules must get their own examples right (the
    built-in packs' examples are run by the test suite)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        problem = str(exc).replace("\n", " ")
        raise _fail(path, "YAML", problem) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise _fail(path, "read", str(exc)) from None
    rules = parse_pack(data, path, trusted)
    if check_examples and not trusted:
        for rule in rules:
            if failures := example_failures(rule):
                raise _fail(path, f"rule {rule.code}", failures[0])
    return rules


def parse_pack(data: object, path: Path, trusted: bool = False) -> list[Rule]:
    """Validate a pack already read from YAML; `path` names it in error messages."""
    if not isinstance(data, dict):
        raise _fail(path, "pack", "the file must be a mapping with `category` and `rules`")
    unknown = set(data) - _PACK_FIELDS
    if unknown:
        raise _fail(path, "pack", f"unknown field(s) {', '.join(sorted(unknown))}")
    category = data.get("category")
    if not isinstance(category, str) or not category:
        raise _fail(path, "pack", "`category` is required")
    prefix = _pack_prefix(data, path, category, trusted)
    rules = data.get("rules")
    if not isinstance(rules, list) or not rules:
        raise _fail(path, "pack", "`rules` must be a non-empty list")
    parsed = [_parse_rule(path, category, raw, i, trusted) for i, raw in enumerate(rules)]
    for rule in parsed:
        if prefix is not None and not rule.code.startswith(prefix):
            raise _fail(path, f"rule {rule.code}", f"code must start with the pack prefix {prefix}")
        family = family_of(rule.code)
        if family is not None and family.kind not in RULE_PACK_KINDS:
            raise _fail(path, f"rule {rule.code}", f"{family.prefix} codes are {family.kind} codes")
    return parsed


def _pack_prefix(data: dict, path: Path, category: str, trusted: bool) -> str | None:
    """The code prefix the pack declares, checked against the registry of codes: a built-in pack
    must declare a registered one, any pack that names a registered one must name its category."""
    prefix = data.get("prefix")
    if prefix is None and not trusted:
        return None
    if not isinstance(prefix, str) or not PREFIX_PATTERN.match(prefix):
        raise _fail(path, "pack", f"`prefix` must be 2-4 capital letters like NAV, not {prefix!r}")
    family = FAMILIES.get(prefix)
    if family is None:
        if trusted:
            raise _fail(path, "pack", f"prefix {prefix} is not in the registry (cleaner/codes.py)")
        return prefix
    if family.kind not in RULE_PACK_KINDS:
        raise _fail(path, "pack", f"prefix {prefix} belongs to the {family.kind} codes")
    if family.category != category:
        raise _fail(path, "pack", f"prefix {prefix} is the {family.category!r} category")
    return prefix


def builtin_rules_dir() -> Path:
    """The shipped packs: inside the installed package, or at the top of a source checkout."""
    package = Path(cleaner.__file__).resolve().parent
    packaged = package / PACKS_FOLDER
    if packaged.is_dir():
        return packaged
    return package.parent / "rules"


def pack_files(folder: Path) -> list[Path]:
    """The packs of a folder (`*.yaml`, `*.yml`); a folder without any is an error, since a
    mistyped folder would otherwise add no rules without a word."""
    files = sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")])
    if not files:
        raise RulePackError(f"{folder}: no rule packs (*.yaml, *.yml) in this folder")
    return files


def load_rules(extra_dirs: Sequence[Path] = (), builtin: bool = True) -> list[Rule]:
    """Load the built-in packs and any user folders (or single files), rejecting duplicate codes."""
    builtin_dir = builtin_rules_dir()
    sources = ([builtin_dir] if builtin else []) + list(extra_dirs)
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for source in sources:
        if source.is_file():
            files = [source]
        elif source.is_dir():
            files = pack_files(source)
        else:
            raise RulePackError(f"{source}: no such rule file or folder")
        for path in files:
            for rule in load_pack(path, trusted=source == builtin_dir):
                if rule.code in seen:
                    raise _fail(
                        path, f"rule {rule.code}", f"duplicate code, also in {seen[rule.code]}"
                    )
                seen[rule.code] = str(path)
                rules.append(rule)
    return rules


# Distinct lines a matcher remembers: a site's menus and footers repeat on every page.
MATCH_CACHE_SIZE = 1 << 15


class RuleMatcher:
    """Finds the first rule, in pack order, that matches a line.

    Most lines of a page are prose that no rule matches, and running every pattern of every
    rule on each of them was most of the cleaning time. So the rules that could match a line
    are found first, with string lookups, and only they run:
    - each whole-line or prefix pattern is split into its phrases, and a phrase can match only
      a key that begins with one of its literal prefixes (`prefilter.literal_prefixes`): the
      key's first characters are looked up in an index of those, and the phrases found there
      are tried if the line is within their rule's `max-words`;
    - a `contains` pattern, or a phrase without a usable prefix, is tried only when the line
      is within its rule's `max-words` and holds one of the pattern's required literals
      (`prefilter.required_factors`); one pass of an Aho-Corasick automaton finds which of the
      required literals of the patterns within `max-words` a line holds;
    - the phrases with neither are joined into one alternation (of those within `max-words`),
      tried once, and `contains` patterns with neither are searched on every line within
      `max-words`;
    - rules with a pattern that cannot be joined are always tried.
    The candidates then run in pack order, so the first matching rule still wins.
    """

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.rules = tuple(rules)
        by_prefix: dict[str, list[_Try]] = {}
        unprefixed: list[tuple[str, int | None]] = []
        self._unprefixed_rules: set[int] = set()
        self._always: set[int] = set()
        unscreened: list[_Try] = []
        screened: list[tuple[_Try, frozenset[str]]] = []
        for index, rule in enumerate(self.rules):
            branches = [pattern.joinable() for pattern in rule.patterns]
            if None in branches:
                self._always.add(index)
                continue
            for pattern, branch in zip(rule.patterns, branches, strict=True):
                if pattern.scope == "contains":
                    attempt = (index, rule.max_words, _compiled(branch).search)
                    factors = required_factors(pattern.regex.pattern)
                    if factors is None:
                        unscreened.append(attempt)
                    else:
                        screened.append((attempt, factors))
                    continue
                for branch, prefixes in pattern.phrases():
                    for prefix in prefixes or ():
                        attempt = (index, rule.max_words, _compiled(branch).match)
                        by_prefix.setdefault(prefix, []).append(attempt)
                    if prefixes is not None:
                        continue
                    factors = required_factors(branch)
                    if factors is None:
                        unprefixed.append((branch, rule.max_words))
                        self._unprefixed_rules.add(index)
                    else:
                        screened.append(((index, rule.max_words, _compiled(branch).match), factors))
        self._by_prefix = {prefix: tuple(found) for prefix, found in by_prefix.items()}
        self._prefix_lengths = sorted({len(prefix) for prefix in by_prefix})
        self._unscreened = tuple(unscreened)
        # Each required literal the finder reports, with the attempts that require it.
        by_factor: dict[str, list[_Try]] = {}
        for attempt, factors in screened:
            for factor in factors:
                by_factor.setdefault(factor, []).append(attempt)
        self._by_factor = {factor: tuple(found) for factor, found in by_factor.items()}
        # A finder and an alternation per word count: the longer the line, the fewer patterns
        # are within their rule's `max-words`, and the fewer literals and phrases are tried.
        self._limits = sorted(
            {limit for (_, limit, _), _ in screened if limit is not None}
            | {limit for _, limit in unprefixed if limit is not None}
        )
        bounds = [*self._limits, None]
        self._finders = [
            _finder(factors for (_, limit, _), factors in screened if _within(limit, bound))
            for bound in bounds
        ]
        self._unprefixed = [
            _compiled("|".join(b for b, limit in unprefixed if _within(limit, bound)) or "(?!)")
            for bound in bounds
        ]
        self.first_match = lru_cache(maxsize=MATCH_CACHE_SIZE)(self._first_match)

    def _candidates(self, key: str, words: int) -> set[int]:
        """The rules (by position) that may match this key; the others certainly do not."""
        found = set(self._always)
        folded = prefilter.fold(key)
        head = prefilter.folded_prefix_form(folded[:PREFIX_CHARS])
        for length in self._prefix_lengths:
            for index, limit, attempt in self._by_prefix.get(head[:length], ()):
                if index in found or (limit is not None and words > limit):
                    continue
                if attempt(key):
                    found.add(index)
        slot = bisect_left(self._limits, words)
        if self._unprefixed[slot].match(key):
            found |= self._unprefixed_rules
        attempts = [*self._unscreened]
        for factor in self._finders[slot](folded):
            attempts += self._by_factor[factor]
        for index, limit, attempt in attempts:
            if index in found or (limit is not None and words > limit):
                continue
            if attempt(key):
                found.add(index)
        return found

    def _first_match(self, key: str, words: int, language: str | None) -> Rule | None:
        """The first rule that matches a line with this match key, word count and language."""
        if not key:
            return None
        for index in sorted(self._candidates(key, words)):
            if self.rules[index].matches_key(key, words, language):
                return self.rules[index]
        return None

    def apply(self, lines: Sequence[Line], language: str | None) -> dict[int, RuleHit]:
        """The first matching rule for each line, keyed by line number."""
        hits: dict[int, RuleHit] = {}
        for line in lines:
            key = match_key(line.text)
            if len(key) > MAX_RULE_LINE_CHARS:  # no rule is about such a line; it costs the most
                continue
            rule = self.first_match(key, line.words, language)
            if rule is not None:
                hits[line.number] = RuleHit(
                    rule.code, rule.description, rule.action, guarded=rule.guard == "prose"
                )
        return hits
