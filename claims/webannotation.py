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

from . import export_rows as rows
from .export_rows import ExportFilters

CONTEXT = "http://www.w3.org/ns/anno.jsonld"


def annotation(record: tuple, *, project_id: int, creators: dict[int, str], labels: dict) -> dict:
    """One label (a `quote_rows` tuple) as a Web Annotation."""
    (pk, doc, url, start, end, text, prefix, suffix, annotator, label, speaker, note, sources, created, updated) = (
        record
    )
    bodies = [{"type": "TextualBody", "purpose": "classifying", "value": labels[label][0]}]
    if note:
        bodies.append({"type": "TextualBody", "purpose": "describing", "value": note})
    if speaker:
        bodies.append({"type": "TextualBody", "purpose": "identifying", "value": speaker})
    for source in json.loads(sources) if sources else ():
        page = {"id": source["url"]}
        if source["title"]:
            page["label"] = source["title"]
        body = {"type": "SpecificResource", "purpose": "linking", "source": page}
        if source["note"]:
            body["label"] = source["note"]
        bodies.append(body)
    return {
        "id": f"urn:lede:annotation:{pk}",
        "type": "Annotation",
        "motivation": "classifying",
        "creator": {
            "id": f"urn:lede:project:{project_id}:reviewer:{creators[annotator]}",
            "type": "Person",
            "nickname": creators[annotator],
        },
        "created": created.isoformat(),
        "modified": updated.isoformat(),
        "body": bodies,
        "target": {
            "source": url or f"urn:lede:document:{doc}",
            "selector": [
                {"type": "TextQuoteSelector", "exact": text, "prefix": prefix, "suffix": suffix},
                {"type": "TextPositionSelector", "start": start, "end": end},
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
    for n, record in enumerate(rows.quote_rows(project, filters, names).iterator(chunk_size=rows.CHUNK_SIZE)):
        yield (
            ("," if n else "") + "\n" + dumps(annotation(record, project_id=project.pk, creators=names, labels=labels))
        )
    yield "\n]}}\n"
