"""Inputs that once answered 500: each is now a 4xx naming the field at fault, and nothing is written."""

import json
from urllib.parse import urlencode

import pytest

from annotator.models import Annotation, ArticleImport, Document, Membership, Sentence, Source
from tests.factories import named_file

pytestmark = pytest.mark.django_db


def counts(team) -> tuple:
    """What a refused request must leave as it was."""
    return (
        Document.objects.count(),
        Sentence.objects.count(),
        Annotation.objects.count(),
        Source.objects.count(),
        Membership.objects.filter(project=team.project).count(),
        ArticleImport.objects.count(),
    )


def assert_refused(answer, field: str, before: tuple, team, status: int = 400):
    assert answer.status_code == status, answer.content[:300]
    assert field in answer.json(), answer.json()
    assert counts(team) == before


def post_article(team, **body):
    return team.client("owner").post(f"/api/v1/projects/{team.project.pk}/documents/", body, format="json")


def upload_article(team, name: str, content: bytes):
    return team.client("owner").post(
        f"/api/v1/projects/{team.project.pk}/documents/", {"file": named_file(name, content)}, format="multipart"
    )


def bulk_import(team, content: bytes, name: str = "articles.jsonl"):
    return team.client("owner").post(
        f"/api/v1/projects/{team.project.pk}/documents/import/",
        {"file": named_file(name, content)},
        format="multipart",
    )


def study_import(team, content: bytes, name: str = "study.csv", **fields):
    return team.client("owner").post(
        f"/api/v1/projects/{team.project.pk}/annotations/import/",
        {"file": named_file(name, content), **fields},
        format="multipart",
    )


DEEP_HTML = "<div>" * 100_000 + "<p>The council met today.</p>" + "</div>" * 100_000
DEEP_JSON = "[" * 100_000 + "]" * 100_000
STUDY_HEADER = "document,unit,text,annotator,label\n"


def test_html_nested_100k_deep_is_refused_naming_text(team):
    before = counts(team)
    assert_refused(post_article(team, text=DEEP_HTML, format="html"), "text", before, team)


def test_html_file_nested_100k_deep_is_refused_naming_file(team):
    before = counts(team)
    assert_refused(upload_article(team, "deep.html", DEEP_HTML.encode()), "file", before, team)


def test_article_jsonl_nested_deep_is_refused_naming_file(team, media_root):
    before = counts(team)
    line = '{"text": "The council met today.", "attributes": ' + DEEP_JSON + "}"
    assert_refused(bulk_import(team, line.encode()), "file", before, team)


def test_study_jsonl_nested_deep_is_refused_naming_file(team):
    before = counts(team)
    line = '{"unit": "u1", "text": "The council met.", "annotator": "ann", "label": ' + DEEP_JSON + "}"
    assert_refused(study_import(team, line.encode(), name="study.jsonl"), "file", before, team)


def test_a_5000_digit_number_in_article_jsonl_is_refused_naming_file(team, media_root):
    before = counts(team)
    line = '{"text": "The council met today.", "id": ' + "9" * 5000 + "}"
    assert_refused(bulk_import(team, line.encode()), "file", before, team)


def test_a_5000_digit_number_in_study_jsonl_is_refused_naming_file(team):
    before = counts(team)
    line = '{"unit": ' + "7" * 5000 + ', "text": "The council met.", "annotator": "ann", "label": "claim"}'
    assert_refused(study_import(team, line.encode(), name="study.jsonl"), "file", before, team)


def test_a_lone_surrogate_in_article_jsonl_is_refused_naming_file(team, media_root):
    before = counts(team)
    line = '{"text": "The council met today.", "id": "k\\ud800"}'
    assert_refused(bulk_import(team, line.encode()), "file", before, team)


@pytest.mark.parametrize("column", ["unit", "text", "annotator", "label"])
def test_a_lone_surrogate_in_study_jsonl_is_refused_naming_file(team, column):
    before = counts(team)
    record = {"unit": "u1", "text": "The council met.", "annotator": "ann", "label": "claim"}
    line = json.dumps(record).replace(f'"{record[column]}"', f'"{record[column]}\\udc00"', 1)
    assert_refused(study_import(team, line.encode(), name="study.jsonl"), "file", before, team)


@pytest.mark.parametrize("column", ["document", "unit", "text", "annotator", "label"])
def test_a_nul_in_a_study_csv_field_is_refused_naming_file(team, column):
    before = counts(team)
    cells = {"document": "d1", "unit": "u1", "text": "The council met.", "annotator": "ann", "label": "claim"}
    cells[column] = cells[column][:1] + "\x00" + cells[column][1:]
    content = STUDY_HEADER + ",".join(cells.values()) + "\n"
    assert_refused(study_import(team, content.encode()), "file", before, team)


