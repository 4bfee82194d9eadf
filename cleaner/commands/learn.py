"""Learn site-specific debris from a corpus: lines that recur across the pages of one site.

Every site has debris of its own (its masthead, its menu labels, its promos) that no built-in
rule knows, and the strongest sign of it is repetition: a line on many pages of the same site
is not article text. Documents are grouped by site (the URL's host when the document says it,
else its folder), each line is normalised (case, digits, month and weekday names), and the
lines found in at least `min_docs` documents of a site become ordinary rules (codes LRN001...),
one per line or one per block of lines that recur together. The pack is written for a person to
review and is passed back with `--rules`; `clean --learn` learns and applies it on the fly.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from dateparser.languages.loader import default_loader

from cleaner import __version__
from cleaner.codes import FAMILIES, LEARNED_PREFIX
from cleaner.io.inputs import FileSelection, iter_documents
from cleaner.messages import plural
from cleaner.model import Article, SourceDocument, UnreadableInput
from cleaner.pipeline.cleaner import Cleaner
from cleaner.pipeline.dates import MONTHS, WEEKDAYS
from cleaner.pipeline.decode import DecodeError
from cleaner.rules.loader import Rule, match_key, parse_pack

MIN_DOCS = 3
MOST_PAGES = 0.5  # a line on more than this share of a site's pages is template wherever it is
PREFIX = LEARNED_PREFIX
CATEGORY = FAMILIES[PREFIX].category
EXAMPLES_PER_LINE = 3
# The languages whose month and weekday names count as "a date word" when lines are compared.
DATE_LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "nl", "pl")
# Metadata lines whose text went into a field. Bylines and datelines recur legitimately (the
# same author, the same date format), so they are never learned. A headline or deck belongs to
# one page: one found on `min_docs` pages is site furniture that was taken for the headline.
RECURRING_FIELDS = frozenset({"MET004", "MET005"})
PAGE_FIELDS = frozenset({"MET001", "MET002"})
PERIOD_NAMES = MONTHS + WEEKDAYS
ENGLISH_MONTH_ABBREVIATIONS = (
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
)  # fmt: skip
URL_LINES = 10  # a text dump names its page URL near the top, if at all

_LETTER = re.compile(r"[^\W\d_]")
_URL_LINE = re.compile(
    r"(?:(?:url|source|link|quelle|fuente|fonte|bron)\s*:\s*)?<?(https?://[^\s<>]+)>?", re.I
)
_DIGIT_TOKEN, _DATE_TOKEN = "0", "\ue000"
_REGEX_SPECIAL = re.compile(r"([.^$*+?{}\[\]\\|()])")


class LearnError(ValueError):
    """Learning cannot go on (more recurring lines than the code format can number)."""


@lru_cache(maxsize=1)
def _variable_parts() -> re.Pattern[str]:
    """Digit runs and month or weekday names: the parts of a line that change between pages.

    Names come from dateparser's data; short abbreviations are left out ("Mi", "Di" and "Mit"
    are German words too) except the English three-letter months, the usual short form."""
    names = set(ENGLISH_MONTH_ABBREVIATIONS)
    for language in DATE_LANGUAGES:
        info = default_loader.get_locale(language).info
        for period in PERIOD_NAMES:
            names.update(name.lower() for name in info.get(period, []) if len(name) >= 4)
    alternatives = "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))
    return re.compile(rf"\d+|\b(?:{alternatives})\b", re.IGNORECASE)


def line_key(text: str) -> str:
    """What two lines must share to count as the same line: the rule's view of the line,
    lower-cased, with each digit run and each month or weekday name made one token."""

    def token(match: re.Match[str]) -> str:
        return _DIGIT_TOKEN if match.group()[0].isdigit() else _DATE_TOKEN

    return _variable_parts().sub(token, match_key(text).lower())


def line_pattern(example: str) -> dict[str, str]:
    """A rule pattern matching every line with the same key as `example`: a literal when the
    line has no variable part, else a regex with `\\d+` and a word in place of those parts."""
    key = match_key(example)
    parts, position = [], 0
    for match in _variable_parts().finditer(key):
        parts.append(_escape(key[position : match.start()]))
        parts.append(r"\d+" if match.group()[0].isdigit() else r"[^\W\d_]+")
        position = match.end()
    if not parts:
        return {"literal": key}
    parts.append(_escape(key[position:]))
    return {"regex": "".join(parts)}


def _escape(text: str) -> str:
    """`re.escape` for people: only the characters that are special outside a class."""
    return _REGEX_SPECIAL.sub(r"\\\1", text)


def learned_code(number: int) -> str:
    """LRN001...LRN999, then LRNA000...LRNZ999 (the code format allows four letters)."""
    if number < 1000:
        return f"{PREFIX}{number:03d}"
    letter, rest = divmod(number, 1000)
    if letter > 26:
        raise LearnError("more than 26,999 recurring lines to learn: raise --min-docs")
    return f"{PREFIX}{chr(ord('A') + letter - 1)}{rest:03d}"


def code_number(code: str) -> int:
    """The number of a learned code (0 for other codes): the inverse of `learned_code`."""
    match = re.fullmatch(rf"{PREFIX}([A-Z]?)(\d{{3}})", code)
    if not match:
        return 0
    letter = ord(match.group(1)) - ord("A") + 1 if match.group(1) else 0
    return letter * 1000 + int(match.group(2))


def url_host(url: str | None) -> str | None:
    """The site part of a URL: the host name without `www.`, or None."""
    if not url:
        return None
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    return host.removeprefix("www.") if host else None


def site_name(name: str | None) -> str | None:
    """A site's name as a site key ("The Morning Ledger" and "the morning  ledger" agree)."""
    key = " ".join((name or "").casefold().split())
    return key or None


