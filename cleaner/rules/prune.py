"""Prune stage (HTML only): remove the elements that selector rules match, before extraction.

Some debris is easier to see in the markup than in the text: an inline SVG's `<title>`, a
share bar, a newsletter box or a comment section has a tag or a class that says what it is.
Removing it before trafilatura looks for the main content keeps it out of the extracted text,
and every removed element is reported with its rule's code like a removed line.
"""

from __future__ import annotations

from collections.abc import Sequence

from lxml import etree

from cleaner.model import PrunedElement
from cleaner.rules.loader import Rule


def element_text(element: etree._Element) -> str:
    """The element's visible text with white space collapsed (its tail is not part of it)."""
    return " ".join(" ".join(element.itertext()).split())


def remove_keeping_tail(element: etree._Element) -> None:
    """Detach an element; the text that follows it (its tail) stays in the document."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


# Containers of the whole page or the article: a state class on them ("cookie-consent-given",
# "has-newsletter-popup") says nothing about their content.
_CONTAINER_TAGS = frozenset({"html", "body", "main", "article"})


def _holds_the_article(element: etree._Element, paragraphs: int) -> bool:
    """Whether an element holds most of the page's paragraphs: then it is not a widget."""
    if paragraphs < 3 or len(element) == 0:
        return False
    return 2 * int(element.xpath("count(.//p)")) >= paragraphs


def _detached(element: etree._Element, root: etree._Element) -> bool:
    """Whether an earlier removal already took this element out of the document."""
    while element.getparent() is not None:
        element = element.getparent()
    return element is not root


def selector_rules(rules: Sequence[Rule]) -> list[Rule]:
    return [rule for rule in rules if rule.compiled_selectors is not None]


def prune(
    tree: etree._Element, rules: Sequence[Rule], matches: Sequence[list[etree._Element]]
) -> list[PrunedElement]:
    """Remove the elements each selector rule matched (`select` over `selector_rules`), in rule
    order; report what each removed."""
    pruned: list[PrunedElement] = []
    paragraphs = int(tree.xpath("count(//p)"))
    for rule, elements in zip(rules, matches, strict=True):
        for element in elements:
            if (
                element.tag in _CONTAINER_TAGS
                or _detached(element, tree)
                or _holds_the_article(element, paragraphs)
            ):
                continue
            text = element_text(element)
            if text:
                pruned.append(
                    PrunedElement(element.sourceline or 1, text, rule.code, rule.description)
                )
            remove_keeping_tail(element)
    return pruned


# Elements that never hold article text or page metadata (trafilatura discards them before it
# looks for the main content): form controls, styles, templates, canvases and inline SVG, whose
# icons alone are a good share of a news page's elements. Dropped before extraction, they no longer
# slow down every XPath search that trafilatura's extraction and metadata make over the page.
INERT_TAGS = ("svg", "style", "template", "canvas", "select", "datalist", "input", "textarea")


def drop_inert(tree: etree._Element) -> None:
    """Remove the `INERT_TAGS` elements (after the selector rules, which report the text of
    some of them, such as an SVG's `<title>`); the text that follows each one stays. One
    nested in another is removed from a subtree already out of the page, which is harmless."""
    for element in list(tree.iter(*INERT_TAGS)):
        remove_keeping_tail(element)
