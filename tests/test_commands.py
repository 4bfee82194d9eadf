"""Ctrl-C, `--resume` and the settings fingerprint, `rule CODE` for every listed code, rule packs
checked against their examples, `learn`'s sites and filter mode's deck."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import langdetect.detector_factory
import pytest

from cleaner.commands.explain import explain
from cleaner.pipeline.language import language_profiles
from cleaner.rules.loader import load_rules
from cleaner.run.interrupt import Interrupted, install, raise_if_interrupted
from helpers import ARTICLE, FIXTURES, ROOT, SEEDS, records, run
from helpers import command as clean_news


def interrupt(command: str, args: list[str], delay: float, corpus: Path) -> tuple[int, str]:
    process = subprocess.Popen(
        [*clean_news(), command, *args, str(corpus)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    time.sleep(delay)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    return process.returncode, stderr.decode()


@pytest.mark.parametrize("delay", [0.3, 0.8, 1.5, 2.5])
@pytest.mark.parametrize("command", ["clean", "check"])
def test_ctrl_c_at_any_moment_exits_130_with_one_line(tmp_path, delay, command):
    """Whether it lands while the modules load, while the language profiles load, or while
    documents are cleaned, Ctrl-C ends the run with status 130 and one line on stderr. (On a
    busy machine the signal can land while Python itself starts, before any of clean-news
    runs, or in pip's launcher script: then it is sent again a little later.)"""
    args = ["-q", "-j", "1", "-o", str(tmp_path / "out.jsonl")] if command == "clean" else []
    # Enough documents that the run is still cleaning when the last signal lands.
    corpus = tmp_path / "corpus"
    for copy in range(40):
        shutil.copytree(FIXTURES / "text", corpus / f"copy{copy}")
    for attempt in range(4):
        status, stderr = interrupt(command, args, delay + attempt * 0.2, corpus)
        before_clean_news = "init_import_site" in stderr or (
            "Traceback" in stderr and "cleaner" not in stderr
        )
        if not before_clean_news:
            break
    assert status == 130, stderr
    # Documents that failed before the signal landed keep their own `path: problem` line.
    *document_errors, last = stderr.splitlines()
    assert last.startswith("clean-news: interrupted"), stderr
    assert "Traceback" not in stderr
    assert all(re.match(r"\S[^:]*\.\w+: \S", line) for line in document_errors), stderr


def test_ctrl_c_dropped_by_a_finalizer_is_raised_at_the_next_document(monkeypatch):
    """Python prints and drops an exception raised inside `__del__`; the first Ctrl-C landing
    there must still end the run, not leave it going on with status 0."""

    class Finalized:
        def __del__(self) -> None:
            raise Interrupted

    monkeypatch.setattr(sys, "unraisablehook", sys.unraisablehook)
    previous = signal.getsignal(signal.SIGINT)
    try:
        install()
        Finalized()  # collected at once, its exception handed to the unraisable hook
        with pytest.raises(Interrupted):
            raise_if_interrupted()
        raise_if_interrupted()  # raised once, not again at every later document
    finally:
        signal.signal(signal.SIGINT, previous)


def test_resume_refuses_records_written_with_other_settings(tmp_path):
    target = tmp_path / "out.jsonl"
    first = run("-q", "-o", str(target), str(SEEDS))
    assert first.returncode == 0, first.stderr
    written = records(target.read_bytes())
    assert len({r["settings"] for r in written}) == 1 and written[0]["settings"]
    before = target.read_bytes()
    target.write_bytes(before + b'{"cut short')  # a crash mid-record
    other = run("-q", "-o", str(target), "--resume", "--ignore", "NAV", str(SEEDS))
    assert other.returncode == 2
    stderr = other.stderr.decode()
    assert len(stderr.splitlines()) == 1
    assert f"{target} was written with other settings" in stderr
    assert target.read_bytes() == before + b'{"cut short'  # refused before any change
    same = run("-q", "-o", str(target), "--resume", str(SEEDS))
    assert same.returncode == 0, same.stderr
    assert target.read_bytes() == before


def test_the_fingerprint_follows_the_rules_not_the_path_they_were_loaded_from(tmp_path):
    pack = (
        "category: site\nrules:\n  - code: STE001\n    description: Site promo.\n"
        "    patterns: [{literal: 'Free access for everyone'}]\n"
        "    examples: {match: ['Free access for everyone']}\n"
    )
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "site.yaml").write_text(pack, encoding="utf-8")

    def fingerprint(*args: str) -> str:
        (record, *_) = records(run("-q", *args, str(SEEDS)).stdout)
        return record["settings"]

    plain = fingerprint()
    assert fingerprint("--rules", str(tmp_path / "a")) == fingerprint(
        "--rules", str(tmp_path / "b")
    )
    assert fingerprint("--rules", str(tmp_path / "a")) != plain
    assert fingerprint("--select", "NAV") != plain
    assert fingerprint("--input-format", "text") != plain


