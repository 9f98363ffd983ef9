"""Rules for values that come from users or imported files, shared by every write path."""

import json
import math
from urllib.parse import urlsplit

from .errors import InvalidInput

MAX_URL_LENGTH = 2000
MAX_ARTICLE_BYTES = 2 * 1024 * 1024


def label_number(name: str) -> float | None:
    """The finite number a label's name spells ("3", "2.5", "1e1"), else None: "inf" and "nan" are not values."""
    try:
        value = float(name.replace("_", "!"))  # float() reads "1_0" as 10; a label name means what it shows
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def check_web_url(url: str, *, field: str) -> str:
    """Return `url` stripped if it is an http(s) address with a host; raise InvalidInput otherwise."""
    url = (url or "").strip()
    if not url:
        raise InvalidInput(field, "A URL is required.")
    if len(url) > MAX_URL_LENGTH:
        raise InvalidInput(field, f"The URL is {len(url)} characters long; the limit is {MAX_URL_LENGTH}.")
    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        raise InvalidInput(field, "The URL contains spaces or control characters.")
    try:
        parts = urlsplit(url)
        hostname = parts.hostname
        parts.port  # noqa: B018 -- raises ValueError for a port out of range
    except ValueError:
        raise InvalidInput(
            field, "The URL cannot be parsed (check the brackets around the host and the port)."
        ) from None
    if parts.scheme.lower() not in {"http", "https"}:
        raise InvalidInput(field, f"Only http and https URLs are accepted, not '{parts.scheme or url[:20]}'.")
    if not hostname:
        raise InvalidInput(field, "The URL has no host name.")
    return url


def decode_text(content: bytes, *, field: str) -> str:
    """Decode uploaded bytes as UTF-8 (a BOM is allowed); name the first bad byte otherwise."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidInput(
            field,
            f"The file is not UTF-8 text: byte 0x{content[error.start]:02x} at position {error.start} "
            "cannot be decoded.",
        ) from None


def check_article_size(text: str, *, field: str = "text") -> None:
    if not text or not text.strip():
        raise InvalidInput(field, "The article is empty.")
    if len(text) * 4 <= MAX_ARTICLE_BYTES:  # a character is at most 4 bytes: no need to encode
        return
    size = len(text.encode("utf-8"))
    if size > MAX_ARTICLE_BYTES:
        raise InvalidInput(field, f"The article is {size:,} bytes; the limit is {MAX_ARTICLE_BYTES:,} (2 MB).")


def storable(value: str) -> bool:
    """PostgreSQL text cannot hold NUL, and no UTF-8 database can hold a lone surrogate (JSON allows both)."""
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _unstorable_string(value) -> bool:
    """Whether a string anywhere in a parsed JSON value (keys too) could not be stored (see `storable`)."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if not storable(item):
                return True
        elif isinstance(item, dict):
            pending.extend(item)
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


def jsonl_objects(text: str, *, expected: str = "a JSON object", after: str = ""):
    """Yield (line number, object) for each non-blank line of a JSONL text.

    A line that is not JSON, not a JSON object, nested too deeply for the parser, holding a number
    too long to read (over 4,300 digits) or a string with a NUL or an unpaired surrogate raises
    InvalidInput on `file` naming the line; `expected` says what a line must be, `after` is
    appended to every message. `text` is decoded from UTF-8 (`decode_text`).
    """
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise InvalidInput(
                "file", f"Line {number} is not valid JSON: {error.msg} (column {error.colno}).{after}"
            ) from None
        except RecursionError:
            raise InvalidInput("file", f"Line {number} is nested too deeply to read.{after}") from None
        except ValueError:  # an integer past Python's limit on digits (sys.get_int_max_str_digits)
            raise InvalidInput("file", f"Line {number} holds a number too long to read.{after}") from None
        if not isinstance(record, dict):
            raise InvalidInput("file", f"Line {number} must be {expected}.{after}")
        # Only an escape (\u0000, a lone \ud800) puts such a character in a parsed string: JSON refuses a
        # raw NUL, and a lone surrogate cannot come out of decoding UTF-8 (`decode_text`).
        if "\\u" in line and _unstorable_string(record):
            raise InvalidInput("file", f"Line {number} contains a NUL or an unpaired surrogate character.{after}")
        yield number, record
