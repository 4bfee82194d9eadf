"""Page metadata (HTML only): headline, deck, authors, date and site name, each decided from
several signals of the page the way a careful reader would.

A page states its metadata several times: the visible headline and byline, `og:` and other
meta tags, JSON-LD, the `<title>`. Each source has its own typical mistakes (a `<title>` with
the site's name glued on, an `og:site_name` that is a domain fragment, a JSON-LD author that is
the publisher, a byline with the writer's role), so no single source is taken as it stands:

- title: the visible headline (an `<h1>` or a marked headline) that another source confirms,
  else the first one that reads as a headline, else the declared titles with the site name's
  affixes stripped;
- site name: `og:site_name`, JSON-LD publisher, `application-name`, the `<title>` affix, the
  logo's alt text, weighed against the domain, passing over domain fragments and taglines;
- authors: JSON-LD and meta authors, else the byline beside the headline, else the first
  byline anywhere on the page; every name validated (a person's or an organisation's name,
  no roles, dates or "Published", see `names.py`), the publisher dropped beside people;
- date: the dateline the page shows in its article header unless it is the updated date, else
  htmldate's publication date;
- deck: only an element marked as a deck in the headline's own header.

trafilatura's metadata extractors (and htmldate) supply the remaining fields.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from html import unescape
from urllib.parse import SplitResult, urlsplit

from courlan import extract_domain
from lxml import html

from cleaner.model import PageMetadata
from cleaner.pipeline.metadata import dateline_date
from cleaner.pipeline.names import split_names
from cleaner.pipeline.trafilatura_api import declared_date, declared_metadata, searched_title
from cleaner.rules.prune import element_text
from cleaner.rules.selectors import compile_selectors, select

# The deck (standfirst) under a headline, by the class names that publishing systems give it.
_DECK = compile_selectors(
    [
        '[class*="standfirst"]', '[class~="dek"]', '[class*="__dek"]', '[class*="-dek"]',
        '[class*="deck"]', '[class*="subtitle"]', '[class*="subheadline"]',
        '[class*="sub-headline"]',
    ]
)  # fmt: skip
_DECK_WORDS = (4, 80)
# How far up from the headline its header reaches: the headline's parent, grandparent...
_HEADER_LEVELS = 3
# Where a byline or dateline stands, by the markup publishing systems give it.
_BYLINE = compile_selectors(
    [
        '[rel="author"]', '[itemprop="author"]', '[class*="byline"]', '[class*="author"]',
        '[id*="byline"]',
    ]
)  # fmt: skip
_DATELINE = compile_selectors(
    [
        "time", '[itemprop="datePublished"]', '[class*="date"]', '[class*="time"]',
        '[class*="publish"]', '[class*="posted"]', '[class*="byline"]', '[class*="meta"]',
    ]
)  # fmt: skip
_DATELINE_CHARS = 120  # a dateline is one short line; a longer element holds more than that
_PUBLISHED = ("article:published_time", "datePublished", "date.created", "pubdate")
_MODIFIED = ("article:modified_time", "dateModified", "og:updated_time", "last-modified")
_UPDATED = re.compile(
    r"(?i)\b(?:updated|modified|aktualisiert|mis à jour|actualizado|aggiornato|atualizado)\b"
)
_PUBLISHED_WORDS = re.compile(
    r"(?i)\b(?:published|posted|veröffentlicht|publié|publicado|pubblicato|gepubliceerd)\b"
)
_AUTHOR_META = ("author", "article:author", "byl", "dc.creator")
_BYLINE_WORDS = 25  # a byline is short: a longer "author" element is a biography box
_HEADLINE_WORDS = (2, 40)
# Where a headline stands, in order: (a headline by its markup, XPath); a plain <h2> is often
# another story's, so it counts only when a declared title confirms it.
_HEADINGS = (
    (True, "//h1"),
    (True, '//*[@itemprop="headline"]|//*[contains(@class, "headline")]'),
    (False, "//h2"),
)
_ONE_WORD_HEADLINE = 8  # characters: a one-word heading this long can be a headline (CJK)
# An `<h1>` that no declared title confirms is taken for the headline only if it is this long:
# shorter ones are mostly logos and section names.
_UNCONFIRMED_HEADLINE_WORDS = 4
_SITE_NAME_WORDS = 6  # a site's name is a few words; a longer affix is part of the headline
_ACRONYM_LETTERS = 5  # "WSJ", "BBC": a name said by its initials
_GLUED_ARTICLE = re.compile(r"^The(?=[A-Z][a-z])")  # "TheHill" is said "The Hill"
_MINOR_WORDS = frozenset({"the", "of", "and", "for", "a", "an", "de", "la", "le", "der", "die"})
_ARTICLE_TYPES = re.compile(r"Article|Posting|Report|Review|Recipe", re.I)
_ORGANISATION_TYPES = re.compile(r"Organization|WebSite|Corporation|Publisher", re.I)
# Separators between a headline and the site name (or a section) in a declared title.
_AFFIX_SEPARATOR = re.compile(r"\s+[|–—:·•»-]\s+|\s*\|\s*|\s+::\s+")
_WORDS = re.compile(r"\w+")
_DOMAIN_LIKE = re.compile(r"^(?:www\.)?[\w-]+(?:\.[a-z]{2,})+$", re.I)


def page_metadata(tree: html.HtmlElement) -> PageMetadata:
    """The page's metadata, each field from the signals that agree (see the module's doc)."""
    document = declared_metadata(tree)
    linked = _declared(tree)
    host = _host(document.url)
    titles = [_comparable(title) for title in _declared_titles(tree, linked)]
    mastheads = [element_text(h) for h in tree.iter("h1") if _links_home(h, host)]
    titles += [_comparable(element_text(h)) for h in tree.iter("h1") if not _links_home(h, host)]
    sitename = _site_name(tree, linked, host, titles, mastheads)
    headline = _headline(tree, linked, sitename, host)
    declared = _declared_titles(tree, linked, _squashed(sitename))
    title = headline[0] if headline else _strip_affixes(declared, sitename)
    header = _header(headline[1] if headline else None)
    authors = _authors(tree, linked, sitename, header)
    language = (tree.get("lang") or "")[:2].lower() or None
    date = _shown_date(linked, header, language) or declared_date(tree, document.url)
    return PageMetadata(
        title=title or document.title or searched_title(tree) or None,
        subtitle=_deck(header.decks),
        authors=authors,
        date=date or None,
        sitename=sitename or None,
        url=document.url or None,
        description=document.description or None,
        categories=_split_terms(document.categories),
        tags=_split_terms(document.tags),
        image=document.image or None,
        language=language,
    )


# ---------------------------------------------------------------------------------------------
# Signals


def _text(value: object) -> str:
    return " ".join(unescape(str(value)).split()) if isinstance(value, str) else ""


def _comparable(text: str | None) -> str:
    return " ".join(_WORDS.findall(unicodedata.normalize("NFKC", text or "").casefold()))


def _squashed(text: str | None) -> str:
    """Letters and digits only: "CBSSports.com" and "Live Science" compare with their domain."""
    return "".join(_WORDS.findall(unicodedata.normalize("NFKC", text or "").casefold()))


def _host(url: str | None) -> str:
    host = urlsplit(url or "").hostname or ""
    return host.removeprefix("www.")


def _meta_tags(tree: html.HtmlElement) -> dict[str, list[str]]:
    """Each `<meta>` name (its `property`, `name` or `itemprop`) to its contents in page order,
    read in one pass: the fields ask for a dozen names, and a search of the page per name cost
    more than all of them together."""
    tags: dict[str, list[str]] = {}
    for element in tree.iter("meta"):
        if not (text := _text(element.get("content"))):
            continue
        for name in {element.get(key) for key in ("property", "name", "itemprop")} - {None}:
            tags.setdefault(name, []).append(text)
    return tags


def _meta(linked: _Linked, *names: str) -> list[str]:
    return [value for name in names for value in linked.meta.get(name, ())]


class _Linked:
    """What a page declares of itself: its JSON-LD (the article's headlines, authors and
    publishers) and its meta tags."""

    def __init__(self, meta: dict[str, list[str]]) -> None:
        self.meta = meta
        self.headlines: list[str] = []
        self.authors: list[tuple[str, bool]] = []  # (name, is a person)
        self.publishers: list[str] = []
        self.organisations: list[str] = []


def _declared(tree: html.HtmlElement) -> _Linked:
    linked = _Linked(_meta_tags(tree))
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text or "", strict=False)
        except (ValueError, RecursionError):  # malformed, or nested beyond reason
            continue
        for item in _items(data):
            kind = " ".join(item["@type"]) if isinstance(item.get("@type"), list) else ""
            kind = kind or str(item.get("@type") or "")
            if _ARTICLE_TYPES.search(kind):
                if headline := _text(item.get("headline")):
                    linked.headlines.append(headline)
                for author in _as_list(item.get("author")) + _as_list(item.get("creator")):
                    if isinstance(author, dict):
                        is_person = "Organization" not in str(author.get("@type"))
                        if name := _text(author.get("name")):
                            linked.authors.append((name, is_person))
                    elif name := _text(author):
                        linked.authors.append((name, True))
            for publisher in _as_list(item.get("publisher")):
                name = _text(publisher.get("name")) if isinstance(publisher, dict) else ""
                if name:
                    linked.publishers.append(name)
            if _ORGANISATION_TYPES.search(kind) and (name := _text(item.get("name"))):
                linked.organisations.append(name)
    return linked


def _as_list(value: object) -> list:
    return value if isinstance(value, list) else [value] if value else []


def _items(data: object) -> Iterator[dict]:
    """Every JSON-LD object, nested ones and `@graph` members included (without recursion: a
    hostile page can nest as deep as the JSON parser allows)."""
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, list):
            stack.extend(reversed(value))
        elif isinstance(value, dict):
            yield value
            stack.extend(
                reversed(
                    [
                        nested
                        for key, nested in value.items()
                        if key not in ("author", "creator", "publisher")
                        and isinstance(nested, (list, dict))
                    ]
                )
            )


def _declared_titles(tree: html.HtmlElement, linked: _Linked, site: str = "") -> list[str]:
    """The titles the page declares, most specific first: JSON-LD, og:, twitter:, <title>;
    not one that is only the site's name (`site`, squashed)."""
    titles = [*linked.headlines, *_meta(linked, "og:title", "twitter:title")]
    titles += [_text(element.text_content()) for element in tree.xpath("//head/title")]
    return [title for title in titles if title and _squashed(title) != site]


