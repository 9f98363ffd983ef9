"""Disagreement as data: each sentence's label distribution (soft labels) and the reviewers who gave the labels.

`soft_labels.csv` keeps what a plurality or a gold label throws away: how many reviewers gave each
label and which share, and who gave which, for studies that model disagreement rather than
resolve it (learning from soft labels, annotator models). `reviewers.csv` holds the reviewers'
attributes, to join on `reviewer`. Both follow the exports' scoping and blind rules
(`claims.exports.rows`).
"""

import json
import math
from collections.abc import Iterator

from annotator.models import Membership, Project

from . import rows
from .columns import REVIEWER_COLUMNS, SOFT_FIXED, SOFT_SUMMARY, soft_label_columns
from .rows import ExportFilters
from .streams import NO_FILTERS, csv_stream, in_transaction


def soft_labels_csv(project: Project, filters: ExportFilters = NO_FILTERS) -> Iterator[bytes]:
    """One row per labelled sentence: its counts and shares per label, their entropy and every reviewer's label."""
    names = rows.annotator_names(project, pseudonymize=filters.pseudonymize)
    labels = rows.label_table(project)
    scheme = [name for name, _ in labels.values()]
    header = [*SOFT_FIXED, *soft_label_columns(scheme), *SOFT_SUMMARY]

    def record(head: tuple, given: dict[str, str]) -> tuple:
        counts = [sum(1 for label in given.values() if label == name) for name in scheme]
        total = sum(counts)
        shares = [count / total for count in counts]
        entropy = sum((-share * math.log2(share) for share in shares if 0 < share < 1), 0.0)
        by_reviewer = json.dumps(dict(sorted(given.items())), ensure_ascii=False)
        return (*head, total, *counts, *(round(share, 6) for share in shares), round(entropy, 6), by_reviewer)

    def records():
        head, given = None, {}
        for row in rows.wide_rows(project, filters, names).iterator(chunk_size=rows.CHUNK_SIZE):
            if head is None or row.sentence_id != head[1]:
                if head is not None:
                    yield record(head, given)
                unit = row.sentence__key or str(row.sentence_id)
                head = (row.sentence__document_id, row.sentence_id, unit, row.sentence__index, row.sentence__text)
                given = {}
            given[names[row.annotator_id]] = labels[row.label_id][0]
        if head is not None:
            yield record(head, given)

    return csv_stream(header, in_transaction(records), filters)


def reviewers_csv(project: Project, filters: ExportFilters = NO_FILTERS) -> Iterator[bytes]:
    """One row per reviewer with labels in the export: role, when they joined, their labels, and the project
    report's figures of them (agreement with the others, MACE competence and its interval)."""
    from claims.reports import stored_report

    names = rows.annotator_names(project, pseudonymize=filters.pseudonymize)
    report = stored_report(project, None)
    usernames = rows.annotator_names(project, pseudonymize=False)
    figures = {row["reviewer"]: row for row in ((report.result or {}) if report else {}).get("reviewers", [])}

    def records():
        counted = rows.reviewer_label_counts(project, filters, names)
        roles = dict(Membership.objects.filter(project=project).values_list("user_id", "role"))
        joined = dict(Membership.objects.filter(project=project).values_list("user_id", "created"))
        for uid, name in sorted(names.items(), key=lambda item: item[1]):
            if not counted.get(uid):
                continue
            found = figures.get(usernames[uid], {})
            mine = found.get("competence") or {}
            interval = mine.get("mace_ci95") or [None, None]
            yield (
                name,
                roles.get(uid, ""),
                joined[uid].isoformat() if uid in joined else "",
                counted[uid],
                _cell(found.get("agreement_with_others")),
                _cell(mine.get("mace")),
                _cell(interval[0]),
                _cell(interval[1]),
            )

    return csv_stream(REVIEWER_COLUMNS, in_transaction(records), filters)


def _cell(value) -> str | float:
    return "" if value is None else round(value, 6)
