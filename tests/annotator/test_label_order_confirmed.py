"""A scheme whose order came from an import is not taken as a scale's order: the switch asks for it (item 7 of #26)."""

import pytest

from annotator import services

from ..factories import ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(client):
    lead = UserFactory()
    project = ProjectFactory(owner=lead, labels=[{"name": "agree"}])
    services.append_labels(project=project, names=["strongly agree", "disagree"])
    client.force_login(lead)
    return client, project


def patch(client, project, body):
    return client.patch(f"/api/v1/projects/{project.pk}/", body, content_type="application/json")


@pytest.mark.parametrize("scale", ["ordinal", "interval"])
def test_switching_imported_labels_to_an_ordered_scale_without_the_order_is_refused_naming_labels(imported, scale):
    client, project = imported
    response = patch(client, project, {"scale": scale})
    assert response.status_code == 400
    assert "labels" in response.json()
    project.refresh_from_db()
    assert project.scale == "nominal"


def test_the_order_sent_with_the_switch_becomes_the_scale(imported):
    client, project = imported
    order = ["disagree", "agree", "strongly agree"]
    response = patch(client, project, {"scale": "ordinal", "labels": [{"name": name} for name in order]})
    assert response.status_code == 200
    assert [label["name"] for label in response.json()["labels"]] == order
    assert response.json()["scale"] == "ordinal"


def test_a_scheme_saved_in_order_first_lets_the_scale_switch_alone(imported):
    client, project = imported
    labels = client.get(f"/api/v1/projects/{project.pk}/").json()["labels"]
    assert patch(client, project, {"labels": [labels[2], labels[0], labels[1]]}).status_code == 200
    assert patch(client, project, {"scale": "ordinal"}).status_code == 200


def test_a_scheme_typed_by_its_lead_switches_without_asking(client):
    lead = UserFactory()
    project = ProjectFactory(owner=lead)
    client.force_login(lead)
    assert patch(client, project, {"scale": "ordinal"}).status_code == 200


def test_a_leads_own_alpha_min_is_kept_and_out_of_range_is_refused_naming_it(client):
    lead = UserFactory()
    project = ProjectFactory(owner=lead)
    client.force_login(lead)
    assert patch(client, project, {"alpha_min": 0.75}).json()["alpha_min"] == 0.75
    response = patch(client, project, {"alpha_min": 1.5})
    assert response.status_code == 400
    assert "alpha_min" in response.json()
    project.refresh_from_db()
    assert project.alpha_min == 0.75