def document_url(article: Article) -> str | None:
    """The page's URL: what an HTML page declares, else a line of a text dump that is only a
    URL (optionally labelled "URL:", "Source:") among its first lines."""
    if article.url:
        return article.url
    for line in article.lines[:URL_LINES]:
        if match := _URL_LINE.fullmatch(line.text):
            return match.group(1)
    return None


@dataclass
class _Site:
    """What learning keeps of one site: per-document line keys and per-key statistics."""

    name: str
    pages: list[tuple[str | None, ...]] = field(default_factory=list)
    docs: Counter[str] = field(default_factory=Counter)  # key -> documents it is in
    examples: dict[str, list[str]] = field(default_factory=dict)
    first_seen: dict[str, tuple[int, int]] = field(default_factory=dict)
    as_field: Counter[str] = field(default_factory=Counter)  # key -> pages it was a headline on
    protected: set[str] = field(default_factory=set)
    contents: set[int] = field(default_factory=set)  # hashes of the pages' texts


@dataclass(frozen=True)
class LearnedRule:
    """One learned rule: a recurring line, or a block of lines that recur together."""

    site: str
    keys: tuple[str, ...]
    examples: tuple[tuple[str, ...], ...]  # per line, the distinct texts seen
    line_docs: tuple[int, ...]  # per line, the documents it is in
    docs: int  # documents the line (or the whole block) is in
    site_docs: int
    order: tuple[int, int]  # where it first appears: for a pack that reads top to bottom

    @property
    def guarded(self) -> bool:
        """Lines on at most half of the site's pages may be article text: guard the prose."""
        return min(self.line_docs) <= MOST_PAGES * self.site_docs

    def description(self) -> str:
        if len(self.keys) == 1:
            return f"recurring line on {self.site}: in {self.docs} of {self.site_docs} documents"
        low, high = min(self.line_docs), max(self.line_docs)
        each = f"{low}" if low == high else f"{low} to {high}"
        return (
            f"recurring block of {len(self.keys)} lines on {self.site}: together in {self.docs} "
            f"of {self.site_docs} documents, each line in {each}"
        )

    def sound(self) -> bool:
        """Whether the rule, as the loader reads it, matches every one of its examples."""
        entry = self.pack_entry(PREFIX + "000")
        (rule,) = pack_rules({"category": CATEGORY, "prefix": PREFIX, "rules": [entry]})
        return all(rule.matches(text) for text in rule.examples_match)

    def pack_entry(self, code: str) -> dict:
        entry: dict = {"code": code, "description": self.description()}
        if self.guarded:
            entry["guard"] = "prose"
        entry["patterns"] = [line_pattern(texts[0]) for texts in self.examples]
        entry["examples"] = {"match": [text for texts in self.examples for text in texts]}
        return entry


