"""The development corpora of `../shared/bench`: each page's HTML, its text rendering, its labelled
body, and the site it comes from, so that fitting can cross-validate by site.

The data is read in place from the shared folder; it is never copied into the project.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from metric import PageScore, Summary

CORPORA = ("scrapinghub-dev", "dragnet-dev", "cleaneval-dev")
DEFAULT_ROOT = Path(__file__).resolve().parents[2] / "shared" / "bench"

# Where a page names its own address: the canonical link or og:url.
_SELF_URL = re.compile(
    rb"""<(?:link|meta)\b[^>]*(?:rel=["']?canonical|property=["']?og:url)[^>]*>""", re.I
)
_ABSOLUTE_URL = re.compile(rb"""(?:href|content)=["']?(https?://[^"'/\s>]+)""", re.I)
# Second-level labels under which a registrable domain takes three labels (bbc.co.uk).
_SECOND_LEVEL = {"co", "com", "org", "net", "ac", "gov", "edu", "ne", "or"}


@dataclass(frozen=True)
class Page:
    corpus: str
    key: str
    site: str
    truth: str
    folder: Path

    def html(self) -> bytes:
        return gzip.decompress((self.folder / "html" / f"{self.key}.html.gz").read_bytes())

    def text(self) -> str:
        return (self.folder / "text" / f"{self.key}.txt").read_text(encoding="utf-8")


def registrable_domain(url: str) -> str:
    """`news.bbc.co.uk` -> `bbc.co.uk`: pages of one publisher's sub-sites are one site."""
    labels = (urlsplit(url).hostname or "").lower().split(".")
    take = 3 if len(labels) > 2 and labels[-2] in _SECOND_LEVEL else 2
    return ".".join(labels[-take:])


def site_of(html: bytes, url: str | None) -> str:
    """The page's site: its labelled URL, else the address it declares for itself, else the
    host its absolute links and metadata name most often; "" when none is found."""
    if url:
        return registrable_domain(url)
    for tag in _SELF_URL.finditer(html):
        if found := _ABSOLUTE_URL.search(tag.group(0)):
            return registrable_domain(found.group(1).decode("latin-1"))
    hosts = Counter(
        registrable_domain(found.decode("latin-1")) for found in _ABSOLUTE_URL.findall(html)
    )
    return hosts.most_common(1)[0][0] if hosts else ""


def load(corpus: str, root: Path = DEFAULT_ROOT) -> list[Page]:
    """Every labelled page of one corpus, in key order."""
    folder = root / corpus
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for key in sorted(truth):
        html = gzip.decompress((folder / "html" / f"{key}.html.gz").read_bytes())
        site = site_of(html, truth[key].get("url")) or f"{corpus}/{key}"
        pages.append(Page(corpus, key, site, truth[key]["articleBody"], folder))
    return pages


def site_fold(site: str, folds: int) -> int:
    """A stable fold for a site: every page of one site falls in the same fold."""
    return int(hashlib.sha256(site.encode()).hexdigest(), 16) % folds


def corpus_arguments(description: str, rounds: int) -> argparse.ArgumentParser:
    """The options every scoring script takes."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT, help="the folder of the corpora")
    parser.add_argument(
        "--corpus",
        action="append",
        choices=CORPORA,
        help="score only this corpus (repeatable; default: all three)",
    )
    parser.add_argument("--worst", type=int, default=0, help="list the N lowest-F1 pages")
    parser.add_argument(
        "--rounds",
        type=int,
        default=rounds,
        help=f"time N rounds and report the best (default {rounds})",
    )
    return parser


def chosen(args: argparse.Namespace) -> Sequence[str]:
    return args.corpus or CORPORA


def page_f1(score: PageScore) -> float:
    precision = score.precision or 0.0
    total = precision + score.recall
    return 2 * precision * score.recall / total if total else 0.0


def print_table(
    title: str, systems: Sequence[str], corpora: Sequence[str], summaries: dict
) -> None:
    """One F1 row per system, one column per corpus and the macro average; `summaries` maps
    (system, corpus) to a Summary."""
    print(title)
    header = "".join(f" {corpus:>15} |" for corpus in corpora)
    print(f"| {'system':<36} |{header} {'macro':>6} |")
    print(f"|{'-' * 38}|" + "".join(f"{'-' * 17}|" for _ in corpora) + f"{'-' * 8}|")
    for system in systems:
        f1s = [summaries[system, corpus].f1 for corpus in corpora]
        cells = "".join(f" {f1:>15.3f} |" for f1 in f1s)
        print(f"| {system:<36} |{cells} {sum(f1s) / len(f1s):>6.3f} |")


def print_details(name: str, summaries: Iterable[tuple[str, Summary]]) -> None:
    """Precision, recall and exact-match share of one system, per corpus."""
    for corpus, summary in summaries:
        print(
            f"  {name} on {corpus}: F1 {summary.f1:.3f}, precision {summary.precision:.3f}, "
            f"recall {summary.recall:.3f}, exact {summary.accuracy:.3f} ({summary.pages} pages)"
        )


def print_worst(scores: dict[str, PageScore], count: int) -> None:
    for key in sorted(scores, key=lambda k: page_f1(scores[k]))[:count]:
        score = scores[key]
        print(f"  {page_f1(score):.3f} P={score.precision or 0:.3f} R={score.recall:.3f} {key}")
