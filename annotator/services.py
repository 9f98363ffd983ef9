"""Every write to projects, members, articles and labels goes through these functions."""

import datetime
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from . import segmentation
from .errors import Conflict, InvalidInput
from .models import (
    DEFAULT_LABELS,
    Annotation,
    AnnotationEvent,
    ArticleImport,
    Document,
    JobStatus,
    Label,
    Membership,
    Project,
    Role,
    Scale,
    Sentence,
    Source,
)
from .prebuilt import from_db_value
from .signals import labels_changed
from .validation import MAX_URL_LENGTH, check_article_size, check_web_url, decode_text, jsonl_objects

User = get_user_model()
logger = logging.getLogger(__name__)

MAX_SOURCES = 50


# Projects, labels and members ---------------------------------------------------------------


def _check_labels(labels: Sequence[dict], scale: str) -> list[dict]:
    if not labels:
        raise InvalidInput("labels", "A project needs at least one label.")
    names, keys, cleaned = set(), set(), []
    for position, label in enumerate(labels):
        where = f"labels[{position}]"
        name = (label.get("name") or "").strip()
        if not name:
            raise InvalidInput(f"{where}.name", "A label needs a name.")
        if name in names:
            raise InvalidInput(f"{where}.name", f"The label '{name}' appears twice.")
        key = (label.get("key") or "").strip()
        if key and key in keys:
            raise InvalidInput(f"{where}.key", f"The key '{key}' is used by two labels.")
        if key and (len(key) != 1 or key in "jkusJKUS?"):
            raise InvalidInput(
                f"{where}.key", "A key is one character and not one of j, k, u, s or ? (used to navigate)."
            )
        value = label.get("value")
        if scale == Scale.INTERVAL and value is None:
            raise InvalidInput(f"{where}.value", "Every label of an interval scale needs a numeric value.")
        if value is not None and not math.isfinite(value):
            raise InvalidInput(f"{where}.value", "A label's value must be a finite number.")
        names.add(name)
        if key:
            keys.add(key)
        cleaned.append(
            {
                "name": name,
                "description": label.get("description") or "",
                "color": label.get("color") or "#777777",
                "key": key,
                "value": value,
                "order": position,
            }
        )
    if scale == Scale.INTERVAL:
        values = [label["value"] for label in cleaned]
        if len(set(values)) != len(values):
            raise InvalidInput("labels", "Labels of an interval scale need distinct values.")
    return cleaned


def _default_labels(scale: str) -> list[dict]:
    return [
        {**label, "value": float(position) if scale != Scale.NOMINAL else None}
        for position, label in enumerate(DEFAULT_LABELS)
    ]


@transaction.atomic
def create_project(
    *,
    owner,
    name: str,
    description: str = "",
    scale: str = Scale.NOMINAL,
    blind: bool = True,
    labels: Sequence[dict] | None = None,
) -> Project:
    cleaned = _check_labels(labels if labels else _default_labels(scale), scale)
    project = Project.objects.create(name=name, description=description, scale=scale, blind=blind, created_by=owner)
    Label.objects.bulk_create(Label(project=project, **label) for label in cleaned)
    Membership.objects.create(project=project, user=owner, role=Role.OWNER)
    return project


@transaction.atomic
def update_project(*, project: Project, labels: Sequence[dict] | None = None, **changes) -> Project:
    """Change a project's fields; `labels`, when given, becomes the whole scheme.

    Labels are matched by name: existing ones are updated in place (their annotations keep
    them), new ones are added, and missing ones are removed unless a reviewer has used them.
    """
    for name, value in changes.items():
        setattr(project, name, value)
    if labels is not None or "scale" in changes:
        current = {label.name: label for label in project.labels.all()}
        wanted = labels if labels is not None else [_label_as_dict(label) for label in current.values()]
        cleaned = _check_labels(wanted, project.scale)
        removed = set(current) - {label["name"] for label in cleaned}
        used = sorted(
            Label.objects.filter(project=project, name__in=removed, annotations__isnull=False)
            .values_list("name", flat=True)
            .distinct()
        )
        if used:
            raise Conflict("labels", f"Labels in use cannot be removed: {', '.join(used)}.")
        Label.objects.filter(project=project, name__in=removed).delete()
        # Clear keys first so that swapping two labels' keys does not trip the unique constraint.
        Label.objects.filter(project=project).update(key="")
        for label in cleaned:
            Label.objects.update_or_create(project=project, name=label["name"], defaults=label)
    project.save()
    return project


