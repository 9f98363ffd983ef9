"""Reports built from the database: the array read from the labels, the stored figures, the coalescing rule."""

import datetime

import numpy as np
import pytest
from django.utils import timezone

from annotator import services
from annotator.models import Role
from claims import agreement, reports
from claims.models import AgreementReport
from tests.factories import AnnotationFactory, DocumentFactory, ProjectFactory, UserFactory, add_member

pytestmark = pytest.mark.django_db

ARTICLE = "One said this. Two said that. Three went home. Four was quiet."


@pytest.fixture
def label_and_commit(django_capture_on_commit_callbacks):
    """label_and_commit(sentence, user, name): save a label and run what its commit triggers (the eager
    recomputation), as in production."""

    def save(sentence, user, name):
        with django_capture_on_commit_callbacks(execute=True):
            AnnotationFactory(sentence=sentence, annotator=user, label=name)

    return save


@pytest.fixture
def study():
    """A project of three reviewers (zoe, amy, kim) with a four-sentence article, unlabelled:
    (project, document, sentences, reviewers)."""
    project = ProjectFactory(name="Study", owner=UserFactory(username="owner"))
    reviewers = [add_member(project, Role.ANNOTATOR, name) for name in ("zoe", "amy", "kim")]
    document = DocumentFactory(project=project, text=ARTICLE)
    sentences = list(document.sentences.order_by("index"))
    assert len(sentences) == 4
    return project, document, sentences, reviewers


def test_read_labels_places_each_label_at_its_sentence_and_reviewer(label_and_commit, study):
    project, _document, sentences, (zoe, amy, kim) = study
    label_and_commit(sentences[0], zoe, "claim")
    label_and_commit(sentences[0], amy, "quote")
    label_and_commit(sentences[2], kim, "opinion")

    matrix = reports.read_labels(project)

    assert matrix.coders == ["amy", "kim", "zoe"]
    assert matrix.categories == ["claim", "quote", "opinion"]
    assert matrix.sentence_ids.tolist() == [sentences[0].pk, sentences[2].pk]
    assert matrix.data.tolist() == [[1, -1, 0], [-1, 2, -1]]
    assert matrix.annotation_count == 3


def test_document_matrix_lists_unlabelled_sentences_in_order(label_and_commit, study):
    project, document, sentences, (zoe, amy, _) = study
    label_and_commit(sentences[3], zoe, "claim")
    label_and_commit(sentences[3], amy, "claim")

    matrix = reports.read_labels(project, document)

    assert matrix.sentence_ids.tolist() == [s.pk for s in sentences]
    assert matrix.data.tolist() == [[-1, -1], [-1, -1], [-1, -1], [0, 0]]


def test_stored_project_report_matches_the_statistics_on_the_same_labels(label_and_commit, study):
    project, _document, sentences, (zoe, amy, kim) = study
    given = {zoe: "claim claim quote opinion", amy: "claim quote quote opinion", kim: "claim claim quote claim"}
    for user, names in given.items():
        for sentence, name in zip(sentences, names.split(), strict=True):
            label_and_commit(sentence, user, name)

    report = AgreementReport.objects.get(project=project, document__isnull=True)

    categories = ["claim", "quote", "opinion"]
    by_coder = {"amy": given[amy], "kim": given[kim], "zoe": given[zoe]}
    data = np.array([[categories.index(by_coder[c].split()[u]) for c in sorted(by_coder)] for u in range(4)])
    expected = agreement.krippendorff_alpha(data, n_categories=3).alpha
    assert report.status == "ready"
    assert report.result["alpha"] == pytest.approx(expected)
    assert report.annotation_count == 12
    assert report.latest_change is not None


