"""The gold standard in the exports: gold.csv/.jsonl, wide.csv's gold column, gold Web Annotations and the archive."""

import csv
import datetime
import io
import json
import zipfile
from collections import Counter

import pytest

from annotator.models import Annotation, Role
from annotator.services import SourceInput, set_document_design
from curation import services as curation
from curation.merge import auto_merge
from curation.models import Decision
from curation.plurality import Rule
from tests.factories import AnnotationFactory, DocumentFactory, ProjectFactory, add_member

from .test_exports_webannotation import compact_leaves, expand, leaves

pytestmark = pytest.mark.django_db

EXPORT = "/api/v1/projects/{}/export/{}"
ARCHIVE = "/api/v1/projects/{}/export.zip"
TEXT = "One is here. Two is there. Three is near. Four is far. Five is gone."
GOLD_HEADER = [
    "project", "document", "document_key", "title", "outlet", "url", "published", "topics", "sentence", "unit",
    "index", "paragraph", "start", "end", "text", "label", "label_value", "provenance", "labels", "agreeing",
    "agreeing_share", "rationale", "category", "decided_by", "decided_at", "speaker", "sources",
]  # fmt: skip


def fetch(client, project, name, **params) -> str:
    response = client.get(EXPORT.format(project.pk, name), params)
    assert response.status_code == 200, getattr(response, "data", response)
    return b"".join(response.streaming_content).decode()


