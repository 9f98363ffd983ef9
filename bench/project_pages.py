"""Time to settled, in Chromium, of the project page of 1,000 articles and the agreement page of 50 reviewers.

Builds with COPY, in a dedicated PostgreSQL database (default `lede_bench_project_pages`, dropped and
created again):

- a project of `--articles` articles (50 to 200 sentences each) labelled by 5 reviewers (every
  reviewer most of the articles, some half-way), a third of them with decisions on some sentences,
  a reviewer assigned to each article;
- a project of `--reviewers` reviewers: 60 articles of 40 sentences, each sentence labelled by 10 of
  them at random, so that every pair shares sentences; its reports (the project's and every
  article's) computed by the real computation (`compute_project_now`) before anything is measured.

Then it renders each page through Django's test client in this process (server time, median of 5,
and query count), starts gunicorn with the production settings on a free loopback port and opens in
Chromium (Playwright, /usr/bin/chromium), `--rounds` times each in one run: the projects page (`/`,
the reference), the project page (`/projects/{id}/`) and the agreement page
(`/projects/{id}/agreement/`), all as the lead. "Settled" is as in `bench/curate_page.py`: the later
of the last response's end (its per-article reports included) and the first frame after `load`.
It also prints each page's element count and the longest task the browser ran while loading it.

Run: .venv/bin/python bench/project_pages.py [--articles 1000] [--reviewers 50] [--rounds 5]
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

from curate_page import CHROMIUM, PASSWORD, SETTLED_PROBE, log_in, settled_ms
from recompute import copy_rows
from support import free_port, recreate_database, setup_django, start_production_server, stop

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
LEAD = "bench-lead"
PANEL_ARTICLES = 60
PANEL_SENTENCES = 40
LABELS_PER_SENTENCE = 10
NOW = "2024-05-01 12:00:00+00"

# Long tasks (over 50 ms) while the page loads, observed from the first script on.
LONG_TASKS_PROBE = """
window.__longTasks = [];
new PerformanceObserver((list) => window.__longTasks.push(...list.getEntries().map((e) => e.duration)))
  .observe({ type: "longtask", buffered: true });
