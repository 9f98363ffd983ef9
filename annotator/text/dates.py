"""Dates as articles write them in a dateline or a page's metadata: "24 October 2016", "Oct. 24, 2016", "2016-10-24"."""

from __future__ import annotations

import datetime
import re

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


def parse_date(value: str) -> datetime.date | None:
    return collapsed_date(" ".join(value.split()))


def collapsed_date(value: str) -> datetime.date | None:
    """`parse_date` of a text whose whitespace is already single spaces, as every paragraph's is."""
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
