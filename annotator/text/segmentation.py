"""Turn a pasted or uploaded article (text, Markdown, HTML) into metadata, paragraphs and sentences.

Pure Python, no Django: services call `segment_article()` and store what it returns.

Pipeline
--------
1. Normalise: line endings to "\\n", Unicode NFC, zero-width spaces, word joiners, BOM, soft
   hyphens and other control characters removed. Quote marks are kept exactly as written, and
   so are the zero-width joiner and non-joiner (U+200D, U+200C): they hold emoji sequences
   together and shape Persian and Indic words.
2. Reduce the format to *blocks* (a paragraph, heading or list item, each a list of lines):
   plain text splits on blank lines; Markdown goes through markdown-it-py's token stream
   (emphasis, links -> link text, images dropped, each list item a block, raw HTML reduced
   like HTML); HTML goes through BeautifulSoup with lxml (see `_html_blocks`), a whole page
   first reduced to its article by trafilatura (see `annotator.webpages`).
3. Metadata comes off the top: the title is a Markdown heading / `<h1>` / `<title>`, or in
   plain text a first short line without terminal punctuation (see `_looks_like_title`; never
   the only text of the article, which is then its body). Right after it, lines that
   are a byline ("By Jane Doe"), a bare person's name (as in the WSWS sample) or a date
   ("24 October 2016", "Oct. 24, 2016", "2016-10-24") become `author` and `published`.
   In HTML, `<meta name="author">`, `<meta property="article:published_time">` and
   `<time datetime>` are used first. None of this is a sentence or part of `text`.
4. Lines inside a block are joined with a space (hard wraps, `<br>`), or with nothing between
   two characters of Chinese or Japanese (written without spaces), and whitespace runs
   collapse to one space.
5. Broken paragraphs are re-joined. Text copied from web pages and PDFs often has a stray
   blank line in mid-sentence. A paragraph is merged into the previous one when the
   previous one does not end a sentence (no . ! ? … : ; optionally followed by a closing
   quote or bracket) AND either the next one starts like a continuation (a lower-case
   letter, a digit, or , ; ) ]) or the previous one ends with a word that cannot end
   an English sentence ("the", "of", "and", ...; the sample's "...declaring last week
   that the" / "Peshmerga's participation..."). A paragraph without terminal punctuation
   followed by a capitalised one after a normal last word is kept apart: it is most likely
   a sub-heading, caption or dateline, and it becomes a one-sentence paragraph. Headings
   and list items are never merged.
6. Sentences come from `annotator.boundaries`: Lede's rules for newsroom abbreviations,
   addresses, ellipses and quotes (chosen over syntok and pysbd: see docs/segmentation.md).
   Each sentence runs from its first character to the start of the next sentence,
   right-stripped, so every character of a paragraph belongs to exactly one sentence and
   `text[start:end]` is the sentence. A whole paragraph of boilerplate (annotator.boilerplate)
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

import contextvars
import datetime
import re
import time
import unicodedata
from dataclasses import dataclass, field
from typing import NamedTuple

from annotator.text.boilerplate import boilerplate_reason, dateline_length
from annotator.text.boundaries import quotation_starts, sentence_starts
from annotator.text.webpages import main_content

FORMATS = ("text", "markdown", "html")


class SegmentationError(ValueError):
    """An article that cannot be segmented; `field` names the input at fault."""

    def __init__(self, message: str, *, field: str = "text"):
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Limits:
    """How much work one article may cost: at most `sentences` sentences and `seconds` of splitting.

    Splitting checks them as it goes (between Markdown blocks, HTML elements and paragraphs), so an
    article over either is refused early instead of holding a worker for minutes.
    """

    sentences: int | None = None
    seconds: float | None = None


class _Budget:
    def __init__(self, limits: Limits):
        self.limits = limits
        self.deadline = None if limits.seconds is None else time.monotonic() + limits.seconds

    def check_time(self) -> None:
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise SegmentationError(
                f"Splitting the article into sentences took longer than {self.limits.seconds:g} s, the limit; "
                "split it into shorter articles."
            )

    def check_sentences(self, count: int) -> None:
        if self.limits.sentences is not None and count > self.limits.sentences:
            raise SegmentationError(
                f"The article has more than {self.limits.sentences:,} sentences, the limit; "
                "split it into shorter articles."
            )


_UNLIMITED = _Budget(Limits())
_budget: contextvars.ContextVar[_Budget | None] = contextvars.ContextVar("segmentation_budget", default=None)


def _current_budget() -> _Budget:
    """The budget of the article being split (`segment_article` sets it for the pipeline's steps)."""
    return _budget.get() or _UNLIMITED


class SentenceSpan(NamedTuple):
    """Where a sentence is in the article's text; a tuple, so that a bulk import's hundred thousand are cheap
    to make and to send between processes."""

    index: int
    paragraph: int
    start: int
    end: int


@dataclass(frozen=True)
class RemovedSpan:
    """Text kept out of the sentences (see annotator.boilerplate); `reason` says what it looked like."""

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


@dataclass
class _Block:
    """One paragraph-like unit before joining: its lines, and what kind of element it was."""

    lines: list[str]
    kind: str = "para"  # "para", "heading", "item", "quote", "code"

    @property
    def joined(self) -> str:
        text = ""
        for line in self.lines:
            line = " ".join(line.split())
            if not line:
                continue
            gap = "" if not text or (_UNSPACED.match(text[-1]) and _UNSPACED.match(line[0])) else " "
            text += gap + line
        return text


@dataclass
class _Meta:
    title: str = ""
    author: str = ""
    published: datetime.date | None = None
    site: str = ""
    found: set = field(default_factory=set)


def segment_article(
    raw: str, fmt: str = "text", *, whole_quotations: bool = False, limits: Limits = Limits()
) -> SegmentedArticle:
    """`whole_quotations` keeps a quotation that spans sentences as one unit (a project option); an
    article over `limits`, or nested too deeply to read, raises SegmentationError."""
    if fmt not in FORMATS:
        raise SegmentationError(f"Unknown format {fmt!r}; expected one of {', '.join(FORMATS)}.", field="format")
    if not isinstance(raw, str):
        raise SegmentationError("The article must be text.", field="text")
    token = _budget.set(_Budget(limits))
    try:
        return _segment_article(raw, fmt, whole_quotations)
    except RecursionError:
        raise SegmentationError(
            "The article is nested too deeply to read (elements inside elements, hundreds of levels deep)."
        ) from None
    finally:
        _budget.reset(token)


def _segment_article(raw: str, fmt: str, whole_quotations: bool) -> SegmentedArticle:
    raw = normalise(raw)
    meta = _Meta()
    blocks = _READERS[fmt](raw, meta)
    blocks = _take_header(blocks, meta, fmt)
    paragraphs = _merge_broken_paragraphs(blocks)
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
# Characters of scripts written without spaces between words: Han, kana, Thai.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u0e00-\u0e7f]")
# C0/C1 control characters other than tab and newline: never meaningful in an article, and
# some of them (\x0b, \x1c-\x1e, \x85) are line breaks to Python but not to readers.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def normalise(raw: str) -> str:
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    if any(char in text for char in _INVISIBLE_CHARACTERS):  # rare: a scan for each beats the regex's one
        text = _INVISIBLE.sub("", text)
    return _CONTROL.sub(" ", text)


# --- 2. format readers -----------------------------------------------------------------


def _text_blocks(raw: str, meta: _Meta) -> list[_Block]:
    blocks, lines = [], []
    budget = _current_budget()
    for number, line in enumerate(raw.split("\n")):
        if number % 1000 == 0:
            budget.check_time()
        if line.strip():
            lines.append(line.strip())
        elif lines:
            blocks.append(_Block(lines))
            lines = []
    if lines:
        blocks.append(_Block(lines))
    return blocks


def _markdown_blocks(raw: str, meta: _Meta) -> list[_Block]:
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark")
    parser.block.ruler.before("table", "lede_budget", _markdown_budget_rule)
    tokens = parser.parse(raw)
    blocks: list[_Block] = []
    context: list[str] = []  # open containers: "item", "quote"
    heading = False
    for number, token in enumerate(tokens):
        if number % 1000 == 0:
            _current_budget().check_time()
        if token.type == "list_item_open":
            context.append("item")
        elif token.type == "blockquote_open":
            context.append("quote")
        elif token.type in ("list_item_close", "blockquote_close"):
            context.pop()
        elif token.type == "heading_open":
            heading = True
        elif token.type == "heading_close":
            heading = False
        elif token.type == "inline":
            kind = "heading" if heading else (context[-1] if context else "para")
            lines = _markdown_inline_lines(token.children or [])
            if any(line.strip() for line in lines):
                blocks.append(_Block(lines, kind))
        elif token.type in ("fence", "code_block"):
            lines = [line for line in token.content.split("\n") if line.strip()]
            if lines:
                blocks.append(_Block(lines, "code"))
        elif token.type == "html_block":
            blocks.extend(_html_blocks(token.content, _Meta(), fragment=True))
    return blocks


def _markdown_budget_rule(state, start_line, end_line, silent) -> bool:
    """A block rule that reads nothing: it runs before each block, so a long parse stops at the deadline."""
    _current_budget().check_time()
    return False


def _markdown_inline_lines(children) -> list[str]:
    lines, parts = [], []
    skipping = None  # inside inline <script>/<style>: drop its text too
    for child in children:
        if child.type == "html_inline":
            tag = re.match(r"<\s*(/?)\s*([a-zA-Z]+)", child.content)
            if tag and tag.group(2).lower() in _DROPPED_TAGS:
                skipping = None if tag.group(1) else tag.group(2).lower()
        elif skipping:
            continue
        elif child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            lines.append("".join(parts))
            parts = []
        # images, link/emphasis open/close tokens carry no text of their own
    lines.append("".join(parts))
    return [line.strip() for line in lines if line.strip()]


_DROPPED_TAGS = {
    "script", "style", "nav", "footer", "aside", "form", "noscript", "iframe", "template",
    "svg", "canvas", "button", "select", "textarea", "object", "embed", "figure",
    "figcaption", "head", "math", "video", "audio", "map",
}  # fmt: skip
_BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "blockquote", "li", "ul", "ol", "dl", "dd",
    "dt", "pre", "table", "tr", "td", "th", "address", "body", "header", "hgroup",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "center",
}  # fmt: skip
_HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