# ---------------------------------------------------------------------------------------------
# Site name


def _site_name(
    tree: html.HtmlElement, linked: _Linked, host: str, titles: list[str], mastheads: list[str]
) -> str:
    """The publisher's name as a reader would say it. The declared names (cut from any
    tagline, domain fragments passed over) are weighed against the domain: one that spells the
    domain's name ("Reuters" on reuters.com) wins over a section label in `og:site_name`; else
    the first declared one (the masthead and the logo's alt text last), a domain-like name
    giving way to a name or handle that spells the same letters ("livescience.com": "Live
    Science") and an acronym to its expansion ("WSJ": "Wall Street Journal")."""
    candidates = [
        *_meta(linked, "og:site_name"),
        *linked.publishers,
        *linked.organisations,
        *_meta(linked, "application-name"),
        *_title_affixes(tree, titles),
    ]
    names = [name for c in candidates if (name := _site_part(c)) and not _fragment(name, host)]
    declared = [name for name in names if not _DOMAIN_LIKE.match(name)]
    names += [name for name in map(_site_part, mastheads + _logo_names(tree, host)) if name]
    handles = [_site_part(handle) for handle in _meta(linked, "twitter:site")]
    if not names:
        return host
    # The name the domain is registered under: "bbc" for news.bbc.co.uk.
    brand = _squashed((extract_domain(f"https://{host}") or host).split(".")[0]) if host else ""
    spelling = [name for name in names if not _DOMAIN_LIKE.match(name)]
    best = next((name for name in declared if _squashed(name) == brand), names[0])
    if _DOMAIN_LIKE.match(best):
        stem = _squashed(best.removeprefix("www.").split(".")[0])
        spelled = [n for n in spelling + handles if _squashed(n) == stem and not n.islower()]
        best = spelled[0] if spelled else best.removeprefix("www.")
    elif best.isupper() and len(best) <= _ACRONYM_LETTERS:
        best = next((name for name in spelling if _initials(name) == best), best)
    return best


