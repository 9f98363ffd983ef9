"""Importing articles from tables through the API: CSV, TSV and a JSON array, all or nothing, errors naming the
row and column; a file that is no list of articles is refused, not taken as one article."""

import datetime
import json

import pytest

from annotator.models import ArticleImport, Document

from ..factories import named_file


def import_url(team):
    return f"/api/v1/projects/{team.project.pk}/documents/import/"


@pytest.fixture
def table(team, django_capture_on_commit_callbacks, media_root):
    """table(name, content) -> the POST's answer; the import job, run without a broker, is done by then."""

    def post(name: str, content: str | bytes, who: str = "owner"):
        body = content.encode() if isinstance(content, str) else content
        with django_capture_on_commit_callbacks(execute=True):
            return team.client(who).post(import_url(team), {"file": named_file(name, body)}, format="multipart")

    return post


def imported(team):
    return Document.objects.filter(project=team.project).exclude(pk=team.document.pk).order_by("pk")


CSV = (
    "title,outlet,text,published,topics,url,author,calibration,training\n"
    'Bridge,Gazette,"The bridge reopened on Monday, officials said.",2024-05-01,transport;city,'
    "https://example.org/bridge,Ann Lee,yes,\n"
    'Budget,Courier,"The council passed the budget. ""It is fair,"" she said.",,budget,,,,true\n'
)


def test_a_csv_with_a_header_row_becomes_one_article_a_row_with_its_metadata(team, table):
    response = table("articles.csv", CSV)

    assert response.status_code == 202, response.content
    assert response.json()["status"] == "ready"
    bridge, budget = imported(team)
    assert (bridge.title, bridge.outlet, bridge.author) == ("Bridge", "Gazette", "Ann Lee")
    assert bridge.published == datetime.date(2024, 5, 1)
    assert bridge.topics == ["transport", "city"]
    assert bridge.url == "https://example.org/bridge"
    assert (bridge.calibration, bridge.training) == (True, False)
    assert bridge.text == "The bridge reopened on Monday, officials said."
    assert budget.text == 'The council passed the budget. "It is fair," she said.'
    assert (budget.published, budget.calibration, budget.training) == (None, False, True)
    assert budget.sentences.count() == 2


def test_a_tsv_and_a_json_array_import_like_a_csv(team, table):
    tsv = "text\ttitle\toutlet\nThe mayor spoke on Monday.\tMayor\tGazette\n"
    array = json.dumps([{"text": "The river rose overnight.", "title": "River", "calibration": True}])

    assert table("articles.tsv", tsv).status_code == 202
    assert table("articles.json", array).status_code == 202

    assert [(d.title, d.outlet, d.calibration) for d in imported(team)] == [
        ("Mayor", "Gazette", False),
        ("River", "", True),
    ]


def test_a_bad_date_is_refused_naming_its_row_and_column_and_nothing_is_imported(team, table):
    content = "text,published\nThe bridge reopened.,2024-05-01\nThe council met.,1 May 2024\n"

    response = table("articles.csv", content)

    assert response.status_code == 400
    assert response.json()["file"] == ["Row 3, column 'published': '1 May 2024' is not a date in the form YYYY-MM-DD."]
    assert not imported(team).exists()
    assert not ArticleImport.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("title,text\nBridge,\n", "Row 2, column 'text': The article has no text."),
        ("title,body\nBridge,text\n", "Row 1, column 'body': Lede does not read this column"),
        ("title,outlet\nBridge,Gazette\n", "Row 1: The header has no 'text' column"),
        ("text,calibration\nThe bridge reopened.,maybe\n", "Row 2, column 'calibration': 'maybe' is not yes or no"),
        ("text,calibration,training\nThe bridge reopened.,yes,yes\n", "Row 2, column 'training': An article is"),
        ("text,url\nThe bridge reopened.,ftp://example.org/a\n", "Row 2, column 'url': "),
        ("text,title\nThe bridge reopened.,Bridge,extra\n", "Row 2: The row has 3 cells"),
        (f"text,title\nThe bridge reopened.,{'T' * 501}\n", "Row 2, column 'title': Longer than 500 characters."),
        ("\n\n", "Row 1: The file is empty"),
    ],
)
def test_a_bad_cell_is_refused_naming_the_row_and_column(team, table, content, message):
    response = table("articles.csv", content)

    assert response.status_code == 400
    assert response.json()["file"][0].startswith(message), response.json()
    assert not imported(team).exists()


def test_a_json_array_item_that_is_not_an_object_names_the_row(team, table):
    response = table("articles.json", json.dumps([{"text": "The bridge reopened."}, "The council met."]))

    assert response.status_code == 400
    assert response.json()["file"] == ["Row 2: The item must be an object with 'text'."]
    assert not imported(team).exists()


@pytest.mark.parametrize("name", ["articles.xlsx", "notes.docx", "articles.txt", "scan.pdf"])
def test_a_file_that_is_not_a_list_of_articles_is_refused_by_the_bulk_import(team, table, name):
    response = table(name, "title,outlet,text\nBridge,Gazette,The bridge reopened.\n")

    assert response.status_code == 400
    assert "not a list of articles Lede can read" in response.json()["file"][0]
    assert not imported(team).exists()


@pytest.mark.parametrize("name", ["articles.csv", "articles.tsv", "articles.json", "articles.xlsx"])
def test_a_table_uploaded_as_one_article_is_refused_not_taken_as_one_article(team, name):
    content = b"title,outlet,text\nBridge,Gazette,The bridge reopened.\n"

    response = team.client("owner").post(
        f"/api/v1/projects/{team.project.pk}/documents/",
        {"file": named_file(name, content)},
        format="multipart",
    )

    assert response.status_code == 400
    assert name in response.json()["file"][0]
    assert not imported(team).exists()


def test_a_large_csv_is_imported_by_the_worker_path_with_rows_named_in_its_errors(team, table, settings):
    settings.ARTICLE_IMPORT_IN_REQUEST_BYTES = 0  # stored for a worker (which runs at the commit: no broker)
    rows = "".join(f"The council met on day {n}. It voted.,Day {n},2024-05-{n % 28 + 1:02d}\n" for n in range(40))

    response = table("big.csv", "text,title,published\n" + rows)

    assert response.status_code == 202
    job = team.client("owner").get(response["Location"]).json()
    assert (job["status"], job["created"]) == ("ready", 40)
    assert imported(team).filter(published=datetime.date(2024, 5, 3)).count() == 2
