"""The decision stage on hand-built lines: the body region, end markers and code fall-through."""

from __future__ import annotations

import dataclasses

from cleaner.model import Line, RuleHit
from cleaner.pipeline.decide import best_region, decide
from cleaner.pipeline.heuristics import WEIGHTS, score_lines
from cleaner.rules.loader import CodeFilter

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


def run_with(texts: list[str], hits: dict[int, RuleHit] | None = None, **weights):
    """Like `run`, with some weights set, so that a mechanism is tested whatever the fit chose."""
    lines = [Line(number, text, number) for number, text in enumerate(texts, start=1)]
    chosen = dataclasses.replace(WEIGHTS, **weights)
    verdicts, region = decide(
        lines, score_lines(lines, "en"), hits or {}, CodeFilter().enabled, weights=chosen
    )
    return {number: verdict.rule for number, verdict in verdicts.items()}, region


MENU = ["Home", "World"]
FOOTER = ["Contact", "Jobs"]


def around_the_body(body_lines: int) -> dict[int, str]:
    """The verdicts on MENU + a body of this many lines + FOOTER when only the body stays."""
    after = range(len(MENU) + body_lines + 1, len(MENU) + body_lines + len(FOOTER) + 1)
    return {**dict.fromkeys(range(1, len(MENU) + 1), "BDY001"), **dict.fromkeys(after, "BDY002")}


COMMENTS = [
    "greenfinch62 said...",
    "Good news, but volunteers should not have to do a job the council is paid to do.",
    "March 4, 2024 at 6:12 PM",
    "Moorland_Pete wrote:",
    "Well done to everyone involved, the reading hour for children alone is worth it.",
    "March 5, 2024 at 8:40 AM",
]


def test_a_run_of_comment_lines_ends_the_body():
    texts = [PROSE, PROSE, PROSE, *COMMENTS]
    verdicts, _ = run_with(texts, comment_run=3)
    assert verdicts == {number: "BDY006" for number in range(4, 10)}
    # Off (a run longer than the window), the comments' paragraphs join the body.
    verdicts, _ = run_with(texts, comment_run=99)
    assert "BDY006" not in verdicts.values()
    assert 5 not in verdicts


def test_times_alone_are_no_comment_section():
    """A live blog's entries carry times; without a commenter's line they end nothing: only
    the page's menu and footer go."""
    entries = [PROSE, "10:45 AM", PROSE, "11:02 AM", PROSE, "11:30 AM", PROSE]
    verdicts, _ = run_with([*MENU, *entries, *FOOTER], comment_run=2)
    assert verdicts == around_the_body(len(entries))


def test_a_comment_heading_does_not_resume_on_the_comments():
    heading = RuleHit("CMT001", "comment heading", "drop-rest")
    texts = [PROSE, PROSE, "Top Rated Comments", *COMMENTS, PROSE, PROSE]
    verdicts, _ = run_with(texts, {3: heading}, comment_run=3)
    assert verdicts[3] == "CMT001"
    assert all(verdicts.get(number) for number in range(4, len(texts) + 1))


LIST = [
    "Monday: lentil soup with a wholegrain roll",
    "Tuesday: chickpea salad with cucumber and mint",
    "Wednesday: leftover curry with brown rice",
    "Thursday: hummus wrap with roasted peppers",
    "Friday: pasta salad with olives and basil",
    "500g red lentils",
    "2 tins of chickpeas",
    "a jar of roasted peppers",
]
LINKS = [
    "Ten Minute Breakfasts To Try",
    "Best Running Shoes For Beginners",
    "How To Sleep Better In Summer",
    "Our Guide To Cheap Family Days Out",
    "Five Easy Stretches For Office Workers",
    "The Week In Pictures",
    "Reader Offers And Competitions",
    "Win A Weekend Break For Two",
]


def test_a_list_between_paragraphs_costs_once_and_stays():
    intro = "Here is the plan that our readers asked for, with food that keeps well."
    body = [intro, *LIST, PROSE, PROSE]
    verdicts, _ = run_with([*MENU, *body, *FOOTER], item=-2.0, furniture=-5.0)
    assert verdicts == around_the_body(len(body))


def test_a_list_of_links_in_title_case_is_not_kept():
    verdicts, _ = run_with([PROSE, PROSE, *LINKS, PROSE], item=-2.0, furniture=-5.0)
    assert set(verdicts) == set(range(3, len(LINKS) + 4))