def _initials(name: str) -> str:
    return "".join(word[0] for word in name.split() if word.casefold() not in _MINOR_WORDS)


def _site_part(name: str) -> str:
    """A site name without a tagline or list after it ("LinkNaija | Nigeria's news platform");
    a URL as its host."""
    name = _GLUED_ARTICLE.sub("The ", _text(name).lstrip("@"))
    if name.startswith(("http://", "https://")):
        name = _host(name)
    first = _AFFIX_SEPARATOR.split(name, maxsplit=1)[0].strip()
    return first if 0 < len(first.split()) <= _SITE_NAME_WORDS else ""


def _fragment(name: str, host: str) -> bool:
    """A domain fragment ("nj", "usatoday"): one lower-case word that is a label of the host."""
    return name.islower() and " " not in name and "." not in name and name in host.split(".")


def _title_affixes(tree: html.HtmlElement, titles: list[str]) -> list[str]:
    """The site name at an end of the `<title>`: what is left when the headline that another
    source declares (`titles`, comparable forms) is taken away, or, unconfirmed, a short last
    part after the one separator ("Headline - Site Name")."""
    affixes = []
    for element in tree.xpath("//head/title"):
        parts = _AFFIX_SEPARATOR.split(_text(element.text_content()))
        if len(parts) < 2:
            continue
        for affix, rest in ((parts[-1], parts[:-1]), (parts[0], parts[1:])):
            rest_text = _comparable(" ".join(rest))
            if rest_text in titles and len(affix.split()) <= _SITE_NAME_WORDS:
                affixes.append(affix)
                break
        else:
            if len(parts) == 2 and len(parts[1].split()) < min(len(parts[0].split()), 5):
                affixes.append(parts[1])
    return affixes


