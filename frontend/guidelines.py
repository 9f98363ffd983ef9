"""A project's coding guidelines, written in Markdown by its leads, as HTML that can never run a script."""

from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

# With `html` off, raw HTML in the Markdown is shown as text; markdown-it's link check refuses
# javascript:, vbscript:, file: and (except images) data: addresses, which stay text too.
_MARKDOWN = MarkdownIt("commonmark", {"html": False}).enable("table")
# The guidelines sit under a page's level-2 heading: their own headings start at level 3.
_HEADING_SHIFT = 2


def render_guidelines(text: str) -> SafeString:
    tokens = _MARKDOWN.parse(text)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + _HEADING_SHIFT, 6)}"
    return mark_safe(_MARKDOWN.renderer.render(tokens, _MARKDOWN.options, {}))
