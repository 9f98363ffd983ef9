"""The auto-merge in SQL: the plurality of every open sentence, and the decisions and history it writes.

Raw SQL because the merge decides up to hundreds of thousands of sentences at once: the ORM
would bring every label count into Python and send every decision and its history event back
(`bench/auto_merge.py` measures both). Here the database counts the labels, picks the plurality
and inserts the decisions and their events in one statement (three on SQLite). The plurality and the rule mean
what `plurality.py` says (the label most reviewers chose, none on a tie; at least `min_labels`
labels of which at least `min_share` agree), compared in double precision as Python compares
them. Pinned by `tests/curation/test_auto_merge.py` (its outcomes checked against
a plurality counted in the test over the same labels) and `tests/curation/test_concurrency.py`
(`test_a_curator_deciding_during_a_merge_keeps_the_decision`). PostgreSQL and SQLite 3.35+.
"""

import json

from django.db import connection

from annotator.models import Annotation, Document, Label, Sentence

from .models import Decision, DecisionEvent, Provenance
from .plurality import Rule


def _names() -> dict[str, str]:
    """Quoted table and column names, for `str.format` of the statements below."""
    quote = connection.ops.quote_name

    def column(model, name: str) -> str:
        return quote(model._meta.get_field(name).column)

    names = {
        "annotation": quote(Annotation._meta.db_table),
        "sentence": quote(Sentence._meta.db_table),
        "document": quote(Document._meta.db_table),
        "label": quote(Label._meta.db_table),
        "decision": quote(Decision._meta.db_table),
        "event": quote(DecisionEvent._meta.db_table),
        "a_sentence": column(Annotation, "sentence"),
        "a_label": column(Annotation, "label"),
        "s_document": column(Sentence, "document"),
        "d_project": column(Document, "project"),
        "x_sentence": column(Decision, "sentence"),
        "l_name": column(Label, "name"),
        "id": quote("id"),
    }
    for name in ("project", "label", "provenance", "rule", "labels", "share", "speaker", "rationale", "category"):
        names[f"x_{name}"] = column(Decision, name)
    names["x_decided_by"] = column(Decision, "decided_by")
    names["x_decided_at"] = column(Decision, "decided_at")
    for name in ("project", "sentence", "actor", "action", "data", "at"):
        names[f"e_{name}"] = column(DecisionEvent, name)
    return names


# `accepted`: per open sentence of the scope that the rule accepts, its plurality label (`label_id`),
# how many chose it (`n`) and how many labels it has (`total`). Decided sentences are left out last:
# the planner's guess of how many are decided goes stale as merges come and go, and a guess of
# "nearly all" made it count the labels by nested loops, several times slower.
_ACCEPTED = """
WITH counts AS (
    SELECT a.{a_sentence} AS sentence_id, a.{a_label} AS label_id, COUNT(*) AS n
    FROM {annotation} a
    WHERE a.{a_sentence} IN (
        SELECT s.{id} FROM {sentence} s JOIN {document} d ON d.{id} = s.{s_document}
        WHERE d.{d_project} = %(project)s {in_document}
    )
    GROUP BY a.{a_sentence}, a.{a_label}
), ranked AS (
    SELECT sentence_id, label_id, n,
        CAST(SUM(n) OVER (PARTITION BY sentence_id) AS INTEGER) AS total,
        ROW_NUMBER() OVER (PARTITION BY sentence_id ORDER BY n DESC) AS place,
        LEAD(n) OVER (PARTITION BY sentence_id ORDER BY n DESC) AS runner_up
    FROM counts
), accepted AS (
    SELECT sentence_id, label_id, n, total FROM ranked
    WHERE place = 1 AND (runner_up IS NULL OR runner_up < n)
      AND total >= %(min_labels)s AND n >= CAST(%(min_share)s AS DOUBLE PRECISION) * total
      AND NOT EXISTS (SELECT 1 FROM {decision} x WHERE x.{x_sentence} = ranked.sentence_id)
)
"""

_COUNT = "SELECT label_id, n = total, COUNT(*) FROM accepted GROUP BY label_id, n = total"

_INSERT_DECISIONS = """
INSERT INTO {decision} ({x_sentence}, {x_project}, {x_label}, {x_provenance}, {x_rule}, {x_labels}, {x_share},
    {x_speaker}, {x_rationale}, {x_category}, {x_decided_by}, {x_decided_at})
SELECT sentence_id, %(project)s, label_id,
    CASE WHEN n = total THEN %(unanimous)s ELSE %(majority)s END,
    CASE WHEN n = total THEN NULL ELSE {rule} END,
    total, CAST(n AS DOUBLE PRECISION) / total, '', '', '', %(actor)s, %(now)s
FROM accepted WHERE total > 0
ON CONFLICT ({x_sentence}) DO NOTHING
"""