def _logo_names(tree: html.HtmlElement, host: str) -> list[str]:
    """The alt text of the site's logo, a common way to name the site where nothing else does:
    an image marked as a logo that links to the site's home page (a widget's logo, such as a
    search box's, links elsewhere)."""
    names = []
    for image in tree.xpath(
        '//a[@href]//img[@alt][contains(translate(@class, "LOGO", "logo"), "logo")'
        ' or contains(translate(@src, "LOGO", "logo"), "logo")'
        ' or ancestor::*[contains(translate(@class, "LOGO", "logo"), "logo")]]'
    ):
        alt = _text(image.get("alt"))
        if alt and "logo" not in alt.lower() and _links_home(image, host):
            names.append(alt)
    return names[:3]


def _links_home(element: html.HtmlElement, host: str) -> bool:
    """Whether the element is, holds or sits in a link to the site's home page: a masthead or
    a logo, which name the site, not the story."""
    return any(
        _home(urlsplit(link.get("href", "").strip()), host)
        for link in element.xpath("ancestor-or-self::a[@href] | .//a[@href]")
    )


def _home(href: SplitResult, host: str) -> bool:
    if href.path not in ("", "/") or href.query or href.fragment:
        return False
    if href.hostname:
        return not host or _host(href.geturl()) == host
    return href.path == "/"


# ---------------------------------------------------------------------------------------------
# Headline


