"""The decision stage on hand-built lines: the body region, end markers and code fall-through."""

from __future__ import annotations

from cleaner.decide import best_region, decide
from cleaner.heuristics import score_lines
from cleaner.model import Line, RuleHit
from cleaner.rules import CodeFilter

PROSE = (
    "The regional council said on Monday that the new bus routes would start in the spring, "
    "after a long consultation with residents, drivers and the owners of local shops."
)


def run(texts: list[str], hits: dict[int, RuleHit] | None = None, ignore: tuple[str, ...] = ()):
    lines = [Line(number, text, number) for number, text in enumerate(texts, start=1)]
    features = score_lines(lines, "en")
    verdicts, region = decide(lines, features, hits or {}, CodeFilter(ignore=ignore).enabled)
    return {number: verdict.rule for number, verdict in verdicts.items()}, region


def test_best_region_is_the_maximum_sum_run():
    region = best_region([-5, 3, 4, -1, 2, -9, 4])
    assert (region.start, region.end) == (1, 5)
    empty = best_region([-1, -2])
    assert empty.start == empty.end


def test_furniture_around_the_body_is_removed_and_short_closing_sentence_kept():
    verdicts, _ = run(["Home", "World", PROSE, PROSE, "Nobody was hurt.", "Contact", "Jobs"])
    assert verdicts == {1: "BDY001", 2: "BDY001", 6: "BDY002", 7: "BDY002"}


def test_end_marker_cuts_the_rest_unless_the_article_resumes():
    marker = RuleHit("REL001", "related", "drop-rest")
    texts = [PROSE, PROSE, "Related", "Other story one", "Other story two", PROSE, PROSE]
    verdicts, _ = run(texts, {3: marker})
    assert verdicts == {3: "REL001", 4: "BDY004", 5: "BDY004"}
    verdicts, _ = run([PROSE, PROSE, "Related", "Other story", PROSE, "Time ago"], {3: marker})
    assert verdicts == {3: "REL001", 4: "BDY003", 5: "BDY003", 6: "BDY003"}


def test_ignored_heuristic_falls_through_to_the_next_one():
    icons = "IconFacebookIconTwitterIconMailIconPrint"
    verdicts, _ = run([icons, PROSE, PROSE])
    assert verdicts == {1: "SHP001"}
    verdicts, _ = run([icons, PROSE, PROSE], ignore=("SHP001",))
    assert verdicts == {1: "BDY001"}
    verdicts, _ = run([icons, PROSE, PROSE], ignore=("SHP", "BDY"))
    assert verdicts == {}


def test_drop_block_removes_the_rest_of_the_block():
    lines = [
        Line(1, PROSE, 0),
        Line(2, PROSE, 0),
        Line(4, "Get our app", 1),
        Line(5, "Offline reading and breaking news alerts on your phone", 1),
        Line(7, PROSE, 2),
    ]
    promo = RuleHit("PRO002", "app promo", "drop-block")
    verdicts, _ = decide(lines, score_lines(lines, "en"), {4: promo}, CodeFilter().enabled)
    assert {n: v.rule for n, v in verdicts.items()} == {4: "PRO002", 5: "BLK001"}
