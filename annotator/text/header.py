"""The header off an article's top: its title, then a byline, a person's name or a date as author and published."""

from __future__ import annotations

import re

from annotator.text.blocks import UNSPACED, Block, Meta
from annotator.text.dates import collapsed_date, parse_date
from annotator.text.paragraphs import FUNCTION_WORDS, ends_with_stop

_BYLINE = re.compile(r"by\s+(?P<name>[^\W\d_].{1,80})", re.I)
_NAME_PARTICLES = {"de", "da", "del", "van", "von", "der", "den", "al", "el", "bin", "ibn",
                   "le", "la", "du", "di", "and", "&"}  # fmt: skip


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
    return ends_with_stop(text) and not re.search(r"\b[A-Z]\.$", text)


def _looks_like_title(line: str, following: str | None) -> bool:
    """A headline: at most 20 words (two characters of Chinese, Japanese or Thai count as one) and
    200 characters, without a sentence's end in any script, and not what opens a sentence or a byline."""
    words = line.split()
    length = len(words) + len(UNSPACED.findall(line)) // 2
    return (
        0 < length <= 20
        and len(line) <= 200
        and not ends_with_stop(line)
        and not line.endswith((",", "，", "、"))
        and words[-1].lower() not in FUNCTION_WORDS
        and not (following and following[0].islower())
        and not (following and UNSPACED.match(line[-1]) and UNSPACED.match(following[0]))  # a wrapped line
        and parse_date(line) is None
        and not _byline_author(line)
    )


def take_header(blocks: list[Block], meta: Meta, fmt: str) -> list[Block]:
    """The blocks after the title, byline and date, which go to `meta`; `blocks` are left as they were."""
    blocks = list(blocks)

    def take_line() -> str:
        first = blocks[0]
        if len(first.lines) > 1:
            blocks[0] = Block(first.lines[1:], first.kind)
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
        date, author = collapsed_date(line), _byline_author(line)
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


# An untitled article is listed by its first line, cut at a word to this many characters at most.
FIRST_LINE_TITLE = 120


def first_line_title(text: str) -> str:
    """The title of an article that has none: the first line of its text (which stays in the body)."""
    line = text.strip().split("\n", 1)[0].strip()
    if len(line) <= FIRST_LINE_TITLE:
        return line
    return line[: FIRST_LINE_TITLE - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"
