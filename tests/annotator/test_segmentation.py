"""Segmentation of pasted and uploaded articles into metadata, paragraphs and sentences."""

import datetime
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.text.segmentation import (
    FORMATS,
    Limits,
    SegmentationError,
    SegmentedArticle,
    SentenceSpan,
    segment_article,
)
from tests.factories import DEMO_ARTICLE_PATH

SAMPLE = DEMO_ARTICLE_PATH

ARTICLE_TEXT = """\
Carter visits Ankara as Mosul offensive widens
By Jane Doe
Oct. 24, 2016

Gen. Joseph Votel met Mr. Carter and Dr. Smith in the U.S. on Jan. 5. Sen. John
McCain of Ariz. objected.

The city of 1.5 million people has a $3.2bn budget, or 3.14 times last year's.

“I know that the Turks want to participate, we tell them thank you. This is something \
the Iraqis will handle,” he said after talks with Carter.

The dispute is only one of a vast array of regional and sectarian

divisions being inflamed by the offensive. Aid workers waited... Nothing came.
"""

ARTICLE_MARKDOWN = """\
# Carter visits Ankara as Mosul offensive widens

*By Jane Doe*<two spaces>
Oct. 24, 2016

![Troops near Mosul](http://example.com/troops.jpg)
**Gen.** Joseph Votel met [Mr. Carter](http://example.com/carter) and Dr. Smith in the
U.S. on Jan. 5. Sen. John McCain of Ariz. objected.

The city of 1.5 million people has a `$3.2bn` budget, or 3.14 times last year's.

> “I know that the Turks want to participate, we tell them thank you. This is something
> the Iraqis will handle,” he said after talks with Carter.

The dispute is only one of a vast array of regional and _sectarian_

divisions being inflamed by the offensive. Aid workers waited... Nothing came.
"""

ARTICLE_HTML = """\
<!doctype html>
<html><head><title>Carter visits Ankara | Example News</title>
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2016-10-24T08:00:00+00:00">
<script>var tracking = "Ignore me.";</script><style>p { color: red }</style></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><header><h1>Carter visits Ankara as Mosul offensive widens</h1>
<p class="byline">By <a href="/jane">Jane Doe</a></p>
<time datetime="2016-10-24">Oct. 24, 2016</time></header>
<figure><img src="troops.jpg"><figcaption>Troops near Mosul</figcaption></figure>
<p><b>Gen.</b> Joseph Votel met <a href="/carter">Mr. Carter</a> and Dr. Smith in the
U.S. on Jan. 5. Sen. John McCain of Ariz. objected.</p>
<p>The city of 1.5 million people has a <code>$3.2bn</code> budget, or 3.14 times last
year&#39;s.</p>
<blockquote>&ldquo;I know that the Turks want to participate, we tell them thank you. This is
something the Iraqis will handle,&rdquo; he said after talks with Carter.</blockquote>
<p>The dispute is only one of a vast array of regional and <em>sectarian</em></p>
<p>divisions being inflamed by the offensive. Aid workers waited... Nothing came.</p>
</article><footer>Copyright Example News. All rights reserved.</footer></body></html>
"""

ARTICLE_MARKDOWN = ARTICLE_MARKDOWN.replace("<two spaces>", "  ")  # a Markdown line break

ARTICLES = {"text": ARTICLE_TEXT, "markdown": ARTICLE_MARKDOWN, "html": ARTICLE_HTML}

EXPECTED_SENTENCES = [
    "Gen. Joseph Votel met Mr. Carter and Dr. Smith in the U.S. on Jan. 5.",
    "Sen. John McCain of Ariz. objected.",
    "The city of 1.5 million people has a $3.2bn budget, or 3.14 times last year's.",
    "“I know that the Turks want to participate, we tell them thank you.",
    "This is something the Iraqis will handle,” he said after talks with Carter.",
    "The dispute is only one of a vast array of regional and sectarian divisions being inflamed by the offensive.",
    "Aid workers waited...",
    "Nothing came.",
]


def sentences(article: SegmentedArticle) -> list[str]:
    return [article.text[s.start : s.end] for s in article.sentences]


def split(raw: str, fmt: str = "text") -> list[str]:
    return sentences(segment_article(raw, fmt))


