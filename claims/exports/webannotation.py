"""Labels as W3C Web Annotations (https://www.w3.org/TR/annotation-model/), streamed as one JSON-LD collection.

The shape of one label:

- `target`: the article (its URL, or `urn:lede:document:<id>` when it has none) with a
  TextQuoteSelector (the sentence, 32 characters before and after) and a
  TextPositionSelector (character offsets into the article text Lede stored).
- `body`: the label as a TextualBody with `purpose: "classifying"`; the reviewer's note as a
  TextualBody with `purpose: "describing"`; the speaker of a quote as a TextualBody with
  `purpose: "identifying"`; each source as a SpecificResource with `purpose: "linking"`
  whose `source` is the cited page (its title as `label`) and whose own `label` is the
  reviewer's note on the source.
- `creator`: a Person with the reviewer's username (or pseudonym) as `nickname`;
  `created` / `modified`: when the label was first saved and last changed.

The gold standard follows the labels: one annotation per decided sentence with a label (not the
unresolved ones), `id` `urn:lede:project:<id>:gold:<sentence id>`, whose `creator` is the
project's gold standard (an Organization, `urn:lede:project:<id>:gold`, nickname `gold`) instead
of a reviewer; its bodies are the decided label (`classifying`), a `tagging` body `gold`, the
provenance (unanimous, majority, adjudicated or model) as an `assessing` body, and the curator's rationale
(`describing`), speaker (`identifying`) and sources (`linking`) as a label's are;
`created`/`modified`: when it was decided.

Every term used is defined by the model's context (http://www.w3.org/ns/anno.jsonld), so a
JSON-LD processor keeps all of it; identifiers are `urn:lede:` IRIs that need no server.
"""

import json
from collections.abc import Iterator
from itertools import chain

from annotator.models import Project

from . import gold, rows
from .rows import ExportFilters

CONTEXT = "http://www.w3.org/ns/anno.jsonld"


def _bodies(value: str, *, note: str, speaker: str, sources_json: str | None) -> list[dict]:
    """The label as the classifying body, then the note, the speaker and each source."""
    bodies = [{"type": "TextualBody", "purpose": "classifying", "value": value}]
    if note:
        bodies.append({"type": "TextualBody", "purpose": "describing", "value": note})
    if speaker:
        bodies.append({"type": "TextualBody", "purpose": "identifying", "value": speaker})
    for source in json.loads(sources_json) if sources_json else ():
        page = {"id": source["url"]}
        if source["title"]:
            page["label"] = source["title"]
        body = {"type": "SpecificResource", "purpose": "linking", "source": page}
        if source["note"]:
            body["label"] = source["note"]
        bodies.append(body)
    return bodies


def _target(row) -> dict:
    return {
        "source": row.sentence__document__url or f"urn:lede:document:{row.sentence__document_id}",
        "selector": [
            {"type": "TextQuoteSelector", "exact": row.sentence__text, "prefix": row.prefix, "suffix": row.suffix},
            {"type": "TextPositionSelector", "start": row.sentence__start, "end": row.sentence__end},
        ],
    }


def annotation(row, *, project_id: int, creators: dict[int, str], labels: dict) -> dict:
    """One label (a `quote_rows` row) as a Web Annotation."""
    creator = creators[row.annotator_id]
    return {
        "id": f"urn:lede:annotation:{row.pk}",
        "type": "Annotation",
        "motivation": "classifying",
        "creator": {"id": f"urn:lede:project:{project_id}:reviewer:{creator}", "type": "Person", "nickname": creator},
        "created": row.created.isoformat(),
        "modified": row.updated.isoformat(),
        "body": _bodies(labels[row.label_id][0], note=row.note, speaker=row.speaker, sources_json=row.sources_json),
        "target": _target(row),
    }


def gold_annotation(row, *, project_id: int, labels: dict) -> dict:
    """One decision with a label (a `gold.quote_rows` row) as the project's gold Web Annotation."""
    bodies = _bodies(labels[row.label_id][0], note=row.rationale, speaker=row.speaker, sources_json=row.sources_json)
    bodies[1:1] = [
        {"type": "TextualBody", "purpose": "tagging", "value": "gold"},
        {"type": "TextualBody", "purpose": "assessing", "value": row.provenance},
    ]
    gold_id = f"urn:lede:project:{project_id}:gold"
    return {
        "id": f"{gold_id}:{row.sentence_id}",
        "type": "Annotation",
        "motivation": "classifying",
        "creator": {"id": gold_id, "type": "Organization", "nickname": "gold", "name": "Gold standard"},
        "created": row.decided_at.isoformat(),
        "modified": row.decided_at.isoformat(),
        "body": bodies,
        "target": _target(row),
    }


def collection(project: Project, filters: ExportFilters) -> Iterator[str]:
    """An AnnotationCollection whose one page holds every label, item by item, then the gold labels."""
    names = rows.annotator_names(project, pseudonymize=filters.pseudonymize)
    labels = rows.label_table(project)
    decided = gold.quote_rows(project, filters)
    total = rows.count_annotations(project, filters, names) + decided.count()
    head = {
        "@context": CONTEXT,
        "id": f"urn:lede:project:{project.pk}:annotations",
        "type": "AnnotationCollection",
        "label": project.name,
        "total": total,
    }
    yield json.dumps(head, ensure_ascii=False)[:-1]
    yield ', "first": {"type": "AnnotationPage", "startIndex": 0, "items": ['
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    items = chain(
        (
            annotation(row, project_id=project.pk, creators=names, labels=labels)
            for row in rows.quote_rows(project, filters, names).iterator(chunk_size=rows.CHUNK_SIZE)
        ),
        (
            gold_annotation(row, project_id=project.pk, labels=labels)
            for row in decided.iterator(chunk_size=rows.CHUNK_SIZE)
        ),
    )
    for n, item in enumerate(items):
        yield ("," if n else "") + "\n" + dumps(item)
    yield "\n]}}\n"
