"""CSS selectors of HTML rules, compiled for speed.

Most debris selectors test one attribute of one element: a class (`[class*="share-bar"]`,
`.comments`) or an id (`#respond`). Those become regular expressions over the attribute's
value, tested once per distinct value in a single pass over the page; class strings repeat a
lot, so that costs far less than an XPath `contains()` per element and selector. Every other
selector (a tag, other attributes, combinators) is translated to XPath by cssselect.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import cssselect
from cssselect import GenericTranslator
from cssselect.parser import Attrib, Class, Element, Hash
from lxml import etree, html

# CSS attribute operators as regular expressions over the attribute's value.
_OPERATORS = {
    "=": r"^{}$",
    "~=": r"(?:^|\s){}(?:\s|$)",
    "^=": r"^{}",
    "$=": r"{}$",
    "*=": r"{}",
}
FAST_ATTRIBUTES = ("class", "id")


@dataclass(frozen=True)
class CompiledSelectors:
    """A rule's selectors, split by how they are fastest to test."""

    attribute_patterns: dict[str, re.Pattern[str]]  # "class" / "id" -> regex over its value
    xpath_source: str | None  # the other selectors as one XPath expression, or None

    @property
    def xpath(self) -> etree.XPath | None:
        """Compiled on first use in each process: compiled XPath cannot be pickled to workers."""
        return _compiled_xpath(self.xpath_source) if self.xpath_source else None


@lru_cache(maxsize=256)
def _compiled_xpath(source: str) -> etree.XPath:
    return etree.XPath(source)


def _universal(selector: object) -> bool:
    return isinstance(selector, Element) and selector.element in (None, "*")


def _attribute_test(tree: object) -> tuple[str, str] | None:
    """(attribute, regex) for a selector that tests only a class or only an id."""
    if isinstance(tree, Class) and _universal(tree.selector):
        return "class", _OPERATORS["~="].format(re.escape(tree.class_name))
    if isinstance(tree, Hash) and _universal(tree.selector):
        return "id", _OPERATORS["="].format(re.escape(tree.id))
    if (
        isinstance(tree, Attrib)
        and _universal(tree.selector)
        and tree.namespace is None
        and tree.attrib in FAST_ATTRIBUTES
        and tree.operator in _OPERATORS
    ):
        value = getattr(tree.value, "value", tree.value)
        return tree.attrib, _OPERATORS[tree.operator].format(re.escape(value))
    return None


def compile_selectors(selectors: Sequence[str]) -> CompiledSelectors:
    """Compile CSS selectors; raises cssselect's SelectorError on an invalid one."""
    translator = GenericTranslator()
    by_attribute: dict[str, list[str]] = {}
    paths: list[str] = []
    for selector in selectors:
        for parsed in cssselect.parse(selector):
            test = _attribute_test(parsed.parsed_tree) if parsed.pseudo_element is None else None
            if test is not None:
                by_attribute.setdefault(test[0], []).append(test[1])
            else:
                paths.append(translator.selector_to_xpath(parsed))
    return CompiledSelectors(
        attribute_patterns={
            name: re.compile("|".join(f"(?:{p})" for p in patterns))
            for name, patterns in by_attribute.items()
        },
        xpath_source=" | ".join(paths) if paths else None,
    )


# The class and id values of an element and its descendants, each knowing its element, in
# document order (relative, so that a search can be confined to part of a page).
_FAST_ATTRIBUTE_VALUES = etree.XPath(" | ".join(f".//@{name}" for name in FAST_ATTRIBUTES))


def select(
    tree: etree._Element, compiled: Sequence[CompiledSelectors]
) -> list[list[etree._Element]]:
    """For each compiled rule, the elements it matches within `tree` (an element and its
    descendants), in document order."""
    found: list[list[etree._Element]] = [[] for _ in compiled]
    fast = [(index, rule.attribute_patterns) for index, rule in enumerate(compiled)]
    # One alternation per attribute screens out the values that no rule can match.
    screens = {
        name: re.compile("|".join(p.pattern for _, ps in fast if (p := ps.get(name))))
        for name in FAST_ATTRIBUTES
        if any(name in patterns for _, patterns in fast)
    }
    memo: dict[tuple[str, str], tuple[int, ...]] = {}
    for value in _FAST_ATTRIBUTE_VALUES(tree) if screens else ():
        attribute = value.attrname
        hits = memo.get((attribute, value))
        if hits is None:
            screen = screens.get(attribute)
            hits = memo[attribute, value] = (
                tuple(
                    index
                    for index, patterns in fast
                    if (pattern := patterns.get(attribute)) and pattern.search(value)
                )
                if screen is not None and screen.search(value)
                else ()
            )
        if hits:
            element = value.getparent()
            for index in hits:
                if not found[index] or found[index][-1] is not element:
                    found[index].append(element)
    for index, rule in enumerate(compiled):
        if rule.xpath is not None:
            extra = rule.xpath(tree)
            if found[index]:  # both kinds matched: back to document order, once each
                seen = set(found[index])
                extra = [element for element in extra if element not in seen]
                found[index] = _document_order(tree, found[index] + extra)
            else:
                found[index] = extra
    return found


def _document_order(tree: etree._Element, elements: list[etree._Element]) -> list:
    wanted = set(elements)
    return [element for element in tree.iter(etree.Element) if element in wanted]


def fragment_matches(selectors: CompiledSelectors, fragment: str) -> bool:
    """Whether the selectors find anything in an HTML fragment (a selector rule's example)."""
    page = html.fromstring(f"<html><body>{fragment}</body></html>")
    return bool(select(page, [selectors])[0])
