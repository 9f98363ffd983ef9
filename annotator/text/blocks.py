"""What a format reader gives: blocks of lines (paragraph, heading, list item...) and the metadata it met."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

# Characters of scripts written without spaces between words: Han, kana, Thai.
UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u0e00-\u0e7f]")


@dataclass
class Block:
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
            gap = "" if not text or (UNSPACED.match(text[-1]) and UNSPACED.match(line[0])) else " "
            text += gap + line
        return text


@dataclass
class Meta:
    """What the article says about itself; `found` names where a title came from ("title", "h1")."""

    title: str = ""
    author: str = ""
    published: datetime.date | None = None
    site: str = ""
    found: set = field(default_factory=set)