class Learner:
    """Collects cleaned documents by site, then finds the lines that recur across them."""

    def __init__(self, rule_codes: Iterable[str], min_docs: int = MIN_DOCS) -> None:
        self.min_docs = min_docs
        self.rule_codes = frozenset(rule_codes)  # lines a loaded rule removes need no new rule
        self.sites: dict[str, _Site] = {}

    @property
    def documents(self) -> int:
        return sum(len(site.pages) for site in self.sites.values())

    def add(self, site_name: str, article: Article) -> None:
        """Count the lines of one cleaned document towards its site.

        A page whose text the site already has (the same file twice in a batch) counts once:
        otherwise its article would recur across "pages" and be learned as debris."""
        site = self.sites.setdefault(site_name, _Site(site_name))
        content = hash(tuple(line.text for line in article.lines))
        if content in site.contents:
            return
        site.contents.add(content)
        page = len(site.pages)
        keys: list[str | None] = []
        for index, line in enumerate(article.lines):
            verdict = article.verdicts.get(line.number)
            code = verdict.rule if verdict else None
            key = line_key(line.text)
            if code in self.rule_codes or not _LETTER.search(key):
                keys.append(None)
                continue
            if code in RECURRING_FIELDS:
                site.protected.add(key)
            elif code in PAGE_FIELDS:
                site.as_field[key] += 1
            keys.append(key)
            site.first_seen.setdefault(key, (page, index))
            # Examples are kept from a line's second document on (most lines have none), so
            # that learning does not hold the whole corpus's text twice.
            if site.docs[key] + 1 >= min(2, self.min_docs):
                seen = site.examples.setdefault(key, [])
                if len(seen) < EXAMPLES_PER_LINE and line.text not in seen:
                    seen.append(line.text)
        site.docs.update(set(filter(None, keys)))
        site.pages.append(tuple(keys))

    def rules(self) -> list[LearnedRule]:
        """The learned rules, site by site, in the order their lines appear on the pages.

        A rule that would miss one of its own examples (a quirk of Unicode case folding) is
        left out, so that every pack written passes the example checks."""
        learned: list[LearnedRule] = []
        for name in sorted(self.sites):
            learned.extend(rule for rule in self._site_rules(self.sites[name]) if rule.sound())
        return learned

    def _recurring(self, site: _Site) -> set[str]:
        return {
            key
            for key, docs in site.docs.items()
            if docs >= self.min_docs
            and key not in site.protected
            and not 0 < site.as_field[key] < self.min_docs
        }

    def _site_rules(self, site: _Site) -> list[LearnedRule]:
        recurring = self._recurring(site)
        if not recurring:
            return []
        # A block is a run of recurring lines on a page. Lines on most pages and lines on
        # fewer (which the prose guard covers) are not mixed in one block.
        most = {key for key in recurring if site.docs[key] > MOST_PAGES * len(site.pages)}
        blocks: Counter[tuple[str, ...]] = Counter()
        for keys in site.pages:
            runs: set[tuple[str, ...]] = set()
            run: list[str] = []
            for key in (*keys, None):
                if key in recurring and (not run or (key in most) == (run[-1] in most)):
                    run.append(key)
                    continue
                if len(run) > 1 and len(set(run)) == len(run):
                    runs.add(tuple(run))
                run = [key] if key in recurring else []
            blocks.update(runs)
        groups: list[tuple[tuple[str, ...], int]] = []
        grouped: set[str] = set()
        for block, docs in sorted(blocks.items(), key=lambda item: (-item[1], -len(item[0]))):
            if docs >= self.min_docs and grouped.isdisjoint(block):
                groups.append((block, docs))
                grouped.update(block)
        groups.extend(((key,), site.docs[key]) for key in recurring - grouped)
        found = [
            LearnedRule(
                site=site.name,
                keys=keys,
                examples=tuple(tuple(site.examples[key]) for key in keys),
                line_docs=tuple(site.docs[key] for key in keys),
                docs=docs,
                site_docs=len(site.pages),
                order=min(site.first_seen[key] for key in keys),
            )
            for keys, docs in groups
        ]
        return sorted(found, key=lambda rule: (rule.order, rule.keys))


