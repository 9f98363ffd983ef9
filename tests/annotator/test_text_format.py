"""Recognising a pasted article's format (the page's script is checked on the same cases in tests/e2e)."""

import json
from pathlib import Path

import pytest

from annotator.text.formats import detect_format

CASES = json.loads((Path(__file__).parent / "text_format_cases.json").read_text())


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_pasted_text_is_recognised_as_html_markdown_or_plain_text(text, expected):
    assert detect_format(text) == expected
