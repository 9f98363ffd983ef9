"""Turn a pasted or uploaded article (text, Markdown, HTML) into metadata, paragraphs and sentences.

Pure Python, no Django: services call `segment_article()` and store what it returns. This module
assembles the pipeline; each step's rules live in the module named beside it.

Pipeline
--------
1. Normalise: line endings to "\\n", Unicode NFC, zero-width spaces, word joiners, BOM, soft
   hyphens and other control characters removed. Quote marks are kept exactly as written, and
   so are the zero-width joiner and non-joiner (U+200D, U+200C): they hold emoji sequences
   together and shape Persian and Indic words.
2. Reduce the format to *blocks* (a paragraph, heading or list item, each a list of lines) in
   `readers`: plain text splits on blank lines; Markdown goes through markdown-it-py's token
   stream (emphasis, links -> link text, images dropped, each list item a block, raw HTML reduced
   like HTML); HTML goes through BeautifulSoup with lxml (see `html_blocks`), a whole page
   first reduced to its article by trafilatura (see `webpages`).
3. Metadata comes off the top (`header`, dates read by `dates`): the title is a Markdown
   heading / `<h1>` / `<title>`, or in plain text a first short line without terminal
   punctuation (never the only text of the article, which is then its body). Right after it,
   lines that are a byline ("By Jane Doe"), a bare person's name (as in the WSWS sample) or a date
   ("24 October 2016", "Oct. 24, 2016", "2016-10-24") become `author` and `published`.
   In HTML, `<meta name="author">`, `<meta property="article:published_time">` and
   `<time datetime>` are used first. None of this is a sentence or part of `text`.
4. Lines inside a block are joined with a space (hard wraps, `<br>`), or with nothing between
   two characters of Chinese or Japanese (written without spaces), and whitespace runs
   collapse to one space.
5. Broken paragraphs are re-joined (`paragraphs`). Text copied from web pages and PDFs often has a stray
   blank line in mid-sentence. A paragraph is merged into the previous one when the
   previous one does not end a sentence (no . ! ? … : ; optionally followed by a closing
   quote or bracket) AND either the next one starts like a continuation (a lower-case
   letter, a digit, or , ; ) ]) or the previous one ends with a word that cannot end
   an English sentence ("the", "of", "and", ...; the sample's "...declaring last week
   that the" / "Peshmerga's participation..."). A paragraph without terminal punctuation
   followed by a capitalised one after a normal last word is kept apart: it is most likely
   a sub-heading, caption or dateline, and it becomes a one-sentence paragraph. Headings
   and list items are never merged.
6. Sentences come from `boundaries`: Lede's rules for newsroom abbreviations,
   addresses, ellipses and quotes (chosen over syntok and pysbd: see docs/segmentation.md).
   Each sentence runs from its first character to the start of the next sentence,
   right-stripped, so every character of a paragraph belongs to exactly one sentence and
   `text[start:end]` is the sentence. A whole paragraph of boilerplate (`boilerplate`)
   or a dateline in front of the first sentence stays in `text` but makes no sentence; it is
   listed in `removed` so the lead can see and restore it.

Quotations spanning several sentences are split at each sentence inside the quote, and the
attribution stays with the last quoted sentence:
    “I know that the Turks want to participate, we tell them thank you.
    This is something the Iraqis will handle,” he said after talks with Carter.
No sentence begins with a closing quote or with "he said". An ellipsis between two
sentences ("...that border. ... Turkey will...") stays at the end of the first one.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass
from typing import NamedTuple

from annotator.text.blocks import Meta
from annotator.text.boilerplate import boilerplate_reason, dateline_length
from annotator.text.boundaries import quotation_starts, sentence_starts
from annotator.text.dates import collapsed_date
from annotator.text.header import take_header
from annotator.text.limits import NO_LIMITS, Limits, SegmentationError, article_budget, current_budget
from annotator.text.paragraphs import merge_broken_paragraphs
from annotator.text.readers import READERS

FORMATS = ("text", "markdown", "html")


class SentenceSpan(NamedTuple):
    """Where a sentence is in the article's text; a tuple, so that a bulk import's hundred thousand are cheap
    to make and to send between processes."""

    index: int
    paragraph: int
    start: int
    end: int


@dataclass(frozen=True)
class RemovedSpan:
    """Text kept out of the sentences (see `boilerplate`); `reason` says what it looked like."""

    start: int
    end: int
    reason: str


@dataclass(frozen=True)
class SegmentedArticle:
    text: str
    title: str
    author: str
    published: datetime.date | None
    sentences: tuple[SentenceSpan, ...]
    removed: tuple[RemovedSpan, ...] = ()
    site: str = ""

    def sentence_texts(self) -> list[str]:
        return [self.text[s.start : s.end] for s in self.sentences]


def segment_article(
    raw: str, fmt: str = "text", *, whole_quotations: bool = False, limits: Limits = NO_LIMITS
) -> SegmentedArticle:
    """`whole_quotations` keeps a quotation that spans sentences as one unit (a project option); an
    article over `limits`, or nested too deeply to read, raises SegmentationError."""
    if fmt not in FORMATS:
        raise SegmentationError(f"Unknown format {fmt!r}; expected one of {', '.join(FORMATS)}.", field="format")
    if not isinstance(raw, str):
        raise SegmentationError("The article must be text.", field="text")
    with article_budget(limits):
        try:
            return _segment_article(raw, fmt, whole_quotations)
        except RecursionError:
            raise SegmentationError(
                "The article is nested too deeply to read (elements inside elements, hundreds of levels deep)."
            ) from None


def _segment_article(raw: str, fmt: str, whole_quotations: bool) -> SegmentedArticle:
    raw = normalise(raw)
    meta = Meta()
    blocks = READERS[fmt](raw, meta)
    blocks = take_header(blocks, meta, fmt)
    paragraphs = merge_broken_paragraphs(blocks)
    if not paragraphs:
        raise SegmentationError("The article has no body text.", field="text")
    article = _segment(paragraphs, meta, whole_quotations)
    if not article.sentences:
        raise SegmentationError("The article has no body text, only lines such as copyright or links.", field="text")
    return article


# --- 1. normalisation -------------------------------------------------------------------

# Zero-width space, word joiner, BOM and soft hyphen; never ZWNJ and ZWJ (U+200C, U+200D), which
# are part of the words and emoji they stand in.
_INVISIBLE_CHARACTERS = "\u200b\u2060\ufeff\u00ad"
_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARACTERS}]")
# C0/C1 control characters other than tab and newline: never meaningful in an article, and
# some of them (\x0b, \x1c-\x1e, \x85) are line breaks to Python but not to readers.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def normalise(raw: str) -> str:
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    if any(char in text for char in _INVISIBLE_CHARACTERS):  # rare: a scan for each beats the regex's one
        text = _INVISIBLE.sub("", text)
    return _CONTROL.sub(" ", text)


# --- 6. sentences ------------------------------------------------------------------------


def _segment(paragraphs: list[str], meta: Meta, whole_quotations: bool) -> SegmentedArticle:
    sentences: list[SentenceSpan] = []
    removed: list[RemovedSpan] = []
    offset = 0
    budget = current_budget()
    for number, paragraph in enumerate(paragraphs):
        budget.check_time()
        budget.check_sentences(len(sentences))
        reason = boilerplate_reason(paragraph) or ("dateline" if collapsed_date(paragraph) else "")
        if reason:
            removed.append(RemovedSpan(offset, offset + len(paragraph), reason))
            offset += len(paragraph) + 2
            continue
        skip = dateline_length(paragraph)
        if skip:
            removed.append(RemovedSpan(offset, offset + len(paragraph[:skip].rstrip()), "dateline"))
        for start, end in paragraph_sentences(paragraph[skip:], whole_quotations=whole_quotations):
            sentences.append(SentenceSpan(len(sentences), number, offset + skip + start, offset + skip + end))
        offset += len(paragraph) + 2
    budget.check_sentences(len(sentences))
    return SegmentedArticle(
        text="\n\n".join(paragraphs),
        title=meta.title,
        author=meta.author,
        published=meta.published,
        sentences=tuple(sentences),
        removed=tuple(removed),
        site=meta.site,
    )


def paragraph_sentences(paragraph: str, *, whole_quotations: bool = False) -> list[tuple[int, int]]:
    """(start, end) of each sentence of one paragraph, right-stripped."""
    starts = sentence_starts(paragraph)
    if whole_quotations:
        starts = quotation_starts(paragraph, starts)
    ends = [*starts[1:], len(paragraph)]
    return [(start, start + len(paragraph[start:end].rstrip())) for start, end in zip(starts, ends, strict=True)]
