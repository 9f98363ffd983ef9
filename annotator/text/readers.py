"""Format readers: plain text, Markdown and HTML each reduced to blocks of lines, with the metadata HTML carries."""

from __future__ import annotations

import re

from annotator.text.blocks import Block, Meta
from annotator.text.dates import parse_date
from annotator.text.limits import current_budget
from annotator.text.webpages import main_content


def text_blocks(raw: str, meta: Meta) -> list[Block]:
    blocks, lines = [], []
    budget = current_budget()
    for number, line in enumerate(raw.split("\n")):
        if number % 1000 == 0:
            budget.check_time()
        if line.strip():
            lines.append(line.strip())
        elif lines:
            blocks.append(Block(lines))
            lines = []
    if lines:
        blocks.append(Block(lines))
    return blocks


def markdown_blocks(raw: str, meta: Meta) -> list[Block]:
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark")
    parser.block.ruler.before("table", "lede_budget", _markdown_budget_rule)
    tokens = parser.parse(raw)
    blocks: list[Block] = []
    context: list[str] = []  # open containers: "item", "quote"
    heading = False
    for number, token in enumerate(tokens):
        if number % 1000 == 0:
            current_budget().check_time()
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
                blocks.append(Block(lines, kind))
        elif token.type in ("fence", "code_block"):
            lines = [line for line in token.content.split("\n") if line.strip()]
            if lines:
                blocks.append(Block(lines, "code"))
        elif token.type == "html_block":
            blocks.extend(html_blocks(token.content, Meta(), fragment=True))
    return blocks


def _markdown_budget_rule(state, start_line, end_line, silent) -> bool:
    """A block rule that reads nothing: it runs before each block, so a long parse stops at the deadline."""
    current_budget().check_time()
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


def html_blocks(raw: str, meta: Meta, fragment: bool = False) -> list[Block]:
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

    blocks: list[Block] = []
    lines: list[str] = [""]
    kind = ["para"]

    def flush():
        text = [" ".join(line.split()) for line in lines]
        text = [line for line in text if line]
        if text:
            blocks.append(Block(text, kind[-1]))
        lines[:] = [""]

    budget = current_budget()

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


def _html_meta(soup, meta: Meta) -> None:
    author = soup.find("meta", attrs={"name": re.compile("^author$", re.I)})
    if author and author.get("content", "").strip():
        meta.author = " ".join(author["content"].split())
    for attrs in (
        {"property": "article:published_time"},
        {"name": re.compile(r"^(date|pubdate|publish[-_]?date|dc\.date)$", re.I)},
    ):
        tag = soup.find("meta", attrs=attrs)
        date = tag and parse_date(tag.get("content", ""))
        if date:
            meta.published = date
            break
    if meta.published is None:
        for tag in soup.find_all("time"):
            date = parse_date(tag.get("datetime", "")) or parse_date(tag.get_text())
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


READERS = {"text": text_blocks, "markdown": markdown_blocks, "html": html_blocks}