def assert_offsets_hold(article: SegmentedArticle) -> None:
    previous_end, previous_paragraph = -1, 0
    for position, span in enumerate(article.sentences):
        sentence = article.text[span.start : span.end]
        assert span.index == position
        assert sentence
        assert sentence == sentence.strip()
        assert span.start >= previous_end
        assert span.end > span.start
        assert span.paragraph >= previous_paragraph
        previous_end, previous_paragraph = span.end, span.paragraph
    # Every paragraph is labelled or was kept out as boilerplate; nothing is silently lost.
    paragraphs = {span.paragraph for span in article.sentences}
    paragraphs |= {article.text.count("\n\n", 0, span.start) for span in article.removed}
    assert paragraphs == set(range(article.text.count("\n\n") + 1))
    for removed in article.removed:
        assert all(span.end <= removed.start or span.start >= removed.end for span in article.sentences)


@pytest.fixture(scope="module")
def sample_text() -> str:
    """The Markdown of the demo article (`manage.py load_demo` imports the same file)."""
    return SAMPLE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def sample(sample_text) -> SegmentedArticle:
    return segment_article(sample_text, "markdown")


# --- the sample article -------------------------------------------------------------------


def test_sample_title_author_and_date_come_from_the_header(sample):
    assert sample.title == ("Mosul offensive intensifies regional tensions as Turkish soldiers intervene in Iraq")
    assert sample.author == "Jordan Shilton"
    assert sample.published == datetime.date(2016, 10, 24)


def test_sample_header_is_neither_a_sentence_nor_in_the_text(sample):
    assert "Jordan Shilton" not in sample.text
    assert "24 October 2016" not in sample.text
    assert "Mosul offensive intensifies" not in sample.text
    assert sentences(sample)[0].startswith("Tensions between Turkey and Iraq heightened")


def test_sample_offsets_hold(sample):
    assert_offsets_hold(sample)


def test_sample_sentence_cut_by_a_stray_blank_line_is_one_sentence(sample):
    assert (
        "The dispute between the Iraqi and Turkish governments is only one of a vast array of "
        "regional and sectarian divisions being inflamed by the US-backed offensive on the "
        "northern Iraqi city of 1.5 million people."
    ) in sentences(sample)
    assert (
        "While denouncing Assad and his Russian backers for using chemical weapons and attacking "
        "Islamist militias in the east of Aleppo, the US and its allies are preparing a war crime "
        "of far greater proportions just a few hundred miles further east."
    ) in sentences(sample)


def test_sample_break_before_a_capitalised_word_after_the_is_mended(sample):
    # "...declaring last week that the" / blank line / "Peshmerga's participation..."
    merged = [s for s in sentences(sample) if s.startswith("One major fault line")]
    assert len(merged) == 1
    assert merged[0].endswith("contested between Irbil and Baghdad.")


def test_sample_curly_quote_attribution_stays_in_its_sentence(sample):
    quote = [s for s in sentences(sample) if s.startswith("“I know that the Turks")]
    assert quote == [
        "“I know that the Turks want to participate, we tell them thank you, this is something "
        "the Iraqis will handle and the Iraqis will liberate Mosul and the rest of the "
        "territories,” he said after talks with Carter."
    ]


def test_sample_quotation_over_several_sentences_ends_with_its_closing_quote(sample):
    found = sentences(sample)
    start = next(i for i, s in enumerate(found) if s.startswith("He insisted Turkey"))
    assert found[start + 1 : start + 4] == [
        "Turkey will take part in the Mosul operation and hold a seat at the table.",
        "It is out of the question for us to remain outside.",
        "Because there is history in Mosul for us.”",
    ]
    assert found[start].endswith("from across that border. ...")


def test_sample_straight_quotes_split_after_the_closing_mark(sample):
    found = sentences(sample)
    first = next(i for i, s in enumerate(found) if s.startswith("Vowing to hold"))
    assert found[first].endswith('against chemical weapons use."')
    assert found[first + 1].startswith('He continued, "Russian military')


def test_sample_numbers_and_dates_do_not_end_sentences(sample):
    assert "More than 5,600 have fled their homes since the advance began October 17." in (sentences(sample))