def test_interval_project_passes_label_values(label_and_commit, study):
    project = ProjectFactory(
        owner=UserFactory(username="ivan"),
        name="Scores",
        scale="interval",
        labels=[{"name": "low", "value": 0}, {"name": "mid", "value": 1}, {"name": "high", "value": 10}],
    )
    reviewers = [add_member(project, Role.ANNOTATOR, name) for name in ("p1", "p2")]
    document = DocumentFactory(project=project, text=ARTICLE)
    sentences = list(document.sentences.order_by("index"))
    pairs = [("low", "mid"), ("high", "high"), ("low", "low"), ("mid", "high")]
    for sentence, (a, b) in zip(sentences, pairs, strict=True):
        label_and_commit(sentence, reviewers[0], a)
        label_and_commit(sentence, reviewers[1], b)

    result = AgreementReport.objects.get(project=project, document__isnull=True).result

    data = np.array([[0, 1], [2, 2], [0, 0], [1, 2]])
    expected = agreement.krippendorff_alpha(data, n_categories=3, level="interval", values=[0, 1, 10]).alpha
    assert result["scale"] == "interval"
    assert result["alpha"] == pytest.approx(expected)


def test_deleting_a_label_recomputes_the_report(label_and_commit, study, django_capture_on_commit_callbacks):
    project, document, sentences, (zoe, amy, _) = study
    label_and_commit(sentences[0], zoe, "claim")
    label_and_commit(sentences[0], amy, "claim")
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_annotation(sentence=sentences[0], annotator=amy)

    report = AgreementReport.objects.get(project=project, document=document)
    assert report.status == "ready"
    assert report.annotation_count == 1
    assert report.result["alpha"] is None


def test_superseded_request_steps_aside_when_the_report_ran_lately(label_and_commit, study):
    project, _document, sentences, (zoe, _, _) = study
    label_and_commit(sentences[0], zoe, "claim")
    report = AgreementReport.objects.get(project=project, document__isnull=True)
    earlier = report.requested_at
    later = earlier + datetime.timedelta(milliseconds=5)
    AgreementReport.objects.filter(pk=report.pk).update(requested_at=later, status="pending")

    assert reports.compute_report(report.pk, requested_at=earlier) == "superseded"
    assert reports.compute_report(report.pk, requested_at=later) == "computed"
    assert reports.compute_report(report.pk, requested_at=later) == "current"


def test_superseded_request_still_runs_once_the_last_run_is_older_than_max_wait(label_and_commit, study, settings):
    project, _document, sentences, (zoe, _, _) = study
    label_and_commit(sentences[0], zoe, "claim")
    report = AgreementReport.objects.get(project=project, document__isnull=True)
    now = timezone.now()
    AgreementReport.objects.filter(pk=report.pk).update(
        requested_at=now, status="pending", started_at=now - datetime.timedelta(seconds=60)
    )
    settings.AGREEMENT_MAX_WAIT_SECONDS = 20

    assert reports.compute_report(report.pk, requested_at=now - datetime.timedelta(seconds=1)) == "computed"


def test_report_left_running_by_a_killed_worker_is_completed_by_the_next_run(label_and_commit, study):
    project, _document, sentences, (zoe, amy, _) = study
    label_and_commit(sentences[0], zoe, "claim")
    label_and_commit(sentences[0], amy, "quote")
    report = AgreementReport.objects.get(project=project, document__isnull=True)
    killed_at = timezone.now()
    AgreementReport.objects.filter(pk=report.pk).update(
        status="running", started_at=killed_at, requested_at=killed_at, result=None
    )

    assert reports.compute_report(report.pk, requested_at=killed_at) == "computed"

    report.refresh_from_db()
    assert report.status == "ready"
    assert report.result["alpha"] is not None or report.result["pairable_units"] == 1
    assert report.annotation_count == 2


def test_a_request_arriving_during_a_run_leaves_the_report_pending(label_and_commit, study, monkeypatch):
    project, _document, sentences, (zoe, _, _) = study
    label_and_commit(sentences[0], zoe, "claim")
    report = AgreementReport.objects.get(project=project, document__isnull=True)
    AgreementReport.objects.filter(pk=report.pk).update(status="pending", requested_at=timezone.now())
    build = reports.build_result

    def build_while_a_label_changes(report):
        result = build(report)
        AgreementReport.objects.filter(pk=report.pk).update(requested_at=timezone.now())
        return result

    monkeypatch.setattr(reports.figures, "build_result", build_while_a_label_changes)
    assert reports.compute_report(report.pk) == "computed"

    report.refresh_from_db()
    assert report.status == "pending"
    assert report.result is not None