def listed_codes() -> list[str]:
    result = run("rules")
    assert result.returncode == 0
    return re.findall(r"^│ ([A-Z]{2,4}\d{3}) ", result.stdout.decode(), re.M)


def test_rule_explains_every_code_that_rules_lists():
    codes = listed_codes()
    assert {"NAV001", "NAV016", "ICO007", "BDY001", "MET001", "SHP001"} <= set(codes)
    rules = load_rules()
    for code in codes:  # what `rule CODE` prints, without a process per code
        assert (explain(code, rules) or "").startswith(f"{code}: "), code
    for code in ("NAV001", "ICO007", "BDY002", "MET002"):  # a pattern, selector, heuristic
        result = run("rule", code.lower())  # and metadata code, as a user types them
        assert result.returncode == 0, result.stderr
        assert result.stdout.decode() == explain(code, rules) + "\n"
    selector = explain("ICO007", rules)
    assert "selectors (CSS" in selector and "\n  svg\n" in selector


def test_a_pack_is_checked_against_its_own_examples_on_load(tmp_path):
    (tmp_path / "site.yaml").write_text(
        "category: site\nrules:\n  - code: STE001\n    description: Site promo.\n"
        "    patterns: [{literal: 'Free access'}]\n"
        "    examples: {match: ['Free access for everyone'], no-match: ['free access']}\n",
        encoding="utf-8",
    )
    result = run("--rules", str(tmp_path), str(SEEDS))
    assert result.returncode == 2
    assert result.stderr.decode() == (
        f"clean-news: error: {tmp_path / 'site.yaml'}: rule STE001: examples.match "
        "'Free access for everyone' is not matched\n"
    )
    tested = run("rules", "--test", str(tmp_path))
    assert tested.returncode == 1
    assert tested.stdout.decode().splitlines() == [
        f"{tmp_path / 'site.yaml'}: rule STE001: examples.match 'Free access for everyone' is "
        "not matched",
        f"{tmp_path / 'site.yaml'}: rule STE001: examples.no-match 'free access' is matched",
        "2 examples wrong (2 examples of 1 rule in 1 pack)",
    ]


def test_rules_test_passes_on_the_built_in_packs():
    result = run("rules", "--test", str(ROOT / "rules"))
    assert result.returncode == 0, result.stdout
    packs = len(list((ROOT / "rules").glob("*.yaml")))
    assert re.fullmatch(
        rf"All \d+ examples of \d+ rules in {packs} packs right\.\n", result.stdout.decode()
    )


def test_an_empty_rules_folder_is_an_error(tmp_path):
    result = run("--rules", str(tmp_path), str(SEEDS))
    assert result.returncode == 2
    assert result.stderr.decode() == (
        f"clean-news: error: {tmp_path}: no rule packs (*.yaml, *.yml) in this folder\n"
    )


PAGE = """<html><head><title>{title} | The Harbour Times</title>
<meta property="og:site_name" content="The Harbour Times"></head><body><article>
<h1>{title}</h1><p>Harbour Times weekly edition</p>
<p>{body}</p>
<p>Our harbour desk answers readers' questions every Friday</p></article></body></html>
"""


