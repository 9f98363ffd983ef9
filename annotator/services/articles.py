"""Articles: checking and splitting them into sentences, saving them one or many at a time, editing what is
known about them, deleting them."""

import datetime
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F

from annotator.errors import InvalidInput
from annotator.models import Annotation, AnnotationEvent, Document, Project, Sentence
from annotator.signals import announce_labels_changed
from annotator.sql import DocumentRow, DocumentSentences, insert_documents, insert_sentences
from annotator.text import header, segmentation, webfetch
from annotator.text.formats import detect_format
from annotator.validation import check_article_size, check_web_url, decode_text, jsonl_objects, storable

from .assignments import after_sentences_added
from .outlets import match_outlets

AUTO_FORMAT = "auto"


@dataclass
class ArticleInput:
    """An article as it arrives, before segmentation; metadata given here wins over detected.

    `format` "auto" leaves it to `text_format.detect_format` to tell HTML, Markdown and plain text apart.
    `text_field` is the input that carried the text (`text`, or `file` for an upload): errors about it name it.
    `row` is the article's row in a table (see `annotator.services.tables`), which errors then name.
    """

    text: str
    format: str = "text"
    title: str = ""
    author: str = ""
    outlet: str = ""
    url: str = ""
    published: datetime.date | None = None
    key: str = ""
    topics: list[str] = field(default_factory=list)
    attributes: dict[str, str] = field(default_factory=dict)
    text_field: str = "text"
    calibration: bool = False
    training: bool = False
    row: int = 0


def check_article(article: ArticleInput) -> None:
    """Check what can be checked without splitting the article: its size, format, URL, topics and attributes.

    Every import runs it once on every article before `segment`. An `auto` format is settled here,
    from the text, so that every later step sees a real one; the URL, topics and attributes are
    kept as they will be stored.
    """
    check_article_size(article.text, field=article.text_field)
    if article.format == AUTO_FORMAT:
        article.format = detect_format(article.text)
    if article.format not in segmentation.FORMATS:
        formats = ", ".join(segmentation.FORMATS)
        raise InvalidInput("format", f"'{article.format}' is not a format; use one of {formats}.")
    article.url = check_web_url(article.url, field="url") if article.url else ""
    article.topics = check_topics(article.topics, field="topics")
    article.attributes = check_attributes(article.attributes, field="attributes")


def fetch_web_page(url: str) -> webfetch.FetchedPage:
    """The page at `url`, fetched for import; a 400 naming `url` when it cannot be (see `annotator.text.webfetch`)."""
    url = check_web_url(url, field="url")
    try:
        return webfetch.fetch_page(url, loopback_only=settings.LEDE_FETCH_LOOPBACK_ONLY)
    except webfetch.FetchError as error:
        raise InvalidInput("url", str(error)) from None


def segment(
    article: ArticleInput, *, whole_quotations: bool = False, limits: segmentation.Limits | None = None
) -> tuple[DocumentRow, Sequence[segmentation.SentenceSpan]]:
    """The article, which `check_article` passed, as a document to write, and where its sentences are in the
    document's text; `limits` are `segmentation_limits()` unless given."""
    try:
        segmented = segmentation.segment_article(
            article.text, article.format, whole_quotations=whole_quotations, limits=limits or segmentation_limits()
        )
    except segmentation.SegmentationError as error:
        raise InvalidInput(article.text_field if error.field == "text" else error.field, str(error)) from None
    if not segmented.sentences:
        raise InvalidInput(article.text_field, "The article has no sentences to label.")
    document = DocumentRow(
        key=article.key,
        title=(article.title or segmented.title or _first_line(article, segmented.text))[:500],
        author=(article.author or segmented.author)[:300],
        outlet=(article.outlet or segmented.site)[:200],
        url=article.url,
        published=article.published or segmented.published,
        topics=article.topics,
        attributes=article.attributes,
        format=article.format,
        text=segmented.text,
        removed=[{"start": span.start, "end": span.end, "reason": span.reason} for span in segmented.removed],
        calibration=article.calibration,
        training=article.training,
    )
    return document, segmented.sentences


