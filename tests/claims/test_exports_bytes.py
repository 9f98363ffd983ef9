"""annotations.csv and annotations.jsonl byte for byte, against files built here from the models.

Researchers' scripts read these files as they are: line endings, quoting, JSON spacing and the
spelling of times must not drift when the writers change how they read rows.
"""

import csv
import datetime
import io
import json

import pytest

from annotator import services
from annotator.models import Annotation, Document, Sentence
from annotator.services import SourceInput
from claims.exports import rows
from tests.factories import AnnotationFactory, DocumentFactory, add_member

pytestmark = pytest.mark.django_db

EXPORT = "/api/v1/projects/{}/export/{}"
COLUMNS = ("project", "document", "document_key", "title", "outlet", "url", "published", "sentence", "unit",
           "index", "paragraph", "start", "end", "text", "annotator", "label", "label_value", "speaker", "note",
           "sources", "created", "updated", "seconds")  # fmt: skip
WHEN = datetime.datetime(2024, 5, 1, 12, 0, 0, 123456, tzinfo=datetime.UTC)


@pytest.fixture
def awkward(team):
    """Labels whose texts need quoting and escaping, on an interval scale, at fixed times; one practice article."""
    services.update_project(
        project=team.project,
        scale="interval",
        labels=[{"name": "claim", "value": 1.0}, {"name": "quote", "value": 0.25}, {"name": "opinion", "value": -2.0}],
    )
    keyed = DocumentFactory(
        project=team.project,
        key="bbc-7",
        title='Ünïcode, "quotes"\nand a line',
        outlet="Le Monde",
        url="https://monde.example/a?b=1,2",
        published="2024-02-29",
    )
    Sentence.objects.filter(document=keyed, index=0).update(key="s-0")
    practice = DocumentFactory(project=team.project, title="Practice")
    Document.objects.filter(pk=practice.pk).update(training=True)
    zoe = add_member(team.project, "annotator", "+zoe")
    anna, ben = team.users["annotator"], team.users["annotator2"]
    for document in (team.document, keyed, practice):
        first, second = document.sentences.order_by("index")[:2]
        AnnotationFactory(sentence=first, annotator=ben, label="claim", note='He said, "no"\r\nthen left')
        AnnotationFactory(
            sentence=first,
            annotator=zoe,
            label="quote",
            speaker="=the mayor",
            sources=[
                SourceInput(url="https://city.example/plan", title="Plan «B»", note='p. 3, "ii"'),
                SourceInput(url="https://news.example/ä", title="\tx\x01", note="😀\\"),
            ],
        )
        AnnotationFactory(sentence=second, annotator=anna, label="opinion", note="-1 ; @x")
    Annotation.objects.filter(sentence__document__project=team.project).update(created=WHEN, updated=WHEN)
    Annotation.objects.filter(annotator=anna).update(updated=WHEN.replace(microsecond=0, second=7), seconds=12.3)
    return team


def reference_rows(project, *, pseudonymize: bool) -> list[tuple]:
    """Every exported label as (CSV cells, JSON object), read through the models."""
    names = rows.annotator_names(project, pseudonymize=pseudonymize)
    value_of = {label.pk: label.value for label in project.labels.all()}
    labels = (
        Annotation.objects.filter(sentence__document__project=project, sentence__document__training=False)
        .select_related("sentence__document", "label")
        .prefetch_related("sources")
        .order_by("sentence__document_id", "sentence__index", "annotator_id")
    )
    found = []
    for label in labels:
        sentence, document = label.sentence, label.sentence.document
        cited = sorted(label.sources.all(), key=lambda s: s.position)
        sources = [{"url": s.url, "title": s.title, "note": s.note} for s in cited]
        value = value_of[label.label_id]
        published = document.published.isoformat() if document.published else None
        record = (project.pk, document.pk, document.key, document.title, document.outlet, document.url, published,
                  sentence.pk, sentence.key or str(sentence.pk), sentence.index, sentence.paragraph, sentence.start,
                  sentence.end, sentence.text, names[label.annotator_id], label.label.name, value, label.speaker,
                  label.note, sources, label.created.isoformat(), label.updated.isoformat(), label.seconds)  # fmt: skip
        found.append(record)
    return found


def reference_csv(records: list[tuple], *, guarded: bool = True, excel: bool = False) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def cell(value):
        if value is None:
            value = ""
        elif isinstance(value, list):
            value = json.dumps(value, ensure_ascii=False)
        if guarded and isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
            value = "'" + value
        return value

    writer.writerow([cell(c) for c in COLUMNS])
    for record in records:
        writer.writerow([cell(value) for value in record])
    return (("\ufeff" if excel else "") + buffer.getvalue()).encode()


def reference_jsonl(records: list[tuple]) -> bytes:
    lines = (json.dumps(dict(zip(COLUMNS, record, strict=True)), ensure_ascii=False) + "\n" for record in records)
    return "".join(lines).encode()


def download(team, name, **params) -> bytes:
    response = team.client("viewer").get(EXPORT.format(team.project.pk, name), params)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


@pytest.mark.parametrize("pseudonymize", [False, True])
@pytest.mark.parametrize(("guarded", "excel"), [(True, False), (False, False), (True, True), (False, True)])
def test_annotations_csv_is_byte_for_byte_the_reference(awkward, pseudonymize, guarded, excel):
    expected = reference_csv(reference_rows(awkward.project, pseudonymize=pseudonymize), guarded=guarded, excel=excel)
    options = {"pseudonymize": int(pseudonymize), "spreadsheet_safe": int(guarded), "excel": int(excel)}
    assert download(awkward, "annotations.csv", **options) == expected


@pytest.mark.parametrize("pseudonymize", [False, True])
def test_annotations_jsonl_is_byte_for_byte_the_reference(awkward, pseudonymize):
    expected = reference_jsonl(reference_rows(awkward.project, pseudonymize=pseudonymize))
    assert download(awkward, "annotations.jsonl", pseudonymize=int(pseudonymize)) == expected


def test_filtered_export_is_the_reference_narrowed(awkward):
    every = reference_rows(awkward.project, pseudonymize=False)
    expected = [record for record in every if record[14] == "+zoe"]
    assert download(awkward, "annotations.csv", annotator="+zoe") == reference_csv(expected)
    assert download(awkward, "annotations.jsonl", annotator="+zoe") == reference_jsonl(expected)


@pytest.mark.parametrize("guarded", [True, False])
def test_annotations_csv_of_a_nominal_scale_quotes_cells_as_the_csv_module_does(team, guarded):
    """Blank label values, texts the csv module leaves bare (spaces, apostrophes) or quotes, and times whose
    microseconds end in zeros or are zero."""
    cells = ["", " ", " lead", "trail ", "a\rb", "\n", '"', "x,y", "'", "+1", "@", "\tx", "\u2028", "\x85"]
    Document.objects.filter(pk=team.document.pk).update(key=" k ", title=" padded, title ", outlet="@outlet")
    sentence = team.document.sentences.order_by("index").first()
    for n, (speaker, note) in enumerate(zip(cells, reversed(cells), strict=True)):
        label = AnnotationFactory(sentence=sentence, annotator=add_member(team.project, "annotator", f"r{n}"))
        Annotation.objects.filter(pk=label.pk).update(speaker=speaker, note=note)
    Annotation.objects.update(created=WHEN.replace(microsecond=120000), updated=WHEN.replace(microsecond=0))
    expected = reference_csv(reference_rows(team.project, pseudonymize=False), guarded=guarded)
    assert download(team, "annotations.csv", spreadsheet_safe=int(guarded)) == expected
