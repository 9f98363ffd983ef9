"""Projects and their label schemes through the API: defaults, custom scales, changing labels."""

import pytest

from annotator import shortcuts
from annotator.models import Label, Project

from ..factories import AnnotationFactory

pytestmark = pytest.mark.django_db


def create(client, **body):
    return client.post("/api/v1/projects/", body, format="json")


def test_new_project_has_the_default_claim_quote_opinion_scheme(lead_client):
    response = create(lead_client, name="Study")
    assert response.status_code == 201
    assert [label["name"] for label in response.json()["labels"]] == ["claim", "quote", "opinion"]


def test_new_project_is_nominal_and_blind_by_default(lead_client):
    body = create(lead_client, name="Study").json()
    assert (body["scale"], body["blind"]) == ("nominal", True)


def test_a_new_project_can_keep_whole_quotations_from_the_start(lead_client):
    body = create(lead_client, name="Study", whole_quotations=True).json()
    assert body["whole_quotations"] is True
    assert Project.objects.get(pk=body["id"]).whole_quotations is True


def test_creator_becomes_the_owner(lead_client):
    body = create(lead_client, name="Study").json()
    assert body["role"] == "owner"
    assert Project.objects.get(pk=body["id"]).memberships.get().user.username == "lea"


def test_custom_labels_keep_name_description_colour_key_and_value(lead_client):
    labels = [
        {"name": "true", "description": "Checks out", "color": "#00aa00", "key": "t", "value": 1.0},
        {"name": "false", "description": "Does not", "color": "#aa0000", "key": "f", "value": 0.0},
    ]
    body = create(lead_client, name="Fact check", scale="interval", labels=labels).json()
    assert [{k: label[k] for k in labels[0]} for label in body["labels"]] == labels


def test_ordinal_scale_keeps_the_label_order(lead_client):
    names = ["low", "medium", "high"]
    body = create(lead_client, name="Bias", scale="ordinal", labels=[{"name": n} for n in names]).json()
    assert [label["name"] for label in body["labels"]] == names
    assert list(Label.objects.filter(project_id=body["id"]).order_by("order").values_list("name", flat=True)) == names


def test_interval_scale_requires_a_value_on_every_label(lead_client):
    response = create(lead_client, name="Scale", scale="interval", labels=[{"name": "a", "value": 1}, {"name": "b"}])
    assert response.status_code == 400
    assert "labels[1].value" in response.json()
    assert not Project.objects.exists()


def test_interval_scale_rejects_two_labels_with_one_value(lead_client):
    response = create(
        lead_client, name="Scale", scale="interval", labels=[{"name": "a", "value": 1}, {"name": "b", "value": 1}]
    )
    assert response.status_code == 400
    assert "labels" in response.json()


def test_default_scheme_on_an_interval_scale_gets_values(lead_client):
    body = create(lead_client, name="Scale", scale="interval").json()
    assert [label["value"] for label in body["labels"]] == [0.0, 1.0, 2.0]


def test_unknown_scale_is_rejected_naming_scale(lead_client):
    response = create(lead_client, name="Scale", scale="ratio")
    assert response.status_code == 400
    assert "scale" in response.json()


def test_duplicate_label_names_are_rejected(lead_client):
    response = create(lead_client, name="S", labels=[{"name": "x"}, {"name": "x"}])
    assert response.status_code == 400
    assert "labels[1].name" in response.json()


def test_duplicate_label_keys_are_rejected(lead_client):
    response = create(lead_client, name="S", labels=[{"name": "x", "key": "1"}, {"name": "y", "key": "1"}])
    assert response.status_code == 400
    assert "labels[1].key" in response.json()


@pytest.mark.parametrize("key", sorted(shortcuts.RESERVED_KEYS))
def test_no_shortcut_of_any_screen_can_be_a_label_key(lead_client, key):
    response = create(lead_client, name="S", labels=[{"name": "claim", "key": "1"}, {"name": "quote", "key": key}])

    assert response.status_code == 400
    assert list(response.json()) == ["labels[1].key"]
    assert not Project.objects.filter(name="S").exists()


def test_a_refused_key_says_what_it_does_and_which_keys_are_free(lead_client):
    message = create(lead_client, name="S", labels=[{"name": "claim", "key": "g"}]).json()["labels[0].key"][0]

    assert "guidelines" in message
    assert "annotation screen" in message
    assert "free: 0 1 2" in message
    assert " b c d " in message


def test_two_labels_cannot_share_a_key_in_upper_and_lower_case(lead_client):
    response = create(lead_client, name="S", labels=[{"name": "x", "key": "c"}, {"name": "y", "key": "C"}])
    assert response.status_code == 400
    assert "labels[1].key" in response.json()


def test_label_colour_must_be_a_hex_colour(lead_client):
    response = create(lead_client, name="S", labels=[{"name": "x", "color": "red"}])
    assert response.status_code == 400
    assert "color" in response.json()["labels"][0]


def test_project_without_a_name_is_rejected_naming_name(lead_client):
    response = create(lead_client, description="no name")
    assert response.status_code == 400
    assert "name" in response.json()


# Changing a project ---------------------------------------------------------------------------


