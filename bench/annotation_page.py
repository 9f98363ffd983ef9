"""Server time and query count of the annotation screen for a 200-sentence article, against a trivial page.

Run: .venv/bin/python bench/annotation_page.py  (DATABASE_URL picks the database; default SQLite file)
Builds a throw-away project in a test database, labels 150 of the 200 sentences with a source each,
then renders GET /documents/{id}/ through Django's test client (the whole server side: middleware,
session, view, template; no network) and, as the reference in the same run, the login page.
Target: under 300 ms median, and the same number of queries for a 2-sentence and a 200-sentence article.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lede.settings.test")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from support import throwaway_test_database  # noqa: E402

ROUNDS = 30


def timed(client: Client, url: str) -> tuple[float, float, int]:
    """Median and p95 in milliseconds over ROUNDS requests, and the query count of one."""
    client.get(url)
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], len(queries)


def main() -> None:
    from annotator import services
    from tests.factories import DocumentFactory, ProjectFactory, UserFactory, label_document

    owner = UserFactory(username="bench-lead")
    project = ProjectFactory(owner=owner, name="Bench")
    short = DocumentFactory(project=project, text="One sentence here. Another one there.")
    long = DocumentFactory(project=project, text=" ".join(f"Sentence number {n} says something." for n in range(200)))
    assert long.sentences.count() == 200
    evidence = services.SourceInput(url="https://example.org/evidence", title="Evidence")
    for document in (short, long):
        label_document(document, owner, ["claim"] * 150, sources=[evidence], speaker="A speaker")
    client = Client()
    client.force_login(owner)
    reference = timed(Client(), "/accounts/login/")
    small = timed(client, f"/documents/{short.pk}/")
    big = timed(client, f"/documents/{long.pk}/")
    print(f"database: {connection.vendor}, {ROUNDS} requests each, server side only (Django test client)")
    print(f"{'page':<40}{'median ms':>10}{'p95 ms':>10}{'queries':>9}")
    for name, (median, p95, queries) in [
        ("login page (reference)", reference),
        ("annotation screen, 2 sentences", small),
        ("annotation screen, 200 sentences", big),
    ]:
        print(f"{name:<40}{median:>10.1f}{p95:>10.1f}{queries:>9}")
    verdict = "met" if big[0] < 300 else "MISSED"
    print(f"200-sentence screen / reference: {big[0] / reference[0]:.1f}x; target < 300 ms: {verdict}")
    print(f"fixed query count: {'yes' if small[2] == big[2] else 'NO'} ({small[2]} vs {big[2]})")


if __name__ == "__main__":
    with throwaway_test_database():
        main()
