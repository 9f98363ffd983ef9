"""The streamed exports: what each file holds, the filters, pseudonyms, the CSV guard and who may export."""

import csv
import io
import json

import pytest

from annotator import services
from annotator.models import Sentence
from annotator.services import SourceInput
from tests.factories import AnnotationFactory, DocumentFactory, add_member

pytestmark = pytest.mark.django_db

EXPORT = "/api/v1/projects/{}/export/{}"


def fetch(client, project, name, **params):
    response = client.get(EXPORT.format(project.pk, name), params)
    assert response.status_code == 200, getattr(response, "data", response)
    return b"".join(response.streaming_content).decode()


def read_csv(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def two_labelled_sentences(team):
    """The team's first two sentences, labelled by Anna and Ben; Ben cites two sources and names a speaker."""
    first, second = Sentence.objects.filter(document=team.document).order_by("index")[:2]
    anna, ben = team.users["annotator"], team.users["annotator2"]
    AnnotationFactory(sentence=first, annotator=anna, label="claim", note="check the date")
    ben_sources = [
        SourceInput(url="https://city.example/plan", title="Plan", note="p. 3"),
        SourceInput(url="https://news.example/a", title="", note=""),
    ]
    AnnotationFactory(sentence=first, annotator=ben, label="claim", sources=ben_sources)
    AnnotationFactory(sentence=second, annotator=anna, label="opinion")
    plan = SourceInput(url="https://city.example/plan")
    AnnotationFactory(sentence=second, annotator=ben, label="quote", speaker="critics", sources=[plan])
    return first, second


def test_annotations_csv_has_one_row_per_sentence_and_reviewer(team, two_labelled_sentences):
    first, second = two_labelled_sentences
    rows = read_csv(fetch(team.client("viewer"), team.project, "annotations.csv"))
    assert [(int(r["sentence"]), r["annotator"], r["label"]) for r in rows] == [
        (first.pk, "anna", "claim"), (first.pk, "ben", "claim"), (second.pk, "anna", "opinion"),
        (second.pk, "ben", "quote"),
    ]  # fmt: skip
    ben_first = rows[1]
    assert ben_first["text"] == first.text == team.document.text[int(ben_first["start"]) : int(ben_first["end"])]
    assert ben_first["title"] == "Bridge to reopen"
    assert int(ben_first["document"]) == team.document.pk
    assert json.loads(ben_first["sources"]) == [
        {"url": "https://city.example/plan", "title": "Plan", "note": "p. 3"},
        {"url": "https://news.example/a", "title": "", "note": ""},
    ]
    assert json.loads(rows[0]["sources"]) == []
    assert rows[0]["note"] == "check the date"
    assert rows[3]["speaker"] == "critics"
    assert list(rows[0]) == [
        "project", "document", "document_key", "title", "outlet", "url", "published", "sentence", "unit", "index",
        "paragraph", "start", "end", "text", "annotator", "label", "label_value", "speaker", "note", "sources",
        "created", "updated", "seconds",
    ]  # fmt: skip


@pytest.mark.usefixtures("two_labelled_sentences")
def test_annotations_jsonl_matches_the_csv(team):
    client = team.client("owner")
    lines = [json.loads(line) for line in fetch(client, team.project, "annotations.jsonl").splitlines()]
    rows = read_csv(fetch(client, team.project, "annotations.csv"))
    assert len(lines) == len(rows) == 4
    for line, row in zip(lines, rows, strict=True):
        assert line["sources"] == json.loads(row["sources"])
        assert {k: str(v) for k, v in line.items() if v is not None and k != "sources"} == {
            k: v for k, v in row.items() if v != "" and k != "sources"
        } | {k: "" for k, v in line.items() if v == ""}


def test_filters_by_document_annotator_label_and_since(team, two_labelled_sentences):
    first, second = two_labelled_sentences
    other = DocumentFactory(project=team.project, text="A second article. It has two sentences.")
    AnnotationFactory(sentence=other.sentences.first(), annotator=team.users["annotator"], label="claim")
    client = team.client("curator")

    def sentences(**params):
        return [
            (int(r["sentence"]), r["annotator"])
            for r in read_csv(fetch(client, team.project, "annotations.csv", **params))
        ]

    assert sentences(document=other.pk) == [(other.sentences.first().pk, "anna")]
    assert sentences(annotator="ben") == [(first.pk, "ben"), (second.pk, "ben")]
    assert sentences(label="quote") == [(second.pk, "ben")]
    assert sentences(annotator="nobody") == []
    later = AnnotationFactory(sentence=second, annotator=team.users["annotator2"], label="opinion")
    assert sentences(since=later.updated.isoformat()) == [(second.pk, "ben")]


@pytest.mark.parametrize(
    ("params", "field"),
    [({"since": "yesterday"}, "since"), ({"since": "2024-13-45T00:00"}, "since"), ({"document": "abc"}, "document"),
     ({"pseudonymize": "maybe"}, "pseudonymize")],
)  # fmt: skip
def test_malformed_filter_is_a_400_naming_it(team, params, field):
    response = team.client("owner").get(EXPORT.format(team.project.pk, "annotations.csv"), params)
    assert response.status_code == 400
    assert field in response.json()


def test_pseudonyms_follow_first_label_and_stay_stable(team, two_labelled_sentences):
    first, second = two_labelled_sentences
    client = team.client("owner")
    rows = read_csv(fetch(client, team.project, "annotations.csv", pseudonymize=1))
    assert [r["annotator"] for r in rows] == ["annotator-1", "annotator-2", "annotator-1", "annotator-2"]
    newcomer = add_member(team.project, "annotator", "aaron")  # sorts first by name and joins last
    AnnotationFactory(sentence=first, annotator=newcomer, label="opinion")
    services.delete_annotation(sentence=first, annotator=team.users["annotator"])
    rows = read_csv(fetch(client, team.project, "annotations.csv", pseudonymize=1))
    names = {(int(r["sentence"]), r["annotator"]) for r in rows}
    assert names == {(first.pk, "annotator-2"), (first.pk, "annotator-3"), (second.pk, "annotator-1"),
                     (second.pk, "annotator-2")}  # fmt: skip
    text = fetch(client, team.project, "annotations.jsonl", pseudonymize=1) + fetch(
        client, team.project, "wide.csv", pseudonymize=1
    ) + fetch(client, team.project, "sources.csv", pseudonymize=1) + fetch(
        client, team.project, "webannotation.jsonld", pseudonymize=1
    )  # fmt: skip
    for username in ("anna", "ben", "aaron"):
        assert username not in text
    assert (
        read_csv(fetch(client, team.project, "annotations.csv", pseudonymize=1, annotator="annotator-3"))[0]["label"]
        == "opinion"
    )


def test_wide_csv_has_a_column_per_reviewer_and_the_plurality(team, two_labelled_sentences):
    _first, second = two_labelled_sentences
    carl = team.users["curator"]
    AnnotationFactory(sentence=second, annotator=carl, label="quote")
    rows = read_csv(fetch(team.client("viewer"), team.project, "wide.csv"))
    assert list(rows[0]) == ["document", "sentence", "unit", "index", "text", "anna", "ben", "carl", "labels",
                             "plurality_label", "plurality_share", "gold"]  # fmt: skip
    assert [
        (r["anna"], r["ben"], r["carl"], r["labels"], r["plurality_label"], r["plurality_share"], r["gold"])
        for r in rows
    ] == [
        ("claim", "claim", "", "2", "claim", "1.0", ""),
        ("opinion", "quote", "quote", "3", "quote", "0.666667", ""),
    ]


@pytest.mark.usefixtures("two_labelled_sentences")
def test_wide_csv_leaves_the_plurality_blank_on_a_tie(team):
    rows = read_csv(fetch(team.client("viewer"), team.project, "wide.csv"))
    assert (rows[1]["plurality_label"], rows[1]["plurality_share"]) == ("", "0.5")


def test_sources_csv_lists_each_citation_grouped_by_url(team, two_labelled_sentences):
    first, second = two_labelled_sentences
    rows = read_csv(fetch(team.client("viewer"), team.project, "sources.csv"))
    assert [(r["url"], int(r["sentence"]), r["annotator"], r["label"]) for r in rows] == [
        ("https://city.example/plan", first.pk, "ben", "claim"),
        ("https://city.example/plan", second.pk, "ben", "quote"),
        ("https://news.example/a", first.pk, "ben", "claim"),
    ]
    assert rows[0]["source_title"] == "Plan"
    assert rows[0]["source_note"] == "p. 3"


def test_label_value_is_the_interval_value_or_ordinal_rank(team):
    services.update_project(
        project=team.project,
        scale="ordinal",
        labels=[{"name": "low"}, {"name": "mid"}, {"name": "high"}],
    )
    sentence = team.document.sentences.first()
    AnnotationFactory(sentence=sentence, annotator=team.users["annotator"], label="high")
    rows = read_csv(fetch(team.client("owner"), team.project, "annotations.csv"))
    assert rows[0]["label_value"] == "3"


def test_wide_csv_guards_a_header_named_after_a_reviewer_even_when_asked_for_raw_text(team):
    reviewer = add_member(team.project, "annotator", "+cmd")
    AnnotationFactory(sentence=team.document.sentences.first(), annotator=reviewer, label="claim")
    client = team.client("owner")
    for params in ({}, {"spreadsheet_safe": 0}, {"excel": 1}):
        header = next(csv.reader(io.StringIO(fetch(client, team.project, "wide.csv", **params).lstrip("\ufeff"))))
        assert "'+cmd" in header
        assert "+cmd" not in header


def test_csv_guards_formula_like_text_unless_raw_text_is_asked(team):
    sentence = team.document.sentences.first()
    AnnotationFactory(
        sentence=sentence,
        annotator=team.users["annotator"],
        label="claim",
        note='=HYPERLINK("http://evil.example")',
        speaker="@mayor",
    )
    client = team.client("owner")
    row = read_csv(fetch(client, team.project, "annotations.csv"))[0]
    assert row["note"] == '\'=HYPERLINK("http://evil.example")'
    assert row["speaker"] == "'@mayor"
    raw = fetch(client, team.project, "annotations.csv", spreadsheet_safe=0)
    assert read_csv(raw)[0]["note"] == '=HYPERLINK("http://evil.example")'
    excel = fetch(client, team.project, "annotations.csv", excel=1)
    assert excel.startswith("\ufeff")
    assert read_csv(excel.lstrip("\ufeff"))[0]["speaker"] == "'@mayor"


def test_csv_quotes_commas_quotes_and_newlines(team):
    sentence = team.document.sentences.first()
    note = 'He said, "no"\nthen left'
    AnnotationFactory(sentence=sentence, annotator=team.users["annotator"], label="claim", note=note)
    text = fetch(team.client("owner"), team.project, "annotations.csv")
    assert '"He said, ""no""\nthen left"' in text
    assert text.split("\r\n", 1)[0].startswith("project,document,")
    assert read_csv(text)[0]["note"] == note


@pytest.mark.parametrize("name", ["annotations.csv", "annotations.jsonl", "wide.csv", "sources.csv", "soft_labels.csv",
                                  "agreement.json", "agreement.csv", "webannotation.jsonld"])  # fmt: skip
@pytest.mark.parametrize(
    ("who", "blind", "expected"),
    [("owner", True, 200), ("curator", True, 200), ("viewer", True, 200), ("annotator", True, 403),
     ("annotator", False, 403), ("outsider", True, 404)],
)  # fmt: skip
@pytest.mark.usefixtures("two_labelled_sentences")
def test_who_may_export(team, name, who, blind, expected):
    team.project.blind = blind
    team.project.save()
    response = team.client(who).get(EXPORT.format(team.project.pk, name))
    assert response.status_code == expected


def test_anonymous_request_is_refused(team, api_client):
    assert api_client.get(EXPORT.format(team.project.pk, "annotations.csv")).status_code in (401, 403)


def test_unknown_export_is_404(team):
    assert team.client("owner").get(EXPORT.format(team.project.pk, "everything.xlsx")).status_code == 404


@pytest.mark.usefixtures("two_labelled_sentences")
def test_export_answers_with_file_headers_whatever_accept_says(team):
    response = team.client("owner").get(EXPORT.format(team.project.pk, "annotations.csv"), HTTP_ACCEPT="text/csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="lede-project-' in response["Content-Disposition"]