def _first_line(article: ArticleInput, text: str) -> str:
    """An untitled article's title: its first line as written (a plain text's lines may join into a paragraph),
    or the first line of the text kept from Markdown or HTML."""
    return header.first_line_title(article.text if article.format == "text" else text)


def segmentation_limits() -> segmentation.Limits:
    """The work one article may cost (`ARTICLE_MAX_SENTENCES`, `ARTICLE_SEGMENTATION_SECONDS`)."""
    return segmentation.Limits(sentences=settings.ARTICLE_MAX_SENTENCES, seconds=settings.ARTICLE_SEGMENTATION_SECONDS)


def segmenter_for(
    project: Project,
) -> Callable[[ArticleInput], tuple[DocumentRow, Sequence[segmentation.SentenceSpan]]]:
    """`segment` with the project's options and the limits of the moment, for `each_article`."""
    return functools.partial(segment, whole_quotations=project.whole_quotations, limits=segmentation_limits())


def save_documents(
    project: Project, created_by, segmented: Sequence[tuple[DocumentRow, Sequence[segmentation.SentenceSpan]]]
) -> list[int]:
    """Write the segmented articles as documents of `project` with their sentences; return the documents' ids."""
    rows = [row for row, _spans in segmented]
    match_outlets(project, rows)
    ids = insert_documents(rows, project_id=project.pk, created_by_id=created_by.pk if created_by else None)
    insert_sentences(DocumentSentences(pk, row.text, spans) for pk, (row, spans) in zip(ids, segmented, strict=True))
    return ids


def _saved(ids: list[int]) -> list[Document]:
    """The documents just written, read back as stored, in the order of `ids`."""
    documents = Document.objects.in_bulk(ids)
    return [documents[pk] for pk in ids]


@transaction.atomic
def import_document(*, project: Project, created_by, article: ArticleInput) -> Document:
    check_article(article)
    segmented = segment(article, whole_quotations=project.whole_quotations)
    return _saved(save_documents(project, created_by, [segmented]))[0]


def parse_jsonl_articles(content: bytes) -> list[ArticleInput]:
    """Read a JSONL upload, one article a line; any bad line rejects the whole file."""
    lines = jsonl_objects(decode_text(content, field="file"), expected="a JSON object with a 'text' field")
    articles = [_article_from_record(record, line=number) for number, record in lines]
    if not articles:
        raise InvalidInput("file", "The file holds no articles.")
    return articles


ARTICLE_FIELDS = ("text", "format", "title", "author", "outlet", "url", "published", "key")
STRUCTURED_FIELDS = ("topics", "attributes")
MAX_TOPICS, MAX_TOPIC_LENGTH = 20, 100
MAX_ATTRIBUTES, MAX_ATTRIBUTE_KEY_LENGTH, MAX_ATTRIBUTE_LENGTH = 50, 100, 1000
_RECORD_FIELDS = frozenset((*ARTICLE_FIELDS, *STRUCTURED_FIELDS, "id"))
MAX_KEY_LENGTH = Document._meta.get_field("key").max_length
MAX_LENGTHS = {name: Document._meta.get_field(name).max_length for name in ("title", "author", "outlet")}


