"""Articles: checking and splitting them into sentences, saving them one or many at a time, deleting them."""

import datetime
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import F

from annotator import segmentation, webfetch
from annotator.errors import InvalidInput
from annotator.models import Document, Project, Sentence
from annotator.signals import announce_labels_changed
from annotator.validation import check_article_size, check_web_url, decode_text, jsonl_objects


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


def check_article(article: ArticleInput) -> str:
    """What can be checked without splitting the article: its size, format and URL; return the URL."""
    check_article_size(article.text, field="text")
    if article.format not in segmentation.FORMATS:
        formats = ", ".join(segmentation.FORMATS)
        raise InvalidInput("format", f"'{article.format}' is not a format; use one of {formats}.")
    return check_web_url(article.url, field="url") if article.url else ""


def fetch_web_page(url: str) -> webfetch.FetchedPage:
    """The page at `url`, fetched for import; a 400 naming `url` when it cannot be (see `annotator.webfetch`)."""
    url = check_web_url(url, field="url")
    try:
        return webfetch.fetch_page(url, loopback_only=settings.LEDE_FETCH_LOOPBACK_ONLY)
    except webfetch.FetchError as error:
        raise InvalidInput("url", str(error)) from None


def segment(article: ArticleInput, *, whole_quotations: bool = False) -> tuple[Document, list[Sentence]]:
    url = check_article(article)
    try:
        segmented = segmentation.segment_article(article.text, article.format, whole_quotations=whole_quotations)
    except segmentation.SegmentationError as error:
        raise InvalidInput(error.field, str(error)) from None
    if not segmented.sentences:
        raise InvalidInput("text", "The article has no sentences to label.")
    document = Document(
        key=article.key,
        title=(article.title or segmented.title)[:500],
        author=(article.author or segmented.author)[:300],
        outlet=(article.outlet or segmented.site)[:200],
        url=url,
        published=article.published or segmented.published,
        format=article.format,
        text=segmented.text,
        removed=[{"start": span.start, "end": span.end, "reason": span.reason} for span in segmented.removed],
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


def segmenter_for(project: Project) -> Callable[[ArticleInput], tuple[Document, list[Sentence]]]:
    """`segment` with the project's options, for `each_article`."""
    return functools.partial(segment, whole_quotations=project.whole_quotations)


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
    segmented = segment(article, whole_quotations=project.whole_quotations)
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
    segmented = each_article(segmenter_for(project), articles)
    with transaction.atomic():
        return save_documents(project, created_by, segmented)


@transaction.atomic
def delete_document(*, document: Document) -> None:
    project_id, document_id = document.project_id, document.pk
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
    announce_labels_changed(project_id=document.project_id, document_ids=[document.pk])
    return document
