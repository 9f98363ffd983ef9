"""Which format a pasted article is written in: HTML, Markdown or plain text (no Django).

The manage page preselects the format with the same rules (`frontend/static/frontend/text_format.js`);
`tests/annotator/text_format_cases.json` holds the cases both must agree on.
"""

import re

# An element that articles are made of, opening or closing; a stray "<" in prose is not one.
HTML_TAG = re.compile(
    r"<!doctype html|</?(?:p|div|br|hr|h[1-6]|ul|ol|li|a|em|strong|b|i|u|blockquote|article|section|header"
    r"|footer|main|span|html|body|head|title|table|tr|td|th|figure|figcaption|time|meta)\b[^<>]*>",
    re.IGNORECASE,
)
MARKDOWN_SIGNS = (
    re.compile(r"^#{1,6}[ \t]+\S", re.MULTILINE),  # a heading
    re.compile(r"^>[ \t]?\S", re.MULTILINE),  # a quoted block
    re.compile(r"\[[^\]\n]+\]\([^)\s]+\)"),  # a link
    re.compile(r"\*\*[^*\n]+\*\*|__[^_\n]+__"),  # strong emphasis
)
# One line starting with "- " is often a dash in prose; two such lines are a list.
LIST_ITEM = re.compile(r"^[ \t]*(?:[-*+]|\d+\.)[ \t]+\S", re.MULTILINE)


def detect_format(text: str) -> str:
    """`html` if the text holds an HTML element, `markdown` if it shows Markdown's marks, else `text`."""
    if HTML_TAG.search(text):
        return "html"
    if any(sign.search(text) for sign in MARKDOWN_SIGNS) or len(LIST_ITEM.findall(text)) >= 2:
        return "markdown"
    return "text"
