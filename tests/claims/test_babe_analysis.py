"""Integration on real data: BABE SG2's per-outlet opinion shares and their intervals on every reviewer's label
and on the plurality label, from the API and from the CSV computed independently here (plain Python and
NumPy's generator, drawing as `claims.analysis` documents)."""

import csv
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest
from django.conf import settings

from claims import analysis
from tests.factories import UserFactory

BABE = Path(__file__).resolve().parents[3] / "shared" / "datasets" / "babe"
COLUMNS = {
    "unit_column": "unit_id",
    "annotator_column": "coder_id",
    "label_column": "opinion",
    "document_column": "article",
    "url_column": "news_link",
    "outlet_column": "outlet",
}

pytestmark = pytest.mark.django_db


def sg2_rows(path):
    """SG2's rows without its one textless row (which the import rightly refuses). A sentence's article is the
    first link its rows give (a few sentences' rows disagree); a sentence without one is an article of its own."""
    with path.open(newline="", encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if row["text"]]
    article = {}
    for row in rows:
        if not article.get(row["unit_id"]):
            article[row["unit_id"]] = row["news_link"]
    return [{**row, "article": article[row["unit_id"]] or f"no-link:{row['unit_id']}"} for row in rows]


def opinion_weight(given: list[str], basis: str) -> float:
    """How much of a labelled sentence counts as opinion: on `labels` each of its k labels weighs 1/k; on
    `plurality` its most frequent labels share it equally."""
    if basis == "labels":
        return sum(label == "opinion" for label in given) / len(given)
    counts = {label: given.count(label) for label in given}
    top = [label for label, count in counts.items() if count == max(counts.values())]
    return ("opinion" in top) / len(top)


def expected_opinion_shares(rows, resamples: int, basis: str) -> dict[str, tuple[float, list[float]]]:
    """Per outlet: the opinion share on `basis` and its interval from resampling the outlet's articles (in
    order of first appearance, as the import creates them). An article whose rows name different outlets has
    none, as the import keeps only an outlet all rows agree on."""
    labels = defaultdict(list)
    article_of, outlets_of, articles = {}, defaultdict(set), []
    for row in rows:
        if row["article"] not in outlets_of:
            articles.append(row["article"])
        article_of[row["unit_id"]] = row["article"]
        outlets_of[row["article"]].add(row["outlet"])
        if row["opinion"]:
            labels[row["unit_id"]].append(row["opinion"])
    opinion, total = defaultdict(float), defaultdict(float)
    for unit, given in labels.items():
        opinion[article_of[unit]] += opinion_weight(given, basis)
        total[article_of[unit]] += 1
    by_outlet = defaultdict(list)
    for article in articles:
        if total[article]:
            by_outlet[next(iter(outlets_of[article])) if len(outlets_of[article]) == 1 else ""].append(article)
    rng = np.random.default_rng(0)
    expected = {}
    for outlet in sorted(by_outlet, key=lambda name: (name == "", name)):
        num = np.array([opinion[article] for article in by_outlet[outlet]])
        den = np.array([total[article] for article in by_outlet[outlet]])
        drawn = rng.integers(0, len(num), size=(resamples, len(num)))
        replicates = num[drawn].sum(axis=1) / den[drawn].sum(axis=1)
        # Expanded percentile levels (tested against SciPy's t in test_analysis); none under the article minimum.
        interval = np.quantile(replicates, analysis.expanded_levels(len(num))).tolist()
        expected[outlet] = (num.sum() / den.sum(), interval if len(num) >= analysis.MIN_GROUP_ARTICLES else None)
    return expected


def test_babe_sg2_opinion_share_per_outlet_on_each_basis_equals_an_independent_computation(
    api_client, tmp_path, django_capture_on_commit_callbacks, data_outside_repository
):
    rows = sg2_rows(data_outside_repository(BABE / "tidy_SG2.csv"))
    kept = tmp_path / "sg2.csv"
    with kept.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    api_client.force_authenticate(UserFactory(username="lena"))
    project = api_client.post("/api/v1/projects/", {"name": "SG2", "labels": [{"name": "factual"}]}, format="json")
    url = f"/api/v1/projects/{project.json()['id']}"
    with django_capture_on_commit_callbacks(execute=True), kept.open("rb") as upload:
        imported = api_client.post(
            f"{url}/annotations/import/", {"file": upload, **COLUMNS, "add_labels": True}, format="multipart"
        )
        assert imported.status_code == 201, imported.content[:2000]
        for basis in ("labels", "plurality"):
            api_client.get(f"{url}/analysis/", {"by": "outlet", "basis": basis})

    for basis in ("labels", "plurality"):
        body = api_client.get(f"{url}/analysis/", {"by": "outlet", "basis": basis}).json()

        assert body["status"] == "ready"
        expected = expected_opinion_shares(rows, settings.AGREEMENT_BOOTSTRAP_RESAMPLES, basis)
        assert [group["name"] for group in body["groups"]] == list(expected)
        assert len(expected) > 10
        for group in body["groups"]:
            estimate, interval = expected[group["name"]]
            assert group["shares"]["opinion"]["estimate"] == pytest.approx(estimate, abs=1e-6), (basis, group["name"])
            if interval is None:
                assert group["shares"]["opinion"]["ci95"] is None, (basis, group["name"])
            else:
                assert group["shares"]["opinion"]["ci95"] == pytest.approx(interval, abs=1e-6), (basis, group["name"])