def test_sample_no_sentence_starts_with_a_closing_quote_or_attribution(sample):
    for sentence in sentences(sample):
        assert sentence[0] not in "”\u2019"
        assert not sentence.lower().startswith(("he said", "she said"))


# --- hard cases ---------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_format_gives_the_same_sentences_for_the_same_article(fmt):
    assert split(ARTICLES[fmt], fmt) == EXPECTED_SENTENCES


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_format_gives_the_same_metadata(fmt):
    article = segment_article(ARTICLES[fmt], fmt)
    assert article.title == "Carter visits Ankara as Mosul offensive widens"
    assert article.author == "Jane Doe"
    assert article.published == datetime.date(2016, 10, 24)


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_format_keeps_offsets_and_paragraphs(fmt):
    article = segment_article(ARTICLES[fmt], fmt)
    assert_offsets_hold(article)
    assert [s.paragraph for s in article.sentences] == [0, 0, 1, 2, 2, 3, 3, 3]


def test_abbreviations_do_not_end_sentences():
    assert split("Gen. Votel met Mr. Carter, Dr. Smith and Sen. Jones on Jan. 5 in the U.S. Army base.") == [
        "Gen. Votel met Mr. Carter, Dr. Smith and Sen. Jones on Jan. 5 in the U.S. Army base."
    ]


def test_abbreviation_at_the_end_of_a_sentence_still_ends_it():
    assert split("The plan was backed by the U.S. It was not backed by Russia.") == [
        "The plan was backed by the U.S.",
        "It was not backed by Russia.",
    ]


def test_decimal_numbers_and_money_do_not_end_sentences():
    assert split("It has 1.5 million people. The deal is worth $3.2bn, or 3.14 times more.") == [
        "It has 1.5 million people.",
        "The deal is worth $3.2bn, or 3.14 times more.",
    ]


def test_initials_do_not_end_sentences():
    assert split("The book by J. R. R. Tolkien was praised by George W. Bush. It was long.") == [
        "The book by J. R. R. Tolkien was praised by George W. Bush.",
        "It was long.",
    ]


def test_multi_sentence_quote_splits_inside_and_keeps_attribution_with_the_last_part():
    assert split(
        "“I know that the Turks want to participate, we tell them thank you. This is something "
        "the Iraqis will handle,” he said after talks with Carter."
    ) == [
        "“I know that the Turks want to participate, we tell them thank you.",
        "This is something the Iraqis will handle,” he said after talks with Carter.",
    ]


def test_quoted_question_keeps_its_lower_case_attribution():
    assert split('“Will they come?” she asked. "Why not?" asked Sen. Smith. "No!" he said.') == [
        "“Will they come?” she asked.",
        '"Why not?" asked Sen. Smith.',
        '"No!" he said.',
    ]


def test_ellipsis_inside_a_sentence_does_not_end_it():
    assert split("He paused… and then went on. We waited... Nothing happened.") == [
        "He paused… and then went on.",
        "We waited...",
        "Nothing happened.",
    ]


def test_hard_wrapped_lines_are_joined_with_a_space():
    article = segment_article("Title here\n\nThe army\nadvanced   on\tthe city.\n")
    assert article.text == "The army advanced on the city."


def test_unpunctuated_line_before_a_capitalised_paragraph_is_kept_as_a_subheading():
    article = segment_article("The army advanced.\n\nTurkish ambitions\n\nErdogan spoke on Sunday.")
    assert article.text == "The army advanced.\n\nTurkish ambitions\n\nErdogan spoke on Sunday."
    assert [s.paragraph for s in article.sentences] == [0, 1, 2]


def test_paragraph_after_terminal_punctuation_is_not_merged():
    article = segment_article("It rained.\n\nthey said it would.")
    assert article.text == "It rained.\n\nthey said it would."


# --- metadata -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    ["24 October 2016", "October 24, 2016", "2016-10-24", "Oct. 24, 2016", "Monday, 24 Oct 2016"],
)
def test_date_lines_become_published(line):
    article = segment_article(f"A headline\n{line}  \n\nThe army advanced.")
    assert article.published == datetime.date(2016, 10, 24)
    assert article.text == "The army advanced."


def test_byline_becomes_author_and_leaves_the_text():
    article = segment_article("A headline\n\nBy Jane Doe\n\nThe army advanced.")
    assert (article.title, article.author, article.text) == ("A headline", "Jane Doe", "The army advanced.")