# The event records what `services.snapshot` records of a decision, for each decision this merge inserted:
# from `x`, those decisions (as the insert returns them on PostgreSQL, or as stamped `now` by the rule).
_EVENTS = """
INSERT INTO {event} ({e_project}, {e_sentence}, {e_actor}, {e_action}, {e_data}, {e_at})
SELECT x.{x_project}, x.{x_sentence}, %(actor)s, %(action)s, {json_object}(
        'label', l.{l_name}, 'provenance', x.{x_provenance}, 'rule', {rule_json}, 'labels', x.{x_labels},
        'share', {share_json}, 'speaker', x.{x_speaker}, 'rationale', x.{x_rationale},
        'category', x.{x_category}, 'sources', {no_sources}),
    %(now)s
FROM {inserted} x JOIN {label} l ON l.{id} = x.{x_label}
"""

# PostgreSQL: the decisions, their events and the count of what was inserted in one statement, which
# reads the inserted decisions once, as the insert returns them.
_INSERT_ALL = (
    ", inserted AS ("
    + _INSERT_DECISIONS
    + """RETURNING *
), recorded AS ("""
    + _EVENTS.replace("{inserted}", "inserted")
    + """)
SELECT {x_label}, {x_provenance}, COUNT(*) FROM inserted GROUP BY {x_label}, {x_provenance}
"""
)

_STAMPED = """
WHERE x.{x_project} = %(project)s AND x.{x_decided_at} = %(now)s AND x.{x_provenance} IN (%(unanimous)s, %(majority)s)
"""

_INSERT_HISTORY = _EVENTS.replace("{inserted}", "{decision}") + _STAMPED

_COUNT_INSERTED = (
    "SELECT x.{x_label}, x.{x_provenance}, COUNT(*) FROM {decision} x"
    + _STAMPED
    + "GROUP BY x.{x_label}, x.{x_provenance}"
)


def _vendor() -> dict[str, str]:
    if connection.vendor == "postgresql":
        return {
            "rule": "CAST(%(rule)s AS jsonb)",
            "json_object": "jsonb_build_object",
            "rule_json": "x.{x_rule}",
            "share_json": "x.{x_share}",
            "no_sources": "'[]'::jsonb",
        }
    # SQLite's json_object writes a double with 15 digits; 17 bring back the very float Python wrote.
    return {
        "rule": "%(rule)s",
        "json_object": "json_object",
        "rule_json": "json(x.{x_rule})",
        "share_json": "json(printf('%%.17g', x.{x_share}))",
        "no_sources": "json('[]')",
    }


def _statement(template: str, *, in_document: bool) -> str:
    """`template` after the `accepted` query of the project's open sentences, or of one article's."""
    names = _names()
    vendor = {key: value.format(**names) for key, value in _vendor().items()}
    document = f"AND s.{names['s_document']} = %(document)s" if in_document else ""
    return (_ACCEPTED + template).format(**names, **vendor, in_document=document)


def _plain_statement(template: str) -> str:
    names = _names()
    return template.format(**names, **{key: value.format(**names) for key, value in _vendor().items()})


def _params(*, project_id: int, document_id: int | None, rule: Rule) -> dict:
    return {
        "project": project_id,
        "document": document_id,
        "min_labels": rule.min_labels,
        "min_share": float(rule.min_share),
        "unanimous": Provenance.UNANIMOUS.value,
        "majority": Provenance.MAJORITY.value,
    }


def count_accepted(*, project_id: int, document_id: int | None, rule: Rule) -> list[tuple[int, bool, int]]:
    """Per label and unanimity, how many open sentences of the scope the rule accepts: (label id, unanimous, count)."""
    with connection.cursor() as cursor:
        cursor.execute(
            _statement(_COUNT, in_document=document_id is not None),
            _params(project_id=project_id, document_id=document_id, rule=rule),
        )
        return [(label_id, bool(unanimous), count) for label_id, unanimous, count in cursor.fetchall()]


def insert_accepted(
    *, project_id: int, document_id: int | None, rule: Rule, actor_id: int | None, now
) -> list[tuple[int, str, int]]:
    """Decide every open sentence the rule accepts, stamped `now`, and record each in the history.

    Returns per label and provenance how many sentences this merge decided: (label id, provenance, count).
    A sentence decided meanwhile (a curator's decision committed, or being committed, by another
    transaction) is skipped by the insert's `ON CONFLICT DO NOTHING`, and so has no event from
    this merge and is not counted: on SQLite, which has no insert inside `WITH`, the history and the
    count take the decisions stamped `now` by the rule, which are this merge's.
    """
    params = _params(project_id=project_id, document_id=document_id, rule=rule)
    params |= {
        "rule": json.dumps(rule.as_dict()),
        "actor": actor_id,
        "now": connection.ops.adapt_datetimefield_value(now),
        "action": DecisionEvent.Action.DECIDED.value,
    }
    in_document = document_id is not None
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_statement(_INSERT_ALL, in_document=in_document), params)
        else:
            cursor.execute(_statement(_INSERT_DECISIONS, in_document=in_document), params)
            cursor.execute(_plain_statement(_INSERT_HISTORY), params)
            cursor.execute(_plain_statement(_COUNT_INSERTED), params)
        return cursor.fetchall()
