"""Learning site debris: normalisation, the learned pack, the prose guard and the site corpus.

`fixtures/sites/<site>/` holds invented pages of three invented sites (two English, one
German). Each site's `debris.list` names its recurring debris lines, which no built-in rule
knows; every other line of its pages is article text or metadata. Some article lines recur
legitimately: a live blog's repeated quote, its "What we know so far" heading, its timestamps.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaner.commands.learn import (
    LearnError,
    code_number,
    learn_batch,
    learned_code,
    line_key,
    line_pattern,
    pack_rules,
    site_rules,
    url_host,
    walk,
)
from cleaner.model import SourceDocument
from cleaner.pipeline.cleaner import Cleaner
from cleaner.rules.loader import load_pack, load_rules
from cleaner.run.spec import Cleaners, CleanerSpec
from helpers import FIXTURES, cli, records

SITES = FIXTURES / "sites"
SITE_DIRS = sorted(path for path in SITES.iterdir() if path.is_dir())
LIVE_QUOTE = "We will keep the picket lines going"
LIVE_HEADING = "What we know so far"


def debris_of(site: Path) -> set[str]:
    lines = (site / "debris.list").read_text(encoding="utf-8").splitlines()
    return {line for line in lines if line and not line.startswith("#")}


def page_lines(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [" ".join(line.split()) for line in lines if line.strip()]


@pytest.fixture(scope="module")
def learning():
    cleaner = Cleaner()
    return cleaner, learn_batch([str(SITES)], "auto", cleaner)


@pytest.fixture(scope="module")
def cleaned(learning) -> dict[Path, tuple[dict, dict]]:
    """Every site page cleaned without and with its site's learned rules."""
    cleaner, learned = learning
    site_cleaners = Cleaners(
        CleanerSpec(tuple(cleaner.rules), site_rules=site_rules(learned), site_of=learned.sites)
    )
    return {
        SITES / sourced.document.path: (
            cleaner.clean(sourced.document),
            site_cleaners.for_document(sourced.document).clean(sourced.document),
        )
        for sourced in walk([str(SITES)], "auto")
    }


def test_lines_differing_in_case_digits_dates_and_decoration_share_a_key():
    assert line_key("» Today's tide: 06:42  |") == line_key("TODAY'S TIDE: 19:05")
    assert line_key("Updated 4 March 2024") == line_key("updated 12 Oct 2023")
    assert line_key("Wetter am Montag: 7 Grad") == line_key("Wetter am Freitag: 12 Grad")
    assert line_key("Page 2 of 9") != line_key("Page 2 of 9 comments")


def test_a_pattern_matches_the_variants_of_its_line():
    pattern = line_pattern("Edition 1,482 · printed on 4 March 2024")
    assert pattern == {"regex": r"Edition \d+,\d+ · printed on \d+ [^\W\d_]+ \d+"}
    assert line_pattern("Harbour Times (est. 1887)") == {"regex": r"Harbour Times \(est\. \d+\)"}
    assert line_pattern("Leserbrief an die Redaktion") == {"literal": "Leserbrief an die Redaktion"}


def test_learned_codes_fit_the_code_format_and_read_back():
    for number in (1, 999, 1000, 26_999):
        code = learned_code(number)
        assert code.startswith("LRN") and code_number(code) == number
    assert learned_code(1000) == "LRNA000"
    assert code_number("NAV001") == 0
    with pytest.raises(LearnError, match="raise --min-docs"):
        learned_code(27_000)


def test_url_host():
    assert url_host("https://www.HarbourTimes.example:8080/news/a?b=1") == "harbourtimes.example"
    assert url_host("not a url") is None
    assert url_host(None) is None


def test_corpus_has_three_sites_of_ten_pages_with_debris_no_rule_knows(cleaned):
    assert len(SITE_DIRS) >= 3
    rules = load_rules()
    for site in SITE_DIRS:
        pages = sorted(site.glob("*.txt"))
        assert len(pages) >= 10
        debris = debris_of(site)
        known = [line for line in debris if any(rule.matches(line) for rule in rules)]
        assert not known, f"{site.name}: built-in rules already know {known}"
        on_pages = {line for page in pages for line in page_lines(page)}
        assert debris <= on_pages, f"{site.name}: debris.list names lines no page has"
    assert len({learned["language"] for _, learned in cleaned.values()}) >= 2


def test_sites_are_grouped_by_url_host_else_by_folder(learning):
    _, learned = learning
    assert set(learned.sites.values()) == {
        "harbourtimes.example",  # its pages start with their URL
        (SITES / "morning-ledger").as_posix(),
        (SITES / "talbote").as_posix(),
    }


@pytest.mark.parametrize("site", SITE_DIRS, ids=lambda path: path.name)
def test_learn_removes_the_site_debris_and_no_article_line(cleaned, site):
    debris = debris_of(site)
    debris_seen = debris_learned = 0
    for path in sorted(site.glob("*.txt")):
        plain, learned = cleaned[path]
        rule_of = {entry["text"]: entry["rule"] for entry in learned["removed"]}
        kept_plain = set(plain["text"].split("\n\n"))
        kept_learned = set(learned["text"].split("\n\n"))
        for line in page_lines(path):
            if line in debris:
                debris_seen += 1
                debris_learned += rule_of.get(line, "").startswith("LRN")
            elif line in kept_plain:  # article text: kept without learning, so kept with it
                assert line in kept_learned, f"{path.name}: learning removed {line!r}"
        assert learned["author"] == plain["author"], "bylines are never learned"
        assert learned["date"] == plain["date"], "datelines are never learned"
    assert debris_seen >= 50
    assert debris_learned / debris_seen >= 0.95


