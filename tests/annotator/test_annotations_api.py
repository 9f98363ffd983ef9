"""A reviewer's own label on a sentence: set, replace, read, delete, with sources, speaker and note."""

import pytest
from django.db import IntegrityError, transaction
from django.db.models import RestrictedError

from annotator.models import Annotation, AnnotationEvent, Source

from ..factories import ProjectFactory


def url(sentence) -> str:
    return f"/api/v1/sentences/{sentence.pk}/annotation/"


def put(team, sentence, body, who="annotator"):
    return team.client(who).put(url(sentence), body, format="json")


def test_first_save_creates_the_label(team, sentence):
    response = put(team, sentence, {"label": "claim"})
    assert response.status_code == 201
    assert response.json()["label"] == "claim"
    assert Annotation.objects.get(sentence=sentence, annotator=team.users["annotator"]).label.name == "claim"


def test_saving_again_replaces_the_reviewers_label(team, sentence):
    put(team, sentence, {"label": "claim", "sources": [{"url": "https://a.org/"}]})
    response = put(team, sentence, {"label": "opinion"})
    assert response.status_code == 200
    annotation = Annotation.objects.get(sentence=sentence, annotator=team.users["annotator"])
    assert annotation.label.name == "opinion"
    assert not annotation.sources.exists()


def test_saving_does_not_touch_another_reviewers_label(team, sentence):
    put(team, sentence, {"label": "claim"}, who="annotator2")
    put(team, sentence, {"label": "opinion"})
    labels = dict(Annotation.objects.filter(sentence=sentence).values_list("annotator__username", "label__name"))
    assert labels == {"anna": "opinion", "ben": "claim"}


def test_sources_speaker_and_note_round_trip(team, sentence):
    body = {
        "label": "quote",
        "sources": [
            {"url": "https://example.org/report", "title": "The report", "note": "page 3"},
            {"url": "http://archive.example.com/x?y=1#z", "title": "", "note": ""},
        ],
        "speaker": "The mayor",
        "note": "Said at the press conference.",
    }
    put(team, sentence, body)
    got = team.client("annotator").get(url(sentence)).json()
    assert {k: got[k] for k in body} == body
    assert (got["sentence"], got["annotator"]) == (sentence.pk, "anna")


def test_sources_keep_their_order(team, sentence):
    urls = [f"https://example.org/{n}" for n in (3, 1, 2)]
    put(team, sentence, {"label": "claim", "sources": [{"url": u} for u in urls]})
    assert [s["url"] for s in team.client("annotator").get(url(sentence)).json()["sources"]] == urls


def test_speaker_is_stripped_of_surrounding_spaces(team, sentence):
    put(team, sentence, {"label": "quote", "speaker": "  The mayor "})
    assert Annotation.objects.get(sentence=sentence).speaker == "The mayor"


def test_reading_an_unlabelled_sentence_is_404(team, sentence):
    assert team.client("annotator").get(url(sentence)).status_code == 404


def test_deleting_removes_the_label_and_its_sources(team, sentence):
    put(team, sentence, {"label": "claim", "sources": [{"url": "https://a.org/"}]})
    response = team.client("annotator").delete(url(sentence))
    assert response.status_code == 204
    assert not Annotation.objects.filter(sentence=sentence).exists()
    assert not Source.objects.exists()


def test_deleting_a_label_that_does_not_exist_is_404(team, sentence):
    assert team.client("annotator").delete(url(sentence)).status_code == 404


def test_deleting_leaves_another_reviewers_label(team, sentence):
    put(team, sentence, {"label": "claim"}, who="annotator2")
    put(team, sentence, {"label": "claim"})
    team.client("annotator").delete(url(sentence))
    assert list(Annotation.objects.values_list("annotator__username", flat=True)) == ["ben"]


def test_document_annotations_list_has_the_contract_fields(team, sentence):
    put(team, sentence, {"label": "quote", "speaker": "Mayor", "sources": [{"url": "https://a.org/"}]})
    [row] = team.client("curator").get(f"/api/v1/documents/{team.document.pk}/annotations/").json()["results"]
    assert {"sentence", "annotator", "label", "sources", "speaker", "note", "created", "updated"} <= set(row)
    assert (row["sentence"], row["annotator"], row["label"], row["speaker"]) == (sentence.pk, "anna", "quote", "Mayor")


def test_document_annotations_can_be_filtered_by_label(team, sentence):
    put(team, sentence, {"label": "quote"})
    put(team, sentence, {"label": "claim"}, who="annotator2")
    rows = team.client("curator").get(f"/api/v1/documents/{team.document.pk}/annotations/?label=claim").json()
    assert [row["annotator"] for row in rows["results"]] == ["ben"]


