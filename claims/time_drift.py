"""Each reviewer's agreement with the others over their own labelling time: by week and by tenths of their labels.

A label's pairings are one with each other label on its sentence, and they agree where the other
label is the same (the pairings of "agreement with the others"). Ordering each reviewer's labels
by when they gave them (the label's last change) and summing their pairings by UTC week (Monday
first) or by tenths of their own labels shows whether a reviewer drifted from the panel as they
worked, on their own timeline rather than in the order the sentences were imported. Pairings
count the other labels as they stand now. No Django import.
"""

import datetime

import numpy as np

TENTHS = 10
_DAY = 86_400


def label_pairings(units: np.ndarray, categories: np.ndarray, n_categories: int) -> tuple[np.ndarray, np.ndarray]:
    """Per label: its agreeing pairings and all its pairings with the other labels of its unit."""
    if not len(units):
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    _, unit = np.unique(units, return_inverse=True)
    unit = unit.ravel()
    counts = np.bincount(unit * n_categories + categories, minlength=(unit.max() + 1) * n_categories)
    totals = np.bincount(unit)
    return counts[unit * n_categories + categories] - 1, totals[unit] - 1


def _week_start(seconds: np.ndarray) -> np.ndarray:
    days = np.floor_divide(seconds.astype(np.int64), _DAY)
    return days - (days + 3) % 7  # 1970-01-01 was a Thursday: Monday is three days before a multiple of seven


def _day(days: int) -> str:
    return (datetime.date(1970, 1, 1) + datetime.timedelta(days=int(days))).isoformat()


def _moment(seconds: float) -> str:
    return datetime.datetime.fromtimestamp(float(seconds), tz=datetime.UTC).isoformat()


def _row(same: np.ndarray, pairings: np.ndarray) -> dict:
    agreed, total = int(same.sum()), int(pairings.sum())
    return {"labels": len(same), "pairs": total, "agreement": agreed / total if total else None}


def reviewer_drift(coders, times, same, pairings, *, n_coders: int) -> list[dict]:
    """Per coder 0..n_coders-1: `by_week` (each UTC week they labelled in, from its Monday) and `by_tenth`
    (their labels in time order cut into up to ten equal parts, with the first and last moment of each)."""
    coders, times = np.asarray(coders, np.int64), np.asarray(times, float)
    same, pairings = np.asarray(same, np.int64), np.asarray(pairings, np.int64)
    found = []
    for coder in range(n_coders):
        mine = np.flatnonzero(coders == coder)
        mine = mine[np.argsort(times[mine], kind="stable")]
        weeks = _week_start(times[mine])
        by_week = []
        for week in np.unique(weeks):
            rows = mine[weeks == week]
            by_week.append({"week": _day(week), **_row(same[rows], pairings[rows])})
        by_tenth = []
        for number, rows in enumerate(np.array_split(mine, min(TENTHS, len(mine))) if len(mine) else [], start=1):
            by_tenth.append(
                {
                    "tenth": number,
                    "first": _moment(times[rows[0]]),
                    "last": _moment(times[rows[-1]]),
                    **_row(same[rows], pairings[rows]),
                }
            )
        found.append({"by_week": by_week, "by_tenth": by_tenth})
    return found
