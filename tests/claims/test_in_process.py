"""Without a broker (the demo) a label save answers at once and the report is recomputed just after, by a thread."""

import pytest

from claims.models import AgreementReport
from lede.celery_app import app
from tests.worker import wait_for

pytestmark = pytest.mark.django_db(transaction=True)  # the thread reads only what is committed


@pytest.fixture
def without_broker(settings):
    """The demo's configuration: Celery runs tasks in-process and the reports go to the thread."""
    settings.AGREEMENT_RECOMPUTE_IN_BACKGROUND = True
    settings.AGREEMENT_DEBOUNCE_SECONDS = 1
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


def project_report(team) -> AgreementReport:
    return AgreementReport.objects.get(project=team.project, document__isnull=True)


def test_a_save_answers_before_the_report_is_recomputed_and_the_report_is_ready_shortly_after(team, without_broker):
    sentence = team.document.sentences.order_by("index").first()

    team.save_label("annotator", sentence, "claim")

    report = project_report(team)
    assert (report.status, report.computations) == ("pending", 0)
    wait_for(lambda: project_report(team).status == "ready", timeout=30, what="the report to be recomputed")
    assert project_report(team).annotation_count == 1


def test_a_burst_of_saves_is_recomputed_once_with_every_label(team, settings, without_broker):
    settings.AGREEMENT_DEBOUNCE_SECONDS = 3
    sentences = list(team.document.sentences.order_by("index"))

    for who in ("annotator", "annotator2"):
        for sentence in sentences:
            team.save_label(who, sentence, "claim")

    wait_for(lambda: project_report(team).status == "ready", timeout=30, what="the report to be recomputed")
    report = project_report(team)
    assert report.annotation_count == 2 * len(sentences)
    assert report.computations == 1
