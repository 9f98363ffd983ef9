"""Integration: a real `celery worker` process keeps agreement reports and analyses fresh while reviewers save
labels and curators decide.

The worker runs against Redis and the same PostgreSQL test database as this test (transactional
tests commit, so the worker sees the labels). It listens on a queue of its own, so that other
workers on this machine never take these tasks.
"""

import numpy as np
import pytest
from django.db import connection
from django.utils import timezone

from claims import agreement
from claims.models import AgreementReport, AnalysisReport
from tests.factories import DocumentFactory
from tests.worker import wait_for

# How long a test waits for the worker: generous, since a busy machine delays it; a passing wait returns at once.
WAIT = 120

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def thirty_sentences(team):
    """The sentences of a second article of the team's, 30 of them."""
    text = " ".join(f"Sentence number {n} says something." for n in range(1, 31))
    document = DocumentFactory(project=team.project, text=text, title="Thirty")
    sentences = list(document.sentences.order_by("index"))
    assert len(sentences) == 30
    return sentences


def project_report(project):
    return AgreementReport.objects.filter(project=project, document__isnull=True).first()


def test_worker_computes_the_report_after_labels_are_saved_through_the_api(worker, team):
    given = {"annotator": ["claim", "quote", "opinion", "claim"], "annotator2": ["claim", "quote", "claim", "claim"]}
    sentences = list(team.document.sentences.order_by("index"))
    for who, names in given.items():
        for sentence, name in zip(sentences, names, strict=True):
            assert team.save_label(who, sentence, name).status_code == 201

    report = wait_for(
        lambda: (r := project_report(team.project)) and r.status == "ready" and r.annotation_count == 8 and r,
        timeout=WAIT,
        what="the project report",
    )

    categories = ["claim", "quote", "opinion"]
    data = np.array([[categories.index(a), categories.index(b)] for a, b in zip(*given.values(), strict=True)])
    expected = agreement.krippendorff_alpha(data, n_categories=3).alpha
    assert report.result["alpha"] == pytest.approx(expected)
    assert report.result["annotators"] == 2
    body = team.client("viewer").get(f"/api/v1/projects/{team.project.pk}/agreement/").json()
    assert body["current"] is True
    assert body["alpha"] == pytest.approx(expected)
    document_report = wait_for(
        lambda: (r := AgreementReport.objects.get(document=team.document)).status == "ready" and r,
        timeout=WAIT,
        what="the document report",
    )
    assert document_report.result["alpha"] == pytest.approx(expected)


def test_a_burst_of_thirty_saves_coalesces_into_a_handful_of_runs(worker, team, thirty_sentences):
    for sentence in thirty_sentences:
        assert team.save_label("annotator", sentence).status_code == 201
    last_save = timezone.now()

    report = wait_for(
        lambda: (r := project_report(team.project)) and r.status == "ready" and r.annotation_count == 30 and r,
        timeout=WAIT,
        what="the report after the burst",
    )

    assert 1 <= report.computations <= 5
    assert report.computed_at > last_save
    assert report.result["per_label"]["claim"]["count"] == 30


def other_backends() -> set[int]:
    """The PostgreSQL backends connected to the test database other than this test's own."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return {pid for (pid,) in cursor.fetchall()}


def test_the_worker_keeps_its_database_connection_from_one_report_run_to_the_next(worker, team):
    """Each save's recomputation is a short task: a new PostgreSQL backend for each would cost more than the run."""
    first, second = team.document.sentences.order_by("index")[:2]
    assert team.save_label("annotator", first).status_code == 201
    wait_for(
        lambda: (r := project_report(team.project)) and r.status == "ready" and r.annotation_count == 1,
        timeout=WAIT,
        what="the first run",
    )
    kept = wait_for(other_backends, timeout=WAIT, what="the worker's connection after its runs")

    assert team.save_label("annotator", second, "quote").status_code == 201
    wait_for(
        lambda: (r := project_report(team.project)) and r.status == "ready" and r.annotation_count == 2,
        timeout=WAIT,
        what="the second run",
    )
    assert other_backends() == kept


def test_a_report_left_running_by_a_killed_worker_is_completed_by_the_next_request(worker, team):
    sentence = team.document.sentences.first()
    for who in ("annotator", "annotator2"):
        team.save_label(who, sentence, "quote")
    wait_for(lambda: (r := project_report(team.project)) and r.status == "ready", timeout=WAIT, what="the first run")
    # What a worker killed half-way through a run leaves behind.
    AgreementReport.objects.filter(project=team.project).update(status="running", result=None)
    team.save_label("owner", sentence, "quote")

    report = wait_for(
        lambda: (r := project_report(team.project)) and r.status == "ready" and r.result and r,
        timeout=WAIT,
        what="the interrupted report to be completed",
    )
    assert report.annotation_count == 3
    assert report.result["percent_agreement"] == 1.0


def test_worker_recomputes_the_gold_figures_after_a_decision_through_the_api(worker, team):
    sentences = list(team.document.sentences.order_by("index"))
    for sentence, name in zip(sentences, ["claim", "quote", "opinion", "claim"], strict=True):
        assert team.save_label("annotator", sentence, name).status_code == 201
    wait_for(
        lambda: (r := project_report(team.project)) and r.status == "ready" and r.annotation_count == 4,
        timeout=WAIT,
        what="the project report",
    )
    for sentence, name in zip(sentences[:2], ["claim", "opinion"], strict=True):
        response = team.client("curator").put(f"/api/v1/sentences/{sentence.pk}/decision/", {"label": name})
        assert response.status_code == 201

    def gold_is_fresh():
        report = project_report(team.project)
        gold = report.result.get("gold") if report.status == "ready" and report.result else None
        return gold if gold and gold["decided"] == 2 else None

    gold = wait_for(gold_is_fresh, timeout=WAIT, what="the gold figures")
    assert [(row["reviewer"], row["n"], row["agreed"]) for row in gold["reviewers"]] == [("anna", 2, 1)]


def test_worker_recomputes_the_gold_analysis_after_a_curator_decides(worker, team):
    curator, sentences = team.client("curator"), list(team.document.sentences.order_by("index"))
    url = f"/api/v1/projects/{team.project.pk}/analysis/"
    decide = f"/api/v1/sentences/{sentences[0].pk}/decision/"
    assert curator.put(decide, {"label": "claim"}, format="json").status_code == 201
    assert curator.get(url).json()["basis"] == "combined"  # the default: gold where decided, plurality elsewhere

    def gold(decisions):
        body = curator.get(url, {"basis": "gold"}).json()
        return body["status"] == "ready" and body["current"] and body["n"].get("decisions") == decisions and body

    first = wait_for(lambda: gold(1), timeout=WAIT, what="the gold analysis")
    assert first["groups"][0]["shares"]["claim"]["estimate"] == 1.0
    decide = f"/api/v1/sentences/{sentences[1].pk}/decision/"
    assert curator.put(decide, {"label": "opinion", "speaker": ""}, format="json").status_code == 201

    second = wait_for(lambda: gold(2), timeout=WAIT, what="the gold analysis after the second decision")
    assert second["groups"][0]["shares"]["claim"]["estimate"] == 0.5
    assert AnalysisReport.objects.get(project=team.project, basis="gold").computations == 2