def _html_blocks(raw: str, meta: _Meta, fragment: bool = False) -> list[_Block]:
    from bs4 import BeautifulSoup, Comment, NavigableString, Tag

    page = None if fragment else main_content(raw)
    if page is not None:
        raw = page.body_html
        meta.author, meta.published, meta.site = page.author, page.published, page.site
        if page.title:
            meta.title = page.title
            meta.found.add("title")
    soup = BeautifulSoup(raw, "lxml")
    if not fragment:
        _html_meta(soup, meta)
    for tag in soup.find_all(_DROPPED_TAGS):
        tag.decompose()
    # A page-level <header> is site chrome; an article's own <header> holds title/byline.
    for tag in soup.find_all("header"):
        if not tag.find_parent(["article", "main"]):
            tag.decompose()
    root = soup.find("article") or soup.find("main") or soup.body or soup

    blocks: list[_Block] = []
    lines: list[str] = [""]
    kind = ["para"]

    def flush():
        text = [" ".join(line.split()) for line in lines]
        text = [line for line in text if line]
        if text:
            blocks.append(_Block(text, kind[-1]))
        lines[:] = [""]

    budget = _current_budget()

    def walk(node):
        for child in node.children:
            budget.check_time()
            if isinstance(child, Comment) or not isinstance(child, (NavigableString, Tag)):
                continue
            if isinstance(child, NavigableString):
                if type(child) is NavigableString:  # skips CData, Doctype, processing instr.
                    lines[-1] += str(child)
            elif child.name == "br":
                lines.append("")
            elif child.name == "img":
                continue
            elif child.name in _BLOCK_TAGS:
                flush()
                own = (
                    "heading" if child.name in _HEADING_TAGS
                    else "item" if child.name in ("li", "dd", "dt")
                    else "quote" if child.name == "blockquote"
                    else "code" if child.name == "pre"
                    else kind[-1]
                )  # fmt: skip
                kind.append(own)
                walk(child)
                flush()
                kind.pop()
            else:
                walk(child)

    walk(root)
    flush()
    return blocks


