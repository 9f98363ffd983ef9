"""Boilerplate kept out of an article's sentences: shown on the document, restored by its lead."""

import pytest

from annotator.models import Sentence

from ..factories import DocumentFactory

ARTICLE = (
    "WASHINGTON (Reuters) - The Senate voted on Tuesday. It was close.\n\n"
    "Critics said the bill would fail.\n\n"
    "Copyright 2024 Example News.\n\n"
    "Share this article"
)


@pytest.fixture
def document(team):
    return DocumentFactory(project=team.project, text=ARTICLE)


def restore(team, document, start, who="owner"):
    return team.client(who).post(f"/api/v1/documents/{document.pk}/restore/", {"start": start}, format="json")


def test_document_lists_what_was_removed(team, document):
    body = team.client("owner").get(f"/api/v1/documents/{document.pk}/").json()
    removed = [(body["text"][r["start"] : r["end"]], r["reason"]) for r in body["removed"]]
    assert removed == [
        ("WASHINGTON (Reuters) -", "dateline"),
        ("Copyright 2024 Example News.", "copyright"),
        ("Share this article", "share"),
    ]
    assert [s["text"] for s in body["sentences"]] == [
        "The Senate voted on Tuesday.",
        "It was close.",
        "Critics said the bill would fail.",
    ]


def test_lead_restores_a_line_as_a_sentence_in_article_order(team, document):
    start = document.text.index("Copyright")
    response = restore(team, document, start)
    assert response.status_code == 200
    body = response.json()
    assert [s["text"] for s in body["sentences"]][-1] == "Copyright 2024 Example News."
    assert [s["index"] for s in body["sentences"]] == [0, 1, 2, 3]
    assert [r["reason"] for r in body["removed"]] == ["dateline", "share"]


def test_restoring_a_dateline_puts_it_before_the_first_sentence(team, document):
    first = document.sentences.get(index=0)
    body = restore(team, document, 0).json()
    assert [s["text"] for s in body["sentences"]][:2] == ["WASHINGTON (Reuters) -", "The Senate voted on Tuesday."]
    assert Sentence.objects.get(pk=first.pk).index == 1


def test_restoring_keeps_labels_on_their_sentences(team, document):
    label = team.project.labels.first()
    sentence = document.sentences.get(index=2)
    team.save_label("annotator", sentence, label.name)
    restore(team, document, 0)
    sentence.refresh_from_db()
    assert (sentence.index, sentence.annotations.get().label_id) == (3, label.pk)


def test_restore_of_an_unknown_start_is_a_400_naming_start(team, document):
    response = restore(team, document, 5)
    assert response.status_code == 400
    assert "start" in response.json()
    assert document.sentences.count() == 3


@pytest.mark.parametrize("start", [-1, "x", None])
def test_restore_with_a_bad_start_is_a_400(team, document, start):
    response = restore(team, document, start)
    assert response.status_code == 400
    assert "start" in response.json()


@pytest.mark.parametrize(("who", "status"), [("annotator", 403), ("viewer", 403), ("outsider", 404)])
def test_only_the_lead_restores(team, document, who, status):
    assert restore(team, document, 0, who).status_code == status
    assert document.sentences.count() == 3


def test_whole_quotations_option_applies_to_articles_imported_afterwards(team):
    quotation = "“The plan will not work. It never has,” she said. Then she left."
    assert DocumentFactory(project=team.project, text=quotation).sentences.count() == 3
    response = team.client("owner").patch(
        f"/api/v1/projects/{team.project.pk}/", {"whole_quotations": True}, format="json"
    )
    assert (response.status_code, response.json()["whole_quotations"]) == (200, True)
    team.project.refresh_from_db()
    document = DocumentFactory(project=team.project, text=quotation)
    assert list(document.sentences.values_list("text", flat=True)) == [
        "“The plan will not work. It never has,” she said.",
        "Then she left.",
    ]


def test_whole_quotations_is_off_by_default(team):
    body = team.client("owner").get(f"/api/v1/projects/{team.project.pk}/").json()
    assert body["whole_quotations"] is False
