"""The plurality of a sentence in SQL, and the auto-merge: the decisions and history it writes.

Raw SQL because the merge decides up to hundreds of thousands of sentences at once: the ORM
would bring every label count into Python and send every decision and its history event back
(`bench/auto_merge.py` times the merge; `bench/sql_statements.py` has the A/B: on 2026-12-07, 80,000
labels, 2 cores at load ~15, the ORM's label counts with the plurality and the rule applied in Python
took 2.6 times as long as `COUNT_ACCEPTED`). Here the database counts the labels, picks the plurality
and inserts the decisions and their events in one statement. The plurality (the label most
reviewers chose, none on a tie) is stated here once, and the curator screen's rows and wide.csv read
it too (`pluralities`); the rule means what `plurality.Rule` says (at least `min_labels` labels of
which at least `min_share` agree), compared in double precision as Python compares them. Pinned by
`tests/curation/test_auto_merge.py` (its outcomes checked against a plurality counted in the test over the same labels),
`tests/curation/test_concurrency.py`
(`test_a_curator_deciding_during_a_merge_keeps_the_decision`) and `tests/curation/test_sql.py`,
which has PostgreSQL plan every statement against the migrated schema.

The speaker and sources a decided label keeps are chosen here too, by `_AGREED`, for the
auto-merge and for a curator's decision that names none (`agreed_on`): the rule is said once.
"""

import json
from collections import namedtuple
from collections.abc import Iterator

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet

from .models import DecisionEvent, Provenance
from .plurality import Plurality, Rule

# The plurality of each sentence of `labels` (a relation of `sentence_id, label_id`, one row a label,
# that the statement defines before this text): `label_id` is the label most reviewers chose, NULL on a
# tie; `n` how many chose it (the top count on a tie) and `total` how many labels the sentence has.
# The one statement of the rule: the auto-merge, the curator screen's rows and wide.csv all read it.
_PLURALITY = """
counts AS (
    SELECT sentence_id, label_id, COUNT(*) AS n FROM labels GROUP BY sentence_id, label_id
), ranked AS (
    SELECT sentence_id, label_id, n,
        CAST(SUM(n) OVER (PARTITION BY sentence_id) AS INTEGER) AS total,
        ROW_NUMBER() OVER (PARTITION BY sentence_id ORDER BY n DESC) AS place,
        LEAD(n) OVER (PARTITION BY sentence_id ORDER BY n DESC) AS runner_up
    FROM counts
), plurality AS (
    SELECT sentence_id, CASE WHEN runner_up IS NULL OR runner_up < n THEN label_id END AS label_id,
        CAST(n AS INTEGER) AS n, total
    FROM ranked WHERE place = 1
)
"""

# `accepted`: per open sentence of the project (or of one article, with `document`; never of a training
# article, whose labels are practice) that the rule accepts, its plurality label (`label_id`), how many
# chose it (`n`) and how many labels it has (`total`). Decided sentences are left out last: the
# planner's guess of how many are decided goes stale as merges come and go, and a guess of "nearly
# all" made it count the labels by nested loops, several times slower.
_ACCEPTED = (
    """
WITH labels AS (
    SELECT a.sentence_id, a.label_id
    FROM annotator_annotation a
    WHERE a.sentence_id IN (
        SELECT s.id FROM annotator_sentence s JOIN annotator_document d ON d.id = s.document_id
        WHERE d.project_id = %(project)s AND (%(document)s::bigint IS NULL OR s.document_id = %(document)s::bigint)
          AND NOT d.training
    )
),"""
    + _PLURALITY
    + """, accepted AS (
    SELECT sentence_id, label_id, n, total FROM plurality
    WHERE label_id IS NOT NULL
      AND total >= %(min_labels)s AND n >= CAST(%(min_share)s AS DOUBLE PRECISION) * total
      AND NOT EXISTS (SELECT 1 FROM curation_decision x WHERE x.sentence_id = plurality.sentence_id)
)
"""
)

COUNT_ACCEPTED = (
    _ACCEPTED
    + """
SELECT label_id, n = total AS unanimous, COUNT(*) AS sentences FROM accepted GROUP BY label_id, n = total
"""
)