def _label_as_dict(label: Label) -> dict:
    return {
        "name": label.name,
        "description": label.description,
        "color": label.color,
        "key": label.key,
        "value": label.value,
    }


def delete_project(*, project: Project) -> None:
    project.delete()


@transaction.atomic
def add_member(*, project: Project, username: str, role: str) -> Membership:
    """Add a user to a project, or change the role of one who is already a member."""
    if role not in Role.values:
        raise InvalidInput("role", f"'{role}' is not a role; choose one of {', '.join(Role.values)}.")
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise InvalidInput("username", f"There is no user '{username}'.")
    membership, created = Membership.objects.select_for_update().get_or_create(
        project=project, user=user, defaults={"role": role}
    )
    if not created and membership.role != role:
        if membership.role == Role.OWNER:
            _keep_an_owner(project, leaving=user)
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def remove_member(*, project: Project, username: str) -> None:
    membership = Membership.objects.select_for_update().filter(project=project, user__username=username).first()
    if membership is None:
        raise InvalidInput("username", f"'{username}' is not a member of this project.")
    if membership.role == Role.OWNER:
        _keep_an_owner(project, leaving=membership.user)
    membership.delete()


def _keep_an_owner(project: Project, *, leaving) -> None:
    others = Membership.objects.filter(project=project, role=Role.OWNER).exclude(user=leaving)
    if not others.exists():
        raise Conflict("role", "A project needs at least one owner; add another owner first.")


# Articles -----------------------------------------------------------------------------------


@dataclass
class ArticleInput:
    """An article as it arrives, before segmentation; metadata given here wins over detected."""

    text: str
    format: str = "text"
    title: str = ""
    author: str = ""
    outlet: str = ""
    url: str = ""
    published: datetime.date | None = None
    key: str = ""
    extra: dict = field(default_factory=dict)


def _check_article(article: ArticleInput) -> str:
    """What can be checked without splitting the article: its size, format and URL; return the URL."""
    check_article_size(article.text, field="text")
    if article.format not in segmentation.FORMATS:
        formats = ", ".join(segmentation.FORMATS)
        raise InvalidInput("format", f"'{article.format}' is not a format; use one of {formats}.")
    return check_web_url(article.url, field="url") if article.url else ""


def _segment(article: ArticleInput) -> tuple[Document, list[Sentence]]:
    url = _check_article(article)
    try:
        segmented = segmentation.segment_article(article.text, article.format)
    except segmentation.SegmentationError as error:
        raise InvalidInput(error.field, str(error)) from None
    if not segmented.sentences:
        raise InvalidInput("text", "The article has no sentences to label.")
    document = Document(
        key=article.key,
        title=(article.title or segmented.title)[:500],
        author=(article.author or segmented.author)[:300],
        outlet=article.outlet[:200],
        url=url,
        published=article.published or segmented.published,
        format=article.format,
        text=segmented.text,
    )
    sentences = [
        Sentence(
            index=span.index,
            paragraph=span.paragraph,
            start=span.start,
            end=span.end,
            text=segmented.text[span.start : span.end],
        )
        for span in segmented.sentences
    ]
    return document, sentences


def _save_documents(
    project: Project, created_by, segmented: Sequence[tuple[Document, list[Sentence]]]
) -> list[Document]:
    documents = []
    for document, _sentences in segmented:
        document.project = project
        document.created_by = created_by
        documents.append(document)
    Document.objects.bulk_create(documents)
    rows = []
    for document, (_, sentences) in zip(documents, segmented, strict=True):
        for sentence in sentences:
            sentence.document = document
            rows.append(sentence)
    Sentence.objects.bulk_create(rows, batch_size=2000)
    return documents


