"""Agreement reports: read the labels into a units x coders array, compute, store, and keep them fresh.

The pipeline (see README, "Agreement pipeline"):

1. A label change commits; `annotator` sends `labels_changed`; `claims.receivers` calls
   `request_recomputation()`, which marks the project's and the documents' reports stale
   (`requested_at` = now, status `pending`) and queues a `compute_agreement_report` task per
   report with a countdown of AGREEMENT_DEBOUNCE_SECONDS (D), passing the request's timestamp.
   A request queues no task when one is already due for that report within D seconds (an
   expiring Redis mark, `_claim_schedules`): that task fires after the request has committed.
2. When a task fires, `compute_report()` decides whether to run. A task whose request has been
   superseded by a newer one steps aside and queues a follow-up D seconds after the newest
   request (unless another task is due by then): a burst of saves ends in one run, D seconds
   after the last save. So that a reviewer who never pauses still sees fresh figures, a
   superseded task runs anyway when the last run started more than AGREEMENT_MAX_WAIT_SECONDS
   ago (or there was none), or when the newest request is already D seconds old.
3. A run marks the report `running`, reads the labels, computes and stores the result. If a newer
   request arrived meanwhile the report goes back to `pending` (the newer task completes it),
   otherwise `ready`. A run killed half-way leaves `running` with an old `started_at`; the task is
   redelivered (acks late) or the next request runs it again, which completes the report.
"""

import datetime
import io
import logging
import time

import numpy as np
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection, transaction
from django.db.models import F, Max
from django.utils import timezone

from annotator.models import Annotation, AnnotationEvent, Document, Label, Project, Sentence

from . import agreement
from .models import AgreementReport

logger = logging.getLogger(__name__)

Status = AgreementReport.Status

_COPY_HEADER = b"PGCOPY\n\xff\r\n\x00"


class LabelMatrix:
    """The labels of a project or document as `agreement` wants them, plus what they came from."""

    def __init__(self, *, data, sentence_ids, coders, categories, values, level, annotation_count, latest_update):
        self.data = data  # (units, coders) category index, -1 where a coder did not label a unit
        self.sentence_ids = sentence_ids  # the sentence of each row of `data`
        self.coders = coders  # usernames, sorted
        self.categories = categories  # label names in the scheme's order
        self.values = values  # numeric label values on an interval scale, else None
        self.level = level
        self.annotation_count = annotation_count
        self.latest_update = latest_update


# --- reading labels ------------------------------------------------------------------------


def _label_rows_sql(*, project_id: int, document_id: int | None) -> tuple[str, list]:
    """The (sentence, annotator, label, updated) rows of a project or document.

    A semi-join on the project's sentences rather than a join: PostgreSQL then hashes only the
    project's sentence ids and streams the annotations past them (a third faster on a million).
    """
    annotation = Annotation._meta.db_table
    sentence = Sentence._meta.db_table
    document = Document._meta.db_table
    columns = "a.sentence_id, a.annotator_id, a.label_id, a.updated"
    if document_id is not None:
        sql = f"SELECT {columns} FROM {annotation} a JOIN {sentence} s ON s.id = a.sentence_id WHERE s.document_id = %s"
        return sql, [document_id]
    sql = (
        f"SELECT {columns} FROM {annotation} a WHERE a.sentence_id IN "
        f"(SELECT s.id FROM {sentence} s WHERE s.document_id IN "
        f"(SELECT d.id FROM {document} d WHERE d.project_id = %s))"
    )
    return sql, [project_id]


def _copy_row_dtype() -> np.dtype:
    """One row of PostgreSQL's binary COPY of the four columns: a field count, then (length, value) each.

    No column can be NULL, so rows are fixed-width and NumPy can view the whole stream at once.
    Integer widths follow the key types (the user id is a 4-byte AutoField unless a project swaps it).
    """

    def width(name: str) -> str:
        internal = Annotation._meta.get_field(name).target_field.get_internal_type()
        return ">i8" if internal in ("BigAutoField", "BigIntegerField") else ">i4"

    fields = [("fields", ">i2")]
    for name in ("sentence", "annotator", "label"):
        fields += [(f"len_{name}", ">i4"), (name, width(name))]
    # timestamptz in binary: microseconds since 2000-01-01 UTC.
    return np.dtype([*fields, ("len_updated", ">i4"), ("updated", ">i8")])