def test_article_without_header_has_empty_metadata():
    article = segment_article("The army advanced. It took the bridge.")
    assert (article.title, article.author, article.published) == ("", "", None)
    assert len(article.sentences) == 2


def test_hard_wrapped_first_paragraph_is_not_taken_for_a_title():
    article = segment_article("The army advanced on the city as the\nsun rose over the river.")
    assert article.title == ""
    assert split("The army advanced on the city as the\nsun rose over the river.") == [
        "The army advanced on the city as the sun rose over the river."
    ]


# --- Markdown and HTML --------------------------------------------------------------------


def test_markdown_markup_never_reaches_the_text():
    article = segment_article(
        "# Title\n\nSome **bold** and _em_ and [a link](http://x.org) and ![pic](p.png) here.\n\n"
        "- first item\n- second item\n\n> quoted text.\n\n```\ncode line\n```\n",
        "markdown",
    )
    assert article.text == (
        "Some bold and em and a link and here.\n\nfirst item\n\nsecond item\n\nquoted text.\n\ncode line"
    )


def test_markdown_raw_html_script_is_dropped():
    article = segment_article("Title\n\nSafe text.\n\n<script>alert(1)</script>\n\nMore <b>text</b>.", "markdown")
    assert article.text == "Safe text.\n\nMore text."


@pytest.mark.parametrize(
    "body",
    [
        "<p>Before.</p><script>alert(1)</script><p>After.</p>",
        "<p>Before.<img src=x onerror=alert(1)></p><p>After.</p>",
        "<p>Before.</p><iframe src=x></iframe><noscript>No JS.</noscript><p>After.</p>",
        "<p>Before.<!-- a comment --></p><form><input value=x>Send</form><p>After.</p>",
    ],
)
def test_html_markup_never_survives(body):
    article = segment_article(f"<html><body>{body}</body></html>", "html")
    assert article.text == "Before.\n\nAfter."
    assert "<" not in article.text
    assert "alert" not in article.text


def test_html_entities_become_literal_text():
    article = segment_article("<p>Tom &amp; Jerry wrote &lt;script&gt; as text.</p>", "html")
    assert article.text == "Tom & Jerry wrote <script> as text."


def test_html_br_is_a_space_and_blocks_are_paragraphs():
    article = segment_article(
        "<div>Line one<br>continues here.<div>Inner block.</div></div><ul><li>An item</li></ul>", "html"
    )
    assert article.text == "Line one continues here.\n\nInner block.\n\nAn item"


def test_html_title_element_is_used_when_there_is_no_h1():
    article = segment_article("<title>Page title</title><p>Body text.</p>", "html")
    assert (article.title, article.text) == ("Page title", "Body text.")


# --- normalisation and errors -------------------------------------------------------------


def test_line_endings_zero_width_spaces_word_joiners_and_bom_are_normalised():
    article = segment_article("\ufeffA\u200b headline\r\n\r\nThe cafe\u0301\u2060 opened.\rIt closed.")
    assert article.title == "A headline"
    assert article.text == "The café opened. It closed."


def test_bare_punctuation_is_never_a_sentence_of_its_own():
    assert split("0()[]. It ended.") == ["0()[].", "It ended."]


def test_curly_quotes_are_kept_as_written():
    assert segment_article("He said “yes” and \u2018no\u2019.").text == "He said “yes” and \u2018no\u2019."


@pytest.mark.parametrize("fmt", FORMATS)
def test_empty_body_raises_on_the_text_field(fmt):
    with pytest.raises(SegmentationError) as caught:
        segment_article(" \n\n\u200b ", fmt)
    assert caught.value.field == "text"


def test_html_with_only_scripts_has_no_body():
    with pytest.raises(SegmentationError) as caught:
        segment_article("<script>alert(1)</script><style>p{}</style>", "html")
    assert caught.value.field == "text"


def test_unknown_format_raises_on_the_format_field():
    with pytest.raises(SegmentationError) as caught:
        segment_article("Text.", "pdf")
    assert caught.value.field == "format"
    assert "pdf" in str(caught.value)


def test_segmentation_error_is_a_value_error():
    assert issubclass(SegmentationError, ValueError)


