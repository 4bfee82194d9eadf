"""Decision stage: from rule hits and line features to a verdict for every line.

In a scraper's text dump the article body is taken as the contiguous run of lines with the
highest total score, where prose lines score their length and page furniture scores against it
(a maximum-sum subarray). Text extracted from HTML is already the page's main content, so there
the body is all of it. Rule hits always remove their line; end-of-article markers cut the body
short.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from cleaner.codes import reason_of
from cleaner.model import Line, RuleHit, Verdict
from cleaner.pipeline.heuristics import WEIGHTS, LineFeatures, LineWeights

ICON_CAMEL_JOINS = 3  # "IconFacebookIconTwitterIconMail": words glued at case changes
ICON_WORDS_PER_JOIN = 5  # prose may say "MacBook" or "iPhone" now and then, icon rows do it often
RESUME_WINDOW = 25  # lines after a related-content marker in which the article may resume
RESUME_WORDS = 40
EXTRACTED_RESUME_WORDS = 30
# Rule codes of per-comment lines (votes and actions, comment times, "2 days ago").
COMMENT_CODES = ("CMT002", "CMT003", "NAV008")
COMMENT_WINDOW = 8  # the comment lines of a run stand within this many lines
MIN_ARTICLE_WORDS = 20  # extracted "main content" shorter than this is a teaser, not an article
DEBRIS_SCORE = -6.0  # a line a rule removed: never part of the region, whatever the weights


@dataclass(frozen=True)
class Region:
    start: int  # index into the line list, inclusive
    end: int  # exclusive


def icon_names(feature: LineFeatures) -> bool:
    """A row of glued icon or widget names rather than text."""
    joins = feature.camel_joins
    return joins >= ICON_CAMEL_JOINS and joins * ICON_WORDS_PER_JOIN >= feature.words


def line_scores(
    features: Sequence[LineFeatures],
    hit_at: Sequence[RuleHit | None],
    weights: LineWeights = WEIGHTS,
) -> list[float]:
    """Prose scores its length, debris and furniture score against it.

    Prose with no prose neighbour counts for less: article paragraphs come in runs, while the
    summaries of a teaser list each stand alone between a headline and a timestamp. Lines that
    rules removed (an "Advertisement" label between two paragraphs) do not separate neighbours.
    A run of list items (short lines of mostly lower-case words) scores `weights.item` once:
    a long list inside an article costs no more than a short one, while menus and link lists,
    in title case, score as furniture line by line.
    """
    # Prose or not, for the lines that no rule removed, in order.
    remaining = [
        (index, f.prose(weights) and not icon_names(f))
        for index, (f, h) in enumerate(zip(features, hit_at, strict=True))
        if h is None
    ]
    scores = [DEBRIS_SCORE] * len(features)
    in_list = False
    last = len(remaining) - 1
    for position, (index, prose) in enumerate(remaining):
        feature = features[index]
        if prose:
            in_list = False
            # Its neighbours among the remaining lines: the ones just before and after it.
            accompanied = (position > 0 and remaining[position - 1][1]) or (
                position < last and remaining[position + 1][1]
            )
            scores[index] = feature.words * (1.0 if accompanied else weights.isolated_prose)
            continue
        if icon_names(feature):
            in_list = False
            continue  # scores as debris
        item = feature.list_item
        # A list (a recipe's ingredients, a week's meals) costs once, whatever its length.
        if item:
            scores[index] = 0.0 if in_list else weights.item
        else:
            scores[index] = weights.furniture
        in_list = item
    return scores


def best_region(scores: Sequence[float]) -> Region:
    """The maximum-sum contiguous run (Kadane); empty when no line scores above zero."""
    best, best_start, best_end = 0.0, 0, 0
    running, start = 0.0, 0
    for index, score in enumerate(scores):
        if running <= 0:
            running, start = 0.0, index
        running += score
        if running > best:
            best, best_start, best_end = running, start, index + 1
    return Region(best_start, best_end)


def _closing_sentences(
    features: Sequence[LineFeatures], hit_at: Sequence[RuleHit | None], end: int
) -> int:
    """Extend the body over the short sentences that close many articles ("No one was hurt.").

    They are too short to score as prose, but a menu or a teaser title never ends in a full stop.
    """
    if end == 0:
        return end
    while end < len(features) and hit_at[end] is None and features[end].closing_sentence:
        end += 1
    return end


def _resumption(
    features: Sequence[LineFeatures],
    after: int,
    stop: int,
    extracted: bool,
    weights: LineWeights,
) -> int | None:
    """Where the article goes on after a related-content box that starts at `after`.

    A marker such as "Related" inside an article introduces a short box; the article resumes
    at the first pair of adjacent prose lines within the next few lines. Teaser lists never
    have two prose lines in a row (a headline, a summary, a time...), so they do not resume.
    In extracted main content, where teaser lists are rare, one long paragraph is enough.
    """
    last = min(stop, after + RESUME_WINDOW)
    for index in range(after + 1, last):
        first = features[index]
        if extracted and first.prose(weights) and first.words >= EXTRACTED_RESUME_WORDS:
            return index
        second = features[index + 1] if index + 1 < last else None
        if (
            second
            and first.prose(weights)
            and second.prose(weights)
            and first.words + second.words >= RESUME_WORDS
        ):
            return index
    return None


def _comment_section(
    features: Sequence[LineFeatures],
    hit_at: Sequence[RuleHit | None],
    start: int,
    end: int,
    weights: LineWeights,
) -> int | None:
    """Where a comment section begins inside the body, if one does.

    Each comment comes with short lines of its own: who wrote it, when, its votes and reply
    buttons. `weights.comment_run` such lines within COMMENT_WINDOW lines, at least one of them
    a commenter's name or a vote or action line (a time alone may be a live blog's entry), are
    a comment section: the body ends at the first of them.
    """
    run = weights.comment_run
    if run > COMMENT_WINDOW:
        return None

    def strong(index: int) -> bool:
        hit = hit_at[index]
        return features[index].commenter or (hit is not None and hit.rule in COMMENT_CODES)

    # The run may reach past the body's end: its first comments can pass for the article's end.
    stop = min(len(features), end + COMMENT_WINDOW)
    found = [i for i in range(start, stop) if strong(i) or features[i].timestamp]
    for first in range(len(found) - run + 1):
        group = found[first : first + run]
        if group[0] >= end:
            break
        if group[-1] - group[0] < COMMENT_WINDOW and any(strong(i) for i in group):
            return group[0]
    return None


def decide(
    lines: Sequence[Line],
    features: Sequence[LineFeatures],
    hits: dict[int, RuleHit],
    enabled: Callable[[str], bool],
    extracted: bool = False,
    weights: LineWeights = WEIGHTS,
) -> tuple[dict[int, Verdict], Region]:
    """Verdicts keyed by line number for every line that is not article body, and the body.

    `extracted` says the lines are main content that an HTML extractor already chose.
    """
    hit_at = [hits.get(line.number) for line in lines]
    # Extracted main content is the body already: short lines there are list items, subheads
    # and closing lines, not page furniture; only rules and end markers remove from it.
    region = (
        Region(0, len(lines)) if extracted else best_region(line_scores(features, hit_at, weights))
    )
    region = Region(region.start, _closing_sentences(features, hit_at, region.end))
    boxed: set[int] = set()
    end = region.end
    index = region.start + 1
    while index < end:
        if (hit := hit_at[index]) is not None and hit.action == "drop-rest":
            # Under a comment heading, the comments' paragraphs are no resumed article.
            comments_follow = not extracted and (
                _comment_section(
                    features, hit_at, index + 1, min(end, index + 1 + COMMENT_WINDOW), weights
                )
                is not None
            )
            resume = (
                None if comments_follow else _resumption(features, index, end, extracted, weights)
            )
            if resume is None:
                end = index
                break
            boxed.update(range(index + 1, resume))
            index = resume
        index += 1
    comments = None if extracted else _comment_section(features, hit_at, region.start, end, weights)
    if comments is not None:
        end = comments
    # What an extractor calls main content can be one teaser line of a listing page.
    too_short = (
        extracted
        and sum(
            feature.words
            for index, feature in enumerate(features[region.start : end], region.start)
            if hit_at[index] is None and index not in boxed
        )
        < MIN_ARTICLE_WORDS
    )
    dropped_blocks = {
        line.block
        for line, hit in zip(lines, hit_at, strict=True)
        if hit and hit.action == "drop-block"
    }

    # The heuristics that remove a line, most specific first: those of its shape (a dropped
    # block, a row of icon names), then that of where it stands, which is the same for every
    # line above the body, below it, or in a box. They are looked up, not assembled per line.
    above = ("BDY001",)
    below = (("BDY006",) if comments is not None else ()) + (
        "BDY003" if end < region.end else "BDY002",
    )
    in_box = ("BDY004",)
    in_body = ("BDY005",) if too_short else ()

    # Most lines outside the body share one of a few combinations of codes: the verdict of each
    # combination (its first enabled code) is made once, not once per line.
    verdict_for: dict[tuple[str, ...], Verdict | None] = {(): None}

    def first_enabled(codes: tuple[str, ...]) -> Verdict | None:
        code = next((c for c in codes if enabled(c)), None)
        return None if code is None else Verdict(code, reason_of(code))

    verdicts: dict[int, Verdict] = {}
    for index, (line, feature, hit) in enumerate(zip(lines, features, hit_at, strict=True)):
        if hit is not None:
            verdicts[line.number] = Verdict(hit.rule, hit.reason)
            continue
        if index < region.start:
            codes = above
        elif index >= end:
            codes = below
        else:
            codes = in_box if index in boxed else in_body  # none for most lines of the body
        if icon_names(feature):
            codes = ("SHP001", *codes)
        if line.block in dropped_blocks:
            codes = ("BLK001", *codes)
        if codes not in verdict_for:
            verdict_for[codes] = first_enabled(codes)
        if (verdict := verdict_for[codes]) is not None:
            verdicts[line.number] = verdict
    return verdicts, Region(region.start, end)
