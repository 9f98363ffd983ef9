"""The auto-merge's rule and the shape of a sentence's plurality (no Django).

The plurality of a sentence is the label most reviewers chose, none on a tie. The database finds it,
in one statement (`sql._PLURALITY`), for the auto-merge, the curator screen's rows
(`selectors.curation_rows`; `curate.js` shows it as it comes) and the exports' `wide.csv`; it is pinned
against a count of its own by `tests/curation/test_auto_merge.py`.
"""

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
    """A sentence's plurality as `sql.pluralities` finds it."""

    label: object  # the most chosen label (a name or an id), None on a tie or without labels
    count: int  # how many chose it (the top count on a tie)
    labels: int  # how many labels the sentence has

    @property
    def share(self) -> float | None:
        return self.count / self.labels if self.labels else None


NO_LABELS = Plurality(None, 0, 0)