def test_spans_are_frozen():
    span = SentenceSpan(index=0, paragraph=0, start=0, end=1)
    with pytest.raises(AttributeError):
        span.start = 2  # type: ignore[misc]


# --- size ---------------------------------------------------------------------------------


def test_two_hundred_sentence_article_segments_quickly():
    raw = "\n\n".join(["Gen. Smith said the U.S. would send 1.5 million tons. It did not."] * 100)
    started = time.perf_counter()
    article = segment_article(raw)
    elapsed = time.perf_counter() - started
    assert len(article.sentences) == 200
    assert elapsed < 1.0  # typically ~20 ms; the bound only catches a pathological regression


def test_two_megabyte_article_segments_correctly(sample_text):
    paragraph = sample_text.split("\n\n", 3)[3]
    raw = ("Title\n\n" + paragraph * (2_000_000 // len(paragraph) + 1))[:2_000_000]
    article = segment_article(raw, "markdown")
    assert_offsets_hold(article)
    assert len(article.sentences) > 10_000


# --- property -----------------------------------------------------------------------------

_pieces = st.sampled_from(
    ["A", "b", "U.S.", "Mr.", " ", "  ", "\n", "\n\n", "\r\n", ".", "...", "?", "!", "“", "”", '"',
     "'", "\u2019", ",", "1.5", "#", "*", "_", "[x](y)", "<p>", "</p>", "<br>", "&amp;", "By Jo",
     "24 October 2016", "\u200b", "\ufeff", "-", "(", ")", "\t", "é", "e\u0301"]
)  # fmt: skip
_article_text = st.one_of(st.text(), st.lists(_pieces, max_size=60).map("".join))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=_article_text, fmt=st.sampled_from(FORMATS))
def test_any_text_keeps_the_offset_invariants_or_raises_segmentation_error(raw, fmt):
    try:
        article = segment_article(raw, fmt)
    except SegmentationError as error:
        failure = error
    else:
        failure = None
    if failure is not None:
        assert failure.field == "text"
        return
    assert article.sentences
    assert_offsets_hold(article)
    assert "\r" not in article.text
    assert "\u200b" not in article.text


# --- quotations over several sentences (a project option) ---------------------------------

QUOTATION = "“The plan will not work. It never has,” she said. Then she left."


def test_quotation_over_sentences_is_split_by_default():
    assert segment_article(QUOTATION).sentence_texts() == [
        "“The plan will not work.",
        "It never has,” she said.",
        "Then she left.",
    ]


def test_whole_quotations_keeps_a_quotation_and_its_attribution_as_one_unit():
    article = segment_article(QUOTATION, whole_quotations=True)
    assert article.sentence_texts() == ["“The plan will not work. It never has,” she said.", "Then she left."]
    assert (article.sentences[0].start, article.sentences[1].start) == (0, QUOTATION.index("Then"))
    assert_offsets_hold(article)


def test_whole_quotations_leaves_an_unclosed_quotation_split():
    article = segment_article("He began. “It is open. Nothing closes it.", whole_quotations=True)
    assert article.sentence_texts() == ["He began.", "“It is open.", "Nothing closes it."]


def test_whole_quotations_with_straight_quotes():
    article = segment_article(
        '"We are ready. The troops are in place," he said. Nobody answered.', whole_quotations=True
    )
    assert article.sentence_texts() == ['"We are ready. The troops are in place," he said.', "Nobody answered."]


def test_html_nested_100k_deep_is_a_segmentation_error_not_a_recursion_error():
    deep = "<div>" * 100_000 + "<p>The council met.</p>" + "</div>" * 100_000
    with pytest.raises(SegmentationError, match="nested too deeply"):
        segment_article(deep, "html")


def test_an_article_over_the_sentence_limit_stops_at_it():
    text = "\n\n".join(f"Paragraph {n} says the council met." for n in range(30))
    assert len(segment_article(text, "text", limits=Limits(sentences=30)).sentences) == 30
    with pytest.raises(SegmentationError, match="more than 29 sentences"):
        segment_article(text, "text", limits=Limits(sentences=29))


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_splitting_stops_at_its_deadline(fmt):
    with pytest.raises(SegmentationError, match="took longer than 0 s"):
        segment_article("- The council met.\n" * 3000, fmt, limits=Limits(seconds=0))
