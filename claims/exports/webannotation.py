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

Every term used is defined by the model's context (http://www.w3.org/ns/anno.jsonld), so a
JSON-LD processor keeps all of it; identifiers are `urn:lede:` IRIs that need no server.
"""

import json
from collections.abc import Iterator

from annotator.models import Project

from . import rows
from .rows import ExportFilters

CONTEXT = "http://www.w3.org/ns/anno.jsonld"


def annotation(row, *, project_id: int, creators: dict[int, str], labels: dict) -> dict:
    """One label (a `quote_rows` row) as a Web Annotation."""
    bodies = [{"type": "TextualBody", "purpose": "classifying", "value": labels[row.label_id][0]}]
    if row.note:
        bodies.append({"type": "TextualBody", "purpose": "describing", "value": row.note})
    if row.speaker:
        bodies.append({"type": "TextualBody", "purpose": "identifying", "value": row.speaker})
    for source in json.loads(row.sources_json) if row.sources_json else ():
        page = {"id": source["url"]}
        if source["title"]:
            page["label"] = source["title"]
        body = {"type": "SpecificResource", "purpose": "linking", "source": page}
        if source["note"]:
            body["label"] = source["note"]
        bodies.append(body)
    creator = creators[row.annotator_id]
    return {
        "id": f"urn:lede:annotation:{row.pk}",
        "type": "Annotation",
        "motivation": "classifying",
        "creator": {"id": f"urn:lede:project:{project_id}:reviewer:{creator}", "type": "Person", "nickname": creator},
        "created": row.created.isoformat(),
        "modified": row.updated.isoformat(),
        "body": bodies,
        "target": {
            "source": row.sentence__document__url or f"urn:lede:document:{row.sentence__document_id}",
            "selector": [
                {"type": "TextQuoteSelector", "exact": row.sentence__text, "prefix": row.prefix, "suffix": row.suffix},
                {"type": "TextPositionSelector", "start": row.sentence__start, "end": row.sentence__end},
            ],
        },
    }


def collection(project: Project, filters: ExportFilters) -> Iterator[str]:
    """An AnnotationCollection whose one page holds every label, item by item."""
    names = rows.annotator_names(project, pseudonymize=filters.pseudonymize)
    labels = rows.label_table(project)
    total = rows.count_annotations(project, filters, names)
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
    for n, row in enumerate(rows.quote_rows(project, filters, names).iterator(chunk_size=rows.CHUNK_SIZE)):
        yield ("," if n else "") + "\n" + dumps(annotation(row, project_id=project.pk, creators=names, labels=labels))
    yield "\n]}}\n"
