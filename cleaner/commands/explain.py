"""`clean-news rule CODE`: what one rule or heuristic does, with its patterns and examples."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import yaml

from cleaner.codes import BUILTIN_CODES, EXTRACTION, HEURISTIC, METADATA, family_of
from cleaner.rules.loader import Rule

# What each kind of built-in code is and does, for codes that have no patterns to show.
_BUILT_INTO = {
    HEURISTIC: ("heuristic (built into the decision stage, no patterns)", "drop-line"),
    EXTRACTION: (
        "extraction (built into the HTML extract stage, no patterns)",
        "leave the page block out of the text",
    ),
    METADATA: (
        "metadata (built into the metadata stage, no patterns)",
        "move the line into a field of the record",
    ),
}
_SCOPES = {"line": "the whole line", "prefix": "the start of the line", "contains": "anywhere"}


def _patterns_as_written(rule: Rule) -> list[str]:
    """The rule's patterns as its pack spells them (compiled literals are hard to read); the
    compiled ones when the pack cannot be read back (changed since it was loaded)."""
    try:
        data = yaml.safe_load(Path(rule.source).read_text(encoding="utf-8"))
        raw = next(entry for entry in data["rules"] if entry.get("code") == rule.code)
        written = list(raw["patterns"])
    except (OSError, UnicodeDecodeError, yaml.YAMLError, StopIteration, KeyError, TypeError):
        return [f"regex {pattern.regex.pattern!r}" for pattern in rule.patterns]
    shown = []
    for pattern in written:
        kind = "regex" if "regex" in pattern else "literal"
        where = _SCOPES[pattern.get("scope", "line")]
        case = ", case-sensitive" if pattern.get("case-sensitive") else ""
        shown.append(f"{kind} {pattern[kind]!r} matching {where}{case}")
    return shown


def explain_rule(rule: Rule) -> str:
    lines = [
        f"{rule.code}: {rule.description}",
        "",
        f"pack:       {rule.category} ({rule.source})",
        f"action:     {rule.action}",
        f"languages:  {', '.join(sorted(rule.languages)) if rule.languages else 'any'}",
    ]
    if rule.max_words is not None:
        lines.append(f"max words:  {rule.max_words}")
    if rule.guard is not None:
        lines.append(f"guard:      {rule.guard}")
    if rule.selectors:
        lines += ["", "selectors (CSS; the HTML elements they find are removed before extraction):"]
        lines += [f"  {selector}" for selector in rule.selectors]
    else:
        lines += ["", "patterns (matched against the line without decoration at its ends):"]
        lines += [f"  {pattern}" for pattern in _patterns_as_written(rule)]
    lines += ["", "examples it removes:"]
    lines += [f"  {example}" for example in rule.examples_match]
    if rule.examples_no_match:
        lines += ["", "examples it keeps:"]
        lines += [f"  {example}" for example in rule.examples_no_match]
    return "\n".join(lines)


def explain(code: str, rules: Sequence[Rule]) -> str | None:
    """The explanation of a rule-pack, heuristic or metadata code, or None if it is unknown."""
    for rule in rules:
        if rule.code == code:
            return explain_rule(rule)
    family = family_of(code)
    if code not in BUILTIN_CODES or family is None:
        return None
    pack, action = _BUILT_INTO[family.kind]
    return (
        f"{code}: {BUILTIN_CODES[code]}\n\n"
        f"pack:       {pack}\n"
        f"action:     {action}\n"
        "languages:  any\n\n"
        f"{family.rationale}"
    )