def _html_meta(soup, meta: _Meta) -> None:
    author = soup.find("meta", attrs={"name": re.compile("^author$", re.I)})
    if author and author.get("content", "").strip():
        meta.author = " ".join(author["content"].split())
    for attrs in (
        {"property": "article:published_time"},
        {"name": re.compile(r"^(date|pubdate|publish[-_]?date|dc\.date)$", re.I)},
    ):
        tag = soup.find("meta", attrs=attrs)
        date = tag and _parse_date(tag.get("content", ""))
        if date:
            meta.published = date
            break
    if meta.published is None:
        for tag in soup.find_all("time"):
            date = _parse_date(tag.get("datetime", "")) or _parse_date(tag.get_text())
            if date:
                meta.published = date
                break
    h1 = soup.find("h1")
    if h1 and h1.get_text().strip():
        meta.title = " ".join(h1.get_text().split())
        meta.found.add("h1")
        h1.decompose()
    elif soup.title and soup.title.get_text().strip():
        meta.title = " ".join(soup.title.get_text().split())
        meta.found.add("title")


_READERS = {"text": _text_blocks, "markdown": _markdown_blocks, "html": _html_blocks}


# --- 3. metadata off the top -------------------------------------------------------------

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}  # fmt: skip
_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
_DATE_PREFIX = (
    r"(?:(?:published|updated|posted|date)\s*:?\s*(?:on\s+)?)?"
    r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"
)
_TIME_SUFFIX = r"(?:(?:[T ]|,?\s+(?:at\s+)?)\d{1,2}[:.]\d{2}[\w:.+\- ]{0,20})?"
_DATE_PATTERNS = [
    re.compile(rf"{_DATE_PREFIX}{_YEAR}-(?P<month>\d{{1,2}})-(?P<day>\d{{1,2}}){_TIME_SUFFIX}", re.I),
    re.compile(rf"{_DATE_PREFIX}{_DAY}\s+{_MONTH},?\s+{_YEAR}{_TIME_SUFFIX}", re.I),
    re.compile(rf"{_DATE_PREFIX}{_MONTH}\s+{_DAY},?\s+{_YEAR}{_TIME_SUFFIX}", re.I),
]
_BYLINE = re.compile(r"by\s+(?P<name>[^\W\d_].{1,80})", re.I)
_NAME_PARTICLES = {"de", "da", "del", "van", "von", "der", "den", "al", "el", "bin", "ibn",
                   "le", "la", "du", "di", "and", "&"}  # fmt: skip