@transaction.atomic
def import_document(*, project: Project, created_by, article: ArticleInput) -> Document:
    segmented = _segment(article)
    return _save_documents(project, created_by, [segmented])[0]


def parse_jsonl_articles(content: bytes) -> list[ArticleInput]:
    """Read a JSONL upload, one article a line; any bad line rejects the whole file."""
    lines = jsonl_objects(decode_text(content, field="file"), expected="a JSON object with a 'text' field")
    articles = [_article_from_record(record, line=number) for number, record in lines]
    if not articles:
        raise InvalidInput("file", "The file holds no articles.")
    return articles


ARTICLE_FIELDS = ("text", "format", "title", "author", "outlet", "url", "published", "key")
MAX_KEY_LENGTH = Document._meta.get_field("key").max_length


def _article_from_record(record: dict, *, line: int) -> ArticleInput:
    where = f"line {line}: "
    unknown = sorted(set(record) - set(ARTICLE_FIELDS) - {"id"})
    if unknown:
        raise InvalidInput("file", f"Line {line} has unknown fields: {', '.join(unknown)}.")
    values = {}
    for name in ARTICLE_FIELDS:
        value = record.get(name)
        if value is None:
            continue
        if not isinstance(value, str):
            raise InvalidInput("file", f"Line {line}: '{name}' must be a string.")
        if not _storable(value):
            raise InvalidInput("file", f"Line {line}: '{name}' contains a NUL or an unpaired surrogate character.")
        values[name] = value.strip() if name != "text" else value
    if "text" not in values:
        raise InvalidInput("file", f"Line {line} has no 'text'.")
    if record.get("id") is not None and "key" not in values:
        values["key"] = str(record["id"])
    if len(values.get("key", "")) > MAX_KEY_LENGTH:
        raise InvalidInput("file", f"Line {line}: the id or key is longer than {MAX_KEY_LENGTH} characters.")
    if "published" in values:
        values["published"] = (
            parse_date(values["published"], field=f"{where}published") if values["published"] else None
        )
    return ArticleInput(**values)


def _storable(value: str) -> bool:
    """PostgreSQL text cannot hold NUL, and no UTF-8 database can hold a lone surrogate (JSON allows both)."""
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def parse_date(value: str, *, field: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value[:10])
    except ValueError:
        raise InvalidInput(field, f"'{value}' is not a date in the form YYYY-MM-DD.") from None


def _numbered(number: int, error: InvalidInput) -> InvalidInput:
    """An error of the `number`th article of a bulk import, reported on the upload's `file` field."""
    messages = [f"Article {number}: {name}: {' '.join(texts)}" for name, texts in error.errors.items()]
    return InvalidInput({"file": messages})


def _each_article(work, articles: Sequence[ArticleInput], progress=None) -> list:
    """`work` applied to every article in turn; an error names the article (see `_numbered`)."""
    results = []
    for number, article in enumerate(articles, start=1):
        try:
            results.append(work(article))
        except InvalidInput as error:
            raise _numbered(number, error) from None
        if progress:
            progress(number, len(articles))
    return results


def import_documents(*, project: Project, created_by, articles: Sequence[ArticleInput]) -> list[Document]:
    """Import several articles at once, in this process: all of them or, if one is wrong, none."""
    segmented = _each_article(_segment, articles)
    with transaction.atomic():
        return _save_documents(project, created_by, segmented)


# Bulk imports run by a worker ---------------------------------------------------------------


