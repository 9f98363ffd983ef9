"""Integration: BABE's raw expert labels imported through the API reproduce the published alpha."""

from pathlib import Path

import pytest

from claims.models import AgreementReport

# BABE's raw labels are not redistributed with Lede: they sit beside the checkout, in ../shared/.
BABE_FOLDER = Path(__file__).resolve().parents[3] / "shared" / "datasets" / "babe"
# BABE sampled sentences one by one (some rows have no article link): each is a document of its own, the unit
# alpha's interval resamples.
BABE_COLUMNS = {
    "unit_column": "unit_id",
    "annotator_column": "coder_id",
    "label_column": "bias",
    "document_column": "unit_id",
}

pytestmark = pytest.mark.django_db


@pytest.fixture
def babe(data_outside_repository) -> Path:
    return data_outside_repository(BABE_FOLDER)


def import_babe(client, path: Path) -> tuple[int, dict]:
    project = client.post(
        "/api/v1/projects/", {"name": path.stem, "labels": [{"name": "0.0"}, {"name": "1.0"}]}, format="json"
    ).json()
    with path.open("rb") as upload:
        response = client.post(
            f"/api/v1/projects/{project['id']}/annotations/import/",
            {"file": upload, **BABE_COLUMNS, "annotator_prefix": "babe-"},
            format="multipart",
        )
    assert response.status_code == 201, response.content[:2000]
    return project["id"], response.json()


def test_babe_sg1_bias_reproduces_the_published_alpha(babe, lead_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        project_id, summary = import_babe(lead_client, babe / "tidy_SG1.csv")

    assert summary["sentences"] == 1708
    assert summary["annotations"] == 13597 - 27
    assert summary["missing_labels"] == 27
    assert len(summary["annotators_created"]) == 8
    report = lead_client.get(f"/api/v1/projects/{project_id}/agreement/").json()
    assert report["status"] == "ready"
    assert round(report["alpha"], 3) == 0.388
    assert report["annotators"] == 8
    lo, hi = report["alpha_ci95"]
    assert lo < report["alpha"] < hi
    assert report["bootstrap"]["unit"] == "article"
    assert report["bootstrap"]["articles"] > 1000
    assert AgreementReport.objects.get(project_id=project_id, document__isnull=True).annotation_count == 13570


def test_babe_sg2_without_its_textless_row_reproduces_the_published_alpha(
    babe, lead_client, tmp_path, django_capture_on_commit_callbacks
):
    """SG2 holds one row (unit SG2-00000) with no sentence text, which the import rightly refuses; drop it."""
    lines = (babe / "tidy_SG2.csv").read_bytes().splitlines(keepends=True)
    kept = tmp_path / "tidy_SG2.csv"
    kept.write_bytes(b"".join(line for line in lines if not line.startswith(b"SG2-00000,,")))
    assert len(lines) - len(kept.read_bytes().splitlines()) == 1

    with django_capture_on_commit_callbacks(execute=True):
        project_id, _ = import_babe(lead_client, kept)

    report = lead_client.get(f"/api/v1/projects/{project_id}/agreement/").json()
    assert round(report["alpha"], 2) == 0.40


def test_babe_sg2_as_published_is_refused_naming_the_textless_row(babe, lead_client):
    project = lead_client.post(
        "/api/v1/projects/", {"name": "SG2", "labels": [{"name": "0.0"}, {"name": "1.0"}]}
    ).json()
    with (babe / "tidy_SG2.csv").open("rb") as upload:
        response = lead_client.post(
            f"/api/v1/projects/{project['id']}/annotations/import/",
            {"file": upload, **BABE_COLUMNS},
            format="multipart",
        )

    assert response.status_code == 400, response.content
    assert any("Row 16478" in message and "SG2-00000" in message for message in response.json()["file"])
    assert AgreementReport.objects.filter(project_id=project["id"]).count() == 0
