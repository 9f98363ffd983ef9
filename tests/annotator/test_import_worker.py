"""Integration: a real `celery worker` process imports a bulk JSONL file while the lead watches its progress."""

import io
import json
import time
from pathlib import Path

import pytest

from annotator.models import ArticleImport, Document
from annotator.services import imports

from ..factories import SAMPLE_ARTICLE
from ..worker import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ARTICLES = 300
LONG_ARTICLE = "\n\n".join([SAMPLE_ARTICLE] * 15)  # a long news article


def test_a_worker_imports_a_bulk_file_and_the_status_shows_its_progress(worker, team, settings):
    lines = [json.dumps({"text": LONG_ARTICLE, "title": f"Bridge {n}", "id": f"b-{n}"}) for n in range(ARTICLES)]
    upload = io.BytesIO("\n".join(lines).encode())
    upload.name = "bridges.jsonl"
    settings.ARTICLE_IMPORT_IN_REQUEST_BYTES = 0  # queued for the worker, however large this machine's limit
    owner = team.client("owner")

    response = owner.post(f"/api/v1/projects/{team.project.pk}/documents/import/", {"file": upload}, format="multipart")

    assert response.status_code == 202
    assert response.json()["status"] in ("pending", "running")
    assert response.json()["articles"] == ARTICLES
    seen = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        job = owner.get(response["Location"]).json()
        seen.append((job["processed"], job["progress"]))
        if job["status"] in ("ready", "failed"):
            break
        time.sleep(0.05)
    assert job["status"] == "ready", job
    assert job["created"] == ARTICLES
    assert seen == sorted(seen), "progress never goes back"
    # Progress is written at most every 0.2 s while the articles are split (see annotator.services.imports), and
    # once they all are; splitting these takes well under a second, so what a lead polling is sure to see is
    # the import between nothing and done, every article split, while it is saved.
    partial = {(processed, progress) for processed, progress in seen if 0 < progress < 100}
    assert (ARTICLES, imports.SPLITTING_SHARE) in partial, f"the lead should see the import advance, saw {seen}"
    assert Document.objects.filter(project=team.project, key__startswith="b-").count() == ARTICLES
    assert ArticleImport.objects.get().file.name == ""
    assert not any(Path(settings.MEDIA_ROOT).rglob("*.jsonl"))
    wait_for(lambda: not any(Path(settings.MEDIA_ROOT).rglob("*.jsonl")), timeout=5, what="the upload removed")


def follow(client, response, *, timeout: float = 120) -> list[dict]:
    """Every state a lead polling the job's Location reads, until it ended."""
    seen = [client.get(response["Location"]).json()]
    deadline = time.monotonic() + timeout
    while seen[-1]["status"] not in ("ready", "failed") and time.monotonic() < deadline:
        time.sleep(0.05)
        seen.append(client.get(response["Location"]).json())
    return seen


def test_the_bulk_worker_fetches_a_page_by_its_address_while_the_request_answers_at_once(worker, team, local_server):
    owner = team.client("owner")
    response = owner.post(
        f"/api/v1/projects/{team.project.pk}/documents/", {"url": f"{local_server}/news"}, format="json"
    )

    assert response.status_code == 202
    assert response.json()["status"] in ("pending", "running")
    job = follow(owner, response)[-1]
    assert (job["status"], job["created"], job["error"]) == ("ready", 1, None)
    document = Document.objects.get(pk=job["documents"][0])
    assert (document.project, document.title, document.url) == (
        team.project,
        "Bridge to reopen after two years",
        f"{local_server}/news",
    )
    assert "annotator.tasks.import_articles" in worker.log.read_text()


def test_a_slow_server_holds_the_worker_not_the_request_and_its_refusal_is_the_job_s_error(worker, team, local_server):
    owner = team.client("owner")
    response = owner.post(
        f"/api/v1/projects/{team.project.pk}/documents/", {"url": f"{local_server}/slow"}, format="json"
    )

    assert response.status_code == 202
    assert response.json()["status"] in ("pending", "running"), "the request did not wait for the page"
    seen = follow(owner, response)
    assert "running" in [job["status"] for job in seen], "the lead sees the worker fetching"
    assert seen[-1]["status"] == "failed"
    assert seen[-1]["error"] == {"url": ["The server answered 404 Not Found."]}
    assert not Document.objects.filter(project=team.project).exclude(pk=team.document.pk).exists()


def test_the_worker_refuses_an_address_that_is_not_public(worker, team, local_server):
    owner = team.client("owner")
    response = owner.post(
        f"/api/v1/projects/{team.project.pk}/documents/", {"url": f"{local_server}/to-private"}, format="json"
    )

    job = follow(owner, response)[-1]
    assert job["status"] == "failed"
    assert "'10.0.0.1' is not a public address" in job["error"]["url"][0]