def build_pack(learned: Sequence[LearnedRule], first_number: int = 1) -> dict:
    """The rule pack (as YAML data) for learned rules, numbered from `first_number`."""
    return {
        "category": CATEGORY,
        "prefix": PREFIX,
        "description": "Lines that recur across the pages of one site, learned by "
        "`clean-news learn`; review before use.",
        "rules": [
            rule.pack_entry(learned_code(first_number + index))
            for index, rule in enumerate(learned)
        ],
    }


def pack_rules(pack: dict) -> list[Rule]:
    """The pack's rules, validated by the same code as a pack loaded from a file."""
    return parse_pack(pack, Path("<learned rules>"))


@dataclass(frozen=True)
class Sourced:
    """A document with the command-line path it was found under and its folder."""

    given: str
    folder: str
    document: SourceDocument | UnreadableInput


def walk(
    paths: Sequence[str], input_format: str, selection: FileSelection | None = None
) -> Iterator[Sourced]:
    """Like `iter_documents`, keeping the folder each document lies in (its site when the
    document names no URL nor site)."""
    for given in paths:
        for document in iter_documents([given], input_format, selection or FileSelection()):
            if Path(given).is_dir():  # a folder's documents are named relative to it
                folder = Path(given) / Path(document.path).parent
            else:
                folder = Path(given).parent
            yield Sourced(given, folder.as_posix(), document)


@dataclass
class Learning:
    """The outcome of learning over a batch: the rules, and the site of every document."""

    learner: Learner
    rules: list[LearnedRule]
    sites: dict[str, str]  # the file a document was read from (its origin) -> its site
    failures: list[tuple[str, str]]  # (document path, problem)
    first_number: int = 1
    by_folder: int = 0  # documents that name no URL nor site, grouped by their folder

    @property
    def site_count(self) -> int:
        return len(self.learner.sites)

    def pack(self) -> dict:
        return build_pack(self.rules, self.first_number)

    def pack_yaml(self) -> str:
        """The pack as the YAML file a person reviews, with a header saying where it came from."""
        header = (
            f"# Learned by clean-news {__version__} from "
            f"{plural(self.learner.documents, 'document')} of {plural(self.site_count, 'site')}: "
            f"the lines found in at least {self.learner.min_docs} "
            "documents of a site.\n# Review before use: delete the rules that remove article "
            "text; `guard: prose` spares a line inside the article's prose.\n"
        )
        body = yaml.safe_dump(self.pack(), allow_unicode=True, sort_keys=False, width=10_000)
        return header + body


def learn_batch(
    paths: Sequence[str],
    input_format: str,
    cleaner: Cleaner,
    min_docs: int = MIN_DOCS,
    selection: FileSelection | None = None,
) -> Learning:
    """First pass over a batch: clean every document and learn its sites' recurring lines.

    Learned codes continue after any learned code the cleaner already has (a reviewed pack
    passed with `--rules`), so that the two never clash.
    """
    learner = Learner((rule.code for rule in cleaner.rules), min_docs)
    sites: dict[str, str] = {}
    failures: list[tuple[str, str]] = []
    by_folder = 0
    for sourced in walk(paths, input_format, selection):
        document = sourced.document
        if isinstance(document, UnreadableInput):
            failures.append((document.path, document.message))
            continue
        try:
            article = cleaner.article(document)
        except DecodeError as exc:
            failures.append((document.path, str(exc)))
            continue
        site = url_host(document_url(article)) or site_name(article.sitename)
        if site is None:
            site = sourced.folder
            by_folder += 1
        sites[document.origin or document.path] = site
        learner.add(site, article)
    first = max((code_number(rule.code) for rule in cleaner.rules), default=0) + 1
    return Learning(learner, learner.rules(), sites, failures, first, by_folder)


def site_rules(learning: Learning) -> dict[str, tuple[Rule, ...]]:
    """Each site's learned rules, for the second pass of `clean --learn`."""
    rules = pack_rules(learning.pack()) if learning.rules else []
    by_site: dict[str, list[Rule]] = {}
    for learned, rule in zip(learning.rules, rules, strict=True):
        by_site.setdefault(learned.site, []).append(rule)
    return {site: tuple(site_rules) for site, site_rules in by_site.items()}