def _headline(
    tree: html.HtmlElement, linked: _Linked, sitename: str, host: str
) -> tuple[str, html.HtmlElement] | None:
    """The visible headline and its element: the heading (an `<h1>` first, then one marked as
    a headline, then an `<h2>`) that a declared title confirms (equal, or one holding the
    other within its affixes); else the first `<h1>` or marked headline that reads as one
    rather than a logo, a section or the site's name: outside links and, unless nothing is
    declared, as long as a headline is. The site's name is never the headline."""
    site = _squashed(sitename)
    declared = {_comparable(title): title for title in _declared_titles(tree, linked, site)}
    headings = [
        (text, element, marked)
        for marked, path in _HEADINGS
        for element in tree.xpath(path)
        if _HEADLINE_WORDS[0] <= len((text := element_text(element)).split()) <= _HEADLINE_WORDS[1]
        or (len(text.split()) == 1 and len(text) >= _ONE_WORD_HEADLINE)
        if _squashed(text) != site and not _links_home(element, host)
    ]
    for text, element, _ in headings:
        seen = _comparable(text)
        for title, written in declared.items():
            if seen == title or _within(seen, title):
                return text, element
            if _within(title, seen):
                # The heading holds the declared title and more: a date set inside the heading
                # ("Gone fishing 9 December, 2011") is not part of the headline.
                extra = seen.removeprefix(title).removesuffix(title)
                return (written if dateline_date(extra, None) else text), element
    fewest = _UNCONFIRMED_HEADLINE_WORDS if declared else _HEADLINE_WORDS[0]
    for text, element, marked in headings:
        if marked and len(text.split()) >= fewest and not _in_link(element):
            return text, element
    return None


def _within(part: str, whole: str) -> bool:
    """Whether `part` is most of `whole` at its start or end (a title with an affix)."""
    if not part or not whole or len(part) < 0.5 * len(whole):
        return False
    return whole.startswith(part + " ") or whole.endswith(" " + part)


def _in_link(element: html.HtmlElement) -> bool:
    """A heading inside a link, or one that is a link, is a logo or another story's teaser."""
    return bool(element.xpath("ancestor-or-self::a or .//a[.//img] or .//img"))