def read_csv(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def by_sentence(rows: list[dict]) -> dict[int, dict]:
    return {int(row["sentence"]): row for row in rows}


@pytest.fixture
def decided(team):
    """Five sentences of an article with metadata: the auto-merge decides the first two (unanimous claim, 2 of 3
    quote), Carl adjudicates the third (a 1-1 tie) with rationale, category, speaker and sources, leaves the
    fourth unresolved, and the fifth stays open. A training article's decision never leaves Lede."""
    document = DocumentFactory(
        project=team.project, text=TEXT, title="Counting", outlet="The Courier", url="https://courier.example/count",
        published=datetime.date(2024, 5, 1), topics=["numbers", "city"], key="doc-7",
    )  # fmt: skip
    sentences = list(document.sentences.order_by("index"))
    labels = [
        {"owner": "claim", "annotator": "claim", "annotator2": "claim"},
        {"owner": "quote", "annotator": "quote", "annotator2": "opinion"},
        {"annotator": "claim", "annotator2": "opinion"},
        {"annotator": "claim"},
        {"annotator2": "opinion"},
    ]
    for sentence, chosen in zip(sentences, labels, strict=True):
        for who, name in chosen.items():
            AnnotationFactory(sentence=sentence, annotator=team.users[who], label=name)
    carl = team.users["curator"]
    auto_merge(
        project=team.project, rule=Rule(min_labels=2, min_share=0.6), actor=carl, document=document, dry_run=False
    )
    curation.decide(
        sentence=sentences[2], curator=carl, label_name="opinion", rationale="The verb signals a judgement.",
        category="misreading", speaker="the council",
        sources=[SourceInput(url="https://city.example/minutes", title="Minutes", note="p. 2")],
    )  # fmt: skip
    curation.decide(sentence=sentences[3], curator=carl, label_name=None, rationale="Cannot tell.")
    training = DocumentFactory(project=team.project, text="Practice makes perfect. Try again.")
    set_document_design(document=training, training=True)
    practice = training.sentences.first()
    AnnotationFactory(sentence=practice, annotator=team.users["annotator"], label="claim")
    curation.decide(sentence=practice, curator=carl, label_name="claim")
    return document, sentences


def agreement(sentence, label_name):
    """(labels now, how many agree with `label_name`, their share), counted from the reviewers' labels here."""
    counts = Counter(Annotation.objects.filter(sentence=sentence).values_list("label__name", flat=True))
    total = sum(counts.values())
    return total, counts[label_name], (counts[label_name] / total if total else None)


def test_gold_csv_has_a_row_per_decided_sentence_with_provenance_and_agreement(team, decided):
    document, sentences = decided
    # A reviewer labels after the decision: the export counts the labels as they are now.
    AnnotationFactory(sentence=sentences[2], annotator=team.users["owner"], label="opinion")
    text = fetch(team.client("viewer"), team.project, "gold.csv")
    rows = read_csv(text)
    assert next(csv.reader(io.StringIO(text))) == GOLD_HEADER
    assert [int(row["sentence"]) for row in rows] == [s.pk for s in sentences[:4]]
    assert [(row["label"], row["provenance"]) for row in rows] == [
        ("claim", "unanimous"), ("quote", "majority"), ("opinion", "adjudicated"), ("", "unresolved"),
    ]  # fmt: skip
    for row, sentence in zip(rows[:3], sentences, strict=False):
        labels, agreeing, share = agreement(sentence, row["label"])
        assert (int(row["labels"]), int(row["agreeing"])) == (labels, agreeing)
        assert float(row["agreeing_share"]) == pytest.approx(share, abs=1e-6)
    assert [row["agreeing_share"] for row in rows] == ["1.0", "0.666667", "0.666667", ""]
    assert (rows[3]["labels"], rows[3]["agreeing"]) == ("1", "")
    adjudicated = rows[2]
    assert adjudicated["rationale"] == "The verb signals a judgement."
    assert adjudicated["category"] == "misreading"
    assert adjudicated["speaker"] == "the council"
    assert json.loads(adjudicated["sources"]) == [{"url": "https://city.example/minutes", "title": "Minutes",
                                                   "note": "p. 2"}]  # fmt: skip
    assert json.loads(rows[0]["sources"]) == []
    assert {row["decided_by"] for row in rows} == {"carl"}
    decision = Decision.objects.get(sentence=sentences[2])
    assert datetime.datetime.fromisoformat(adjudicated["decided_at"]) == decision.decided_at
    assert (
        adjudicated["text"] == sentences[2].text == document.text[int(adjudicated["start"]) : int(adjudicated["end"])]
    )
    assert (adjudicated["index"], adjudicated["unit"]) == ("2", str(sentences[2].pk))
    assert (adjudicated["title"], adjudicated["outlet"], adjudicated["url"], adjudicated["published"]) == (
        "Counting", "The Courier", "https://courier.example/count", "2024-05-01",
    )  # fmt: skip
    assert (adjudicated["document"], adjudicated["document_key"]) == (str(document.pk), "doc-7")
    assert json.loads(adjudicated["topics"]) == ["numbers", "city"]


def test_gold_metadata_columns_match_annotations_csv(team, decided):
    client = team.client("owner")
    gold = by_sentence(read_csv(fetch(client, team.project, "gold.csv")))
    labels = by_sentence(read_csv(fetch(client, team.project, "annotations.csv")))
    shared = ["project", "document", "document_key", "title", "outlet", "url", "published", "unit", "index",
              "paragraph", "start", "end", "text"]  # fmt: skip
    for sentence, row in gold.items():
        assert {k: row[k] for k in shared} == {k: labels[sentence][k] for k in shared}


def test_gold_jsonl_matches_the_csv(team, decided):
    client = team.client("owner")
    lines = [json.loads(line) for line in fetch(client, team.project, "gold.jsonl").splitlines()]
    rows = read_csv(fetch(client, team.project, "gold.csv"))
    assert len(lines) == len(rows) == 4
    for line, row in zip(lines, rows, strict=True):
        assert list(line) == GOLD_HEADER
        assert line["sources"] == json.loads(row["sources"])
        assert line["topics"] == json.loads(row["topics"])
        assert {k: str(v) for k, v in line.items() if v is not None and k not in ("sources", "topics")} == {
            k: v for k, v in row.items() if v != "" and k not in ("sources", "topics")
        } | {k: "" for k, v in line.items() if v == ""}
    assert (lines[3]["label"], lines[3]["agreeing_share"]) == (None, None)


def test_gold_filters_by_document_label_and_since_but_not_by_reviewer(team, decided):
    _document, sentences = decided
    elsewhere = team.document.sentences.order_by("index").first()
    AnnotationFactory(sentence=elsewhere, annotator=team.users["annotator"], label="quote")
    curation.decide(sentence=elsewhere, curator=team.users["owner"], label_name="quote")
    client = team.client("curator")

    def decided_sentences(**params):
        return [int(row["sentence"]) for row in read_csv(fetch(client, team.project, "gold.csv", **params))]

    assert decided_sentences(document=team.document.pk) == [elsewhere.pk]
    assert decided_sentences(label="quote") == [elsewhere.pk, sentences[1].pk]  # by article, then position
    later = Decision.objects.get(sentence=elsewhere).decided_at
    assert decided_sentences(since=later.isoformat()) == [elsewhere.pk]
    assert decided_sentences(annotator="ben") == decided_sentences()


def test_pseudonymized_gold_names_deciders_as_the_other_exports_name_reviewers(team, decided):
    _document, sentences = decided
    carl, olivia = team.users["curator"], team.users["owner"]
    AnnotationFactory(sentence=sentences[4], annotator=carl, label="opinion")  # Carl reviews too
    newcomer = add_member(team.project, Role.CURATOR, "cora")  # decides without ever labelling
    curation.decide(sentence=sentences[4], curator=newcomer, label_name="opinion")
    client = team.client("owner")
    named = read_csv(fetch(client, team.project, "annotations.csv"))
    aliases = read_csv(fetch(client, team.project, "annotations.csv", pseudonymize=1))
    alias = {row["annotator"]: other["annotator"] for row, other in zip(named, aliases, strict=True)}
    carl_alias = alias["carl"]
    gold = by_sentence(read_csv(fetch(client, team.project, "gold.csv", pseudonymize=1)))
    assert gold[sentences[0].pk]["decided_by"] == carl_alias
    assert carl_alias == "annotator-4"  # numbered by first label, after Olivia, Anna and Ben
    assert gold[sentences[4].pk]["decided_by"] == "curator-1"
    text = fetch(client, team.project, "gold.csv", pseudonymize=1) + fetch(
        client, team.project, "gold.jsonl", pseudonymize=1
    )
    for username in ("carl", "cora", olivia.username):
        assert username not in text
    plain = by_sentence(read_csv(fetch(client, team.project, "gold.csv")))
    assert (plain[sentences[0].pk]["decided_by"], plain[sentences[4].pk]["decided_by"]) == ("carl", "cora")


def test_gold_csv_guards_formula_text_unless_raw_text_is_asked(team, decided):
    _document, sentences = decided
    curation.decide(sentence=sentences[4], curator=team.users["curator"], label_name="opinion", rationale="=1+1")
    client = team.client("owner")
    guarded = by_sentence(read_csv(fetch(client, team.project, "gold.csv")))
    assert guarded[sentences[4].pk]["rationale"] == "'=1+1"
    raw = by_sentence(read_csv(fetch(client, team.project, "gold.csv", spreadsheet_safe=0)))
    assert raw[sentences[4].pk]["rationale"] == "=1+1"
    excel = fetch(client, team.project, "gold.csv", excel=1)
    assert excel.startswith("\ufeff")
    assert by_sentence(read_csv(excel.lstrip("\ufeff")))[sentences[4].pk]["rationale"] == "'=1+1"


def test_wide_csv_shows_the_gold_label_beside_the_plurality(team, decided):
    _document, sentences = decided
    rows = by_sentence(read_csv(fetch(team.client("viewer"), team.project, "wide.csv")))
    assert list(next(iter(rows.values())))[-4:] == ["labels", "plurality_label", "plurality_share", "gold"]
    assert [(rows[s.pk]["plurality_label"], rows[s.pk]["gold"]) for s in sentences] == [
        ("claim", "claim"), ("quote", "quote"), ("", "opinion"), ("claim", ""), ("opinion", ""),
    ]  # fmt: skip


def test_webannotation_adds_a_gold_annotation_per_decided_label(team, decided):
    _document, sentences = decided
    client = team.client("viewer")
    document = json.loads(fetch(client, team.project, "webannotation.jsonld"))
    items = document["first"]["items"]
    gold = [item for item in items if item["creator"]["id"] == f"urn:lede:project:{team.project.pk}:gold"]
    assert document["total"] == len(items) == Annotation.objects.filter(sentence__in=sentences).count() + 3
    assert [item["id"].rsplit(":", 1)[1] for item in gold] == [str(s.pk) for s in sentences[:3]]
    adjudicated = gold[2]
    assert adjudicated["creator"] == {"id": f"urn:lede:project:{team.project.pk}:gold", "type": "Organization",
                                      "nickname": "gold", "name": "Gold standard"}  # fmt: skip
    bodies = {(body.get("purpose"), body.get("value")) for body in adjudicated["body"]}
    assert {("classifying", "opinion"), ("tagging", "gold"), ("assessing", "adjudicated"),
            ("describing", "The verb signals a judgement."), ("identifying", "the council")} <= bodies  # fmt: skip
    assert [(g["body"][0]["value"], g["body"][2]["value"]) for g in gold] == [
        ("claim", "unanimous"), ("quote", "majority"), ("opinion", "adjudicated"),
    ]  # fmt: skip
    quote, position = adjudicated["target"]["selector"]
    assert quote["exact"] == sentences[2].text
    assert (position["start"], position["end"]) == (sentences[2].start, sentences[2].end)
    expanded = expand(document)
    assert compact_leaves(document) - {str(v) for v in leaves(expanded, skip=())} == set()
    only_anna = json.loads(fetch(client, team.project, "webannotation.jsonld", annotator="anna"))
    assert all("reviewer:anna" in item["creator"]["id"] for item in only_anna["first"]["items"])
    assert only_anna["total"] == len(only_anna["first"]["items"])


CHANNELS = ["export/gold.csv", "export/gold.jsonl", "export/wide.csv", "export/webannotation.jsonld"]


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize(("who", "expected"), [("annotator", {403}), ("outsider", {404}), ("anonymous", {401, 403})])
def test_no_gold_reaches_an_annotator_of_a_blind_project(team, decided, channel, who, expected):
    assert team.project.blind
    response = team.client(who).get(f"/api/v1/projects/{team.project.pk}/{channel}")
    assert response.status_code in expected
    assert b"opinion" not in response.content


@pytest.mark.usefixtures("media_root")
def test_no_gold_archive_for_an_annotator_of_a_blind_project(team, decided, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        status = team.client("owner").post(ARCHIVE.format(team.project.pk)).json()
    annotator = team.client("annotator")
    assert annotator.post(ARCHIVE.format(team.project.pk)).status_code == 403
    assert annotator.get(ARCHIVE.format(team.project.pk)).status_code == 403
    assert annotator.get(status["status_url"]).status_code == 403
    download = annotator.get(status["status_url"] + "download/")
    assert download.status_code == 403
    assert b"opinion" not in download.content


def test_gold_export_of_another_project_is_not_found(team, decided):
    other = ProjectFactory(owner=team.users["outsider"], name="Other")
    assert team.client("viewer").get(EXPORT.format(other.pk, "gold.csv")).status_code == 404


FRICTIONLESS_TYPES = {"string", "number", "integer", "boolean", "object", "array", "date", "time", "datetime",
                      "year", "yearmonth", "duration", "geopoint", "geojson", "any"}  # fmt: skip


def json_array(value: str) -> list:
    found = json.loads(value)
    assert isinstance(found, list)
    return found


PARSE = {
    "integer": int,
    "number": float,
    "date": datetime.date.fromisoformat,
    "datetime": datetime.datetime.fromisoformat,
    "array": json_array,
    "string": str,
}


def build_archive(client, project, django_capture_on_commit_callbacks) -> zipfile.ZipFile:
    with django_capture_on_commit_callbacks(execute=True):
        status = client.post(ARCHIVE.format(project.pk)).json()
    download = client.get(client.get(status["status_url"]).json()["download_url"])
    return zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))


