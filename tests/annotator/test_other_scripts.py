"""Articles in Chinese, Japanese, Hindi and Persian, and emoji sequences: kept intact, split where their sentences end.

Each case is a real-looking news paragraph; units are checked as a reader of that language
would cut them, and every unit is its exact slice of the stored text.
"""

import pytest

from annotator.text.boundaries import sentence_starts
from annotator.text.segmentation import segment_article

ZWJ, ZWNJ = "\u200d", "\u200c"
# Woman technologist and a family: emoji held together by zero-width joiners.
TECHNOLOGIST = f"\U0001f469{ZWJ}\U0001f4bb"
FAMILY = f"\U0001f468{ZWJ}\U0001f469{ZWJ}\U0001f467"

CHINESE = (
    "北京宣布新的交通计划\n\n"
    "北京市政府周二宣布了一项新的交通计划。该计划将在明年实施！市民对此有何看法？\n\n"
    "“我们已经准备好了。”他说。“明年一切都会更好。”交通部门的负责人在周二的新闻发布会上对记者们表示。"
)
CHINESE_UNITS = [
    "北京市政府周二宣布了一项新的交通计划。",
    "该计划将在明年实施！",
    "市民对此有何看法？",
    "“我们已经准备好了。”他说。",
    "“明年一切都会更好。”",
    "交通部门的负责人在周二的新闻发布会上对记者们表示。",
]
JAPANESE = (
    "東京で記録的な大雨\n\n"
    "東京では昨夜から大雨が降り続いている。気象庁は大雨警報を出した。"
    "「安全な場所に避難してください。」と担当者は述べた。"
)
JAPANESE_UNITS = [
    "東京では昨夜から大雨が降り続いている。",
    "気象庁は大雨警報を出した。",
    "「安全な場所に避難してください。」と担当者は述べた。",
]
HINDI = "दिल्ली में भारी बारिश\n\nराजधानी दिल्ली में मंगलवार को भारी बारिश हुई। कई इलाकों में पानी भर गया॥ लोगों को काफ़ी परेशानी हुई।"
HINDI_UNITS = [
    "राजधानी दिल्ली में मंगलवार को भारी बारिश हुई।",
    "कई इलाकों में पानी भर गया॥",
    "लोगों को काफ़ी परेशानी हुई।",
]
PERSIAN = (
    f"دولت برنامه{ZWNJ}ی جدیدی اعلام کرد. مردم می{ZWNJ}خواهند بدانند چه خواهد شد؟ کارشناسان درباره{ZWNJ}ی آن نظر دادند."
)
PERSIAN_UNITS = [
    f"دولت برنامه{ZWNJ}ی جدیدی اعلام کرد.",
    f"مردم می{ZWNJ}خواهند بدانند چه خواهد شد؟",
    f"کارشناسان درباره{ZWNJ}ی آن نظر دادند.",
]
EMOJI = f"The team {TECHNOLOGIST} shipped the update. The family {FAMILY} cheered at the launch."
EMOJI_UNITS = [f"The team {TECHNOLOGIST} shipped the update.", f"The family {FAMILY} cheered at the launch."]

ARTICLES = {
    "chinese": (CHINESE, "北京宣布新的交通计划", CHINESE_UNITS),
    "japanese": (JAPANESE, "東京で記録的な大雨", JAPANESE_UNITS),
    "hindi": (HINDI, "दिल्ली में भारी बारिश", HINDI_UNITS),
    "persian": (PERSIAN, "", PERSIAN_UNITS),
    "emoji": (EMOJI, "", EMOJI_UNITS),
}


def assert_exact_units(text: str, spans, expected: list[str]) -> None:
    assert [text[start:end] for start, end in spans] == expected


@pytest.mark.parametrize(("raw", "title", "units"), ARTICLES.values(), ids=ARTICLES.keys())
def test_articles_in_other_scripts_split_where_their_sentences_end(raw, title, units):
    article = segment_article(raw)
    assert article.title == title
    assert article.sentence_texts() == units
    assert_exact_units(article.text, [(s.start, s.end) for s in article.sentences], units)


def test_joiners_and_non_joiners_are_kept():
    text = segment_article(f"{PERSIAN}\n\n{EMOJI}").text
    assert text.count(ZWNJ) == PERSIAN.count(ZWNJ) == 3
    assert TECHNOLOGIST in text
    assert FAMILY in text


