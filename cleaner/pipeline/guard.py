"""The prose guard: rules marked `guard: prose` spare lines that stand inside the article's prose.

Learned rules come from repetition alone, and some article lines repeat legitimately: a quote
that a live blog carries in every update, a subheading like "What we know so far". Such a rule
still removes its line at the page's edges (mastheads, footers) and between non-prose lines
(a promo box), but not inside the run of prose that the heuristics take for the article body.
`clean-news learn` marks only the rules whose lines recur on at most half of a site's pages;
a line on most pages is template, wherever it stands.
"""

from __future__ import annotations

from collections.abc import Sequence

from cleaner.model import Line, RuleHit
from cleaner.pipeline.decide import best_region, line_scores
from cleaner.pipeline.heuristics import WEIGHTS, LineFeatures, LineWeights


def spare_guarded_prose(
    lines: Sequence[Line],
    features: Sequence[LineFeatures],
    hits: dict[int, RuleHit],
    weights: LineWeights = WEIGHTS,
) -> dict[int, RuleHit]:
    """The hits without the guarded ones on lines inside the body's prose.

    The body is the region the heuristics choose when the guarded hits are left out. Inside
    it, a guarded line is spared when it is prose itself, or when the lines on both sides of
    it are prose (a subheading between two paragraphs); lines removed by unguarded rules do
    not count as neighbours.
    """
    if not any(hit.guarded for hit in hits.values()):
        return hits
    unguarded = {number: hit for number, hit in hits.items() if not hit.guarded}
    region = best_region(
        line_scores(features, [unguarded.get(line.number) for line in lines], weights)
    )
    # The lines the guarded hits compete with: everything no unguarded rule removes.
    candidates = [i for i, line in enumerate(lines) if line.number not in unguarded]
    spared: set[int] = set()
    for position, index in enumerate(candidates):
        hit = hits.get(lines[index].number)
        if hit is None or not region.start <= index < region.end:
            continue
        before = candidates[position - 1] if position > 0 else None
        after = candidates[position + 1] if position + 1 < len(candidates) else None
        inside = (
            before is not None
            and after is not None
            and features[before].prose(weights)
            and features[after].prose(weights)
        )
        if features[index].prose(weights) or inside:
            spared.add(lines[index].number)
    return {number: hit for number, hit in hits.items() if number not in spared}
