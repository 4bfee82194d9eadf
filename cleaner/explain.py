"""`clean-news rule CODE`: what one rule or heuristic does, with its patterns and examples."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import yaml

from cleaner.check import METADATA_PREFIX
from cleaner.combine import EXTRACTION_CODES
from cleaner.decide import HEURISTICS
from cleaner.metadata import METADATA_CODES
from cleaner.rules import Rule

# How each family of heuristic codes decides, for codes that have no patterns to show.
_HEURISTIC_METHODS = {
    "BDY": "The article body is the contiguous run of lines with the highest total score: prose "
    "scores its length, furniture and debris score against it, and an end-of-article marker "
    "cuts the body short; so does a comment section, a run of short lines naming commenters, "
    "times and votes. Lines outside the body are removed with a BDY code.",
    "BLK": "A drop-block rule removed a line of this block (lines not separated by a blank "
    "line), so the rest of the block goes with it.",
    "SHP": "Words glued at three or more lower-to-upper case changes (IconFacebookIconTwitter) "
    "are icon or widget names that a scraper ran together.",
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
    if code in EXTRACTION_CODES:
        return (
            f"{code}: {EXTRACTION_CODES[code]}\n\n"
            "pack:       extraction (built into the HTML extract stage, no patterns)\n"
            "action:     leave the page block out of the text\n"
            "languages:  any\n\n"
            "In HTML mode trafilatura, readability and the text-mode decision each say which "
            "blocks of the page (runs of text between block-level elements) are the article; "
            "a logistic score fitted on labelled pages (cleaner/html_weights.json) weighs their "
            "votes, the neighbouring blocks' votes and the block's share of link text. A block "
            "it leaves out is removed with EXT001 when it lies before or after the kept blocks, "
            "EXT002 when it lies between them. Ignoring a code keeps the blocks it would remove."
        )
    if code in HEURISTICS:
        return (
            f"{code}: {HEURISTICS[code]}\n\n"
            "pack:       heuristic (built into the decision stage, no patterns)\n"
            "action:     drop-line\n"
            "languages:  any\n\n"
            f"{_HEURISTIC_METHODS[code[:3]]}"
        )
    if code in METADATA_CODES:
        return (
            f"{code}: {METADATA_CODES[code]}\n\n"
            "pack:       metadata (built into the metadata stage, no patterns)\n"
            "action:     move the line into a field of the record\n"
            "languages:  any\n\n"
            f"`check` never reports {METADATA_PREFIX} lines: they belong to a stored article."
        )
    return None
