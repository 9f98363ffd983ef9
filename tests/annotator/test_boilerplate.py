"""Boilerplate kept out of the sentences, recorded on the article, and no body sentence ever dropped."""

from pathlib import Path

import pytest

from annotator.text.boilerplate import MAX_LINE, boilerplate_reason, dateline_length
from annotator.text.segmentation import SegmentationError, segment_article

ROOT = Path(__file__).resolve().parents[2]
BODIES = [
    ROOT / "annotator/fixtures/mosul-offensive-2016-10-24.md",
    *sorted((ROOT.parent / "shared/samples").glob("*.md")),
]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Copyright 2024 Example News.", "copyright"),
        ("All rights reserved.", "copyright"),
        ("© 2024 Example Media Group. All rights reserved.", "copyright"),
        ("Sign up for our daily newsletter", "newsletter"),
        ("Subscribe to our newsletter.", "newsletter"),
        ("Share this article", "share"),
        ("Facebook Twitter Email", "share"),
        ("Read more: Turkey and Iraq trade threats", "share"),
        ("To contact the WSWS and the Socialist Equality Party visit:", "contact"),
        ("Contact the author at jane@example.com", "contact"),
        ("wsws.org/contact", "link"),
        ("https://example.com/news/2024/report.html", "link"),
        ("By Jane Doe", "byline"),
        ("Reporting by Jane Doe; Editing by Tom Brown", "byline"),
    ],
)
def test_boilerplate_lines_are_recognised(line, reason):
    assert boilerplate_reason(line) == reason


@pytest.mark.parametrize(
    "line",
    [
        "Millions subscribe to the service.",
        "By then, the troops had left.",
        "By the time the troops arrived, the city had fallen.",
        "Her email is press@example.org.",
        "The copyright case was dismissed on Monday.",
        "Shares of the company fell 5 percent.",
        "Officials urged residents to contact the police.",
    ],
)
def test_body_sentences_are_not_boilerplate(line):
    assert boilerplate_reason(line) == ""


def test_wire_dateline_is_kept_out_of_the_first_sentence():
    article = segment_article("WASHINGTON (Reuters) - The Senate voted on Tuesday. It was close.")
    assert article.sentence_texts() == ["The Senate voted on Tuesday.", "It was close."]
    [removed] = article.removed
    assert (article.text[removed.start : removed.end], removed.reason) == ("WASHINGTON (Reuters) -", "dateline")


def test_an_acronym_opening_a_sentence_is_not_a_dateline():
    assert dateline_length("NATO - the alliance - said it would help.") == 0
    assert dateline_length("U.S. - China talks resumed.") == 0


def test_footer_lines_are_removed_with_their_offsets():
    article = segment_article(
        "The bridge reopened on Monday.\n\nCopyright 2024 Example News.\n\nAll rights reserved.\n\n"
        "example.com/bridge\n\nShare this article"
    )
    assert article.sentence_texts() == ["The bridge reopened on Monday."]
    assert [(article.text[r.start : r.end], r.reason) for r in article.removed] == [
        ("Copyright 2024 Example News.", "copyright"),
        ("All rights reserved.", "copyright"),
        ("example.com/bridge", "link"),
        ("Share this article", "share"),
    ]


def test_sample_footer_is_removed():
    article = segment_article(BODIES[0].read_text(encoding="utf-8"), "markdown")
    removed = [article.text[r.start : r.end] for r in article.removed]
    assert removed == ["To contact the WSWs and the Socialist Equality Party visit:", "wsws.org/contact"]
    assert not any("wsws.org" in sentence for sentence in article.sentence_texts())


def test_an_article_of_boilerplate_only_has_no_body():
    with pytest.raises(SegmentationError):
        segment_article("Copyright 2024 Example News.\n\nAll rights reserved.")


@pytest.mark.parametrize("path", BODIES, ids=lambda path: path.name)
def test_no_sentence_of_a_real_body_is_dropped(path, data_outside_repository):
    """Every character of the body is in a sentence or in a short removed line."""
    data_outside_repository(path)
    article = segment_article(path.read_text(encoding="utf-8"), "markdown")
    covered = [char.isspace() for char in article.text]
    for span in [*article.sentences, *article.removed]:
        covered[span.start : span.end] = [True] * (span.end - span.start)
    assert all(covered)
    assert all(span.end - span.start <= MAX_LINE for span in article.removed)
