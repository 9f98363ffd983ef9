"""A project's settings and label scheme changed after creation: guidelines, labels by id, refusals, fresh reports."""

import pytest

from annotator import services
from annotator.models import Annotation
from claims.models import AgreementReport

from ..factories import ProjectFactory

pytestmark = pytest.mark.django_db


def patch(team, body, who="owner"):
    return team.client(who).patch(f"/api/v1/projects/{team.project.pk}/", body, format="json")


def scheme(team) -> list[dict]:
    return team.client("owner").get(f"/api/v1/projects/{team.project.pk}/").json()["labels"]


def label_first_sentence(team, name="claim", who="annotator"):
    sentence = team.document.sentences.order_by("index").first()
    services.label_sentence(sentence=sentence, annotator=team.users[who], label_name=name)


def test_owner_sets_guidelines_and_every_member_reads_them(team):
    assert patch(team, {"guidelines": "# Coding\n\nA *claim* can be checked."}).status_code == 200
    body = team.client("annotator").get(f"/api/v1/projects/{team.project.pk}/").json()
    assert body["guidelines"] == "# Coding\n\nA *claim* can be checked."


@pytest.mark.parametrize("who", ["curator", "annotator", "viewer"])
def test_only_owners_change_settings(team, who):
    response = patch(team, {"name": "Taken over", "guidelines": "Mine"}, who=who)
    assert response.status_code == 403
    team.project.refresh_from_db()
    assert (team.project.name, team.project.guidelines) == ("Bridge study", "")


def test_an_outsider_cannot_find_the_project_to_change(team):
    assert patch(team, {"name": "Taken over"}, who="outsider").status_code == 404


def test_guidelines_longer_than_the_limit_are_refused_naming_guidelines(team):
    response = patch(team, {"guidelines": "x" * 50_001})
    assert response.status_code == 400
    assert "guidelines" in response.json()


def test_renaming_a_used_label_by_id_keeps_its_annotations(team):
    label_first_sentence(team, "opinion")
    labels = scheme(team)
    opinion = next(label for label in labels if label["name"] == "opinion")
    opinion["name"] = "judgement"
    response = patch(team, {"labels": labels})
    assert response.status_code == 200
    assert [label["name"] for label in response.json()["labels"]] == ["claim", "quote", "judgement"]
    assert Annotation.objects.get().label_id == opinion["id"]
    assert Annotation.objects.get().label.name == "judgement"


def test_two_labels_can_swap_names_by_id(team):
    label_first_sentence(team, "claim")
    claim, quote, opinion = scheme(team)
    labels = [{**claim, "name": "quote", "key": "2"}, {**quote, "name": "claim", "key": "1"}, opinion]
    response = patch(team, {"labels": labels})
    assert response.status_code == 200
    assert Annotation.objects.get().label.name == "quote"


def test_reordering_recolouring_and_describing_labels_by_id(team):
    claim, quote, opinion = scheme(team)
    labels = [{**opinion, "color": "#8c564b", "description": "A judgement."}, claim, quote]
    body = patch(team, {"labels": labels}).json()
    assert [(label["id"], label["name"]) for label in body["labels"]] == [
        (opinion["id"], "opinion"),
        (claim["id"], "claim"),
        (quote["id"], "quote"),
    ]
    assert (body["labels"][0]["color"], body["labels"][0]["description"]) == ("#8c564b", "A judgement.")


def test_adding_a_label_beside_labels_given_by_id(team):
    labels = [*scheme(team), {"name": "satire", "key": "4", "color": "#9467bd"}]
    body = patch(team, {"labels": labels}).json()
    assert [label["name"] for label in body["labels"]] == ["claim", "quote", "opinion", "satire"]


def test_deleting_a_used_label_is_refused_saying_how_many_labels_use_it(team):
    label_first_sentence(team, "claim", who="annotator")
    label_first_sentence(team, "claim", who="annotator2")
    _, quote, opinion = scheme(team)
    response = patch(team, {"labels": [quote, opinion]})
    assert response.status_code == 409
    assert response.json()["labels"][0].startswith("'claim' is used by 2 labels.")
    assert [label["name"] for label in scheme(team)] == ["claim", "quote", "opinion"]