@pytest.mark.parametrize(
    "paragraph",
    [
        "北京市政府周二宣布了一项新的交通计划。该计划将在明年实施。",
        "राजधानी दिल्ली में मंगलवार को भारी बारिश हुई। कई इलाकों में पानी भर गया।",
        "東京では昨夜から大雨が降り続いている。",
    ],
)
def test_a_first_paragraph_ending_a_sentence_is_never_the_title(paragraph):
    article = segment_article(f"{paragraph}\n\nA second paragraph follows.")
    assert article.title == ""
    assert article.text.startswith(paragraph)


def test_a_long_line_of_chinese_without_a_full_stop_is_not_a_title():
    line = "北京市政府周二宣布了一项新的交通计划该计划将在明年实施市民对此有各种看法而专家则表示谨慎乐观"
    assert segment_article(f"{line}\n\n后续报道。").title == ""


@pytest.mark.parametrize(
    "raw",
    ["Taxes rose and nobody said a word", "北京市政府宣布新计划", "राजधानी में बारिश", "The bridge reopened."],
)
def test_a_one_paragraph_article_is_its_own_body(raw):
    article = segment_article(raw)
    assert (article.title, article.sentence_texts()) == ("", [raw])


def test_an_english_headline_line_still_becomes_the_title():
    article = segment_article("Bridge to reopen\n\nThe bridge reopens on Monday.")
    assert (article.title, article.sentence_texts()) == ("Bridge to reopen", ["The bridge reopens on Monday."])


@pytest.mark.parametrize(
    ("paragraph", "units"),
    [
        ("今日は晴れ。明日は雨。", ["今日は晴れ。", "明日は雨。"]),
        ("本当ですか？はい！", ["本当ですか？", "はい！"]),
        ("半角の句点｡次の文｡", ["半角の句点｡", "次の文｡"]),
        ("पहला वाक्य।दूसरा वाक्य।", ["पहला वाक्य।", "दूसरा वाक्य।"]),
        ("他说：“我们赢了！”然后离开了。", ["他说：“我们赢了！”然后离开了。"]),
        ("「行きます。」って言った。", ["「行きます。」って言った。"]),
        ("Il a dit. هذا صحيح؟ نعم.", ["Il a dit.", "هذا صحيح؟", "نعم."]),
        ("The U.S. پاسخ داد.", ["The U.S. پاسخ داد."]),
    ],
)
def test_sentence_ends_of_other_scripts_with_exact_offsets(paragraph, units):
    starts = sentence_starts(paragraph)
    ends = [*starts[1:], len(paragraph)]
    assert [paragraph[start:end].rstrip() for start, end in zip(starts, ends, strict=True)] == units


def test_chinese_lines_wrapped_by_hand_join_without_a_space():
    article = segment_article("北京市政府周二宣布了\n一项新的交通计划。\n\n后续报道。")
    assert article.sentence_texts()[0] == "北京市政府周二宣布了一项新的交通计划。"


def test_whole_quotations_keeps_a_japanese_quotation_of_two_sentences_as_one_unit():
    paragraph = "首相は語った。「準備はできています。明日から始めます。」記者団は首相の発言についてさらに質問を続けた。"
    article = segment_article(paragraph, whole_quotations=True)
    assert article.sentence_texts() == [
        "首相は語った。",
        "「準備はできています。明日から始めます。」",
        "記者団は首相の発言についてさらに質問を続けた。",
    ]


# --- through the API ------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("raw", "title", "units"), ARTICLES.values(), ids=ARTICLES.keys())
def test_api_import_keeps_the_text_and_its_units_exact(team, raw, title, units):
    response = team.client("owner").post(f"/api/v1/projects/{team.project.pk}/documents/", {"text": raw}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    # An article without a heading is listed by its first line, as the form says (the text keeps it).
    assert body["title"] == (title or raw.splitlines()[0])  # each such line here is under the 120-character cut
    assert [sentence["text"] for sentence in body["sentences"]] == units
    document = team.project.documents.get(pk=body["id"])
    assert [document.text[s.start : s.end] for s in document.sentences.order_by("index")] == units