def test_a_nul_in_a_member_path_is_a_404(team):
    before = counts(team)
    for method in ("get", "delete"):
        answer = getattr(team.client("owner"), method)(f"/api/v1/projects/{team.project.pk}/members/an%00na/")
        assert answer.status_code == 404, answer.content[:300]
        assert "detail" in answer.json()
    assert counts(team) == before


def test_a_nul_in_a_member_post_is_refused_naming_username(team):
    before = counts(team)
    answer = team.client("owner").post(
        f"/api/v1/projects/{team.project.pk}/members/", {"username": "an\x00na", "role": "viewer"}, format="json"
    )
    assert_refused(answer, "username", before, team)


@pytest.mark.parametrize("name", ["label", "annotator"])
def test_a_nul_in_an_export_filter_is_refused_naming_it(team, name):
    answer = team.client("owner").get(
        f"/api/v1/projects/{team.project.pk}/export/webannotation.jsonld", {name: "cl\x00aim"}
    )
    assert answer.status_code == 400, answer.content[:300]
    assert name in answer.json()


@pytest.mark.parametrize(("method", "path"), [("get", "export/wide.csv"), ("post", "export.zip")])
@pytest.mark.parametrize("value", ["maybe", "-1", "\x00"])
def test_a_bad_spreadsheet_safe_is_refused_naming_it(team, method, path, value):
    answer = getattr(team.client("owner"), method)(
        f"/api/v1/projects/{team.project.pk}/{path}?" + urlencode({"spreadsheet_safe": value})
    )
    assert answer.status_code == 400, answer.content[:300]
    assert "spreadsheet_safe" in answer.json()


def test_a_300_character_unit_key_is_refused_naming_file(team):
    before = counts(team)
    content = STUDY_HEADER + f"d1,{'u' * 300},The council met.,ann,claim\n"
    answer = study_import(team, content.encode())
    assert_refused(answer, "file", before, team)
    assert "unit" in " ".join(answer.json()["file"])


def test_a_601_character_document_key_is_refused_naming_file(team):
    before = counts(team)
    content = STUDY_HEADER + f"{'d' * 601},u1,The council met.,ann,claim\n"
    assert_refused(study_import(team, content.encode()), "file", before, team)


def test_a_news_address_of_300_characters_is_kept_whole_as_the_document_key(team):
    address = "https://news.example.org/2020/06/" + "a" * 267
    content = STUDY_HEADER + f"{address},u1,The council met.,ann,claim\n"
    answer = study_import(team, content.encode())
    assert answer.status_code == 201, answer.content[:300]
    assert team.project.documents.get(key=address).key == address


@pytest.mark.parametrize(("name", "length"), [("title", 501), ("author", 301), ("outlet", 201), ("key", 601)])
def test_a_long_field_in_article_jsonl_is_refused_not_cut(team, media_root, name, length):
    before = counts(team)
    line = json.dumps({"text": "The council met today. It voted.", name: "x" * length})
    answer = bulk_import(team, line.encode())
    assert_refused(answer, "file", before, team)
    assert name in " ".join(answer.json()["file"])


def test_a_long_outlet_in_a_study_is_refused_not_cut(team):
    before = counts(team)
    content = "document,unit,text,annotator,label,outlet\n" + f"d1,u1,The council met.,ann,claim,{'o' * 201}\n"
    answer = study_import(team, content.encode())
    assert_refused(answer, "file", before, team)
    assert "outlet" in " ".join(answer.json()["file"])


def test_a_long_source_title_in_a_study_is_refused_not_cut(team):
    before = counts(team)
    sources = json.dumps([{"url": "https://example.org/a", "title": "t" * 501}])
    record = {"unit": "u1", "text": "The council met.", "annotator": "ann", "label": "claim", "sources": sources}
    answer = study_import(team, json.dumps(record).encode(), name="study.jsonl")
    assert_refused(answer, "file", before, team)
    assert "title" in " ".join(answer.json()["file"])


def test_a_long_source_title_on_a_label_is_refused_naming_it(team, sentence):
    answer = team.client("annotator").put(
        f"/api/v1/sentences/{sentence.pk}/annotation/",
        {"label": "claim", "sources": [{"url": "https://example.org/a", "title": "t" * 501}]},
        format="json",
    )
    assert answer.status_code == 400
    assert any(key.startswith("sources") for key in answer.json()), answer.json()
    assert not sentence.annotations.exists()