def request_article_import(*, project: Project, requested_by, content: bytes, file_name: str = "") -> ArticleImport:
    """Check a JSONL upload now and queue its import; return the job.

    Everything that needs no splitting (encoding, JSON, fields, sizes, formats, URLs) is checked
    here, so such an error is a 400 naming the line or article and nothing is kept. Splitting
    into sentences takes about a second per megabyte, so a worker does it (`run_article_import`)
    and reports progress; without a broker it runs in this process once the job is committed,
    and the job is finished when this returns.
    """
    articles = parse_jsonl_articles(content)
    _each_article(_check_article, articles)
    with transaction.atomic():
        job = ArticleImport.objects.create(
            project=project,
            requested_by=requested_by,
            file=ContentFile(content, name="articles.jsonl"),
            file_name=file_name[:200],
            articles=len(articles),
        )
        transaction.on_commit(lambda: _queue_article_import(job.pk))
    return job


def _queue_article_import(job_id: int) -> None:
    from kombu.exceptions import OperationalError

    from .tasks import import_articles

    try:
        import_articles.delay(job_id)
    except OperationalError:
        logger.exception("Could not queue article import %s", job_id)
        fail_article_import(job_id, "The task queue could not be reached; nothing was imported. Please try again.")
    except Exception as error:  # tasks run in-process (no broker) and this one failed unexpectedly
        logger.exception("Article import %s failed", job_id)
        fail_article_import(job_id, f"The import failed ({type(error).__name__}); nothing was imported.")