def patch(team, body, who="owner"):
    return team.client(who).patch(f"/api/v1/projects/{team.project.pk}/", body, format="json")


def test_owner_can_make_a_project_not_blind(team):
    assert patch(team, {"blind": False}).json()["blind"] is False
    team.project.refresh_from_db()
    assert team.project.blind is False


def test_patching_labels_matches_existing_labels_by_name(team):
    claim = team.project.labels.get(name="claim")
    labels = [{"name": "claim", "description": "Checkable", "key": "c"}, {"name": "quote"}, {"name": "opinion"}]
    response = patch(team, {"labels": labels})
    assert response.status_code == 200
    claim_after = team.project.labels.get(name="claim")
    assert (claim_after.pk, claim_after.description, claim_after.key) == (claim.pk, "Checkable", "c")


def test_patching_labels_adds_new_ones(team):
    labels = [{"name": "claim"}, {"name": "quote"}, {"name": "opinion"}, {"name": "satire", "key": "4"}]
    body = patch(team, {"labels": labels}).json()
    assert [label["name"] for label in body["labels"]] == ["claim", "quote", "opinion", "satire"]


def test_patching_labels_removes_unused_ones(team):
    body = patch(team, {"labels": [{"name": "claim"}, {"name": "quote"}]}).json()
    assert [label["name"] for label in body["labels"]] == ["claim", "quote"]
    assert not team.project.labels.filter(name="opinion").exists()


def test_renaming_a_used_label_is_a_conflict_naming_labels(team):
    sentence = team.document.sentences.first()
    AnnotationFactory(sentence=sentence, annotator=team.users["annotator"], label="opinion")
    response = patch(team, {"labels": [{"name": "claim"}, {"name": "quote"}, {"name": "view"}]})
    assert response.status_code == 409
    assert "opinion" in response.json()["labels"][0]
    assert sorted(team.project.labels.values_list("name", flat=True)) == ["claim", "opinion", "quote"]


def test_swapping_two_label_keys_works(team):
    labels = [{"name": "claim", "key": "2"}, {"name": "quote", "key": "1"}, {"name": "opinion", "key": "3"}]
    body = patch(team, {"labels": labels}).json()
    assert {label["name"]: label["key"] for label in body["labels"]} == {"claim": "2", "quote": "1", "opinion": "3"}


def test_switching_to_interval_without_values_is_rejected_and_changes_nothing(team):
    response = patch(team, {"scale": "interval"})
    assert response.status_code == 400
    assert "labels[0].value" in response.json()
    team.project.refresh_from_db()
    assert team.project.scale == "nominal"


def test_owner_deletes_a_project_with_its_documents_and_labels(team):
    sentence = team.document.sentences.first()
    AnnotationFactory(sentence=sentence, annotator=team.users["annotator"], label="claim")
    response = team.client("owner").delete(f"/api/v1/projects/{team.project.pk}/")
    assert response.status_code == 204
    assert not Project.objects.filter(pk=team.project.pk).exists()
    assert not Label.objects.filter(project_id=team.project.pk).exists()


# Members -----------------------------------------------------------------------------------


def members_url(team):
    return f"/api/v1/projects/{team.project.pk}/members/"


def test_owner_adds_a_member_with_a_role(team):
    response = team.client("owner").post(members_url(team), {"username": "otto", "role": "viewer"}, format="json")
    assert response.status_code == 201
    assert response.json()["role"] == "viewer"
    assert team.client("outsider").get(f"/api/v1/projects/{team.project.pk}/").json()["role"] == "viewer"


def test_posting_an_existing_member_changes_their_role_and_answers_200(team):
    response = team.client("owner").post(members_url(team), {"username": "anna", "role": "curator"}, format="json")
    assert response.status_code == 200
    assert team.project.memberships.get(user__username="anna").role == "curator"


def test_adding_an_unknown_user_names_username(team):
    response = team.client("owner").post(members_url(team), {"username": "nobody", "role": "viewer"}, format="json")
    assert response.status_code == 400
    assert "username" in response.json()


def test_adding_with_an_unknown_role_names_role(team):
    response = team.client("owner").post(members_url(team), {"username": "otto", "role": "boss"}, format="json")
    assert response.status_code == 400
    assert "role" in response.json()


def test_last_owner_cannot_leave(team):
    response = team.client("owner").delete(f"{members_url(team)}olivia/")
    assert response.status_code == 409
    assert team.project.memberships.filter(user__username="olivia", role="owner").exists()


def test_last_owner_cannot_demote_themselves(team):
    response = team.client("owner").post(members_url(team), {"username": "olivia", "role": "viewer"}, format="json")
    assert response.status_code == 409
    assert "role" in response.json()


def test_members_list_names_each_member_and_role(team):
    rows = team.client("viewer").get(members_url(team)).json()["results"]
    assert {row["username"]: row["role"] for row in rows} == {
        "anna": "annotator",
        "ben": "annotator",
        "carl": "curator",
        "olivia": "owner",
        "vera": "viewer",
    }


def test_removing_someone_who_is_not_a_member_is_404(team):
    assert team.client("owner").delete(f"{members_url(team)}otto/").status_code == 404
