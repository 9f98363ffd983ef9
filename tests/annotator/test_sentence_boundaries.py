"""Sentence boundaries on the news-English test set (data/sentence_boundaries.txt)."""

import pytest

from annotator.text.boundaries import sentence_starts

from .boundaries import load_cases, score

CASES = load_cases()


def test_the_test_set_has_at_least_150_cases():
    assert len(CASES) >= 150


def test_boundary_precision_and_recall_are_at_least_098():
    result = score(sentence_starts, CASES)
    wrong = [f"line {case.line}: {case.paragraph}" for case in result.wrong_cases]
    assert result.precision >= 0.98, wrong
    assert result.recall >= 0.98, wrong


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        ("The bill passed, said Rep. Nancy Pelosi. Republicans objected.", 2),
        ("Lt. Gen. Mark Jones commands the division.", 1),
        ("The crash happened at 9 a.m. They agreed.", 2),
        ("The meeting starts at 9 a.m. Monday.", 1),
        ("Her email is press@example.org. Calls were not returned.", 2),
        ("The U.S. Army said it was ready.", 1),
        ("The troops returned to the U.S. They had served a year.", 2),
    ],
)
def test_issue_examples_split_where_a_reader_would(paragraph, expected):
    assert len(sentence_starts(paragraph)) == expected