def test_deleting_an_unused_label_by_leaving_it_out(team):
    label_first_sentence(team, "claim")
    claim, quote, _ = scheme(team)
    body = patch(team, {"labels": [claim, quote]}).json()
    assert [label["name"] for label in body["labels"]] == ["claim", "quote"]


def test_a_label_id_from_another_project_is_refused_naming_the_id(team):
    other = ProjectFactory(name="Other").labels.first()
    labels = [*scheme(team), {"id": other.pk, "name": "stolen"}]
    response = patch(team, {"labels": labels})
    assert response.status_code == 400
    assert "labels[3].id" in response.json()
    assert other.project.labels.filter(pk=other.pk, name=other.name).exists()


def test_one_label_id_given_twice_is_refused(team):
    claim, quote, _ = scheme(team)
    response = patch(team, {"labels": [claim, quote, {**claim, "name": "again", "key": ""}]})
    assert response.status_code == 400
    assert "labels[2].id" in response.json()


def test_a_label_id_beyond_any_key_is_a_400_not_a_500(team):
    response = patch(team, {"labels": [{"id": 10**30, "name": "claim"}]})
    assert response.status_code == 400
    assert "labels" in response.json()


@pytest.fixture
def ready_report(team, django_capture_on_commit_callbacks):
    """The team's project labelled by two annotators, with its report computed (nominal)."""
    with django_capture_on_commit_callbacks(execute=True):
        for who, names in {
            "annotator": ["claim", "quote", "opinion"],
            "annotator2": ["claim", "opinion", "opinion"],
        }.items():
            for sentence, name in zip(team.document.sentences.order_by("index"), names, strict=False):
                services.label_sentence(sentence=sentence, annotator=team.users[who], label_name=name)
        team.client("owner").get(f"/api/v1/projects/{team.project.pk}/agreement/")
        team.client("owner").get(f"/api/v1/documents/{team.document.pk}/agreement/")
    assert set(AgreementReport.objects.values_list("status", flat=True)) == {"ready"}
    return team


def agreement(team) -> dict:
    return team.client("owner").get(f"/api/v1/projects/{team.project.pk}/agreement/").json()


def test_a_change_of_scale_marks_every_report_stale_at_once(ready_report, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        assert patch(ready_report, {"scale": "ordinal"}).status_code == 200
    callbacks[0]()  # labels_changed; the recomputation it queues is not run here

    body = agreement(ready_report)
    assert (body["status"], body["stale"], body["scale"]) == ("pending", True, "nominal")
    assert set(AgreementReport.objects.values_list("status", flat=True)) == {"pending"}


def test_a_change_of_scale_is_followed_by_figures_on_the_new_scale(ready_report, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        patch(ready_report, {"scale": "ordinal"})
    body = agreement(ready_report)
    assert (body["status"], body["scale"]) == ("ready", "ordinal")


def test_a_change_of_label_order_marks_the_reports_stale(ready_report, django_capture_on_commit_callbacks):
    claim, quote, opinion = scheme(ready_report)
    with django_capture_on_commit_callbacks() as callbacks:
        patch(ready_report, {"labels": [opinion, claim, quote]})
    assert len(callbacks) == 1
    callbacks[0]()
    assert agreement(ready_report)["status"] == "pending"


def test_a_new_colour_or_description_leaves_the_reports_alone(ready_report, django_capture_on_commit_callbacks):
    claim, quote, opinion = scheme(ready_report)
    with django_capture_on_commit_callbacks() as callbacks:
        patch(ready_report, {"labels": [{**claim, "color": "#000000", "description": "New"}, quote, opinion]})
    assert callbacks == []
    assert agreement(ready_report)["status"] == "ready"


def test_a_label_key_that_a_curator_screen_shortcut_takes_is_refused_and_the_scheme_stays(team):
    labels = scheme(team)
    labels[2]["key"] = "a"  # accepts the plurality on the curator screen

    response = patch(team, {"labels": labels})

    assert response.status_code == 400
    assert "curator screen" in response.json()["labels[2].key"][0]
    assert [label["key"] for label in scheme(team)] == ["1", "2", "3"]