def test_learn_groups_pages_by_site_name_when_they_name_no_url(tmp_path):
    """Three pages of one site in three folders, no URL: the site name groups them (before,
    each folder was a site of one page, and nothing recurred)."""
    for number, folder in enumerate(["a", "b", "c"]):
        (tmp_path / folder).mkdir()
        body = [
            "The ferry pier was rebuilt this spring by the council, which paid for the new "
            "deck and the lights, and the harbour master said it would open before the summer.",
            "Fishing boats will moor at the north quay again from Monday, the port authority "
            "said, after divers found the old chains had worn through in the winter storms.",
            "The island's lifeboat crew took delivery of a faster boat on Saturday, paid for by "
            "a bequest from a retired captain who had served on the crew for forty years.",
        ][number]
        (tmp_path / folder / "page.html").write_text(
            PAGE.format(title=f"Pier {number + 2} reopens after repairs", body=body),
            encoding="utf-8",
        )
    result = run("learn", "--min-docs", "3", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "Our harbour desk answers readers' questions every Friday" in result.stdout.decode()
    assert result.stderr.decode().endswith("from 3 documents of 1 site\n")


def test_learn_says_when_it_groups_by_folder(tmp_path):
    for number in range(3):
        (tmp_path / f"{number}.txt").write_text(
            "Weekly edition of the island paper\n\n" + ARTICLE.replace("four", str(number + 5)),
            encoding="utf-8",
        )
    result = run("learn", str(tmp_path))
    assert (
        "clean-news: 3 documents named no URL or site name; grouped by the folder they are in"
        in result.stderr.decode()
    )


def test_filter_mode_keeps_the_deck():
    """The headline and deck move to their fields and the button goes, so the text output shows
    each once: headline, deck, then the body."""
    deck = "The island link is back after six weeks of repairs."
    body = (
        "The harbour ferry carried its first passengers on Monday morning after the long "
        "repairs to its engines and hull, the operator said in a statement."
    )
    page = (
        "<html><head><title>Ferry returns</title></head><body><article><h1>Ferry returns</h1>"
        f'<p class="standfirst">{deck}</p><p>{body}</p>'
        "<p>Back to top</p></article></body></html>"
    ).encode()
    (record,) = records(run("-", stdin=page).stdout)
    assert (record["title"], record["subtitle"], record["text"]) == ("Ferry returns", deck, body)
    text = run("--format", "txt", "-", stdin=page).stdout.decode()
    assert text == f"Ferry returns\n\n{deck}\n\n{body}\n"


def test_a_narrow_selection_does_not_make_debris_the_headline():
    """With `--select NAV,REL` the icon rules are off, and the header reader took seed 001's
    first long line, a run of SVG icon names, for the headline. Rules that are not selected
    still tell it what is debris; they remove nothing."""
    seed = str(next(SEEDS.glob("001_*.txt")))
    (full,) = records(run("-q", seed).stdout)
    (narrow,) = records(run("-q", "--select", "NAV,REL", seed).stdout)
    assert (
        narrow["title"]
        == full["title"]
        == ("Xi tells Kim Jong Un he will work for peace on peninsula")
    )
    assert narrow["text"].startswith("ArrowArtboardCreated with Sketch.")  # kept, not selected
    assert not any(entry["rule"].startswith("ICO") for entry in narrow["removed"])


def test_ctrl_c_while_the_language_profiles_load_is_not_a_profile_error(monkeypatch):
    """langdetect's loader turns any exception into a "profile format error": Ctrl-C that
    lands inside it must still end the run as Ctrl-C, once the profiles are loaded."""

    class Stop(BaseException):
        pass

    def stop(signum: int, frame: object) -> None:
        raise Stop

    sent = []

    class JsonSendingCtrlC:
        @staticmethod
        def load(stream):
            if not sent:
                sent.append(True)
                os.kill(os.getpid(), signal.SIGINT)  # lands inside the loader's `try`
            return json.load(stream)

    monkeypatch.setattr(langdetect.detector_factory, "json", JsonSendingCtrlC)
    previous = signal.signal(signal.SIGINT, stop)
    try:
        with pytest.raises(Stop):
            language_profiles.__wrapped__()
    finally:
        signal.signal(signal.SIGINT, previous)
    assert sent
