"""Lines of an article that are not its body: copyright, newsletter, share, contact, links, bylines, datelines.

Pure Python, no Django. `boilerplate_reason(paragraph)` names why a whole paragraph is not
body text, `dateline_length(paragraph)` measures a wire-service dateline in front of the first
sentence ("WASHINGTON (Reuters) - "). Segmentation keeps these in the document's text, makes no
sentences of them and records them, so the lead sees what was removed and can restore a line.

Every pattern is anchored to the whole line and limited to short lines, because dropping a
sentence of the body would be worse than leaving a footer to be labelled: "Millions subscribe
to the service." is a sentence, "Subscribe to our newsletter" is not.
"""

from __future__ import annotations

import re

MAX_LINE = 200  # boilerplate is short; a longer paragraph is treated as body text

_URL = r"(?:https?://|www\.|[\w.+\-]+@)?[\w\-]+(?:\.[\w\-]+)*\.[a-z]{2,}(?:/\S*)?"
_PATTERNS = {
    "copyright": re.compile(
        r"(?:(?:©|\(c\)|copyright)\b.{0,150}|.{0,150}\ball rights reserved\.?)",
        re.I,
    ),
    "newsletter": re.compile(
        r"(?:(?:sign up|subscribe|register)\b.{0,80}\b(?:newsletter|updates|alerts|e-?mails?|today|here|now)"
        r"|(?:get|receive)\s+(?:our|the)\s+.{0,40}newsletter|subscribe(?:\s+now|\s+today)?)\W{0,3}",
        re.I,
    ),
    "share": re.compile(
        r"(?:share\s+(?:this|on)\b.{0,60}|follow\s+us\s+on\b.{0,60}|click\s+here\b.{0,80}"
        r"|(?:read|see)\s+(?:more|also)\b.{0,120}|related(?:\s+(?:articles?|stories|coverage))?:.{0,120}"
        r"|(?:(?:facebook|twitter|x|linkedin|whatsapp|email|e-mail|print|reddit)\W*){2,})",
        re.I,
    ),
    "contact": re.compile(
        rf"(?:to\s+)?contact\s+(?:us|the\s+.{{1,80}}?|our\s+.{{1,40}}?)\b.{{0,80}}"
        rf"(?:visit|write|call|email|e-mail|at|:)\W*(?:{_URL})?\W*|contact\s+us\b.{{0,80}}",
        re.I,
    ),
    "link": re.compile(rf"\W*(?:{_URL})\W*", re.I),
    "byline": re.compile(
        r"(?:[Bb]y|BY)\s+(?:[A-Z][\w'\-]*\.?|[A-Z]\.|and|de|van|von|al)(?:\s+(?:[A-Z][\w'\-]*|[A-Z]\.|and|de|van|von|al)){0,5}"
        r"(?:,\s*[A-Z][\w .'\-]{1,60})?"
        r"|(?:[Aa]dditional\s+)?(?:[Rr]eporting|[Ww]riting|[Ee]diting)\s+by\s+[^.]{1,150}"
    ),
}
# A wire-service dateline: a city in capitals, an optional place or agency, then a dash.
_DATELINE = re.compile(
    r"[A-Z][A-Z'\-]{2,}(?:\s+[A-Z][A-Z.'\-]+){0,3}"
    r"(?:,\s+[A-Z][\w.]*(?:\s+[A-Z][\w.]*){0,2})?"
    r"(?:,?\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2})?"
    r"(?:\s*\((?:[A-Z][\w&.]*\s?){1,3}\))?"
    r"\s*[\-\u2013\u2014]{1,2}\s+(?=[A-Z\"“])"
)


def boilerplate_reason(paragraph: str) -> str:
    """Why `paragraph` is not body text ("copyright", "newsletter", "share", "contact", "link",
    "byline"), or "" when it is."""
    line = paragraph.strip()
    if not line or len(line) > MAX_LINE:
        return ""
    for reason, pattern in _PATTERNS.items():
        if pattern.fullmatch(line):
            return reason
    return ""


def dateline_length(paragraph: str) -> int:
    """How many characters of a dateline open `paragraph` (0 when there is none)."""
    match = _DATELINE.match(paragraph)
    if not match or not any(char.isalpha() and char.islower() for char in paragraph[match.end() : match.end() + 40]):
        return 0
    return match.end()
