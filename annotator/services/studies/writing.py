"""A checked study written in bulk: documents, sentences, accounts and labels, with the records a label save keeps."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from annotator.models import Annotation, AnnotationEvent, Document, Label, Project, Sentence, Source
from annotator.signals import announce_labels_changed

from ..labelling import SourceInput, snapshot
from ..outlets import match_outlets
from ..projects import add_annotators, append_labels

User = get_user_model()


@dataclass(frozen=True)
class StudyDocument:
    """A document of a finished study: its key, outlet and URL, and its units (sentence key, text) in order."""

    key: str
    units: Sequence[tuple[str, str]]
    outlet: str = ""
    url: str = ""


@dataclass(frozen=True)
class StudyLabel:
    """One annotator's label on one unit (sentence key) of an imported study."""

    unit: str
    annotator: str
    label: str
    speaker: str = ""
    sources: Sequence[SourceInput] = ()


@transaction.atomic
def import_study(
    *,
    project: Project,
    imported_by,
    documents: Sequence[StudyDocument],
    labels: Sequence[StudyLabel],
    new_labels: Sequence[str] = (),
    new_accounts: Sequence[str] = (),
    members: Sequence[str] = (),
) -> list[Document]:
    """Write a study that `import_annotations` has read and checked whole: documents, accounts, labels; all or none.

    A study runs to hundreds of thousands of labels, so this writes in bulk instead of calling
    `label_sentence` per label; it keeps the same records (one history event per label, marked
    `imported`) and announces the change once, for the whole project. Each document's text is
    its units' texts, a paragraph each, so sentence offsets hold. `new_labels` go at the end of
    the scheme (on an interval scale the name is the value); `new_accounts` get an unusable
    password, so nobody can log in as them, and join as annotators with the accounts in `members`.
    """
    if new_labels:
        append_labels(project=project, names=new_labels)
    unusable = make_password(None)
    User.objects.bulk_create(User(username=name, password=unusable) for name in new_accounts)
    users = {user.username: user for user in User.objects.filter(username__in={*new_accounts, *members})}
    add_annotators(project=project, users=users.values())
    created, sentences = _create_study_documents(project, imported_by, documents)
    scheme = {label.name: label for label in Label.objects.filter(project=project)}
    annotations = [
        Annotation(
            sentence=sentences[label.unit],
            annotator=users[label.annotator],
            label=scheme[label.label],
            speaker=label.speaker,
        )
        for label in labels
    ]
    Annotation.objects.bulk_create(annotations, batch_size=2000)
    Source.objects.bulk_create(
        (
            Source(annotation=annotation, url=source.url, title=source.title, note=source.note, position=position)
            for annotation, label in zip(annotations, labels, strict=True)
            for position, source in enumerate(label.sources)
        ),
        batch_size=2000,
    )
    AnnotationEvent.objects.bulk_create(
        (
            AnnotationEvent(
                project=project,
                sentence=annotation.sentence,
                annotator=annotation.annotator,
                actor=imported_by,
                action=AnnotationEvent.Action.CREATED,
                data={**snapshot(annotation, label.sources), "imported": True},
            )
            for annotation, label in zip(annotations, labels, strict=True)
        ),
        batch_size=2000,
    )
    # No document ids: a document's report is computed when someone first reads it, so importing
    # a thousand documents queues one run (the project's), not a thousand.
    announce_labels_changed(project_id=project.pk, document_ids=[])
    return created


def _create_study_documents(
    project: Project, imported_by, documents: Sequence[StudyDocument]
) -> tuple[list[Document], dict[str, Sentence]]:
    created, plans = [], []
    for study_document in documents:
        position, spans = 0, []
        for key, text in study_document.units:
            spans.append((key, text, position, position + len(text)))
            position += len(text) + 2
        created.append(
            Document(
                project=project,
                key=study_document.key,
                title=study_document.key,
                outlet=study_document.outlet,
                url=study_document.url,
                format="text",
                text="\n\n".join(text for _, text in study_document.units),
                created_by=imported_by,
            )
        )
        plans.append(spans)
    match_outlets(project, created)
    Document.objects.bulk_create(created, batch_size=500)
    sentences = {}
    for document, spans in zip(created, plans, strict=True):
        for index, (key, text, start, end) in enumerate(spans):
            sentences[key] = Sentence(
                document=document, index=index, paragraph=index, start=start, end=end, text=text, key=key
            )
    Sentence.objects.bulk_create(sentences.values(), batch_size=2000)
    return created, sentences
