"""The reviewers' plurality on one sentence and whether an auto-merge rule accepts it (no Django).

Shared by the auto-merge, the curator screen's rows and the gold exports, so that "the
plurality" means one thing everywhere: the label most reviewers chose, none on a tie.
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

    @property
    def unanimous(self) -> bool:
        return self.labels > 0 and self.count == self.labels

    def accepted_by(self, rule: Rule) -> bool:
        return self.label is not None and self.labels >= rule.min_labels and self.count >= rule.min_share * self.labels


def plurality(counts: dict) -> Plurality:
    """`counts` maps each label to how many reviewers chose it."""
    labels = sum(counts.values())
    if not counts:
        return Plurality(None, 0, 0)
    top = max(counts.values())
    leaders = [label for label, count in counts.items() if count == top]
    return Plurality(leaders[0] if len(leaders) == 1 else None, top, labels)


def plurality_of(labels: Iterable) -> Plurality:
    counts: dict = {}
    for label in labels:
        counts[label] = counts.get(label, 0) + 1
    return plurality(counts)
