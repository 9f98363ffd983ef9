"""The auto-merge's rule (no Django).

The plurality of a sentence is the label most reviewers chose, none on a tie: `sql.py` finds it
for the merge, and the curator screen (`curate.js`) for its rows, both in that sense.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    """Auto-merge a sentence with at least `min_labels` labels of which at least `min_share` agree."""

    min_labels: int = 2
    min_share: float = 0.5

    def as_dict(self) -> dict:
        return {"min_labels": self.min_labels, "min_share": self.min_share}