# Sentence-ending punctuation of Latin, Chinese and Japanese, Devanagari and Arabic script, and the
# closing quotes and brackets that may follow it.
_STOPS = ".!?…:;。｡！？．：；।॥؟۔"
_CLOSERS = "\"'”\u2019)]»」』）】〕》〉"
# Words that cannot end an English sentence: a paragraph ending in one was cut mid-sentence.
_FUNCTION_WORDS = {
    "a", "an", "the", "of", "to", "in", "on", "at", "for", "with", "by", "from", "into",
    "and", "or", "but", "nor", "that", "which", "who", "whom", "whose", "as", "than",
    "its", "their", "his", "her", "our", "your", "my", "this", "these", "those", "is",
    "are", "was", "were", "be", "been", "has", "have", "had", "will", "would", "could",
    "should", "can", "may", "might", "must", "not", "if", "when", "while", "because",
    "about", "over", "under", "between", "against", "after", "before", "during",
}  # fmt: skip


def _ends_with_stop(text: str) -> bool:
    """Whether `text` ends a sentence in some script: a stop, then only closing quotes or brackets.

    Read from the end, since paragraphs are long: a regular expression anchored at the end would
    try every stop in the paragraph. A last newline is ignored, as `$` would.
    """
    text = text.removesuffix("\n").rstrip(_CLOSERS)
    return bool(text) and text[-1] in _STOPS


def _parse_date(value: str) -> datetime.date | None:
    return _collapsed_date(" ".join(value.split()))


def _collapsed_date(value: str) -> datetime.date | None:
    """`_parse_date` of a text whose whitespace is already single spaces, as every paragraph's is."""
    for pattern in _DATE_PATTERNS:
        match = pattern.fullmatch(value)
        if not match:
            continue
        month = match["month"]
        month = int(month) if month.isdigit() else _MONTHS.get(month.lower())
        try:
            return datetime.date(int(match["year"]), month or 0, int(match["day"]))
        except ValueError:
            return None
    return None


def _byline_author(line: str) -> str:
    match = _BYLINE.fullmatch(line)
    if not match or len(match["name"].split()) > 10 or _ends_sentence(match["name"]):
        return ""
    return match["name"].strip()


