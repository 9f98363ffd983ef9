"""A saved news page reduced to its article: main text and metadata found by trafilatura.

Pure Python, no Django. A whole page brings navigation, related links, comments and footers
with it; trafilatura finds the article body among them and reads the title, author, date and
site name from the page's metadata. Segmentation then reads the body it returns like any
other HTML. A fragment (no <html> or <body>) or a page where trafilatura finds no article is
left to segmentation's own HTML reader.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

_WHOLE_PAGE = re.compile(r"<(?:html|body)\b", re.I)
# Below this much text trafilatura falls back to taking every text node of the page in one
# paragraph (its "baseline"), which is worse than segmentation's own reader; that fallback's
# output is one <p> holding all the lines, and is refused too.
MIN_ARTICLE = 250
_BASELINE = re.compile(r"<body>\s*<p>[^<]*\n[^<]*</p>\s*</body>")
# trafilatura marks inline code with <pre>, which an HTML reader takes for a block of its own.
_INLINE_PRE = re.compile(r"<pre>([^<\n]*)</pre>")


@dataclass(frozen=True)
class WebPage:
    body_html: str
    title: str
    author: str
    published: datetime.date | None
    site: str


def main_content(raw: str) -> WebPage | None:
    """The article in a whole HTML page, or None for a fragment or a page without one."""
    if not _WHOLE_PAGE.search(raw):
        return None
    import trafilatura

    found = trafilatura.bare_extraction(raw, with_metadata=True, include_comments=False, include_tables=True)
    if found is None:
        return None
    body = trafilatura.extract(raw, output_format="html", include_comments=False, include_tables=True)
    if not body or len(found.text or "") < MIN_ARTICLE or _BASELINE.search(body):
        return None
    return WebPage(
        body_html=_INLINE_PRE.sub(r"<code>\1</code>", body),
        title=" ".join((found.title or "").split()),
        author=" ".join((found.author or "").split()),
        published=_iso_date(found.date),
        site=" ".join((found.sitename or "").split()),
    )


def _iso_date(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat((value or "")[:10])
    except ValueError:
        return None