@pytest.mark.parametrize("seconds", [-0.1, 1e308, "Infinity", [], {"s": 1}, True, "9" * 5000])
def test_odd_active_seconds_on_a_label_are_refused_naming_them(team, sentence, seconds):
    answer = team.client("annotator").put(
        f"/api/v1/sentences/{sentence.pk}/annotation/", {"label": "claim", "seconds": seconds}, format="json"
    )
    assert answer.status_code == 400
    assert "seconds" in answer.json(), answer.json()
    assert not sentence.annotations.exists()


JOIN_PASSPHRASE = "quiet-harbour-lamp"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"username": "no\x00ra"}, "username"),
        ({"username": "n" * 151}, "username"),
        ({"password": "quiet\x00harbour-lamp", "password_again": "quiet\x00harbour-lamp"}, "password"),
        ({"password_again": ""}, "password_again"),
        ({"username": "   "}, "username"),
    ],
)
def test_a_join_form_with_bad_fields_is_a_400_naming_the_field_and_makes_no_account(team, client, fields, field):
    from annotator import services
    from annotator.models import Role

    invitation = services.create_invitation(project=team.project, created_by=team.users["owner"], role=Role.ANNOTATOR)
    body = {"username": "nora", "password": JOIN_PASSPHRASE, "password_again": JOIN_PASSPHRASE} | fields
    before = counts(team)
    answer = client.post(f"/join/{invitation.token}/", body)
    assert answer.status_code == 400
    assert answer.context["form"].errors[field]
    assert counts(team) == before
    invitation.refresh_from_db()
    assert invitation.uses == 0


@pytest.mark.parametrize("max_uses", [True, "25 people", [3], {"n": 3}, 1.5, "1e3"])
def test_an_invitation_with_an_odd_use_limit_is_a_400_naming_it(team, max_uses):
    answer = team.client("owner").post(
        f"/api/v1/projects/{team.project.pk}/invitations/", {"role": "annotator", "max_uses": max_uses}, format="json"
    )
    assert_refused(answer, "max_uses", counts(team), team)


# Tables of articles (CSV, TSV, a JSON array): each bad input is a 400 on `file` naming its row, nothing kept.
TABLE_CASES = {
    "a NUL in a CSV cell": ("articles.csv", "text,title\nThe council met.,Bad\x00title\n", "Row 2, column 'title'"),
    "a lone surrogate in a JSON array": ("articles.json", '[{"text": "The council met \\ud800."}]', "Row 1, column"),
    "a JSON array nested 100,000 deep": ("articles.json", DEEP_JSON, "nested too deeply"),
    "a 5000-digit number in a JSON array": ("articles.json", '[{"text": ' + "9" * 5000 + "}]", "number too long"),
    "a number as a JSON array's title": ("articles.json", '[{"text": "The council met.", "title": 7}]', "Row 1"),
    "topics that are no list": ("articles.json", '[{"text": "The council met.", "topics": {"a": 1}}]', "topics"),
    "an unclosed quotation in a CSV": ("articles.csv", 'text\n"The council met.\n', "cannot be read as CSV"),
    "a 601-character outlet in a TSV": ("articles.tsv", "text\toutlet\nThe council met.\t" + "o" * 601, "Row 2"),
    "a CSV that is not UTF-8": ("articles.csv", b"text\nThe caf\xe9 opened.\n", "not UTF-8"),
    "a spreadsheet's binary file": ("articles.xlsx", b"PK\x03\x04\x14\x00\x06\x00", "not a list of articles"),
}


@pytest.mark.parametrize(("name", "content", "said"), TABLE_CASES.values(), ids=TABLE_CASES.keys())
def test_a_bad_table_of_articles_is_refused_naming_file_and_where(team, media_root, name, content, said):
    before = counts(team)
    answer = bulk_import(team, content.encode() if isinstance(content, str) else content, name=name)
    assert_refused(answer, "file", before, team)
    assert said in answer.json()["file"][0]


@pytest.mark.parametrize("key", ["g", "n", "a", "x", "r", "G", "?"])
def test_a_label_key_a_shortcut_takes_is_refused_naming_it(team, key):
    labels = [{"name": "claim", "key": "1"}, {"name": "quote", "key": key}]
    answer = team.client("owner").patch(f"/api/v1/projects/{team.project.pk}/", {"labels": labels}, format="json")
    assert answer.status_code == 400
    assert list(answer.json()) == ["labels[1].key"]
    assert sorted(team.project.labels.values_list("key", flat=True)) == ["1", "2", "3"]