def _is_person_name(line: str) -> bool:
    words = line.split()
    if not 2 <= len(words) <= 5 or len(line) > 60:
        return False
    for word in words:
        if word.lower() in _NAME_PARTICLES:
            continue
        if not (word[0].isupper() and re.fullmatch(r"[^\W\d_][\w'\u2019\-]*\.?", word)):
            return False
        if word.endswith(".") and len(word) > 2:  # only initials carry a full stop
            return False
    return True


def _ends_sentence(text: str) -> bool:
    return _ends_with_stop(text) and not re.search(r"\b[A-Z]\.$", text)


def _looks_like_title(line: str, following: str | None) -> bool:
    """A headline: at most 20 words (two characters of Chinese, Japanese or Thai count as one) and
    200 characters, without a sentence's end in any script, and not what opens a sentence or a byline."""
    words = line.split()
    length = len(words) + len(_UNSPACED.findall(line)) // 2
    return (
        0 < length <= 20
        and len(line) <= 200
        and not _ends_with_stop(line)
        and not line.endswith((",", "，", "、"))
        and words[-1].lower() not in _FUNCTION_WORDS
        and not (following and following[0].islower())
        and not (following and _UNSPACED.match(line[-1]) and _UNSPACED.match(following[0]))  # a wrapped line
        and _parse_date(line) is None
        and not _byline_author(line)
    )


def _take_header(blocks: list[_Block], meta: _Meta, fmt: str) -> list[_Block]:
    """The blocks after the title, byline and date, which go to `meta`; `blocks` are left as they were."""
    blocks = list(blocks)

    def take_line() -> str:
        first = blocks[0]
        if len(first.lines) > 1:
            blocks[0] = _Block(first.lines[1:], first.kind)
        else:
            blocks.pop(0)
        return first.lines[0]

    if "title" in meta.found and blocks and blocks[0].joined == meta.title:
        blocks.pop(0)
    elif not meta.title and blocks:
        first = blocks[0]
        following = first.lines[1] if len(first.lines) > 1 else None
        if first.kind == "heading":
            meta.title = blocks.pop(0).joined
        elif first.kind == "para" and (following or len(blocks) > 1) and _looks_like_title(first.lines[0], following):
            title = take_line()
            if fmt == "text":  # a Markdown-style heading pasted as plain text
                title = re.sub(r"^#{1,6}\s+|\s+#+$", "", title)
            meta.title = " ".join(title.split())

    taken = 0
    while blocks and blocks[0].kind in ("para", "heading") and taken < 4:
        line = " ".join(blocks[0].lines[0].split())
        date, author = _collapsed_date(line), _byline_author(line)
        if date:
            meta.published = meta.published or date
        elif author:
            meta.author = meta.author or author
        elif meta.title and taken == 0 and not meta.author and _is_person_name(line):
            meta.author = line
        else:
            break
        take_line()
        taken += 1
    return blocks


# --- 4-5. paragraphs ---------------------------------------------------------------------


def _continues(previous: str, following: str) -> bool:
    """Whether `following` is the rest of a sentence that `previous` broke off."""
    if _ends_with_stop(previous):
        return False
    first = following[0]
    if first.islower() or first.isdigit() or first in ",;)]":
        return True
    last_word = re.sub(r"\W+$", "", previous.rsplit(None, 1)[-1]).lower()
    return previous.endswith(",") or last_word in _FUNCTION_WORDS


def _merge_broken_paragraphs(blocks: list[_Block]) -> list[str]:
    paragraphs: list[list[str]] = []
    kinds: list[str] = []
    budget = _current_budget()
    for number, block in enumerate(blocks):
        if number % 1000 == 0:
            budget.check_time()
        text = block.joined
        if not text:
            continue
        if (
            paragraphs
            and block.kind == kinds[-1]
            and block.kind in ("para", "quote")
            and _continues(paragraphs[-1][-1], text)
        ):
            paragraphs[-1].append(text)
        else:
            paragraphs.append([text])
            kinds.append(block.kind)
    return [" ".join(parts) for parts in paragraphs]


# --- 6. sentences ------------------------------------------------------------------------


def _segment(paragraphs: list[str], meta: _Meta, whole_quotations: bool) -> SegmentedArticle:
    sentences: list[SentenceSpan] = []
    removed: list[RemovedSpan] = []
    offset = 0
    budget = _current_budget()
    for number, paragraph in enumerate(paragraphs):
        budget.check_time()
        budget.check_sentences(len(sentences))
        reason = boilerplate_reason(paragraph) or ("dateline" if _collapsed_date(paragraph) else "")
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
