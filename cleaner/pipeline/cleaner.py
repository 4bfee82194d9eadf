"""The pipeline: decode -> extract (HTML only) -> segment -> rules -> heuristics -> decide ->
metadata -> record. Each stage is a function in its own module; this one only wires them."""

from __future__ import annotations

import gc
from collections.abc import Callable, Sequence
from pathlib import Path

from cleaner.model import Article, Line, PageMetadata, RuleHit, SourceDocument, Verdict
from cleaner.pipeline import metadata
from cleaner.pipeline.decide import Region, decide
from cleaner.pipeline.decode import DecodeError, decode_bytes, normalise_text
from cleaner.pipeline.extract import extract_html
from cleaner.pipeline.guard import spare_guarded_prose
from cleaner.pipeline.heuristics import WEIGHTS, LineFeatures, LineWeights, score_lines
from cleaner.pipeline.language import detect_language, language_profiles
from cleaner.pipeline.record import build_record, error_record
from cleaner.pipeline.segment import segment
from cleaner.rules.loader import CodeFilter, Rule, RuleMatcher, load_rules

# Rounds of the line stages before giving up on a fixed point; real pages need two or three.
MAX_ROUNDS = 8
INTERNAL_ERROR = "internal error"
NO_ARTICLE = "no article text found (empty document, or a page that is not an article)"


def decide_until_fixed(
    lines: Sequence[Line],
    all_hits: dict[int, RuleHit],
    features_by_line: dict[int, LineFeatures],
    enabled: Callable[[str], bool],
    extracted: bool,
    weights: LineWeights = WEIGHTS,
) -> tuple[dict[int, Verdict], Region]:
    """The verdicts of the decision stage, run again on what it kept until a round removes
    nothing (so that cleaning the output again changes nothing), and the first round's body,
    above which metadata reads the header. `bench/fit_text.py` fits the weights through this."""
    verdicts: dict[int, Verdict] = {}
    current = list(lines)
    first_region: Region | None = None
    for _ in range(MAX_ROUNDS):
        hits = {line.number: all_hits[line.number] for line in current if line.number in all_hits}
        features = [features_by_line[line.number] for line in current]
        hits = spare_guarded_prose(current, features, hits, weights)
        removed, region = decide(current, features, hits, enabled, extracted, weights)
        if first_region is None:
            first_region = region
        if not removed:
            break
        verdicts.update(removed)
        current = [line for line in current if line.number not in removed]
    assert first_region is not None
    return verdicts, first_region


class Cleaner:
    """Holds the loaded rules and the select/ignore filter; cleans one document at a time."""

    def __init__(
        self,
        rules: Sequence[Rule] | None = None,
        code_filter: CodeFilter | None = None,
        extra_rule_dirs: Sequence[Path] = (),
    ) -> None:
        self.code_filter = code_filter or CodeFilter()
        loaded = list(rules) if rules is not None else load_rules(extra_rule_dirs)
        self.rules = [rule for rule in loaded if self.code_filter.enabled(rule.code)]
        self.matcher = RuleMatcher(self.rules)  # built once: it indexes every pattern
        # The rules turned off by the selection still tell the metadata stage what is debris:
        # the selection decides what is removed, not what the cleaner knows, so that with
        # `--select NAV,REL` a run of icon names is not taken for the headline.
        deselected = [rule for rule in loaded if not self.code_filter.enabled(rule.code)]
        self.known_debris = RuleMatcher(deselected) if deselected else None
        # langdetect's profiles and the rule packs are a great many objects that live as long
        # as the process; the cyclic garbage collector re-scanned them all in every full
        # collection. Frozen, it no longer does.
        language_profiles()
        gc.freeze()

    def clean_text(
        self, text: str, page: PageMetadata | None = None, extracted: bool = False
    ) -> Article:
        """Clean already-decoded text: a scraper's dump, or (`extracted`) the main content that
        the extract stage found in an HTML page.

        The line stages run again on what they kept until a round removes nothing, so that the
        cleaned text is a fixed point: cleaning it again changes nothing.
        """
        article, first_region = self._line_stages(text, extracted)
        known: dict[int, Verdict] = {}
        if self.known_debris is not None:
            known = {
                number: Verdict(hit.rule, hit.reason)
                for number, hit in self.known_debris.apply(
                    article.lines, article.language.code
                ).items()
                if number not in article.verdicts
            }
        article.verdicts.update(known)
        metadata.annotate(
            article, first_region, page or PageMetadata(), self.code_filter.enabled, extracted
        )
        for number, verdict in known.items():  # known, not removed: the line stays
            if article.verdicts.get(number) is verdict:
                del article.verdicts[number]
        return article

    def _line_stages(self, text: str, extracted: bool) -> tuple[Article, Region]:
        """The lines and their verdicts from the rules, heuristics and decision (no metadata),
        and the body region of the first round."""
        lines = segment(normalise_text(text))
        # The language, rule hits and features of a line do not change between rounds: they
        # are found once, on the whole document.
        language = detect_language(lines)
        all_hits = self.matcher.apply(lines, language.code)
        features_by_line = dict(
            zip((line.number for line in lines), score_lines(lines, language.code), strict=True)
        )
        verdicts, first_region = decide_until_fixed(
            lines, all_hits, features_by_line, self.code_filter.enabled, extracted
        )
        return Article(lines=lines, verdicts=verdicts, language=language), first_region

    def text_mode_keeps(self, blocks: Sequence[str]) -> list[bool]:
        """The text-mode decision over a page's blocks, as if they were a scraper's text dump
        (one block per paragraph): which of them it keeps. One opinion of the HTML mode; the
        metadata stage, which only moves header lines into fields, is left out."""
        article, _ = self._line_stages("\n\n".join(blocks), extracted=False)
        return [2 * index + 1 not in article.verdicts for index in range(len(blocks))]

    def article(self, source: SourceDocument) -> Article:
        """Decode (and for HTML prune and extract) one input document and clean it; DecodeError
        if it cannot be decoded."""
        text = decode_bytes(source.data, html=source.input_format == "html")
        if source.input_format != "html":
            return self.clean_text(text)
        extraction = extract_html(text, self.rules, self.text_mode_keeps, self.code_filter.enabled)
        article = self.clean_text(extraction.text, extraction.page, extracted=True)
        article.pruned = extraction.pruned
        article.empty_reason = extraction.empty_reason
        return article

    def clean(self, source: SourceDocument) -> dict:
        """One input document to one record; failures become a record with `error` set, so
        nothing a document contains can stop a batch."""
        try:
            article = self.article(source)
            record = build_record(source, article)
        except DecodeError as exc:
            return error_record(source, str(exc))
        except Exception as exc:  # a bug on one odd document must not lose the rest
            return error_record(source, f"{INTERNAL_ERROR}: {type(exc).__name__}: {exc}")
        if not record["text"]:
            record["error"] = article.empty_reason or NO_ARTICLE
            record["date"] = None  # a listing page's date is not an article's publication date
        return record