def test_a_failed_run_shows_its_kind_and_logs_its_text(label_and_commit, study, monkeypatch, caplog):
    """An error's text may name the broker or the database; every viewer reads the report, so only the log has it."""
    project, _document, sentences, (zoe, _, _) = study
    label_and_commit(sentences[0], zoe, "claim")
    report = AgreementReport.objects.get(project=project, document__isnull=True)
    AgreementReport.objects.filter(pk=report.pk).update(status="pending", requested_at=timezone.now())

    def broken(report):
        raise ConnectionError("Error 111 connecting to redis://:hunter2@10.0.0.7:6379/0. Connection refused.")

    monkeypatch.setattr(reports.figures, "build_result", broken)
    assert reports.compute_report(report.pk) == "failed"

    report.refresh_from_db()
    assert report.status == "failed"
    assert report.error.startswith("ConnectionError: ")
    assert "10.0.0.7" not in report.error
    assert "hunter2" not in report.error
    assert "redis://:hunter2@10.0.0.7:6379/0" in caplog.text


@pytest.mark.postgresql
def test_a_waiting_report_is_rewritten_at_most_every_half_debounce_window(study, settings):
    """Every save asks for a recomputation; while the report already waits for one, most asks write nothing."""
    from django.db import connection

    settings.AGREEMENT_DEBOUNCE_SECONDS = 2
    project = study[0]

    def row_version(report_id) -> str:
        with connection.cursor() as cursor:
            cursor.execute("SELECT ctid::text FROM claims_agreementreport WHERE id = %(id)s", {"id": report_id})
            return cursor.fetchone()[0]

    def ask(at):
        [report_id] = reports.schedule.mark_stale(project.pk, at).agreement
        report = AgreementReport.objects.get(pk=report_id)
        return report, row_version(report_id)

    start = timezone.now()
    reports.schedule.ensure_reports(project.pk, [])
    first, version = ask(start)
    assert (first.status, first.requested_at) == ("pending", start)

    again, same_version = ask(start + datetime.timedelta(seconds=0.5))
    assert (again.requested_at, same_version) == (start, version)

    later, _ = ask(start + datetime.timedelta(seconds=1.5))
    assert later.requested_at == start + datetime.timedelta(seconds=1.5)

    AgreementReport.objects.filter(pk=first.pk).update(status="running")
    during_a_run, _ = ask(start + datetime.timedelta(seconds=1.6))
    assert (during_a_run.status, during_a_run.requested_at) == ("running", start + datetime.timedelta(seconds=1.6))

    AgreementReport.objects.filter(pk=first.pk).update(status="ready")
    after_it, _ = ask(start + datetime.timedelta(seconds=1.7))
    assert (after_it.status, after_it.requested_at) == ("pending", start + datetime.timedelta(seconds=1.7))


@pytest.mark.postgresql
def test_a_label_change_marks_the_reports_and_the_analyses_stale_in_one_statement(study):
    """Every save asks after commit; once the reports exist, one round trip marks all of them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from claims.models import AnalysisReport

    project, document, _sentences, _reviewers = study
    reports.schedule.ensure_reports(project.pk, [document.pk])
    analysis = AnalysisReport.objects.create(project=project)
    start = timezone.now()

    with CaptureQueriesContext(connection) as captured:
        report_ids = reports.request_recomputation(project_id=project.pk, document_ids=[document.pk], analyses=True)

    assert len(captured) == 1
    assert len(report_ids) == 2
    marked = AgreementReport.objects.filter(pk__in=report_ids, status="pending", requested_at__gte=start)
    assert marked.count() == 2
    analysis.refresh_from_db()
    assert (analysis.status, analysis.requested_at >= start) == ("pending", True)