def test_one_label_per_reviewer_and_sentence_is_a_database_constraint(team, sentence):
    claim = team.project.labels.get(name="claim")
    Annotation.objects.create(sentence=sentence, annotator=team.users["annotator"], label=claim)
    with pytest.raises(IntegrityError), transaction.atomic():
        Annotation.objects.create(sentence=sentence, annotator=team.users["annotator"], label=claim)


def test_a_label_in_use_cannot_be_deleted_on_its_own(team, sentence):
    put(team, sentence, {"label": "claim"})
    with pytest.raises(RestrictedError):
        team.project.labels.get(name="claim").delete()


def test_a_label_of_another_project_is_unknown(team, sentence):
    ProjectFactory(name="Other", labels=[{"name": "elsewhere"}])
    response = put(team, sentence, {"label": "elsewhere"})
    assert response.status_code == 400
    assert "label" in response.json()


# History -----------------------------------------------------------------------------------


def history(team, sentence, who="curator"):
    return team.client(who).get(f"/api/v1/sentences/{sentence.pk}/history/")


def test_every_change_is_in_the_history_newest_first(team, sentence):
    put(team, sentence, {"label": "claim"})
    put(team, sentence, {"label": "opinion", "note": "changed my mind"})
    team.client("annotator").delete(url(sentence))
    rows = history(team, sentence).json()["results"]
    assert [(r["action"], r["data"]["label"]) for r in rows] == [
        ("deleted", "opinion"),
        ("updated", "opinion"),
        ("created", "claim"),
    ]
    assert {(r["annotator"], r["actor"]) for r in rows} == {("anna", "anna")}


def test_history_keeps_what_the_label_said(team, sentence):
    put(team, sentence, {"label": "quote", "speaker": "Mayor", "note": "n", "sources": [{"url": "https://a.org/"}]})
    [row] = history(team, sentence).json()["results"]
    assert row["data"] == {
        "label": "quote",
        "speaker": "Mayor",
        "note": "n",
        "sources": [{"url": "https://a.org/", "title": "", "note": ""}],
    }
    assert row["at"]


def test_project_history_lists_changes_on_every_document(team, sentence):
    put(team, sentence, {"label": "claim"})
    put(team, sentence, {"label": "claim"}, who="annotator2")
    rows = team.client("owner").get(f"/api/v1/projects/{team.project.pk}/history/").json()["results"]
    assert sorted(r["annotator"] for r in rows) == ["anna", "ben"]


def test_annotator_cannot_read_the_history(team, sentence):
    put(team, sentence, {"label": "claim"}, who="annotator2")
    assert history(team, sentence, who="annotator").status_code == 403
    assert team.client("annotator").get(f"/api/v1/projects/{team.project.pk}/history/").status_code == 403


def test_a_rejected_save_leaves_no_history(team, sentence):
    put(team, sentence, {"label": "nonsense"})
    assert not AnnotationEvent.objects.exists()


def test_a_change_made_as_another_user_is_refused_and_saves_nothing(team):
    sentence = team.document.sentences.first()
    client = team.client("annotator2")
    url = f"/api/v1/sentences/{sentence.pk}/annotation/"

    response = client.put(url, {"label": "claim"}, headers={"X-Lede-User": "anna"})

    assert response.status_code == 409
    assert "anna" in response.json()["user"][0]
    assert not Annotation.objects.filter(sentence=sentence).exists()
    assert client.put(url, {"label": "claim"}, headers={"X-Lede-User": "ben"}).status_code == 201
    assert client.delete(url, headers={"X-Lede-User": "anna"}).status_code == 409
    assert client.delete(url, headers={"X-Lede-User": "ben"}).status_code == 204


def test_an_annotator_of_a_blind_project_receives_no_annotation_ids_to_count_others_saves(team):
    """Ids come from one sequence for the whole instance: their gaps would count everyone else's saves."""
    team.project.blind = True
    team.project.save()
    first, second = team.document.sentences.all()[:2]
    client = team.client("annotator")

    saved = client.put(f"/api/v1/sentences/{first.pk}/annotation/", {"label": "claim"}).json()
    team.client("annotator2").put(f"/api/v1/sentences/{first.pk}/annotation/", {"label": "quote"})
    read = client.get(f"/api/v1/sentences/{first.pk}/annotation/").json()
    listed = client.get(f"/api/v1/documents/{team.document.pk}/annotations/").json()["results"]

    for body in (saved, read, *listed):
        assert "id" not in body
        assert body["annotator"] == "anna"
    assert client.put(f"/api/v1/sentences/{second.pk}/annotation/", {"label": "claim"}).json().keys() == saved.keys()
