"""Uploaded lists of articles (JSONL, CSV, TSV, a JSON array) read into articles to import, all or none."""

from annotator.errors import InvalidInput
from annotator.text import tables
from annotator.validation import decode_text

from .articles import MAX_KEY_LENGTH, MAX_LENGTHS, ArticleInput, parse_date, parse_jsonl_articles

# The name a stored upload gets, by kind, so that the worker reads it as it was checked.
STORED_NAMES = {"jsonl": "articles.jsonl", "csv": "articles.csv", "tsv": "articles.tsv", "json": "articles.json"}


def article_list_kind(content: bytes, *, file_name: str) -> str:
    """`jsonl`, `csv`, `tsv` or `json` (see `tables.list_kind`); a 400 on `file` for any other kind of file."""
    try:
        return tables.list_kind(file_name, content[:64].decode("utf-8-sig", errors="ignore"))
    except tables.TableError as error:
        raise InvalidInput("file", str(error)) from None


def parse_article_list(content: bytes, *, kind: str) -> list[ArticleInput]:
    """The articles of an uploaded list of `kind`; anything wrong is a 400 on `file` naming the row and column
    (the line, for JSONL), and none of the file is taken."""
    if kind == "jsonl":
        return parse_jsonl_articles(content)
    text = decode_text(content, field="file")
    try:
        if kind == "json":
            rows = tables.read_json_array(text)
        else:
            rows = tables.read_delimited(text, delimiter="\t" if kind == "tsv" else ",")
        articles = [_article_from_row(row) for row in rows]
    except tables.TableError as error:
        raise InvalidInput("file", str(error)) from None
    if not articles:
        raise InvalidInput("file", "The file holds no articles.")
    return articles


def _article_from_row(row: tables.TableRow) -> ArticleInput:
    cells = dict(row.cells)
    for name, limit in (*MAX_LENGTHS.items(), ("key", MAX_KEY_LENGTH)):
        if len(cells.get(name, "")) > limit:
            raise tables.TableError(f"Longer than {limit} characters.", row=row.number, column=name)
    if cells.get("calibration") and cells.get("training"):
        raise tables.TableError(
            "An article is either in the calibration set or for training, not both.", row=row.number, column="training"
        )
    if cells.get("published"):
        try:
            cells["published"] = parse_date(cells["published"], field="published")
        except InvalidInput as error:
            raise tables.TableError(error.errors["published"][0], row=row.number, column="published") from None
    else:
        cells.pop("published", None)
    return ArticleInput(**cells, row=row.number)