def _article_from_record(record: dict, *, line: int) -> ArticleInput:
    """The article of a JSONL line (see `jsonl_objects`, which refused any string that could not be stored)."""
    where = f"line {line}: "
    unknown = record.keys() - _RECORD_FIELDS
    if unknown:
        raise InvalidInput("file", f"Line {line} has unknown fields: {', '.join(sorted(unknown))}.")
    values = {name: record[name] for name in STRUCTURED_FIELDS if record.get(name) is not None}
    if isinstance(values.get("topics"), str):
        values["topics"] = values["topics"].split(";")
    try:
        if "topics" in values:
            values["topics"] = check_topics(values["topics"], field="topics")
        if "attributes" in values:
            values["attributes"] = check_attributes(values["attributes"], field="attributes")
    except InvalidInput as error:
        raise InvalidInput("file", f"Line {line}: {' '.join(*error.errors.values())}") from None
    for name in ARTICLE_FIELDS:
        value = record.get(name)
        if value is None:
            continue
        if not isinstance(value, str):
            raise InvalidInput("file", f"Line {line}: '{name}' must be a string.")
        values[name] = value.strip() if name != "text" else value
    if "text" not in values:
        raise InvalidInput("file", f"Line {line} has no 'text'.")
    if record.get("id") is not None and "key" not in values:
        values["key"] = str(record["id"])
    if len(values.get("key", "")) > MAX_KEY_LENGTH:
        raise InvalidInput("file", f"Line {line}: the id or key is longer than {MAX_KEY_LENGTH} characters.")
    for name, limit in MAX_LENGTHS.items():
        if len(values.get(name, "")) > limit:
            raise InvalidInput("file", f"Line {line}: '{name}' is longer than {limit} characters.")
    if "published" in values:
        values["published"] = (
            parse_date(values["published"], field=f"{where}published") if values["published"] else None
        )
    return ArticleInput(**values)


def check_topics(topics, *, field: str) -> list[str]:
    """Topic tags as stored: a list of distinct non-empty strings, in the order given."""
    if not isinstance(topics, list) or not all(isinstance(topic, str) for topic in topics):
        raise InvalidInput(field, "Topics are a list of strings (or, in a file, one string with ';' between them).")
    if not topics:  # most articles have none
        return []
    cleaned = list(dict.fromkeys(topic.strip() for topic in topics if topic.strip()))
    if len(cleaned) > MAX_TOPICS or any(len(topic) > MAX_TOPIC_LENGTH for topic in cleaned):
        raise InvalidInput(field, f"At most {MAX_TOPICS} topics of at most {MAX_TOPIC_LENGTH} characters each.")
    if not all(storable(topic) for topic in cleaned):
        raise InvalidInput(field, "A topic contains a NUL or an unpaired surrogate character.")
    return cleaned


def check_attributes(attributes, *, field: str) -> dict[str, str]:
    """Free key-value fields as stored: string keys; string, number or boolean values, kept as strings."""
    if not isinstance(attributes, dict):
        raise InvalidInput(field, "Attributes are an object of names and values.")
    if len(attributes) > MAX_ATTRIBUTES:
        raise InvalidInput(field, f"At most {MAX_ATTRIBUTES} attributes.")
    cleaned = {}
    for key, value in attributes.items():
        if isinstance(value, bool):
            value = "true" if value else "false"
        elif isinstance(value, int | float):
            value = str(value)
        if not isinstance(value, str):
            raise InvalidInput(field, f"The attribute '{key}' must be a string, a number or a boolean.")
        key = key.strip()
        if not key or len(key) > MAX_ATTRIBUTE_KEY_LENGTH or len(value) > MAX_ATTRIBUTE_LENGTH:
            raise InvalidInput(
                field,
                f"An attribute needs a name of at most {MAX_ATTRIBUTE_KEY_LENGTH} characters "
                f"and a value of at most {MAX_ATTRIBUTE_LENGTH}.",
            )
        if not (storable(key) and storable(value)):
            raise InvalidInput(field, f"The attribute '{key}' contains a NUL or an unpaired surrogate character.")
        cleaned[key] = value
    return cleaned


def parse_date(value: str, *, field: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value[:10])
    except ValueError:
        raise InvalidInput(field, f"'{value}' is not a date in the form YYYY-MM-DD.") from None


def _numbered(number: int, error: InvalidInput, article: ArticleInput) -> InvalidInput:
    """An error of the `number`th article of a bulk import (of the article in its `row` of a table), reported on
    the upload's `file` field."""
    if article.row:
        messages = [f"Row {article.row}, column '{name}': {' '.join(texts)}" for name, texts in error.errors.items()]
    else:
        messages = [f"Article {number}: {name}: {' '.join(texts)}" for name, texts in error.errors.items()]
    return InvalidInput({"file": messages})


