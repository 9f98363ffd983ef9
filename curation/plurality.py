"""The reviewers' plurality on a sentence and the auto-merge's rule (no Django).

The plurality of a sentence is the label most reviewers chose, none on a tie. `plurality_of` gives
it for the curator screen's rows (`selectors.curation_rows`; `curate.js` shows it as it comes) and
the exports' `wide.csv`; the auto-merge, which decides a whole project at once, has the database
find it (`sql.py`), in that one sense, pinned against a count of its own by
`tests/curation/test_auto_merge.py`.
"""

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    """Auto-merge a sentence with at least `min_labels` labels of which at least `min_share` agree."""

    min_labels: int = 2
    min_share: float = 0.5

    def as_dict(self) -> dict:
        return {"min_labels": self.min_labels, "min_share": self.min_share}


@dataclass(frozen=True)
class Plurality:
    label: object  # the most chosen label (a name or an id), None on a tie or without labels
    count: int  # how many chose it (the top count on a tie)
    labels: int  # how many labels the sentence has

    @property
    def share(self) -> float | None:
        return self.count / self.labels if self.labels else None


def plurality_of(labels: Iterable) -> Plurality:
    counts: dict = {}
    for label in labels:
        counts[label] = counts.get(label, 0) + 1
    if not counts:
        return Plurality(None, 0, 0)
    top = max(counts.values())
    leaders = [label for label, count in counts.items() if count == top]
    return Plurality(leaders[0] if len(leaders) == 1 else None, top, sum(counts.values()))
