"""The Article Extraction Benchmark's metric: 4-token shingle precision/recall, averaged per page.

Tokens are `\\w+` runs; each page is scored on the multiset of 4-token shingles; precision and
recall are averaged over pages (a page with an empty prediction counts recall 0 and is left out
of precision), and F1 is computed from those two means. Accuracy is the share of pages whose
token lists are identical.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

_TOKEN = re.compile(r"\w+")
SHINGLE = 4


def tokens(text: str | None) -> list[str]:
    return _TOKEN.findall(text or "")


def shingles(words: list[str]) -> Counter[str]:
    count = max(1, len(words) - SHINGLE + 1)
    return Counter(s for i in range(count) if (s := " ".join(words[i : i + SHINGLE])))


@dataclass(frozen=True)
class PageScore:
    precision: float | None  # None when the prediction is empty
    recall: float
    exact: bool


def score_page(expected: str, predicted: str | None) -> PageScore:
    truth_words, predicted_words = tokens(expected), tokens(predicted)
    truth, guess = shingles(truth_words), shingles(predicted_words)
    tp = sum((truth & guess).values())
    fp = sum((guess - truth).values())
    fn = sum((truth - guess).values())
    precision = tp / (tp + fp) if guess else None
    recall = tp / (tp + fn) if (tp + fn) else 1.0
    return PageScore(precision, recall, truth_words == predicted_words)


@dataclass(frozen=True)
class Summary:
    f1: float
    precision: float
    recall: float
    accuracy: float
    pages: int


def summarise(scores: Iterable[PageScore]) -> Summary:
    scores = list(scores)
    precisions = [s.precision for s in scores if s.precision is not None]
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(s.recall for s in scores) / len(scores)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    accuracy = sum(s.exact for s in scores) / len(scores)
    return Summary(f1, precision, recall, accuracy, len(scores))