# The agreement rule of a decided label's speaker and sources. Given `decided(sentence_id, label_id, n)`,
# the sentences, their decided labels and how many reviewers gave that label (one label each), it
# looks at those reviewers and keeps:
# - `agreed_speaker(sentence_id, speaker)`: the speaker named by more than half of them, names compared
#   with case and runs of white space ignored, spelled as the earliest of those labels spells it
#   (trimmed, each run of white space one space);
# - `agreed_source(sentence_id, url, title, note, position)`: every source whose URL (exactly, as
#   stored) at least half of them cite, with the title and note of its first citation, in the order
#   the sources were first cited.
_AGREED = """
, agreeing AS (
    SELECT a.id, a.sentence_id, btrim(regexp_replace(a.speaker, '[[:space:]]+', ' ', 'g')) AS speaker, d.n
    FROM annotator_annotation a JOIN decided d ON d.sentence_id = a.sentence_id AND d.label_id = a.label_id
), named AS (
    SELECT DISTINCT ON (sentence_id, lower(speaker)) sentence_id, speaker, n,
        COUNT(*) OVER (PARTITION BY sentence_id, lower(speaker)) AS naming
    FROM agreeing WHERE speaker <> ''
    ORDER BY sentence_id, lower(speaker), id
), agreed_speaker AS (
    SELECT sentence_id, speaker FROM named WHERE 2 * naming > n
), cites AS (
    SELECT DISTINCT ON (g.id, s.url) g.sentence_id, g.n, g.id AS annotation_id, s.id AS source_id,
        s.url, s.title, s.note, s.position
    FROM agreeing g JOIN annotator_source s ON s.annotation_id = g.id
    ORDER BY g.id, s.url, s.position, s.id
), first_cites AS (
    SELECT DISTINCT ON (sentence_id, url) sentence_id, n, annotation_id, source_id, url, title, note, position,
        COUNT(*) OVER (PARTITION BY sentence_id, url) AS citing
    FROM cites
    ORDER BY sentence_id, url, annotation_id, position, source_id
), agreed_source AS (
    SELECT sentence_id, url, title, note,
        CAST(ROW_NUMBER() OVER (PARTITION BY sentence_id ORDER BY annotation_id, position, source_id) - 1 AS INTEGER)
            AS position
    FROM first_cites WHERE 2 * citing >= n
), agreed_sources AS (
    SELECT sentence_id,
        jsonb_agg(jsonb_build_object('url', url, 'title', title, 'note', note) ORDER BY position) AS sources
    FROM agreed_source GROUP BY sentence_id
)
"""

# The speaker and sources (a JSON array) that the rule keeps for one sentence and label.
AGREED_ON = (
    """
WITH decided AS (
    SELECT sentence_id, label_id, COUNT(*) AS n FROM annotator_annotation
    WHERE sentence_id = %(sentence)s AND label_id = %(label)s GROUP BY sentence_id, label_id
)
"""
    + _AGREED
    + """
SELECT COALESCE((SELECT speaker FROM agreed_speaker), ''), COALESCE((SELECT sources FROM agreed_sources), '[]'::jsonb)
"""
)

# The decisions with their agreed speaker and sources, their events (what `services.snapshot`
# records of a decision) and the count of what was inserted, in one statement that reads the
# inserted decisions once, as the insert returns them. A sentence decided meanwhile is skipped by
# `ON CONFLICT DO NOTHING`, so it has no sources nor event from this merge and is not counted.
INSERT_ACCEPTED = (
    _ACCEPTED
    + """
, decided AS (SELECT sentence_id, label_id, n FROM accepted)
"""
    + _AGREED
    + """
, inserted AS (
    INSERT INTO curation_decision (sentence_id, project_id, label_id, provenance, rule, labels, share,
        speaker, rationale, category, decided_by_id, decided_at)
    SELECT c.sentence_id, %(project)s, c.label_id,
        CASE WHEN c.n = c.total THEN %(unanimous)s ELSE %(majority)s END,
        CASE WHEN c.n = c.total THEN NULL ELSE CAST(%(rule)s AS jsonb) END,
        c.total, CAST(c.n AS DOUBLE PRECISION) / c.total, COALESCE(sp.speaker, ''), '', '', %(actor)s, %(now)s
    FROM accepted c LEFT JOIN agreed_speaker sp ON sp.sentence_id = c.sentence_id
    WHERE c.total > 0
    ON CONFLICT (sentence_id) DO NOTHING
    RETURNING *
), sourced AS (
    INSERT INTO curation_decisionsource (decision_id, url, title, note, position)
    SELECT x.id, s.url, s.title, s.note, s.position
    FROM inserted x JOIN agreed_source s ON s.sentence_id = x.sentence_id
), recorded AS (
    INSERT INTO curation_decisionevent (project_id, sentence_id, actor_id, action, data, at)
    SELECT x.project_id, x.sentence_id, %(actor)s, %(action)s, jsonb_build_object(
            'label', l.name, 'provenance', x.provenance, 'rule', x.rule, 'labels', x.labels,
            'share', x.share, 'speaker', x.speaker, 'rationale', x.rationale,
            'category', x.category, 'sources', COALESCE(ss.sources, '[]'::jsonb)),
        %(now)s
    FROM inserted x JOIN annotator_label l ON l.id = x.label_id
    LEFT JOIN agreed_sources ss ON ss.sentence_id = x.sentence_id
)
SELECT label_id, provenance, COUNT(*) AS sentences FROM inserted GROUP BY label_id, provenance
"""
)