def each_article(
    work: Callable[[ArticleInput], object], articles: Sequence[ArticleInput], progress=None, *, first: int = 1
) -> list:
    """`work` applied to every article in turn; an error names the article (see `_numbered`), `first` being
    the number of the first of `articles` in its file."""
    results = []
    for number, article in enumerate(articles, start=first):
        try:
            results.append(work(article))
        except InvalidInput as error:
            raise _numbered(number, error, article) from None
        if progress:
            progress(number - first + 1, len(articles))
    return results


def import_documents(*, project: Project, created_by, articles: Sequence[ArticleInput]) -> list[Document]:
    """Import several articles at once, in this process: all of them or, if one is wrong, none."""
    each_article(check_article, articles)
    segmented = each_article(segmenter_for(project), articles)
    with transaction.atomic():
        return _saved(save_documents(project, created_by, segmented))


METADATA_FIELDS = ("title", "author", "outlet", "url", "published", "topics", "attributes")
GROUPING_FIELDS = ("outlet", "published", "topics")


@transaction.atomic
def update_document(*, document: Document, **metadata) -> Document:
    """Change what is known about an article (`METADATA_FIELDS`); its text stays, since sentences point into it.

    The outlet is matched against the project's list as on import. A change of what analyses
    group by (`GROUPING_FIELDS`) is announced like a label change, so they are computed again.
    """
    unknown = set(metadata) - set(METADATA_FIELDS)
    if unknown:
        raise TypeError(f"Not an article's metadata: {', '.join(sorted(unknown))}")
    if metadata.get("url"):
        metadata["url"] = check_web_url(metadata["url"], field="url")
    if "topics" in metadata:
        metadata["topics"] = check_topics(metadata["topics"], field="topics")
    if "attributes" in metadata:
        metadata["attributes"] = check_attributes(metadata["attributes"], field="attributes")
    regrouped = any(metadata[name] != getattr(document, name) for name in GROUPING_FIELDS if name in metadata)
    for name, value in metadata.items():
        setattr(document, name, value)
    if "outlet" in metadata:
        match_outlets(document.project, [document])
    document.save(update_fields=list(metadata))
    if regrouped:
        announce_labels_changed(project_id=document.project_id, document_ids=[])
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


# Sentences after a restored span move up by this much first, so that renumbering never
# passes through an index another sentence of the document still holds.
_INDEX_DETOUR = 10_000_000


@transaction.atomic
def restore_removed_text(*, document: Document, start: int) -> Document:
    """Make sentences of a span that segmentation kept out (see `Document.removed`), in article order."""
    document = Document.objects.select_for_update().select_related("project").get(pk=document.pk)
    span = next((span for span in document.removed if span["start"] == start), None)
    if span is None:
        raise InvalidInput("start", f"No removed text starts at {start}; see the document's 'removed' list.")
    pieces = segmentation.paragraph_sentences(
        document.text[span["start"] : span["end"]], whole_quotations=document.project.whole_quotations
    )
    first = document.sentences.filter(start__lt=span["start"]).count()
    later = Sentence.objects.filter(document=document, index__gte=first)
    later.update(index=F("index") + _INDEX_DETOUR)
    Sentence.objects.filter(document=document, index__gte=_INDEX_DETOUR).update(
        index=F("index") - _INDEX_DETOUR + len(pieces)
    )
    paragraph = document.text.count("\n\n", 0, span["start"])
    Sentence.objects.bulk_create(
        Sentence(
            document=document,
            index=first + number,
            paragraph=paragraph,
            start=span["start"] + piece_start,
            end=span["start"] + piece_end,
            text=document.text[span["start"] + piece_start : span["start"] + piece_end],
        )
        for number, (piece_start, piece_end) in enumerate(pieces)
    )
    document.removed = [other for other in document.removed if other is not span]
    document.save(update_fields=["removed"])
    if pieces:
        after_sentences_added(document_id=document.pk)
    announce_labels_changed(project_id=document.project_id, document_ids=[document.pk])
    return document
