"""The combiner: independent opinions about each block of a page, weighed into one decision.

Each extractor errs in its own way: trafilatura's fast precise pass sometimes returns a site menu
or drops a lead, readability sometimes takes one column of several, the text-mode decision
keeps a long comment. A block that several of them keep, among neighbours they keep, is the
article's. The few weights of a logistic score are fitted by `bench/fit_html.py` with
cross-validation grouped by site, and shipped in `html_weights.json`, which that script writes.
"""

from __future__ import annotations

import json
import math
import operator
from collections.abc import Mapping, Sequence
from functools import lru_cache
from importlib import resources
from itertools import accumulate

from cleaner.pipeline.blocks import Block

# The opinions, each a keep/leave-out vote per block.
OPINIONS = ("trafilatura", "readability", "text_mode")
# Opinions whose span (from the first to the last block they keep) is a feature: a subhead or a
# short list item between two kept paragraphs is the article's even where a vote misses it.
SPANNED = ("trafilatura", "readability")
# Each opinion's vote, the share of its votes among the NEAR blocks on either side (articles
# come in runs of blocks, menus and teasers in runs of their own), whether the block lies in
# the span of an opinion; the block's link density, and its share of text inside an element
# that the markup marks as furniture (`blocks.BOX_TAGS`, a widget's class name), alone and
# where trafilatura, which reads the markup too, leaves the block out; and whether trafilatura
# found nothing on the page.
FEATURES = (
    *OPINIONS,
    *(f"{name}_near" for name in OPINIONS),
    *(f"{name}_span" for name in SPANNED),
    "link_density",
    "boxed",
    "boxed_without_trafilatura",
    "trafilatura_found_nothing",
)
# A block shorter than this, inside furniture markup, that trafilatura leaves out is never
# brought back by the other opinions: a video's title, a pull quote, a reading time. They read
# only the text, and such a block reads like a line of the article.
VETO_WORDS = 20
NEAR = 2
WEIGHTS_FILE = "html_weights.json"


def features(blocks: Sequence[Block], opinions: Mapping[str, Sequence[bool]]) -> list[list[float]]:
    """The feature vector of each block, in `FEATURES` order."""
    rows: list[list[float]] = [[] for _ in blocks]
    for name in OPINIONS:
        for row, vote in zip(rows, opinions[name], strict=True):
            row.append(float(vote))
    for name in OPINIONS:
        votes = opinions[name]
        before = list(accumulate(votes, initial=0))  # votes before each index, and in all
        for index, row in enumerate(rows):
            start, stop = max(0, index - NEAR), min(len(votes), index + 1 + NEAR)
            near = stop - start - 1
            count = before[stop] - before[start] - votes[index]
            row.append(count / near if near else 0.0)
    for name in SPANNED:
        kept = [index for index, vote in enumerate(opinions[name]) if vote]
        first, last = (kept[0], kept[-1]) if kept else (len(rows), -1)
        for index, row in enumerate(rows):
            row.append(float(first <= index <= last))
    # trafilatura finds nothing on a listing page (by design): the others' votes there pick
    # teaser summaries.
    nothing = float(not any(opinions["trafilatura"]))
    for row, block, vote in zip(rows, blocks, opinions["trafilatura"], strict=True):
        row += [block.link_density, block.boxed_share, 0.0 if vote else block.boxed_share]
        row.append(nothing)
    return rows


def agreement(blocks: Sequence[Block], first: Sequence[bool], second: Sequence[bool]) -> float:
    """How far two opinions agree on the page: the words both keep over the words either keeps."""
    both = either = 0
    for block, a, b in zip(blocks, first, second, strict=True):
        words = len(block.text.split())
        both += words * (a and b)
        either += words * (a or b)
    return both / either if either else 0.0


def text_mode_pays(
    blocks: Sequence[Block], votes: Mapping[str, Sequence[bool]], agreed: float | None = None
) -> bool:
    """Whether the text-mode decision is worth running on a page (it costs as much as an
    extractor): only where trafilatura and readability agree on less than `agreed` of the
    words they keep (the shipped threshold by default). Elsewhere `text_mode_stand_in` takes
    its place."""
    if agreed is None:
        agreed = shipped()["text_mode_agreement"]
    return agreement(blocks, votes["trafilatura"], votes["readability"]) < agreed


def text_mode_stand_in(votes: Mapping[str, Sequence[bool]]) -> list[bool]:
    """The text-mode votes on a page where the two extractors agree: what both keep."""
    return [a and b for a, b in zip(votes["trafilatura"], votes["readability"], strict=True)]


@lru_cache(maxsize=1)
def shipped() -> dict:
    """What `bench/fit_html.py` fitted: the weights and the text-mode agreement threshold."""
    return json.loads(resources.files(__package__).joinpath(WEIGHTS_FILE).read_text("utf-8"))


def shipped_weights() -> dict[str, float]:
    """The fitted weights, by feature name, plus "bias"."""
    return shipped()["weights"]


def scores(rows: Sequence[Sequence[float]], weights: Mapping[str, float]) -> list[float]:
    """The log-odds that each block is article text."""
    vector = [weights[name] for name in FEATURES]
    bias = weights["bias"]
    return [bias + math.fsum(map(operator.mul, vector, row)) for row in rows]


def vetoed(block: Block, trafilatura: bool) -> bool:
    """Short furniture that trafilatura left out (see `VETO_WORDS`)."""
    return not trafilatura and block.boxed_share > 0.5 and len(block.text.split()) < VETO_WORDS


def keep(
    blocks: Sequence[Block],
    opinions: Mapping[str, Sequence[bool]],
    weights: Mapping[str, float] | None = None,
) -> list[bool]:
    """Which blocks are the article's: those whose score is above even odds, unless vetoed."""
    block_scores = scores(features(blocks, opinions), weights or shipped_weights())
    return [
        score > 0 and not vetoed(block, vote)
        for score, block, vote in zip(block_scores, blocks, opinions["trafilatura"], strict=True)
    ]


def left_out(kept: Sequence[bool]) -> list[str | None]:
    """The extraction code of each block left out, None for a kept one: EXT002 between the
    first and the last kept block, EXT001 before or after them."""
    first = next((index for index, k in enumerate(kept) if k), len(kept))
    last = max((index for index, k in enumerate(kept) if k), default=-1)
    return [
        None if k else ("EXT002" if first < index < last else "EXT001")
        for index, k in enumerate(kept)
    ]