# The plurality of every sentence of a queryset of labels, with the label's name: the statement that
# defines `labels` is Django's own for the queryset (its parameters are positional, so this text has none).
PLURALITY_OF = (
    _PLURALITY
    + """
SELECT p.sentence_id, l.name, p.n, p.total FROM plurality p LEFT JOIN annotator_label l ON l.id = p.label_id
"""
)

# The same in article order (article, then position), for an export that streams its sentences in that
# order and reads the pluralities beside them, through a server-side cursor, instead of holding them all.
PLURALITY_IN_ARTICLE_ORDER = (
    _PLURALITY
    + """
SELECT s.document_id, s.index, p.sentence_id, l.name, p.n, p.total
FROM plurality p JOIN annotator_sentence s ON s.id = p.sentence_id LEFT JOIN annotator_label l ON l.id = p.label_id
ORDER BY s.document_id, s.index
"""
)

Accepted = namedtuple("Accepted", "label_id unanimous sentences")
Inserted = namedtuple("Inserted", "label_id provenance sentences")


def _params(*, project_id: int, document_id: int | None, rule: Rule) -> dict:
    return {
        "project": project_id,
        "document": document_id,
        "min_labels": rule.min_labels,
        "min_share": float(rule.min_share),
        "unanimous": Provenance.UNANIMOUS.value,
        "majority": Provenance.MAJORITY.value,
    }


def pluralities(labels: QuerySet) -> dict[int, Plurality]:
    """Per sentence of `labels` (a queryset of annotations), the plurality of its labels in that queryset."""
    try:
        query, params = labels.values_list("sentence_id", "label_id").order_by().query.sql_with_params()
    except EmptyResultSet:  # a filter that no row can pass (`sentence_id__in=[]`)
        return {}
    with connection.cursor() as cursor:
        cursor.execute("WITH labels AS (" + query + ")," + PLURALITY_OF, params)
        return {sentence: Plurality(label, n, total) for sentence, label, n, total in cursor.fetchall()}


def pluralities_in_article_order(labels: QuerySet, *, rows_at_once: int = 2000) -> Iterator[tuple]:
    """`((document_id, index), sentence_id, Plurality)` per sentence of `labels`, by article and position,
    read in chunks (a server-side cursor: call it inside a transaction)."""
    try:
        query, params = labels.values_list("sentence_id", "label_id").order_by().query.sql_with_params()
    except EmptyResultSet:
        return
    with connection.chunked_cursor() as cursor:
        cursor.itersize = rows_at_once
        cursor.execute("WITH labels AS (" + query + ")," + PLURALITY_IN_ARTICLE_ORDER, params)
        for document_id, index, sentence_id, label, n, total in cursor:
            yield (document_id, index), sentence_id, Plurality(label, n, total)


def count_accepted(*, project_id: int, document_id: int | None, rule: Rule) -> list[Accepted]:
    """Per label and unanimity, how many open sentences of the scope the rule accepts."""
    with connection.cursor() as cursor:
        cursor.execute(COUNT_ACCEPTED, _params(project_id=project_id, document_id=document_id, rule=rule))
        return [Accepted(*row) for row in cursor.fetchall()]


def insert_accepted(
    *, project_id: int, document_id: int | None, rule: Rule, actor_id: int | None, now
) -> list[Inserted]:
    """Decide every open sentence the rule accepts, stamped `now`, and record each in the history.

    Returns per label and provenance how many sentences this merge decided. A sentence decided
    meanwhile (a curator's decision committed, or being committed, by another transaction) is
    skipped, and so has no event from this merge and is not counted.
    """
    params = _params(project_id=project_id, document_id=document_id, rule=rule) | {
        "rule": json.dumps(rule.as_dict()),
        "actor": actor_id,
        "now": now,
        "action": DecisionEvent.Action.DECIDED.value,
    }
    with connection.cursor() as cursor:
        cursor.execute(INSERT_ACCEPTED, params)
        return [Inserted(*row) for row in cursor.fetchall()]


def agreed_on(*, sentence_id: int, label_id: int) -> tuple[str, list[dict]]:
    """The speaker ('' for none) and sources ({url, title, note}, in order) that the reviewers who gave
    `label_id` to the sentence agree on, by the rule of `_AGREED`."""
    with connection.cursor() as cursor:
        cursor.execute(AGREED_ON, {"sentence": sentence_id, "label": label_id})
        speaker, sources = cursor.fetchone()
    return speaker, json.loads(sources) if isinstance(sources, str) else sources
