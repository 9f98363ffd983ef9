"""Importing a finished study's annotations: what is created, what is refused, and who can log in."""

import io
import json

import pytest
from django.contrib.auth import get_user_model

from annotator.models import Annotation, Document, Label, Membership, Role, Sentence
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()

GOOD_CSV = '''document,unit,text,annotator,label,outlet,url,sources,speaker
d1,u1,The bridge opens Monday.,ann,claim,Herald,https://herald.example/bridge,https://city.example/notice,
d1,u1,The bridge opens Monday.,bob,claim,Herald,https://herald.example/bridge,,
d1,u2,"""We will not wait,"" the mayor said.",ann,quote,Herald,https://herald.example/bridge,,the mayor
d1,u2,"""We will not wait,"" the mayor said.",bob,opinion,Herald,https://herald.example/bridge,,
d2,u3,Critics called it reckless.,ann,opinion,Post,,,
d2,u3,Critics called it reckless.,bob,,Post,,,
'''


def upload(client, project, content: str, name="study.csv", **fields):
    file = io.BytesIO(content.encode())
    file.name = name
    return client.post(
        f"/api/v1/projects/{project.pk}/annotations/import/", {"file": file, **fields}, format="multipart"
    )


def test_import_creates_documents_sentences_accounts_and_labels(team):
    response = upload(team.client("owner"), team.project, GOOD_CSV)

    assert response.status_code == 201, response.content
    summary = response.json()
    assert summary["documents"] == 2
    assert summary["sentences"] == 3
    assert summary["annotations"] == 5
    assert summary["missing_labels"] == 1
    ann, bob = f"ann@{team.project.pk}", f"bob@{team.project.pk}"
    assert summary["annotators_created"] == [ann, bob]
    d1 = Document.objects.get(project=team.project, key="d1")
    assert d1.outlet == "Herald"
    assert d1.url == "https://herald.example/bridge"
    for sentence in Sentence.objects.filter(document=d1):
        assert d1.text[sentence.start : sentence.end] == sentence.text
    quote = Annotation.objects.get(sentence__key="u2", annotator__username=ann)
    assert quote.label.name == "quote"
    assert quote.speaker == "the mayor"
    assert list(
        Annotation.objects.get(sentence__key="u1", annotator__username=ann).sources.values_list("url", flat=True)
    ) == ["https://city.example/notice"]
    assert Membership.objects.get(project=team.project, user__username=bob).role == Role.ANNOTATOR


def test_an_import_is_in_the_history_and_the_project_agreement_counts_it(team, django_capture_on_commit_callbacks):
    owner = team.client("owner")
    with django_capture_on_commit_callbacks(execute=True):
        upload(owner, team.project, GOOD_CSV)

    history = owner.get(f"/api/v1/projects/{team.project.pk}/history/", {"page_size": 100}).json()["results"]
    imported = [event for event in history if event["data"].get("imported")]
    assert len(imported) == 5
    speakers = {(e["annotator"], e["data"]["label"]) for e in imported if e["data"]["speaker"]}
    assert speakers == {(f"ann@{team.project.pk}", "quote")}
    report = owner.get(f"/api/v1/projects/{team.project.pk}/agreement/").json()
    assert report["status"] == "ready"
    assert report["annotation_count"] == 5


def test_imported_annotators_cannot_log_in(team, api_client):
    upload(team.client("owner"), team.project, GOOD_CSV)

    ann = f"ann@{team.project.pk}"
    assert not User.objects.get(username=ann).has_usable_password()
    for password in ("", "ann", "!"):
        response = api_client.post("/api/v1/auth/token/", {"username": ann, "password": password}, format="json")
        assert response.status_code == 400


def test_a_bad_row_rejects_the_whole_file_naming_its_row(team):
    bad = GOOD_CSV.replace(
        "d2,u3,Critics called it reckless.,ann,opinion", "d2,u3,Critics called it reckless.,ann,sarcasm"
    )
    bad = bad.replace(",https://city.example/notice,", ",javascript:alert(1),")

    response = upload(team.client("owner"), team.project, bad)

    assert response.status_code == 400
    messages = response.json()["file"]
    assert any(message.startswith("Row 2:") and "source" in message for message in messages)
    assert any(message.startswith("Row 6:") and "'sarcasm' is not a label" in message for message in messages)
    assert Document.objects.filter(project=team.project).count() == 1  # the team's own article only
    assert not User.objects.filter(username="ann").exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("d1,u1,The bridge opens Monday.,bob", "d1,u1,The bridge opens Monday.,ann"), "labels unit 'u1' twice"),
        (("d2,u3,Critics called it reckless.,ann", "d1,u3,Critics called it reckless.,ann"), "is in document"),
        (("d1,u1,The bridge opens Monday.,bob", "d1,u1,The bridge closes Monday.,bob"), "has another text"),
        (
            ("d2,u3,Critics called it reckless.,ann", "d2,,Critics called it reckless.,ann"),
            "the unit ('unit') is empty",
        ),
    ],
)
def test_inconsistent_rows_are_refused(team, change, message):
    response = upload(team.client("owner"), team.project, GOOD_CSV.replace(*change, 1))

    assert response.status_code == 400
    assert any(message in line for line in response.json()["file"]), response.json()
    assert not Sentence.objects.filter(key="u1").exists()


