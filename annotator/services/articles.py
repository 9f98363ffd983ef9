"""Articles: checking and splitting them into sentences, saving them one or many at a time, editing what is
known about them, deleting them."""

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count

from annotator import segmentation
from annotator.errors import InvalidInput
from annotator.models import Annotation, AnnotationEvent, Document, Project, Sentence
from annotator.signals import announce_labels_changed
from annotator.text_format import detect_format
from annotator.validation import check_article_size, check_web_url, decode_text, jsonl_objects

AUTO_FORMAT = "auto"


@dataclass
class ArticleInput:
    """An article as it arrives, before segmentation; metadata given here wins over detected.

    `format` "auto" leaves it to `text_format.detect_format` to tell HTML, Markdown and plain text apart.
    """

    text: str
    format: str = "text"
    title: str = ""
    author: str = ""
    outlet: str = ""
    url: str = ""
    published: datetime.date | None = None
    key: str = ""
    extra: dict = field(default_factory=dict)


def check_article(article: ArticleInput) -> str:
    """What can be checked without splitting the article: its size, format and URL; return the URL.

    An `auto` format is settled here, from the text, so that every later step sees a real one.
    """
    check_article_size(article.text, field="text")
    if article.format == AUTO_FORMAT:
        article.format = detect_format(article.text)
    if article.format not in segmentation.FORMATS:
        formats = ", ".join(segmentation.FORMATS)
        raise InvalidInput("format", f"'{article.format}' is not a format; use one of {formats}.")
    return check_web_url(article.url, field="url") if article.url else ""


def segment(article: ArticleInput) -> tuple[Document, list[Sentence]]:
    url = check_article(article)
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


def save_documents(
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
    segmented = segment(article)
    return save_documents(project, created_by, [segmented])[0]


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


def each_article(work: Callable[[ArticleInput], object], articles: Sequence[ArticleInput], progress=None) -> list:
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
    segmented = each_article(segment, articles)
    with transaction.atomic():
        return save_documents(project, created_by, segmented)


METADATA_FIELDS = ("title", "author", "outlet", "url", "published")


def update_document(*, document: Document, **metadata) -> Document:
    """Change what is known about an article (`METADATA_FIELDS`); its text stays, since sentences point into it."""
    unknown = set(metadata) - set(METADATA_FIELDS)
    if unknown:
        raise TypeError(f"Not an article's metadata: {', '.join(sorted(unknown))}")
    if metadata.get("url"):
        metadata["url"] = check_web_url(metadata["url"], field="url")
    for name, value in metadata.items():
        setattr(document, name, value)
    document.save(update_fields=list(metadata))
    return document


@transaction.atomic
def delete_document(*, document: Document, actor=None) -> None:
    """Delete the article with its sentences and labels, leaving one event in the project's history that
    names it and counts the labels and reviewers that went with it."""
    project_id, document_id = document.project_id, document.pk
    removed = Annotation.objects.filter(sentence__document_id=document_id).aggregate(
        labels=Count("id"), reviewers=Count("annotator_id", distinct=True)
    )
    AnnotationEvent.objects.create(
        project_id=project_id,
        actor=actor,
        action=AnnotationEvent.Action.DOCUMENT_DELETED,
        data={"document": document_id, "title": document.title, "key": document.key, **removed},
    )
    document.delete()
    announce_labels_changed(project_id=project_id, document_ids=[document_id])