@pytest.mark.usefixtures("media_root")
def test_archive_holds_gold_with_a_valid_schema(team, decided, django_capture_on_commit_callbacks):
    client = team.client("owner")
    archive = build_archive(client, team.project, django_capture_on_commit_callbacks)
    assert archive.read("gold.csv").decode() == fetch(client, team.project, "gold.csv")
    assert archive.read("gold.jsonl").decode() == fetch(client, team.project, "gold.jsonl")
    package = json.loads(archive.read("datapackage.json"))
    resources = {resource["path"]: resource for resource in package["resources"]}
    assert resources["gold.jsonl"]["format"] == "jsonl"
    resource = resources["gold.csv"]
    assert resource["name"] == "gold"
    assert resource["profile"] == "tabular-data-resource"
    fields = resource["schema"]["fields"]
    text = archive.read("gold.csv").decode()
    assert [field["name"] for field in fields] == next(csv.reader(io.StringIO(text))) == GOLD_HEADER
    assert all(field["description"] and field["type"] in FRICTIONLESS_TYPES for field in fields)
    missing = set(resource["schema"]["missingValues"])
    for row in read_csv(text):
        for field in fields:
            value = row[field["name"]]
            if value not in missing:
                PARSE[field["type"]](value)  # every cell is of its declared type
    types = {field["name"]: field["type"] for field in fields}
    assert (types["sources"], types["topics"], types["decided_at"], types["agreeing_share"]) == (
        "array", "array", "datetime", "number",
    )  # fmt: skip
    wide = {f["name"]: f["type"] for f in resources["wide.csv"]["schema"]["fields"]}
    assert (wide["plurality_share"], wide["gold"]) == ("number", "string")
    readme = archive.read("README.md").decode()
    assert "## gold.csv" in readme
    assert "| agreeing_share |" in readme