"""


def _users(cursor, prefix: str, count: int) -> list[int]:
    from django.contrib.auth.hashers import make_password

    password = make_password(PASSWORD)
    ids = []
    for number in range(count):
        cursor.execute(
            "INSERT INTO auth_user (username, password, is_superuser, first_name, last_name, email, is_staff,"
            " is_active, date_joined) VALUES (%s, %s, false, '', '', '', false, true, %s) RETURNING id",
            [f"{prefix}-{number}", password, NOW],
        )
        ids.append(cursor.fetchone()[0])
    return ids


def _documents(cursor, project_id: int, lengths: list[int]) -> list[tuple[int, list[int]]]:
    """Articles of the given sentence counts; (document id, its sentence ids) for each."""
    cursor.execute("SELECT coalesce(max(id), 0) FROM annotator_document")
    first_doc = cursor.fetchone()[0] + 1
    cursor.execute("SELECT coalesce(max(id), 0) FROM annotator_sentence")
    next_sentence = cursor.fetchone()[0] + 1
    outlets = ["Daily Bench", "The Morning Paper", "Evening Wire", "Coast Herald"]
    body = "The minister said on Tuesday that the plan would cost more than expected."
    documents, sentence_lines, document_lines = [], [], []
    for d, length in enumerate(lengths):
        pk = first_doc + d
        text = " ".join([body] * length)
        document_lines.append(
            f"{pk}\t{project_id}\tdoc-{pk}\tArticle {d} on the council budget\t\t{outlets[d % 4]}\t"
            f"https://news.example/{pk}\t2024-{1 + d % 12:02d}-{1 + d % 28:02d}\ttext\t{text}\t{NOW}\t"
            "{}\t[]\t[]\tf\t0\tf\n"
        )
        ids = list(range(next_sentence, next_sentence + length))
        for index, sentence in enumerate(ids):
            start = index * (len(body) + 1)
            sentence_lines.append(f"{sentence}\t{pk}\t{index}\t0\t{start}\t{start + len(body)}\t{body}\t\n")
        next_sentence += length
        documents.append((pk, ids))
    columns = (
        "id, project_id, key, title, author, outlet, url, published, format, text, created, attributes, topics, "
        "removed, calibration, coverage, training"
    )
    copy_rows(cursor, "annotator_document", columns, document_lines)
    columns = 'id, document_id, index, paragraph, start, "end", text, key'
    copy_rows(cursor, "annotator_sentence", columns, sentence_lines)
    for table in ("annotator_document", "annotator_sentence"):
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
    return documents


def _annotations(cursor, rows) -> int:
    lines = [f"{sentence}\t{annotator}\t{label}\t\t\t{NOW}\t{NOW}\n" for sentence, annotator, label in rows]
    columns = "sentence_id, annotator_id, label_id, speaker, note, created, updated"
    copy_rows(cursor, "annotator_annotation", columns, lines)
    return len(lines)


def build_large_project(articles: int) -> dict:
    """The project of `articles` articles and 5 reviewers; its id and how many labels it has."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from annotator import services
    from annotator.models import Label, Membership, Role

    lead = get_user_model().objects.get(username=LEAD)
    project = services.create_project(owner=lead, name="A thousand articles")
    labels = list(Label.objects.filter(project=project).values_list("pk", flat=True))
    chosen = random.Random(17)
    with transaction.atomic(), connection.cursor() as django_cursor:
        cursor = django_cursor.cursor
        reviewers = _users(cursor, "bench-reviewer", 5)
        Membership.objects.bulk_create(Membership(project=project, user_id=pk, role=Role.ANNOTATOR) for pk in reviewers)
        documents = _documents(cursor, project.pk, [chosen.randint(50, 200) for _ in range(articles)])
        rows = []
        for _, sentence_ids in documents:
            for reviewer in reviewers:
                share = chosen.choice((0.0, 0.5, 1.0, 1.0, 1.0))
                for sentence in sentence_ids[: int(len(sentence_ids) * share)]:
                    shift = reviewer if chosen.random() < 0.3 else 0
                    rows.append((sentence, reviewer, labels[(sentence + shift) % 3]))
        count = _annotations(cursor, rows)
        decisions = [
            f"{sentence}\t{project.pk}\t{labels[sentence % 3]}\tadjudicated\t5\t\t\t\t{lead.pk}\t{NOW}\n"
            for _, sentence_ids in documents[::3]
            for sentence in sentence_ids[::4]
        ]
        copy_rows(
            cursor,
            "curation_decision",
            "sentence_id, project_id, label_id, provenance, labels, speaker, rationale, category, decided_by_id,"
            " decided_at",
            decisions,
        )
        assignments = [
            f"{project.pk}\t{pk}\t{reviewers[d % 5]}\t{lead.pk}\t{NOW}\t{NOW}\n" for d, (pk, _) in enumerate(documents)
        ]
        copy_rows(
            cursor,
            "annotator_assignment",
            "project_id, document_id, reviewer_id, assigned_by_id, assigned, touched",
            assignments,
        )
        services.settle_finished(project=project)
        cursor.execute("ANALYZE")
    return {"project": project.pk, "labels": count}


