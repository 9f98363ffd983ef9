"""How long reviewers take a sentence: each one's median active seconds, and how it moves over their labels.

No Django: lists of seconds in, figures out (`claims.reports.figures` reads the labels).
"""

import itertools
import statistics

# A reviewer's timed labels, in the order they were first saved, are cut into this many runs of (nearly)
# equal length; the median of each run is the trend a methods section reports (faster with practice?).
TREND_PARTS = 5


def runs(values: list[float], parts: int = TREND_PARTS) -> list[list[float]]:
    """`values` cut in order into min(parts, len(values)) consecutive runs whose lengths differ by at most one."""
    count = min(parts, len(values))
    bounds = [len(values) * part // count for part in range(count + 1)]
    return [values[start:end] for start, end in itertools.pairwise(bounds)]


def reviewer_pace(seconds_by_reviewer: dict[str, list[float]]) -> list[dict]:
    """For each reviewer with a timed label, by name: `labels` timed, `median_seconds`, `by_part` (the median of
    each run of `runs`, earliest first) and `trend_seconds` (last run's median less the first's; None with
    one run)."""
    rows = []
    for reviewer, seconds in sorted(seconds_by_reviewer.items()):
        if not seconds:
            continue
        by_part = [statistics.median(run) for run in runs(seconds)]
        rows.append({
            "reviewer": reviewer,
            "labels": len(seconds),
            "median_seconds": statistics.median(seconds),
            "by_part": by_part,
            "trend_seconds": round(by_part[-1] - by_part[0], 1) if len(by_part) > 1 else None,
        })  # fmt: skip
    return rows