_POSTGRES_EPOCH = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC).timestamp()


def _read_postgresql(sql: str, params: list) -> tuple[np.ndarray, ...] | None:
    """Stream the rows with binary COPY and view them as one NumPy record array (no Python objects)."""
    with transaction.atomic(), connection.cursor() as cursor:
        raw = cursor.cursor
        if not hasattr(raw, "copy_expert"):
            return None
        # Enough memory for the sentence-id hash of a large project, for this transaction only.
        raw.execute("SET LOCAL work_mem = '64MB'")
        query = raw.mogrify(sql, params).decode()
        buffer = io.BytesIO()
        raw.copy_expert(f"COPY ({query}) TO STDOUT WITH (FORMAT binary)", buffer)
    payload = buffer.getbuffer()
    if bytes(payload[:11]) != _COPY_HEADER:
        raise DatabaseError("Unexpected COPY header from PostgreSQL.")
    start = 19 + int.from_bytes(payload[15:19], "big")
    row = _copy_row_dtype()
    rows = np.frombuffer(payload, dtype=row, count=(len(payload) - start - 2) // row.itemsize, offset=start)
    result = (
        rows["sentence"].astype(np.int64),
        rows["annotator"].astype(np.int64),
        rows["label"].astype(np.int64),
        int(rows["updated"].max()) / 1e6 + _POSTGRES_EPOCH if len(rows) else None,
    )
    del rows, payload
    return result


def _read_generic(sql: str, params: list) -> tuple[np.ndarray, ...]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    if not fetched:
        empty = np.zeros(0, np.int64)
        return empty, empty, empty, None
    sentence, annotator, label, updated = zip(*fetched, strict=True)
    latest = max(updated)
    if isinstance(latest, str):
        latest = datetime.datetime.fromisoformat(latest)
    if isinstance(latest, datetime.datetime):
        latest = (latest if latest.tzinfo else latest.replace(tzinfo=datetime.UTC)).timestamp()
    return (
        np.array(sentence, np.int64),
        np.array(annotator, np.int64),
        np.array(label, np.int64),
        latest,
    )


def _positions(keys: np.ndarray, ordered_ids: np.ndarray) -> np.ndarray:
    """Position of each of `keys` in `ordered_ids` (which need not be sorted)."""
    order = np.argsort(ordered_ids, kind="stable")
    return order[np.searchsorted(ordered_ids, keys, sorter=order)]


def read_labels(project: Project, document: Document | None = None) -> LabelMatrix:
    """Every label of the project (or of one document) as a units x coders array.

    Project: the units are the sentences with at least one label. Document: every sentence of
    the document, in order, labelled or not (the per-sentence table lists them all).
    Coders are the reviewers who labelled in that scope, sorted by username.
    """
    sql, params = _label_rows_sql(project_id=project.pk, document_id=document.pk if document else None)
    rows = _read_postgresql(sql, params) if connection.vendor == "postgresql" else None
    sentence_ids, annotator_ids, label_ids, latest = rows or _read_generic(sql, params)

    labels = list(Label.objects.filter(project=project).order_by("order", "id").values_list("pk", "name", "value"))
    label_pks = np.array([pk for pk, _, _ in labels], np.int64)
    categories = [name for _, name, _ in labels]
    values = [value for _, _, value in labels] if project.scale == "interval" else None

    coder_pks = np.unique(annotator_ids)
    names = dict(get_user_model().objects.filter(pk__in=coder_pks.tolist()).values_list("pk", "username"))
    by_name = sorted(coder_pks.tolist(), key=lambda pk: names[pk])
    coders = [names[pk] for pk in by_name]

    if document is not None:
        unit_ids = np.array(
            Sentence.objects.filter(document=document).order_by("index").values_list("pk", flat=True), np.int64
        )
        rows_of_labels = _positions(sentence_ids, unit_ids)
    else:
        unit_ids, rows_of_labels = np.unique(sentence_ids, return_inverse=True)

    dtype = np.int8 if len(categories) < 127 else np.int32
    data = np.full((len(unit_ids), len(coders)), -1, dtype=dtype)
    if len(sentence_ids):
        data[rows_of_labels, _positions(annotator_ids, np.array(by_name, np.int64))] = _positions(label_ids, label_pks)
    return LabelMatrix(
        data=data,
        sentence_ids=unit_ids,
        coders=coders,
        categories=categories,
        values=values,
        level=project.scale,
        annotation_count=len(sentence_ids),
        latest_update=datetime.datetime.fromtimestamp(latest, tz=datetime.UTC) if latest is not None else None,
    )


# --- computing -------------------------------------------------------------------------------


def compute_figures(matrix: LabelMatrix, *, resamples: int | None = None) -> dict:
    """The agreement figures of `matrix` as stored in `AgreementReport.result` (JSON-safe)."""
    return agreement.compute_agreement(
        matrix.data,
        coders=matrix.coders,
        categories=matrix.categories,
        level=matrix.level,
        values=matrix.values,
        resamples=settings.AGREEMENT_BOOTSTRAP_RESAMPLES if resamples is None else resamples,
        seed=0,
    )


def sentence_rows(matrix: LabelMatrix) -> list[dict]:
    """Per sentence of a document: how contested it is, and each reviewer's label."""
    sentences = {
        pk: (index, text)
        for pk, index, text in Sentence.objects.filter(pk__in=matrix.sentence_ids.tolist()).values_list(
            "pk", "index", "text"
        )
    }
    stats = agreement.sentence_disagreement(matrix.data, categories=matrix.categories)
    rows = []
    for sentence_id, row, labels in zip(matrix.sentence_ids.tolist(), stats, matrix.data.tolist(), strict=True):
        by_reviewer = {
            coder: matrix.categories[label] for coder, label in zip(matrix.coders, labels, strict=True) if label >= 0
        }
        rows.append(
            {"sentence": sentence_id, "index": sentences[sentence_id][0], "text": sentences[sentence_id][1], **row}
            | {"annotations": by_reviewer}
        )
    return rows


def _latest_event(report: AgreementReport) -> datetime.datetime | None:
    events = AnnotationEvent.objects.filter(project_id=report.project_id)
    if report.document_id:
        events = events.filter(sentence__document_id=report.document_id)
    return events.aggregate(latest=Max("at"))["latest"]


def build_result(report: AgreementReport) -> tuple[dict, int, datetime.datetime | None]:
    """Compute a report's figures; return them with the annotation count and the latest change."""
    matrix = read_labels(report.project, report.document)
    result = compute_figures(matrix)
    if report.document_id:
        result["sentences"] = sentence_rows(matrix)
    changes = [moment for moment in (matrix.latest_update, _latest_event(report)) if moment is not None]
    return result, matrix.annotation_count, max(changes) if changes else None


# --- requesting and running ------------------------------------------------------------------


def _ensure_reports(project_id: int, document_ids) -> None:
    AgreementReport.objects.bulk_create(
        [AgreementReport(project_id=project_id)]
        + [AgreementReport(project_id=project_id, document_id=pk) for pk in document_ids],
        ignore_conflicts=True,
    )


def _mark_stale(project_id: int, document_ids: list[int], now: datetime.datetime) -> list[int]:
    """Move `requested_at` of the project's report and the documents' reports to `now`; return their ids.

    It runs after every label save, and every reviewer of a project writes the same report row,
    so on PostgreSQL a report that is already pending with a request less than half a debounce
    window old is left as it is: no write, no row lock, no WAL flush. That is safe: `pending`
    means no run has begun since the last request, so the run to come reads every label
    committed before this statement, this save's included. (A running report is always moved:
    the run sees the newer request when it finishes and leaves the report pending.) The request
    time still moves every half window, so a burst of saves keeps deferring the run as
    `compute_report` expects. SQLite (the demo, one process) moves every report every time.
    """
    table = connection.ops.quote_name(AgreementReport._meta.db_table)
    scope = "document_id IS NULL"
    if document_ids:
        scope = f"(document_id IS NULL OR document_id IN ({', '.join(['%s'] * len(document_ids))}))"
    stamp = connection.ops.adapt_datetimefield_value(now)
    moved = "requested_at = %s, status = CASE WHEN {status} = %s THEN {status} ELSE %s END"
    if connection.vendor == "postgresql":
        recent = now - datetime.timedelta(seconds=settings.AGREEMENT_DEBOUNCE_SECONDS / 2)
        sql = (
            f"WITH reports AS (SELECT id, status, requested_at FROM {table} WHERE project_id = %s AND {scope}), "
            f"moved AS (UPDATE {table} r SET {moved.format(status='r.status')} FROM reports "
            "WHERE r.id = reports.id "
            "AND NOT (reports.status = %s AND reports.requested_at IS NOT NULL AND reports.requested_at >= %s)) "
            "SELECT id FROM reports"
        )
        params = [project_id, *document_ids, stamp, Status.RUNNING, Status.PENDING, Status.PENDING]
        params.append(connection.ops.adapt_datetimefield_value(recent))
    else:
        sql = f"UPDATE {table} SET {moved.format(status='status')} WHERE project_id = %s AND {scope} RETURNING id"
        params = [stamp, Status.RUNNING, Status.PENDING, project_id, *document_ids]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return sorted(row[0] for row in cursor.fetchall())


def request_recomputation(*, project_id: int, document_ids=()) -> list[int]:
    """Mark the project's report (and those of `document_ids`) stale, queue their recomputation; return their ids.

    The common case, a label saved where reports exist, costs one UPDATE; the rows are created
    the first time. The tasks are queued after the surrounding transaction commits, so a worker
    never reads labels that are not committed, and only when none is already due (see `_queue`).
    A broker that cannot be reached is logged, not raised: the labels are saved, the report stays
    `pending` and the next request (or POST) queues it again.
    """
    document_ids = sorted(set(document_ids))
    now = timezone.now()
    report_ids = _mark_stale(project_id, document_ids, now)
    if len(report_ids) < 1 + len(document_ids):
        existing = Document.objects.filter(project_id=project_id, pk__in=document_ids).values_list("pk", flat=True)
        document_ids = sorted(existing)
        with transaction.atomic():
            _ensure_reports(project_id, document_ids)
            report_ids = _mark_stale(project_id, document_ids, now)
    transaction.on_commit(lambda: _queue(report_ids, now))
    return report_ids


def _tasks_run_in_process() -> bool:
    from lede.celery_app import app

    return bool(app.conf.task_always_eager)


_schedule_clients: dict[str, object] = {}
# Marks known to be held, key -> time.monotonic() before which they certainly still exist: a
# burst of saves in one process asks Redis once per debounce window, not on every save.
_known_due: dict[str, float] = {}


def _claim_schedules(report_ids: list[int], seconds: float) -> list[int]:
    """The reports for which no task is due within `seconds`, now marked as having one.

    Each mark is an atomic `SET NX` in Redis (the broker's server) that expires when the task
    queued with it fires, so a save that finds the mark is always followed by that task, which
    reads the newest `requested_at` from the database. Without Redis the marks live in Django's
    cache (per process: coalescing is then per process, still correct). When the marks cannot be
    read every report is queued, as if none were due.
    """
    from lede.celery_app import app

    database = connection.settings_dict["NAME"]
    started = time.monotonic()
    keys = {f"lede:agreement-due:{database}:{report_id}": report_id for report_id in report_ids}
    unknown = [key for key in keys if _known_due.get(key, 0.0) <= started]
    if not unknown:
        return []
    url = app.conf.broker_url or ""
    try:
        if url.startswith(("redis://", "rediss://", "unix://")):
            import redis

            client = _schedule_clients.get(url)
            if client is None:
                client = _schedule_clients[url] = redis.Redis.from_url(url, socket_timeout=1)
            pipeline = client.pipeline(transaction=False)
            for key in unknown:
                pipeline.set(key, 1, nx=True, px=max(1, int(seconds * 1000)))
                pipeline.pttl(key)
            answers = pipeline.execute()
            claimed, lifetimes = answers[0::2], [ms / 1000 for ms in answers[1::2]]
        else:
            from django.core.cache import cache

            claimed = [cache.add(key, 1, timeout=seconds) for key in unknown]
            lifetimes = [seconds if ok else 0.0 for ok in claimed]
    except Exception:
        logger.exception("Could not read the recomputation schedule; queueing every report")
        return report_ids
    if len(_known_due) > 10_000:
        _known_due.clear()
    for key, lifetime in zip(unknown, lifetimes, strict=True):
        if lifetime > 0:
            _known_due[key] = started + lifetime
    return [keys[key] for key, ok in zip(unknown, claimed, strict=True) if ok]


def _queue(report_ids: list[int], requested_at: datetime.datetime, countdown: float | None = None) -> None:
    """Queue a recomputation of each report `countdown` seconds from now, unless one is already due by then.

    A burst of saves thus queues about one task per report and debounce window, not one per save.
    In-process tasks (no broker) run at once and are always queued.
    """
    from .tasks import compute_agreement_report

    countdown = settings.AGREEMENT_DEBOUNCE_SECONDS if countdown is None else countdown
    if countdown > 0 and not _tasks_run_in_process():
        report_ids = _claim_schedules(report_ids, countdown)
    for report_id in report_ids:
        try:
            compute_agreement_report.apply_async((report_id, requested_at.isoformat()), countdown=countdown)
        except Exception:  # the broker is down: keep the saved labels, leave the report pending
            logger.exception("Could not queue the recomputation of agreement report %s", report_id)


def is_current(report: AgreementReport) -> bool:
    return (
        report.status == Status.READY
        and report.started_at is not None
        and (report.requested_at is None or report.started_at >= report.requested_at)
    )


def stored_report(project: Project, document_id: int | None) -> AgreementReport | None:
    return (
        AgreementReport.objects.filter(project=project, document_id=document_id)
        .select_related("project")
        .defer("project__description")
        .first()
    )


def compute_report(report_id: int, *, requested_at: datetime.datetime | None = None) -> str:
    """Run one report if it needs it; return what happened: computed, current, superseded or gone.

    Safe to run twice, at the same time or after a crash: every run recomputes from the
    database and stores a complete result, and only a request newer than the run's start
    keeps the report from being marked ready.
    """
    report = AgreementReport.objects.select_related("project", "document").filter(pk=report_id).first()
    if report is None:
        return "gone"
    if is_current(report):
        return "current"
    now = timezone.now()
    max_wait = datetime.timedelta(seconds=settings.AGREEMENT_MAX_WAIT_SECONDS)
    superseded = requested_at is not None and report.requested_at is not None and report.requested_at > requested_at
    ran_lately = report.started_at is not None and now - report.started_at < max_wait
    if superseded and ran_lately:
        wait = (report.requested_at - now).total_seconds() + settings.AGREEMENT_DEBOUNCE_SECONDS
        if wait > 0:
            # The newer request may have found this task due and queued none of its own: follow it up.
            if not _tasks_run_in_process():
                _queue([report_id], report.requested_at, countdown=wait)
            return "superseded"
    AgreementReport.objects.filter(pk=report_id).update(status=Status.RUNNING, started_at=now)
    try:
        result, count, latest = build_result(report)
    except DatabaseError:
        raise
    except Exception as error:
        logger.exception("Agreement report %s failed", report_id)
        mark_failed(report_id, error)
        return "failed"
    with transaction.atomic():
        stored = AgreementReport.objects.select_for_update().get(pk=report_id)
        newer = stored.requested_at is not None and stored.requested_at > now
        AgreementReport.objects.filter(pk=report_id).update(
            status=Status.PENDING if newer else Status.READY,
            result=result,
            error="",
            computed_at=timezone.now(),
            annotation_count=count,
            latest_change=latest,
            computations=F("computations") + 1,
        )
    return "computed"


def mark_failed(report_id: int, error: BaseException) -> None:
    AgreementReport.objects.filter(pk=report_id).update(
        status=Status.FAILED, error=f"{type(error).__name__}: {error}"[:2000], computed_at=timezone.now()
    )


def compute_project_now(project: Project, *, progress=None) -> list[AgreementReport]:
    """Compute the project's report and every document's report in this process (management command)."""
    document_ids = list(Document.objects.filter(project=project).order_by("pk").values_list("pk", flat=True))
    _ensure_reports(project.pk, document_ids)
    reports = list(AgreementReport.objects.filter(project=project).order_by(F("document_id").asc(nulls_first=True)))
    AgreementReport.objects.filter(project=project).update(requested_at=timezone.now())
    for report in reports:
        compute_report(report.pk)
        if progress:
            progress(report)
    return list(AgreementReport.objects.filter(pk__in=[r.pk for r in reports]).order_by("pk"))
