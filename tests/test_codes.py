"""The registry of code prefixes: the packs, the loader, `rules`, `rule` and the report read it."""

from __future__ import annotations

import json
import re

import pytest
import yaml

from cleaner.codes import (
    BUILTIN_CODES,
    FAMILIES,
    KINDS,
    OTHER,
    RULE_PACK,
    RULE_PACK_KINDS,
    family_of,
)
from cleaner.commands.explain import explain
from cleaner.commands.report import render
from cleaner.rules.loader import RulePackError, builtin_rules_dir, load_pack, load_rules, pack_files

PACK = """\
category: site
prefix: STE
rules:
  - code: {code}
    description: A site's own furniture line.
    patterns:
      - literal: read this next
    examples:
      match: ["Read this next"]
"""


def test_every_builtin_pack_declares_a_registered_prefix_and_its_category():
    packs = pack_files(builtin_rules_dir())
    declared = {}
    for path in packs:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        family = FAMILIES[data["prefix"]]
        assert (family.kind, family.category) == (RULE_PACK, data["category"]), path.name
        assert all(rule["code"].startswith(family.prefix) for rule in data["rules"])
        declared[family.prefix] = path.name
    # Every rule-pack family of the registry has its pack, and no two packs share a prefix.
    assert set(declared) == {p for p, f in FAMILIES.items() if f.kind == RULE_PACK}
    assert len(declared) == len(packs)


def test_every_family_is_complete():
    for prefix, family in FAMILIES.items():
        assert re.fullmatch(r"[A-Z]{2,4}", prefix) and family.kind in KINDS
        assert family.category and family.summary and family.rationale, prefix
        assert re.fullmatch(r"#[0-9a-f]{6}", family.colour), prefix
        assert all(family_of(code) is family for code in family.codes), prefix
        assert (family.kind in RULE_PACK_KINDS) == (not family.codes), prefix
    assert family_of("LRNA001") is FAMILIES["LRN"]
    assert family_of("XYZ001") is None


def test_a_rule_whose_code_does_not_match_its_pack_prefix_is_a_load_error(tmp_path):
    path = tmp_path / "site.yaml"
    path.write_text(PACK.format(code="STE001"), encoding="utf-8")
    assert [rule.code for rule in load_pack(path)] == ["STE001"]
    path.write_text(PACK.format(code="NAV901"), encoding="utf-8")
    with pytest.raises(RulePackError) as error:
        load_pack(path)
    assert str(error.value) == f"{path}: rule NAV901: code must start with the pack prefix STE"


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ("prefix: NAV", "prefix NAV is the 'navigation' category"),
        ("prefix: BDY", "prefix BDY belongs to the heuristic codes"),
        ("prefix: nav", "`prefix` must be 2-4 capital letters like NAV, not 'nav'"),
    ],
)
def test_a_pack_prefix_is_checked_against_the_registry(tmp_path, change, problem):
    path = tmp_path / "site.yaml"
    path.write_text(PACK.format(code="STE001").replace("prefix: STE", change), encoding="utf-8")
    with pytest.raises(RulePackError) as error:
        load_pack(path)
    assert str(error.value) == f"{path}: pack: {problem}"


def test_a_user_pack_cannot_take_a_code_of_a_pipeline_stage(tmp_path):
    path = tmp_path / "site.yaml"
    path.write_text(PACK.format(code="MET901").replace("prefix: STE\n", ""), encoding="utf-8")
    with pytest.raises(RulePackError) as error:
        load_pack(path)
    assert str(error.value) == f"{path}: rule MET901: MET codes are metadata codes"


def test_a_builtin_pack_without_a_registered_prefix_does_not_load(tmp_path):
    path = tmp_path / "site.yaml"
    path.write_text(PACK.format(code="STE001"), encoding="utf-8")
    with pytest.raises(RulePackError) as error:
        load_pack(path, trusted=True)
    assert str(error.value) == f"{path}: pack: prefix STE is not in the registry (cleaner/codes.py)"


def test_every_builtin_code_is_explained_from_its_family():
    rules = load_rules()
    for code, reason in BUILTIN_CODES.items():
        text = explain(code, rules) or ""
        assert text.startswith(f"{code}: {reason}\n"), code
        family = family_of(code)
        assert family is not None and text.endswith(family.rationale), code


def test_the_report_takes_its_categories_and_colours_from_the_registry():
    page = render([], "records.jsonl")
    data = json.loads(
        re.search(r'id="report-data" type="application/json">(.*?)</script>', page)[1]
    )
    families = [*FAMILIES.values(), OTHER]
    assert data["categories"] == {family.prefix: family.category for family in families}
    for family in families:
        assert f".c-{family.prefix} {{ --c: {family.colour}; }}" in page
    script = page[page.index("<script>") :]
    assert '|| "OTHER"' in script  # the page's fallback is the registry's OTHER family
    assert OTHER.prefix == "OTHER"
