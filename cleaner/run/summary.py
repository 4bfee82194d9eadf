"""What a batch did: counts, lines removed per code category and time, mergeable across
workers and written as the summary JSON."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from cleaner.messages import plural

_CATEGORY = re.compile(r"[A-Z]+")


@dataclass
class BatchSummary:
    """What a batch did: counts, lines removed per code category (NAV, REL, BDY...) and time."""

    documents: int = 0
    cleaned: int = 0
    failed: int = 0
    skipped: int = 0  # already in the output (--resume)
    removed_by_category: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    def add(self, record: dict) -> None:
        self.documents += 1
        if record["error"]:
            self.failed += 1
        else:
            self.cleaned += 1
        for removal in record["removed"]:
            match = _CATEGORY.match(removal["rule"])
            self.removed_by_category[match.group() if match else removal["rule"]] += 1

    def merge(self, other: BatchSummary) -> None:
        self.documents += other.documents
        self.cleaned += other.cleaned
        self.failed += other.failed
        self.skipped += other.skipped
        self.removed_by_category.update(other.removed_by_category)

    def as_dict(self) -> dict:
        return {
            "documents": self.documents,
            "cleaned": self.cleaned,
            "failed": self.failed,
            "skipped": self.skipped,
            "lines_removed": sum(self.removed_by_category.values()),
            "lines_removed_by_category": dict(sorted(self.removed_by_category.items())),
            "seconds": round(self.seconds, 3),
            "documents_per_second": round(self.documents / self.seconds, 2)
            if self.seconds
            else None,
        }

    @classmethod
    def from_dict(cls, data: dict) -> BatchSummary:
        return cls(
            documents=data["documents"],
            cleaned=data["cleaned"],
            failed=data["failed"],
            skipped=data["skipped"],
            removed_by_category=Counter(data["lines_removed_by_category"]),
            seconds=data["seconds"],
        )

    def render(self) -> str:
        facts = self.as_dict()
        rate = facts["documents_per_second"]
        lines = [
            f"{plural(self.documents, 'document')}: "
            f"{self.cleaned} cleaned, {self.failed} failed"
            + (f", {self.skipped} already done (skipped)" if self.skipped else "")
            + f" in {self.seconds:.1f} s"
            + (f" ({rate} documents/s)" if rate else ""),
        ]
        if self.removed_by_category:
            parts = ", ".join(f"{k} {v}" for k, v in facts["lines_removed_by_category"].items())
            lines.append(f"lines removed: {facts['lines_removed']} ({parts})")
        return "\n".join(lines)