def _strip_affixes(titles: list[str], sitename: str) -> str:
    """The first declared title without the site name or section around it: the parts that
    name the site go, then the longest part between the title separators is the headline when
    the title splits into a long part and short ones."""
    site = _squashed(sitename)
    for title in titles:
        parts = [part for part in _AFFIX_SEPARATOR.split(title) if part]
        parts = [part for part in parts if _squashed(part) != site] or parts
        if len(parts) < 2:
            return parts[0]
        longest = max(parts, key=lambda part: len(part.split()))
        others = [part for part in parts if part is not longest]
        if all(len(part.split()) <= _SITE_NAME_WORDS // 2 + 1 for part in others):
            return longest
        return title
    return ""


# ---------------------------------------------------------------------------------------------
# Header: deck, dateline, byline


@dataclass
class _Header:
    """The elements marked as a deck, a byline or a dateline in the headline's own header."""

    decks: list[html.HtmlElement] = field(default_factory=list)
    bylines: list[html.HtmlElement] = field(default_factory=list)
    datelines: list[html.HtmlElement] = field(default_factory=list)


def _header(headline: html.HtmlElement | None) -> _Header:
    if headline is None:
        return _Header()
    elements = list(_header_elements(headline))
    if not elements:
        return _Header()
    # The header lies within the highest ancestor it reaches: the markup is searched there only.
    scope = [headline, *_header_ancestors(headline)][-1]
    decks, bylines, datelines = map(set, select(scope, [_DECK, _BYLINE, _DATELINE]))
    return _Header(
        [element for element in elements if element in decks],
        [element for element in elements if element in bylines],
        [element for element in elements if element in datelines],
    )


def _header_ancestors(headline: html.HtmlElement) -> Iterator[html.HtmlElement]:
    """The headline's parent and a few levels up, below the page's body: its header's reach."""
    ancestor = headline.getparent()
    for _ in range(_HEADER_LEVELS):
        if ancestor is None or ancestor.tag in ("body", "html"):
            return
        yield ancestor
        ancestor = ancestor.getparent()


def _header_elements(headline: html.HtmlElement) -> Iterator[html.HtmlElement]:
    """The elements after the headline inside its header (its parent, up to a few levels up),
    nearest first: where a deck, byline and dateline stand."""
    inside = set(headline.iter())
    seen: set[html.HtmlElement] = set()
    for ancestor in _header_ancestors(headline):
        after = False
        for element in ancestor.iter():
            if element is headline:
                after = True
            elif after and element not in inside and element not in seen:
                seen.add(element)
                yield element


def _deck(decks: list[html.HtmlElement]) -> str | None:
    """The deck: an element marked as one in the headline's own header, never a sidebar's."""
    for element in decks:
        text = element_text(element)
        if _DECK_WORDS[0] <= len(text.split()) <= _DECK_WORDS[1]:
            return text
    return None


def _shown_date(linked: _Linked, header: _Header, language: str | None) -> str | None:
    """The publication date the page shows beside its headline, as the page writes it (in the
    publisher's own time zone). An "Updated" line is not the publication date, nor is a date
    that the page declares as its modification date and not as its publication date."""
    published = {value[:10] for value in _meta(linked, *_PUBLISHED)}
    modified = {value[:10] for value in _meta(linked, *_MODIFIED)} - published
    for element in header.datelines:
        text = element_text(element)
        if not text or len(text) > _DATELINE_CHARS:
            continue
        if _UPDATED.search(text) and not _PUBLISHED_WORDS.search(text):
            continue
        if date := dateline_date(text, language or "en"):
            return None if date in modified else date
    return None


# ---------------------------------------------------------------------------------------------
# Authors


def _authors(
    tree: html.HtmlElement,
    linked: _Linked,
    sitename: str,
    header: _Header,
) -> list[str]:
    """The people credited: JSON-LD persons, else meta authors, else the byline beside the
    headline, else the first byline on the page; the byline instead when it names them all and
    more. An organisation (the publisher, a wire service) only when no person is credited, and
    then only if the byline shows it: a publisher declared as every page's author is no byline.
    """
    publisher = {_squashed(sitename), *map(_squashed, linked.publishers)} - {""}
    bylines = _byline_texts(header.bylines)
    shown = _byline_names(bylines)
    declared: list[Callable[[], list[tuple[str, bool]]]] = [
        lambda: linked.authors,
        lambda: [(name, True) for name in _meta(linked, *_AUTHOR_META)],
        lambda: [(name, True) for name in shown],
        lambda: [(name, True) for name in _page_byline_names(tree)],
    ]
    organisations: list[str] = []
    for source in declared:
        people: list[str] = []
        for raw, is_person in source():
            for name in split_names(raw):
                if _squashed(name) in publisher or not is_person:
                    organisations.append(name)
                elif name not in people:
                    people.append(name)
        if people:
            shown_people = [name for name in shown if _squashed(name) not in publisher]
            more = len(shown_people) > len(people) and set(people) <= set(shown_people)
            return shown_people if more else people
    visible = _comparable(" ".join(bylines))
    return [name for name in dict.fromkeys(organisations) if _within_text(name, visible)]


def _page_byline_names(tree: html.HtmlElement) -> list[str]:
    """The names of the first byline anywhere on the page, marked as the header's bylines
    are: the fallback for a page whose headline has no byline beside it."""
    return _byline_names(_byline_texts(select(tree, [_BYLINE])[0]))


def _byline_texts(elements: Iterable[html.HtmlElement]) -> list[str]:
    """The text of each byline element short enough to be one (a longer one is a biography)."""
    return [
        text
        for element in elements
        if 0 < len((text := element_text(element)).split()) <= _BYLINE_WORDS
    ]


def _byline_names(bylines: list[str]) -> list[str]:
    """The names of the first byline that names anyone; a name that another byline element
    writes shorter ("Tom Davies Associated Press" beside "Tom Davies") in its short form."""
    found = [split_names(text) for text in bylines]
    first = next((names for names in found if names), [])
    shorter = [name for names in found for name in names]
    return [
        next((short for short in shorter if name.startswith(short + " ")), name) for name in first
    ]


def _within_text(name: str, text: str) -> bool:
    return f" {_comparable(name)} " in f" {text} "


def _split_terms(values: Iterable[str] | None) -> list[str]:
    """Tags or categories one per entry: comma-joined strings split, repeats dropped."""
    terms: dict[str, str] = {}
    for value in values or ():
        for term in value.split(","):
            term = " ".join(term.split())
            if term and term.casefold() not in terms:
                terms[term.casefold()] = term
    return list(terms.values())