@pytest.mark.usefixtures("media_root")
def test_a_decision_makes_the_next_archive_request_build_again(team, decided, django_capture_on_commit_callbacks):
    _document, sentences = decided
    client = team.client("owner")
    first = build_archive(client, team.project, django_capture_on_commit_callbacks)
    assert len(read_csv(first.read("gold.csv").decode())) == 4
    curation.decide(sentence=sentences[4], curator=team.users["curator"], label_name="opinion")
    second = build_archive(client, team.project, django_capture_on_commit_callbacks)
    assert len(read_csv(second.read("gold.csv").decode())) == 5
    curation.undecide(sentence=sentences[4], actor=team.users["curator"])
    third = build_archive(client, team.project, django_capture_on_commit_callbacks)
    assert len(read_csv(third.read("gold.csv").decode())) == 4


@pytest.mark.parametrize("name", ["gold.csv", "gold.jsonl"])
@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"since": "yesterday"}, "since"),
        ({"document": "abc"}, "document"),
        ({"excel": "maybe"}, "excel"),
        ({"spreadsheet_safe": "maybe"}, "spreadsheet_safe"),
    ],
)
def test_malformed_gold_filter_is_a_400_naming_it(team, name, params, field):
    response = team.client("owner").get(EXPORT.format(team.project.pk, name), params)
    assert response.status_code == 400
    assert field in response.json()