def test_a_missing_column_is_a_400_naming_the_mapping_field(team):
    response = upload(team.client("owner"), team.project, GOOD_CSV, label_column="bias")

    assert response.status_code == 400
    assert "label_column" in response.json()
    assert "bias" in response.json()["label_column"][0]


def test_labels_outside_the_scheme_are_added_only_when_asked(team):
    csv = GOOD_CSV.replace(",bob,opinion,", ",bob,satire,")
    refused = upload(team.client("owner"), team.project, csv)
    assert refused.status_code == 400

    accepted = upload(team.client("owner"), team.project, csv, add_labels="true")

    assert accepted.status_code == 201
    assert accepted.json()["labels_added"] == ["satire"]
    assert list(Label.objects.filter(project=team.project).values_list("name", flat=True)) == [
        "claim",
        "quote",
        "opinion",
        "satire",
    ]


def test_an_existing_user_outside_the_project_never_receives_imported_labels_nor_shows_in_the_answer(team):
    UserFactory(username="ann")  # a real person with a password, not in this project

    response = upload(team.client("owner"), team.project, GOOD_CSV)

    assert response.status_code == 201
    assert response.json()["annotators_created"] == [f"ann@{team.project.pk}", f"bob@{team.project.pk}"]
    assert not Annotation.objects.filter(annotator__username="ann").exists()
    prefixed = upload(team.client("owner"), team.project, GOOD_CSV.replace("\nd1,", "\ne1,").replace("\nd2,", "\ne2,"),
                      annotator_prefix="study-")  # fmt: skip
    assert prefixed.json()["annotators_created"] == [f"study-ann@{team.project.pk}", f"study-bob@{team.project.pk}"]


def test_a_curator_importing_a_members_name_never_labels_as_that_member(team):
    csv = GOOD_CSV.replace(",ann,", ",anna,").replace(",bob,", ",olivia,")  # the team's annotator and owner

    response = upload(team.client("curator"), team.project, csv)

    assert response.status_code == 201
    assert response.json()["annotators_reused"] == []
    assert not Annotation.objects.filter(annotator__in=[team.users["annotator"], team.users["owner"]]).exists()
    assert Annotation.objects.filter(annotator__username=f"anna@{team.project.pk}").count() == 3


def test_the_importer_may_import_their_own_labels_under_their_name(team):
    csv = GOOD_CSV.replace(",ann,", ",carl,")  # carl is the team's curator, who imports

    response = upload(team.client("curator"), team.project, csv)

    assert response.status_code == 201
    assert response.json()["annotators_reused"] == ["carl"]
    assert Annotation.objects.filter(annotator=team.users["curator"]).count() == 3


def test_a_second_import_reuses_the_projects_import_only_annotators(team):
    upload(team.client("owner"), team.project, GOOD_CSV)

    again = upload(team.client("owner"), team.project, GOOD_CSV.replace("\nd1,", "\ne1,").replace("\nd2,", "\ne2,"))

    assert again.status_code == 201, again.content
    assert again.json()["annotators_created"] == []
    assert again.json()["annotators_reused"] == [f"ann@{team.project.pk}", f"bob@{team.project.pk}"]


def test_import_errors_say_nothing_about_accounts_outside_the_project(team):
    """A name someone registered in the import-only form is refused with the message any unusable name gets."""
    UserFactory(username=f"ann@{team.project.pk}")
    response = upload(team.client("owner"), team.project, GOOD_CSV)

    assert response.status_code == 400
    [message] = [line for line in response.json()["file"] if "ann@" in line]
    assert "cannot be an imported annotator" in message
    assert "exist" not in message
    assert "not in this project" not in message


def test_jsonl_import_with_sources_as_a_list(team):
    lines = [
        {
            "document": "a",
            "unit": "s1",
            "text": "It rained.",
            "annotator": "x",
            "label": "claim",
            "sources": [{"url": "https://weather.example/", "title": "Weather"}],
        },
        {"document": "a", "unit": "s1", "text": "It rained.", "annotator": "y", "label": "claim"},
    ]
    content = "\n".join(json.dumps(line) for line in lines)

    response = upload(team.client("owner"), team.project, content, name="study.jsonl")

    assert response.status_code == 201, response.content
    source = Annotation.objects.get(annotator__username=f"x@{team.project.pk}").sources.get()
    assert (source.url, source.title) == ("https://weather.example/", "Weather")


def test_a_jsonl_line_that_is_not_json_is_named(team):
    response = upload(team.client("owner"), team.project, '{"unit": "s1"}\n{oops\n', name="study.jsonl")

    assert response.status_code == 400
    assert "Line 2" in response.json()["file"][0]