def test_recurring_live_blog_lines_survive_through_the_prose_guard(learning, cleaned):
    live = [path for path in cleaned if LIVE_QUOTE in path.read_text(encoding="utf-8")]
    assert len(live) >= 3
    for path in live:
        text = cleaned[path][1]["text"]
        assert LIVE_QUOTE in text
        assert (LIVE_HEADING in text) == (LIVE_HEADING in path.read_text(encoding="utf-8"))
    # The quote recurs on too few of the site's pages to be template, so its rule is guarded;
    # the same pack without the guard would remove it.
    cleaner, learned = learning
    quote_rules = [r for r in learned.rules if any("we will keep" in key for key in r.keys)]
    assert quote_rules and all(rule.guarded for rule in quote_rules)
    pack = learned.pack()
    for entry in pack["rules"]:
        entry.pop("guard", None)
    unguarded = Cleaner(rules=[*cleaner.rules, *pack_rules(pack)])
    page = live[0]
    record = unguarded.clean(SourceDocument(page.name, page.read_bytes(), "text"))
    assert LIVE_QUOTE not in record["text"]


def test_the_pack_written_is_one_the_loader_accepts(learning, tmp_path):
    _, learned = learning
    target = tmp_path / "learned.yaml"
    target.write_text(learned.pack_yaml(), encoding="utf-8")
    rules = load_pack(target)
    assert [rule.code for rule in rules] == [learned_code(n) for n in range(1, len(rules) + 1)]
    for rule in rules:
        assert rule.category == "learned"
        assert all(rule.matches(example) for example in rule.examples_match), rule.code
        assert " documents" in rule.description and " on " in rule.description
    assert {rule.guard for rule in rules} == {None, "prose"}
    assert load_rules([target])  # beside the built-in packs: no clashing codes


STORIES = [
    ("ferry", "The council said on Monday that the new ferry would enter service in the spring, "
     "after a long consultation with islanders, hauliers and the owners of the harbour shops."),
    ("lifeboat", "Volunteers at the lifeboat station raised enough money over the winter to "
     "replace the old launching tractor, which had broken down twice during rescues last year."),
    ("market", "Traders at the fish market reported their busiest week since the autumn, as "
     "calm weather allowed the whole inshore fleet to stay at sea for five days in a row."),
    ("school", "Parents at the village school have asked the county to keep the small "
     "classes it promised, after hearing that two teachers would not be replaced in September."),
]  # fmt: skip


@pytest.fixture(scope="module")
def small_site(tmp_path_factory) -> Path:
    """Four pages of one host in two folders, with a masthead no built-in rule knows."""
    root = tmp_path_factory.mktemp("site")
    for (topic, story), folder in zip(STORIES, ["a", "a", "b", "b"], strict=True):
        (root / folder).mkdir(exist_ok=True)
        lines = [
            f"https://news.example/{topic}",
            "Quayside Gazette — the voice of the bay",
            f"News about the {topic}",
            story,
            story.replace("the", "this", 1),
            "Back to top",
        ]
        (root / folder / f"{topic}.txt").write_text("\n\n".join(lines), encoding="utf-8")
    return root


def test_one_host_in_two_folders_is_one_site_and_known_debris_is_not_relearned(small_site):
    cleaner = Cleaner()
    learned = learn_batch([str(small_site)], "auto", cleaner, min_docs=3)
    assert set(learned.sites.values()) == {"news.example"}
    keys = [key for rule in learned.rules for key in rule.keys]
    assert line_key("Quayside Gazette — the voice of the bay") in keys
    assert line_key("Back to top") not in keys  # a built-in rule removes it already
    assert learn_batch([str(small_site / "a")], "auto", cleaner, min_docs=3).rules == []


def test_the_same_page_twice_counts_once(small_site, tmp_path):
    for copy in range(3):
        (tmp_path / f"copy{copy}.txt").write_bytes((small_site / "a" / "ferry.txt").read_bytes())
    learned = learn_batch([str(tmp_path)], "auto", Cleaner(), min_docs=2)
    assert learned.rules == []
    assert learned.learner.documents == 1


def test_clean_learn_equals_learn_then_clean_with_the_pack(small_site, tmp_path):
    pack = tmp_path / "learned.yaml"
    learned = cli("learn", str(small_site), "-o", str(pack))
    assert learned.exit_code == 0, learned.stderr
    assert learned.stdout == ""
    assert "from 4 documents of 1 site -> " in learned.stderr
    assert load_pack(pack)
    with_pack = cli("clean", "--rules", str(pack), str(small_site))
    on_the_fly = cli("clean", "--learn", str(small_site))
    assert on_the_fly.exit_code == with_pack.exit_code == 0

    def unfingerprinted(stdout: bytes) -> list[dict]:
        # The settings differ: one site's rules per site, or one pack for every page.
        return [{**record, "settings": None} for record in records(stdout)]

    assert unfingerprinted(on_the_fly.stdout_bytes) == unfingerprinted(with_pack.stdout_bytes)
    removed = [entry for record in records(on_the_fly.stdout_bytes) for entry in record["removed"]]
    assert {entry["text"] for entry in removed if entry["rule"].startswith("LRN")} >= {
        "Quayside Gazette — the voice of the bay"
    }


def test_nothing_recurring_writes_no_pack_and_exits_1(small_site, tmp_path):
    target = tmp_path / "learned.yaml"
    result = cli("learn", str(small_site / "a"), "-o", str(target))
    assert result.exit_code == 1
    assert "no pack written" in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["learn", "-"], "not '-' (stdin)"),
        (["clean", "--learn", "-"], "cannot read '-' (stdin)"),
    ],
)
def test_learning_from_stdin_is_a_usage_error(args, message):
    result = cli(*args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
