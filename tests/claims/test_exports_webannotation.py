"""webannotation.jsonld against the W3C Web Annotation Data Model and its JSON-LD context.

The context http://www.w3.org/ns/anno.jsonld cannot be fetched here, so tests/claims/data/
holds a copy of the official file; pyld expands the export with a loader that serves it.
"""

import json
from pathlib import Path

import pytest
from pyld import jsonld

from annotator.models import Sentence
from annotator.services import SourceInput
from tests.factories import AnnotationFactory, DocumentFactory

pytestmark = pytest.mark.django_db

CONTEXT_URL = "http://www.w3.org/ns/anno.jsonld"
CONTEXT = json.loads((Path(__file__).parent / "data" / "anno.jsonld").read_text())
OA, DCTERMS, RDF, RDFS, AS = (
    "http://www.w3.org/ns/oa#",
    "http://purl.org/dc/terms/",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "http://www.w3.org/2000/01/rdf-schema#",
    "http://www.w3.org/ns/activitystreams#",
)


def local_context(url, options=None):
    if url.rstrip("/") not in (CONTEXT_URL, CONTEXT_URL.replace("http:", "https:")):
        raise jsonld.JsonLdError(f"No network: {url}", "jsonld.LoadDocumentError", code="loading document failed")
    return {"contextUrl": None, "documentUrl": url, "document": CONTEXT}


def expand(document: dict) -> list:
    return jsonld.expand(document, {"documentLoader": local_context})


@pytest.fixture
def exported(team):
    """(team, the article without a URL, the export as JSON): three labels on two articles."""
    sentences = list(Sentence.objects.filter(document=team.document).order_by("index"))
    anna, ben = team.users["annotator"], team.users["annotator2"]
    plan = SourceInput(url="https://city.example/plan", title="Plan", note="p. 3")
    AnnotationFactory(sentence=sentences[0], annotator=anna, label="claim", note="dates differ", sources=[plan])
    AnnotationFactory(sentence=sentences[2], annotator=ben, label="quote", speaker="the mayor")
    no_url = DocumentFactory(project=team.project, text="An article without an address. Second sentence here.")
    AnnotationFactory(sentence=no_url.sentences.order_by("index")[1], annotator=anna, label="opinion")
    team.document.url = "https://paper.example/bridge"
    team.document.save()
    response = team.client("viewer").get(f"/api/v1/projects/{team.project.pk}/export/webannotation.jsonld")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    return team, no_url, json.loads(b"".join(response.streaming_content))


def iri(term: str) -> str:
    """A term of the context as the IRI it stands for (a value like "classifying" expands to oa:classifying)."""
    definition = CONTEXT["@context"].get(term, term)
    if isinstance(definition, dict):
        definition = definition["@id"]
    prefix, _, local = definition.partition(":")
    namespace = CONTEXT["@context"].get(prefix)
    return namespace + local if isinstance(namespace, str) and local else definition


def compact_leaves(document) -> set[str]:
    return {iri(v) if isinstance(v, str) and v in CONTEXT["@context"] else str(v) for v in leaves(document)}


def leaves(node, *, skip=("@context",)):
    """Every scalar value in a JSON tree (the things a dropped term would lose)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key not in skip:
                yield from leaves(value, skip=skip)
    elif isinstance(node, list):
        for value in node:
            yield from leaves(value, skip=skip)
    else:
        yield node


def keys(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key != "@context":
                yield key
                yield from keys(value)
    elif isinstance(node, list):
        for value in node:
            yield from keys(value)


def test_every_term_is_defined_by_the_annotation_context(exported):
    *_, document = exported
    assert document["@context"] == CONTEXT_URL
    assert set(keys(document)) <= set(CONTEXT["@context"])


def test_expansion_keeps_every_value_under_w3c_iris(exported):
    *_, document = exported
    expanded = expand(document)
    collection = expanded[0]
    assert collection["@type"] == [AS + "OrderedCollection"]
    items = collection[AS + "first"][0][AS + "items"][0]["@list"]
    assert len(items) == 3
    first = items[0]
    assert first["@type"] == [OA + "Annotation"]
    assert first[OA + "motivatedBy"] == [{"@id": OA + "classifying"}]
    bodies = first[OA + "hasBody"]
    assert {"@id": OA + "classifying"} in bodies[0][OA + "hasPurpose"]
    assert bodies[0]["@type"] == [OA + "TextualBody"]
    assert bodies[0][RDF + "value"] == [{"@value": "claim"}]
    linking = next(b for b in bodies if b.get(OA + "hasPurpose") == [{"@id": OA + "linking"}])
    assert linking[OA + "hasSource"][0]["@id"] == "https://city.example/plan"
    assert linking[OA + "hasSource"][0][RDFS + "label"] == [{"@value": "Plan"}]
    target = first[OA + "hasTarget"][0]
    assert target[OA + "hasSource"] == [{"@id": "https://paper.example/bridge"}]
    selector_types = {s["@type"][0] for s in target[OA + "hasSelector"]}
    assert selector_types == {OA + "TextQuoteSelector", OA + "TextPositionSelector"}
    assert first[DCTERMS + "created"][0]["@type"] == "http://www.w3.org/2001/XMLSchema#dateTime"
    assert first[DCTERMS + "creator"][0]["http://xmlns.com/foaf/0.1/nick"] == [{"@value": "anna"}]
    assert compact_leaves(document) - {str(v) for v in leaves(expanded, skip=())} == set()


def test_selectors_point_at_the_sentence_in_the_article(exported):
    team, no_url, document = exported
    page = document["first"]
    assert document["type"] == "AnnotationCollection"
    assert document["total"] == len(page["items"]) == 3
    for item in page["items"]:
        assert item["type"] == "Annotation"
        assert item["motivation"] == "classifying"
        assert item["id"].startswith("urn:lede:annotation:")
        assert item["created"] <= item["modified"]
        classifying = [b for b in item["body"] if b.get("purpose") == "classifying"]
        assert len(classifying) == 1
        assert classifying[0]["type"] == "TextualBody"
        assert classifying[0]["value"] in {"claim", "quote", "opinion"}
        quote, position = item["target"]["selector"]
        article = team.document if item["target"]["source"].startswith("https://") else no_url
        text = article.text
        assert position["type"] == "TextPositionSelector"
        assert quote["type"] == "TextQuoteSelector"
        assert quote["exact"] == text[position["start"] : position["end"]]
        assert quote["prefix"] == text[max(0, position["start"] - 32) : position["start"]]
        assert quote["suffix"] == text[position["end"] : position["end"] + 32]
    assert page["items"][2]["target"]["source"] == f"urn:lede:document:{no_url.pk}"
    speaker = [b for b in page["items"][1]["body"] if b.get("purpose") == "identifying"]
    assert speaker == [{"type": "TextualBody", "purpose": "identifying", "value": "the mayor"}]
    note = [b for b in page["items"][0]["body"] if b.get("purpose") == "describing"]
    assert note == [{"type": "TextualBody", "purpose": "describing", "value": "dates differ"}]


def test_a_term_outside_the_context_would_be_caught(exported):
    """The check above can fail: a property the context does not define is dropped by expansion."""
    *_, document = exported
    document["first"]["items"][0]["reviewerMood"] = "tired"
    assert compact_leaves(document) - {str(v) for v in leaves(expand(document), skip=())} == {"tired"}
