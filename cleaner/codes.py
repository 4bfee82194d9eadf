"""The one registry of code prefixes: what each family of removal codes is and where it comes from.

Every code the cleaner gives a line (`NAV001`, `BDY002`, `MET004`...) starts with the prefix of
one family here. The rule loader, `clean-news rule`, `clean-news rules`, `check`, `learn` and the
report all read this table, so a new family is one entry here (plus, for a rule pack, its YAML
file, which declares the same prefix and category).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

# What makes a family's codes: a YAML pack of patterns or selectors, or a stage of the pipeline.
RULE_PACK = "rule pack"
HEURISTIC = "heuristic"
METADATA = "metadata"
EXTRACTION = "extraction"
LEARNED = "learned"
KINDS = (RULE_PACK, HEURISTIC, METADATA, EXTRACTION, LEARNED)
RULE_PACK_KINDS = (RULE_PACK, LEARNED)  # the kinds whose codes YAML packs give


@dataclass(frozen=True)
class Family:
    """One code prefix: its category name, kind, report colour, summary and rationale."""

    prefix: str
    category: str
    kind: str
    colour: str
    summary: str
    rationale: str = (
        "Each rule's patterns (or CSS selectors) and its examples are in its YAML pack: "
        "`clean-news rule CODE` shows them."
    )
    # The codes a pipeline stage gives (a rule pack's codes are in its YAML file instead).
    codes: Mapping[str, str] = field(default_factory=dict)


_FAMILIES = (
    Family(
        "NAV",
        "navigation",
        RULE_PACK,
        "#4e79a7",
        "Site menus, skip links, back-to-top buttons, breadcrumbs, pagination and article tools.",
    ),
    Family(
        "SOC",
        "social",
        RULE_PACK,
        "#76b7b2",
        "Share bars, follow prompts, share counters and lines of social network names.",
    ),
    Family(
        "PRO",
        "promotion",
        RULE_PACK,
        "#f28e2b",
        "App promos, newsletter boxes, subscription walls and advertisement labels.",
    ),
    Family(
        "SPO",
        "sponsored",
        RULE_PACK,
        "#e15759",
        "Sponsored and partner content labels and the recommendation widgets after articles.",
    ),
    Family(
        "ICO",
        "icons",
        RULE_PACK,
        "#b07aa1",
        "SVG titles, icon-font names and vector-editor leftovers that scrapers glue into lines "
        "of text.",
    ),
    Family(
        "LEG",
        "legal",
        RULE_PACK,
        "#9c755f",
        "Copyright notices, cookie and consent banners, and legal or corporate footer links.",
    ),
    Family(
        "REL",
        "related",
        RULE_PACK,
        "#ff9da7",
        "Headings of related, recommended and comment sections; the article ends there.",
    ),
    Family(
        "CAP",
        "captions",
        RULE_PACK,
        "#edc948",
        "Photo captions, picture credits and gallery controls.",
    ),
    Family(
        "CMT",
        "comments",
        RULE_PACK,
        "#86bcb6",
        "Reader comment sections under an article; their headings end the article.",
    ),
    Family(
        "BDY",
        "outside the body",
        HEURISTIC,
        "#9aa5b1",
        "lines outside the article body",
        "The article body is the contiguous run of lines with the highest total score: prose "
        "scores its length, furniture and debris score against it, and an end-of-article marker "
        "cuts the body short; so does a comment section, a run of short lines naming commenters, "
        "times and votes. Lines outside the body are removed with a BDY code.",
        {
            "BDY001": "before the article body",
            "BDY002": "after the article body",
            "BDY003": "after an end-of-article marker",
            "BDY004": "inside a related-content box within the article",
            "BDY005": "too little text for an article (a listing or an empty page)",
            "BDY006": "in or after a comment section "
            "(a run of commenter, timestamp and vote lines)",
        },
    ),
    Family(
        "BLK",
        "same block as a rule hit",
        HEURISTIC,
        "#8cd17d",
        "the rest of a block a drop-block rule hit",
        "A drop-block rule removed a line of this block (lines not separated by a blank "
        "line), so the rest of the block goes with it.",
        {"BLK001": "in the same block as a line a rule removed"},
    ),
    Family(
        "SHP",
        "line shape",
        HEURISTIC,
        "#499894",
        "lines whose shape gives them away",
        "Words glued at three or more lower-to-upper case changes (IconFacebookIconTwitter) "
        "are icon or widget names that a scraper ran together.",
        {"SHP001": "glued camel-case words: icon or widget names"},
    ),
    Family(
        "EXT",
        "left out by the extractors",
        EXTRACTION,
        "#b07aa1",
        "page blocks outside the extracted main content",
        "In HTML mode trafilatura, readability and the text-mode decision each say which "
        "blocks of the page (runs of text between block-level elements) are the article; "
        "a logistic score fitted on labelled pages (cleaner/pipeline/html_weights.json) weighs "
        "their votes, the neighbouring blocks' votes and the block's share of link text. A "
        "block it leaves out is removed with EXT001 when it lies before or after the kept blocks, "
        "EXT002 when it lies between them. Ignoring a code keeps the blocks it would remove.",
        {
            "EXT001": "outside the page's main content (the extractors' combined vote)",
            "EXT002": "inside the main content, but the extractors' combined vote leaves it out",
        },
    ),
    Family(
        "MET",
        "metadata",
        METADATA,
        "#d4a017",
        "lines moved into a field of the record",
        "`check` never reports MET lines: they belong to a stored article.",
        {
            "MET001": "headline: moved to the title field",
            "MET002": "deck under the headline: moved to the subtitle field",
            "MET003": "kicker or section label above the headline",
            "MET004": "byline: moved to the author field",
            "MET005": "dateline or timestamp: moved to the date field",
            "MET006": "page title line (headline plus site name)",
        },
    ),
    Family("LRN", "learned", LEARNED, "#2f9e44", "a site's recurring lines, learned from a corpus"),
)

FAMILIES: Mapping[str, Family] = {family.prefix: family for family in _FAMILIES}
# A code of no registered family (a user pack's own prefix) is shown as this category.
OTHER = Family("OTHER", "other", RULE_PACK, "#7b8794", "codes of user packs with their own prefix")
LEARNED_PREFIX = "LRN"
METADATA_PREFIX = "MET"
# Codes that say where a removed line stood relative to the body: they bound the kept lines.
BEFORE_BODY = ("BDY001", METADATA_PREFIX)
AFTER_BODY = ("BDY002", "BDY003", "BDY006")


def family_of(code: str) -> Family | None:
    """The registered family a code belongs to ("LRNA001" is learned too), None if none."""
    return next((family for family in _FAMILIES if code.startswith(family.prefix)), None)


def builtin_codes(*kinds: str) -> dict[str, str]:
    """The codes the pipeline's stages give, with their reasons, of the given kinds (all if
    none), in registry order."""
    return {
        code: reason
        for family in _FAMILIES
        if not kinds or family.kind in kinds
        for code, reason in family.codes.items()
    }


BUILTIN_CODES = builtin_codes()


def reason_of(code: str) -> str:
    """The reason a pipeline stage gives for its code (a KeyError for any other code)."""
    return BUILTIN_CODES[code]
