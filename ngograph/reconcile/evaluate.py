"""Precision and recall of reconciliation on a labelled set of pairs.

The set is a CSV file (``tests/fixtures/reconcile/pairs.csv``): one pair of organisation
records a row, ``same`` 1 or 0, a ``kind``, and for each side its source, names ("|"-separated),
country and identifier (``SCHEME-value``, or a bare value such as a DAC code). Each pair is
reconciled on its own: it is *merged* when the two become one, *for review* when the pair is
in the review queue.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ngograph.reconcile.match import OrgRecord, reconcile

__all__ = ["Scores", "read_pairs", "evaluate"]

_PREFIXED = re.compile(r"([A-Z]{2}-[A-Z0-9]+)-(.+)")


@dataclass(frozen=True)
class Scores:
    """Counts of a labelled set: pairs that are the same (``positives``) and not; merged
    automatically right (``merged_same``) and wrong (``merged_different``); in the review
    queue (``review_same``, ``review_different``)."""

    positives: int
    negatives: int
    merged_same: int
    merged_different: int
    review_same: int
    review_different: int

    @property
    def precision(self) -> float:
        """Of the automatic merges, the share that are right."""
        merged = self.merged_same + self.merged_different
        return self.merged_same / merged if merged else 1.0

    @property
    def recall(self) -> float:
        """Of the pairs that are the same, the share merged automatically."""
        return self.merged_same / self.positives if self.positives else 1.0

    @property
    def recall_with_review(self) -> float:
        """Of the pairs that are the same, the share merged or put in the review queue."""
        return (self.merged_same + self.review_same) / self.positives if self.positives else 1.0


def _identifiers(text: str) -> list[tuple[str | None, str]]:
    if not text.strip():
        return []
    m = _PREFIXED.fullmatch(text.strip())
    return [(m[1], m[2])] if m and "|" not in text else [(None, text.strip())]


def read_pairs(path: Path) -> list[tuple[bool, str, OrgRecord, OrgRecord]]:
    """``[(same, kind, left record, right record)]`` from a labelled CSV file."""
    out = []
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            sides = [OrgRecord(side, row[f"{side}_source"], [n.strip() for n in row[f"{side}_names"].split(" | ")],
                               _identifiers(row[f"{side}_identifier"]), row[f"{side}_country"] or None)
                     for side in ("left", "right")]
            out.append((row["same"] == "1", row["kind"], *sides))
    return out


def evaluate(pairs) -> tuple[Scores, Counter]:
    """The :class:`Scores` of ``pairs`` (from :func:`read_pairs`) and the errors by kind:
    ``("merged, not the same", kind)``, ``("missed", kind)``."""
    counts, errors = Counter(), Counter()
    for same, kind, left, right in pairs:
        result = reconcile([left, right])
        outcome = "merged" if result.canonical else "review" if result.pending else "apart"
        counts[(outcome, same)] += 1
        if outcome == "merged" and not same:
            errors[("merged, not the same", kind)] += 1
        elif outcome == "apart" and same:
            errors[("missed", kind)] += 1
    positives = sum(n for (_, same), n in counts.items() if same)
    return Scores(positives, sum(counts.values()) - positives, counts[("merged", True)], counts[("merged", False)],
                  counts[("review", True)], counts[("review", False)]), errors