def run_article_import(job_id: int) -> str:
    """Split and save the articles of an import; all or none. Safe to run again (a finished job is left alone)."""
    job = ArticleImport.objects.select_related("project", "requested_by").filter(pk=job_id).first()
    if job is None:
        return "gone"
    if job.status in (JobStatus.READY, JobStatus.FAILED):
        return job.status
    jobs = ArticleImport.objects.filter(pk=job_id)
    jobs.update(status=JobStatus.RUNNING, processed=0)
    with job.file.open("rb") as upload:
        articles = parse_jsonl_articles(upload.read())
    step = max(1, len(articles) // 100)

    def progress(done: int, total: int) -> None:
        if done % step == 0 or done == total:
            jobs.update(processed=done)

    try:
        segmented = _each_article(_segment, articles, progress)
    except InvalidInput as error:
        _finish_article_import(job, status=JobStatus.FAILED, error=error.errors)
        return JobStatus.FAILED
    with transaction.atomic():
        documents = _save_documents(job.project, job.requested_by, segmented)
        _finish_article_import(job, status=JobStatus.READY, documents=[document.pk for document in documents])
    return JobStatus.READY


def fail_article_import(job_id: int, message: str) -> None:
    job = ArticleImport.objects.filter(pk=job_id).first()
    if job is not None and job.status != JobStatus.READY:
        _finish_article_import(job, status=JobStatus.FAILED, error={"file": [message]})


def _finish_article_import(job: ArticleImport, *, status: str, documents=(), error=None) -> None:
    """Record the outcome and drop the uploaded file: the articles now live in the documents, or nowhere."""
    ArticleImport.objects.filter(pk=job.pk).update(
        status=status, documents=list(documents), error=error, finished=timezone.now(), file=""
    )
    if job.file:
        path = job.file.name
        transaction.on_commit(lambda: job.file.storage.delete(path))


def delete_document(*, document: Document) -> None:
    project_id = document.project_id
    document_id = document.pk
    with transaction.atomic():
        document.delete()
        transaction.on_commit(lambda: _announce(project_id, [document_id]))


# Labels -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SourceInput:
    url: str
    title: str = ""
    note: str = ""


def _check_sources(sources: Sequence[SourceInput]) -> list[SourceInput]:
    if len(sources) > MAX_SOURCES:
        raise InvalidInput("sources", f"At most {MAX_SOURCES} sources can be attached to one label.")
    return [
        SourceInput(
            url=check_web_url(source.url, field=f"sources[{position}].url"), title=source.title, note=source.note
        )
        for position, source in enumerate(sources)
    ]


def _snapshot(annotation: Annotation, sources: Sequence[SourceInput]) -> dict:
    return {
        "label": annotation.label.name,
        "speaker": annotation.speaker,
        "note": annotation.note,
        "sources": [{"url": s.url, "title": s.title, "note": s.note} for s in sources],
    }


def _announce(project_id: int, document_ids: list[int]) -> None:
    labels_changed.send(sender=Annotation, project_id=project_id, document_ids=document_ids)


def _unknown_label(project: Project, name: str) -> InvalidInput:
    names = ", ".join(project.labels.values_list("name", flat=True))
    return InvalidInput("label", f"'{name}' is not a label of this project; use one of: {names}.")


def find_label(project: Project, name: str) -> Label:
    label = Label.objects.filter(project=project, name=name).first()
    if label is None:
        raise _unknown_label(project, name)
    return label


def _upsert_annotation_sql() -> str:
    """INSERT ... SELECT the label by name ... ON CONFLICT DO UPDATE ... RETURNING (PostgreSQL, SQLite 3.35+).

    One statement finds the label, and creates the annotation or updates it in place; the
    unique constraint on (sentence, annotator) settles two concurrent first saves of the same
    reviewer (the later one updates). No row comes back when the project has no such label.
    """
    qn = connection.ops.quote_name
    column = {name: qn(Annotation._meta.get_field(name).column) for name in _UPSERT_FIELDS}
    label_table, label_id = qn(Label._meta.db_table), qn(Label._meta.pk.column)
    label_project, label_name = qn(Label._meta.get_field("project").column), qn(Label._meta.get_field("name").column)
    assigned = ", ".join(
        f"{column[name]} = EXCLUDED.{column[name]}" for name in ("label", "speaker", "note", "updated")
    )
    return (
        f"INSERT INTO {qn(Annotation._meta.db_table)} ({', '.join(column.values())}) "
        f"SELECT %s, %s, l.{label_id}, %s, %s, %s, %s FROM {label_table} l "
        f"WHERE l.{label_project} = %s AND l.{label_name} = %s "
        f"ON CONFLICT ({column['sentence']}, {column['annotator']}) DO UPDATE SET {assigned} "
        f"RETURNING {qn(Annotation._meta.pk.column)}, {column['label']}, {column['created']}"
    )


_UPSERT_FIELDS = ("sentence", "annotator", "label", "speaker", "note", "created", "updated")


def label_sentence(
    *,
    sentence: Sentence,
    annotator,
    label_name: str,
    sources: Sequence[SourceInput] = (),
    speaker: str = "",
    note: str = "",
    actor=None,
) -> tuple[Annotation, bool]:
    """Set `annotator`'s label on `sentence`, replacing any earlier one; return it and whether it is new.

    The busiest write: one upsert (`_upsert_annotation_sql`), the sources, the history event.
    The annotation returned carries its sentence, annotator, label and sources, so that the
    caller can show it without reading it back.
    """
    project = sentence.document.project
    try:
        sources = _check_sources(sources)
    except InvalidInput:
        find_label(project, label_name)  # an unknown label is reported first, as it always was
        raise
    speaker = speaker.strip()
    now = timezone.now()
    stamp = connection.ops.adapt_datetimefield_value(now)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                _upsert_annotation_sql(),
                [sentence.pk, annotator.pk, speaker, note, stamp, stamp, project.pk, label_name],
            )
            row = cursor.fetchone()
        if row is None:
            raise _unknown_label(project, label_name)
        annotation_id, label_id, created_at = row
        created_at = from_db_value(created_at, Annotation._meta.get_field("created"), "a")
        created = created_at == now
        label = Label.from_db(connection.alias, ["id", "project_id", "name"], [label_id, project.pk, label_name])
        annotation = Annotation.from_db(
            connection.alias,
            ["id", "sentence_id", "annotator_id", "label_id", "speaker", "note", "created", "updated"],
            [annotation_id, sentence.pk, annotator.pk, label_id, speaker, note, created_at, now],
        )
        annotation.sentence, annotation.annotator, annotation.label = sentence, annotator, label
        if not created:
            # A statement of its own, not a subquery of the upsert: after waiting for another save of
            # this label (a second tab), only a new statement sees the sources that save committed.
            Source.objects.filter(annotation_id=annotation_id).delete()
        saved_sources = []
        if sources:
            saved_sources = Source.objects.bulk_create(
                Source(annotation=annotation, url=s.url, title=s.title, note=s.note, position=position)
                for position, s in enumerate(sources)
            )
        annotation._prefetched_objects_cache = {"sources": saved_sources}
        AnnotationEvent.objects.create(
            project=project,
            sentence=sentence,
            annotator=annotator,
            actor=actor or annotator,
            action=AnnotationEvent.Action.CREATED if created else AnnotationEvent.Action.UPDATED,
            data=_snapshot(annotation, sources),
        )
        transaction.on_commit(lambda: _announce(project.pk, [sentence.document_id]))
    return annotation, created