def build_panel_project(reviewer_count: int) -> dict:
    """The project of `reviewer_count` reviewers with its reports computed; its id and label count."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from annotator import services
    from annotator.models import Label, Membership, Project, Role
    from claims.reports import compute_project_now

    lead = get_user_model().objects.get(username=LEAD)
    project = services.create_project(owner=lead, name="A panel of fifty")
    labels = list(Label.objects.filter(project=project).values_list("pk", flat=True))
    chosen = random.Random(50)
    with transaction.atomic(), connection.cursor() as django_cursor:
        cursor = django_cursor.cursor
        reviewers = _users(cursor, "bench-panel", reviewer_count)
        Membership.objects.bulk_create(Membership(project=project, user_id=pk, role=Role.ANNOTATOR) for pk in reviewers)
        documents = _documents(cursor, project.pk, [PANEL_SENTENCES] * PANEL_ARTICLES)
        rows = []
        for _, sentence_ids in documents:
            for sentence in sentence_ids:
                truth = chosen.choice(labels)
                for reviewer in chosen.sample(reviewers, min(LABELS_PER_SENTENCE, len(reviewers))):
                    rows.append((sentence, reviewer, truth if chosen.random() < 0.75 else chosen.choice(labels)))
        count = _annotations(cursor, rows)
        cursor.execute("ANALYZE")
    started = time.perf_counter()
    compute_project_now(Project.objects.get(pk=project.pk))
    print(f"Computed the panel's {PANEL_ARTICLES + 1} reports in {time.perf_counter() - started:.1f} s")
    return {"project": project.pk, "labels": count}


def server_side(paths: dict[str, str], rounds: int = 5) -> dict[str, tuple[float, int]]:
    """Per page: median milliseconds through Django's test client (no network) and the query count."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(get_user_model().objects.get(username=LEAD))
    found = {}
    for name, path in paths.items():
        client.get(path)
        times = []
        for _ in range(rounds):
            started = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        found[name] = (statistics.median(times), len(queries))
    return found


def browser_side(context, url: str) -> dict:
    """Element count, longest task and requests of one load, once the network is idle."""
    page = context.new_page()
    page.goto(url, wait_until="networkidle")
    figures = page.evaluate(
        """() => ({
          elements: document.getElementsByTagName("*").length,
          longest: Math.max(0, ...window.__longTasks),
          blocked: window.__longTasks.reduce((sum, d) => sum + d, 0),
          requests: performance.getEntriesByType("resource").length,
        })"""
    )
    page.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--reviewers", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--database", default="lede_bench_project_pages")
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    database_url = f"{args.server}/{args.database}"
    recreate_database(args.server, args.database)
    setup_django(database_url, tasks_in_process=True)
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user(LEAD, password=PASSWORD)
    started = time.perf_counter()
    large = build_large_project(args.articles)
    panel = build_panel_project(args.reviewers)
    print(
        f"Built {args.articles:,} articles x 5 reviewers ({large['labels']:,} labels) and {PANEL_ARTICLES} articles"
        f" x {args.reviewers} reviewers ({panel['labels']:,} labels) in {time.perf_counter() - started:.0f} s"
    )
    pages = {
        "projects page (reference)": "/",
        f"project page, {args.articles:,} articles": f"/projects/{large['project']}/",
        f"agreement page, {args.reviewers} reviewers": f"/projects/{panel['project']}/agreement/",
    }
    server = server_side(pages)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    gunicorn = start_production_server(database_url, port, workers=args.workers)
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            context.add_init_script(SETTLED_PROBE + LONG_TASKS_PROBE)
            log_in(context, base, LEAD)
            times = {name: [] for name in pages}
            for path in pages.values():
                settled_ms(context, base + path)  # warm caches: the server's and the browser's
            for _ in range(args.rounds):
                for name, path in pages.items():
                    times[name].append(settled_ms(context, base + path))
            loads = {name: browser_side(context, base + path) for name, path in pages.items()}
            browser.close()
    finally:
        stop(gunicorn)

    load = os.getloadavg()
    print(
        f"\nChromium, gunicorn x{args.workers}, PostgreSQL; settled: median of {args.rounds} loads after one warm-up;"
        f" server: Django's test client, median of 5. Load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
        " (machine shared with other work: compare with the reference)"
    )
    print(
        f"{'page':<32}{'settled ms':>11}{'min':>7}{'max':>7}{'server ms':>11}{'queries':>9}{'elements':>10}"
        f"{'longest task ms':>17}{'requests':>10}"
    )
    for name, values in times.items():
        ms, queries = server[name]
        b = loads[name]
        print(
            f"{name:<32}{statistics.median(values):>11.0f}{min(values):>7.0f}{max(values):>7.0f}{ms:>11.0f}"
            f"{queries:>9}{b['elements']:>10}{b['longest']:>17.0f}{b['requests']:>10}"
        )
    for name in list(pages)[1:]:
        verdict = "met" if statistics.median(times[name]) < 1000 else "MISSED"
        print(f"{name}: target < 1000 ms {verdict}")


if __name__ == "__main__":
    main()