def test_importing_the_same_documents_twice_is_a_conflict(team):
    assert upload(team.client("owner"), team.project, GOOD_CSV).status_code == 201

    again = upload(team.client("owner"), team.project, GOOD_CSV)

    assert again.status_code == 409
    assert Sentence.objects.filter(key="u1").count() == 1


@pytest.mark.parametrize(("who", "status"), [("curator", 201), ("annotator", 403), ("viewer", 403), ("outsider", 404)])
def test_who_may_import(team, who, status):
    assert upload(team.client(who), team.project, GOOD_CSV).status_code == status


def test_undecodable_bytes_are_a_400(team):
    file = io.BytesIO(b"unit,text,annotator,label\nu1,caf\xe9,a,claim\n")
    file.name = "latin1.csv"
    response = team.client("owner").post(
        f"/api/v1/projects/{team.project.pk}/annotations/import/", {"file": file}, format="multipart"
    )
    assert response.status_code == 400
    assert "UTF-8" in response.json()["file"][0]


def test_a_csv_sources_cell_holding_bad_json_is_refused_naming_its_row(team):
    broken = GOOD_CSV.replace("https://city.example/notice", '"[{""url"": ""https://a.example/"""')

    response = upload(team.client("owner"), team.project, broken)

    assert response.status_code == 400
    assert "row 2" in json.dumps(response.json()).lower()
    assert "json" in json.dumps(response.json()).lower()
    assert not Document.objects.filter(project=team.project, key="d1").exists()


def _study(labels_by_annotator: dict[str, list[str]]) -> str:
    lines = ["unit,text,annotator,label"]
    for annotator, labels in labels_by_annotator.items():
        lines += [f"u{i},Sentence {i}.,{annotator},{label}" for i, label in enumerate(labels)]
    return "\n".join(lines) + "\n"


@pytest.fixture
def interval_project(team):
    team.project.scale = "interval"
    team.project.save()
    Label.objects.filter(project=team.project).delete()
    return team.project


@pytest.mark.parametrize("name", ["inf", "nan", "-Infinity", "1e400", "1_0"])
def test_an_interval_import_refuses_labels_that_are_not_finite_numbers(team, interval_project, name):
    owner = team.client("owner")
    response = upload(owner, interval_project, _study({"ann": ["1", name], "bob": ["1", "2"]}), add_labels="true")

    assert response.status_code == 400
    assert any(f"'{name}' is not a finite number" in line for line in response.json()["file"])
    assert not Label.objects.filter(project=interval_project).exists()
    assert owner.get("/api/v1/projects/").status_code == 200
    assert owner.get(f"/api/v1/projects/{interval_project.pk}/").status_code == 200


def test_a_label_value_cannot_be_stored_infinite(team):
    """The database refuses infinities and NaN."""
    from django.db import IntegrityError, transaction

    for value in (float("inf"), float("-inf"), float("nan")):
        name = f"bad {value}"
        with pytest.raises(IntegrityError), transaction.atomic():
            Label.objects.create(project=team.project, name=name, value=value, order=9)


def test_one_and_one_point_zero_are_one_label_on_an_interval_scale(
    team, interval_project, django_capture_on_commit_callbacks
):
    owner = team.client("owner")
    csv = _study({"ann": ["1", "2", "3", "1", "2"], "bob": ["1.0", "2.0", "3", "1.0", "2"]})

    with django_capture_on_commit_callbacks(execute=True):
        response = upload(owner, interval_project, csv, add_labels="true")

    assert response.status_code == 201, response.content
    assert response.json()["labels_added"] == ["1", "2", "3"]
    assert list(Label.objects.filter(project=interval_project).values_list("name", "value")) == [
        ("1", 1.0),
        ("2", 2.0),
        ("3", 3.0),
    ]
    report = owner.get(f"/api/v1/projects/{interval_project.pk}/agreement/").json()
    assert report["alpha"] == 1.0
    assert report["percent_agreement"] == 1.0
    assert report["pairwise"][0]["cohen_kappa"] == 1.0


def test_an_interval_import_gives_a_known_value_the_schemes_label(team, interval_project):
    Label.objects.create(project=interval_project, name="one", value=1.0, order=0)

    response = upload(team.client("owner"), interval_project, _study({"ann": ["1.0"], "bob": ["1"]}))

    assert response.status_code == 201, response.content
    assert set(
        Annotation.objects.filter(sentence__document__project=interval_project).values_list("label__name", flat=True)
    ) == {"one"}


def test_a_rating_study_gets_its_numbers_in_numeric_order(team):
    Label.objects.filter(project=team.project).delete()
    csv = _study({"ann": ["3", "5", "4", "1", "2", "10"], "bob": ["3", "4", "4", "2", "2", "10"]})

    response = upload(team.client("owner"), team.project, csv, add_labels="true")

    assert response.status_code == 201, response.content
    assert list(Label.objects.filter(project=team.project).values_list("name", flat=True)) == [
        "1",
        "2",
        "3",
        "4",
        "5",
        "10",
    ]
