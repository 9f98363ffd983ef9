"""A large import's articles split by several forked processes: the same sentences, the same errors, as one process."""

import pytest

from annotator.errors import InvalidInput
from annotator.services import splitting
from annotator.services.articles import ArticleInput
from annotator.text.segmentation import SentenceSpan

from ..factories import SAMPLE_ARTICLE


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(splitting, "CHUNK_CHARACTERS", len(SAMPLE_ARTICLE) * 3)


def articles(count: int, bad: tuple[int, ...] = ()) -> list[ArticleInput]:
    """`count` articles, those numbered in `bad` without a sentence to label (found only when split)."""
    nothing = "<html><body><script>var a = 1;</script></body></html>"
    return [
        ArticleInput(text=nothing, format="html")
        if number in bad
        else ArticleInput(text=f"{SAMPLE_ARTICLE}\n\nEnd {number}.")
        for number in range(1, count + 1)
    ]


def sentences(segmented) -> list[tuple[str, list[str]]]:
    return [(document.text, [document.text[span.start : span.end] for span in spans]) for document, spans in segmented]


def test_articles_split_by_two_processes_come_back_in_order_as_one_process_splits_them(small_chunks):
    progress = []

    alone = splitting.split_articles(articles(20), whole_quotations=False)
    forked = splitting.split_articles(
        articles(20), whole_quotations=False, processes=2, progress=lambda done, total: progress.append((done, total))
    )

    assert sentences(forked) == sentences(alone)
    assert [spans for _, spans in forked] == [spans for _, spans in alone]  # paragraphs and indexes too
    assert all(isinstance(span, SentenceSpan) for _, spans in forked for span in spans)
    assert [document.text.rsplit(" ", 1)[-1] for document, _ in forked] == [f"{n}." for n in range(1, 21)]
    assert progress == sorted(progress)
    assert progress[-1] == (20, 20)
    assert len(progress) > 2


def test_the_first_bad_article_in_the_file_is_named_when_two_processes_split(small_chunks):
    with pytest.raises(InvalidInput) as raised:
        splitting.split_articles(articles(20, bad=(11, 4)), whole_quotations=False, processes=2)

    assert raised.value.errors["file"][0].startswith("Article 4: text:")