@transaction.atomic
def delete_annotation(*, sentence: Sentence, annotator, actor=None) -> bool:
    """Remove `annotator`'s label on `sentence`; return False if there was none."""
    annotation = (
        Annotation.objects.select_for_update()
        .select_related("label")
        .filter(sentence=sentence, annotator=annotator)
        .first()
    )
    if annotation is None:
        return False
    sources = [SourceInput(url=s.url, title=s.title, note=s.note) for s in annotation.sources.all()]
    AnnotationEvent.objects.create(
        project_id=sentence.document.project_id,
        sentence=sentence,
        annotator=annotator,
        actor=actor or annotator,
        action=AnnotationEvent.Action.DELETED,
        data=_snapshot(annotation, sources),
    )
    annotation.delete()
    project_id, document_id = sentence.document.project_id, sentence.document_id
    transaction.on_commit(lambda: _announce(project_id, [document_id]))
    return True


# Finished studies imported with their labels ------------------------------------------------


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
    """Write a study that its reader (`claims.imports`) has checked whole: documents, accounts, labels; all or none.

    A study runs to hundreds of thousands of labels, so this writes in bulk instead of calling
    `label_sentence` per label; it keeps the same records (one history event per label, marked
    `imported`) and announces the change once, for the whole project. Each document's text is
    its units' texts, a paragraph each, so sentence offsets hold. `new_labels` go at the end of
    the scheme (on an interval scale the name is the value); `new_accounts` get an unusable
    password, so nobody can log in as them, and join as annotators with the accounts in `members`.
    """
    if new_labels:
        start = (Label.objects.filter(project=project).aggregate(top=Max("order"))["top"] or 0) + 1
        Label.objects.bulk_create(
            Label(
                project=project,
                name=name,
                order=start + position,
                value=float(name) if project.scale == Scale.INTERVAL else None,
            )
            for position, name in enumerate(new_labels)
        )
    unusable = make_password(None)
    User.objects.bulk_create(User(username=name, password=unusable) for name in new_accounts)
    users = {user.username: user for user in User.objects.filter(username__in={*new_accounts, *members})}
    Membership.objects.bulk_create(
        (Membership(project=project, user=user, role=Role.ANNOTATOR) for user in users.values()),
        ignore_conflicts=True,
    )
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
                data={**_snapshot(annotation, label.sources), "imported": True},
            )
            for annotation, label in zip(annotations, labels, strict=True)
        ),
        batch_size=2000,
    )
    # No document ids: a document's report is computed when someone first reads it, so importing
    # a thousand documents queues one run (the project's), not a thousand.
    transaction.on_commit(lambda: _announce(project.pk, []))
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
                key=study_document.key[:200],
                title=study_document.key[:500],
                outlet=study_document.outlet,
                url=study_document.url[:MAX_URL_LENGTH],
                format="text",
                text="\n\n".join(text for _, text in study_document.units),
                created_by=imported_by,
            )
        )
        plans.append(spans)
    Document.objects.bulk_create(created, batch_size=500)
    sentences = {}
    for document, spans in zip(created, plans, strict=True):
        for index, (key, text, start, end) in enumerate(spans):
            sentences[key] = Sentence(
                document=document, index=index, paragraph=index, start=start, end=end, text=text, key=key
            )
    Sentence.objects.bulk_create(sentences.values(), batch_size=2000)
    return created, sentences
