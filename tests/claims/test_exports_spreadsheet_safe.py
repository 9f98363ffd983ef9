"""Every CSV export guards text a spreadsheet would run as a formula unless asked for raw text; headers always."""

import csv
import io
import zipfile

import pytest

from annotator.services import SourceInput
from curation import services as curation
from curation.models import CurationSettings
from tests.factories import AnnotationFactory, DocumentFactory, add_member

pytestmark = pytest.mark.django_db

LINK = '=HYPERLINK("http://evil.example","read me")'
NAME, OTHER = "-1+1@59", "@SUM(A1)"  # reviewers' usernames, as an import may bring them
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# The hostile texts each file holds: titles, outlets, speakers, notes, sources, rationales, categories, reviewers.
HOSTILE = {
    "annotations.csv": {LINK, "+1", NAME, OTHER, "@SUM(A1) said", "=1+2"},
    "gold.csv": {LINK, "+1", "=1+1", "@SUM(A1) said", "-mistake"},
    "sources.csv": {"-1+1@59 report", "+1 page", LINK, OTHER},
    "agreement.csv": {LINK},
    "reliability-pairs.csv": {NAME, OTHER},
    "reliability-reviewers.csv": {NAME, OTHER},
}
CSV_FILES = [*HOSTILE, "wide.csv"]


def cells(text: str) -> tuple[list[str], list[list[str]]]:
    """The header and the rows of a CSV file (a byte-order mark dropped)."""
    header, *rows = csv.reader(io.StringIO(text.removeprefix("\ufeff")))
    return header, rows


def is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


@pytest.fixture
def hostile(team, django_capture_on_commit_callbacks):
    """An article titled with a formula from outlet `+1`, labelled in full disagreement by two reviewers named
    like formulas (so alpha is negative), with formula-like speakers, notes, sources and a decision."""
    document = DocumentFactory(
        project=team.project, title=LINK, outlet="+1", text="One is here. Two is there. Three was. Four will be."
    )
    first, second = add_member(team.project, "annotator", NAME), add_member(team.project, "annotator", OTHER)
    sentences = list(document.sentences.order_by("index"))
    source = SourceInput(url="https://city.example/plan", title="-1+1@59 report", note="+1 page")
    with django_capture_on_commit_callbacks(execute=True):
        for n, sentence in enumerate(sentences):
            mine, theirs = ("claim", "quote") if n % 2 else ("quote", "claim")
            AnnotationFactory(sentence=sentence, annotator=first, label=mine, speaker="@SUM(A1) said", note=LINK)
            AnnotationFactory(sentence=sentence, annotator=second, label=theirs, note="=1+2", sources=[source])
    CurationSettings.objects.update_or_create(project=team.project, defaults={"categories": ["-mistake"]})
    curation.decide(
        sentence=sentences[0], curator=team.users["curator"], label_name="claim", rationale="=1+1",
        category="-mistake", speaker="@SUM(A1) said",
    )  # fmt: skip
    return document


@pytest.mark.usefixtures("hostile")
@pytest.mark.parametrize("name", CSV_FILES)
def test_every_csv_guards_formula_text_by_default(team, name):
    header, rows = cells(team.export("viewer", name))
    assert rows
    found = {cell for row in rows for cell in row}
    for text in HOSTILE.get(name, ()):
        assert "'" + text in found
        assert text not in found
    for cell in header + [cell for row in rows for cell in row]:
        assert not cell.startswith(FORMULA_STARTS) or is_number(cell), cell


@pytest.mark.usefixtures("hostile")
@pytest.mark.parametrize("name", CSV_FILES)
def test_spreadsheet_safe_0_writes_text_as_stored_but_still_guards_headers(team, name):
    header, rows = cells(team.export("viewer", name, spreadsheet_safe=0))
    found = {cell for row in rows for cell in row}
    assert HOSTILE.get(name, set()) <= found
    assert not any(cell.startswith("'") for cell in found)
    assert not any(cell.startswith(FORMULA_STARTS) for cell in header)


@pytest.mark.usefixtures("hostile")
@pytest.mark.parametrize("params", [{}, {"spreadsheet_safe": 0}, {"excel": 1}])
def test_wide_csv_names_reviewers_with_guarded_headers_whatever_the_option(team, params):
    header, _rows = cells(team.export("viewer", "wide.csv", **params))
    assert "'" + NAME in header
    assert "'" + OTHER in header
    assert NAME not in header


@pytest.mark.usefixtures("hostile")
def test_numbers_stay_numbers(team):
    guarded, _ = cells(team.export("viewer", "agreement.csv"))
    (project_row,) = [row for row in cells(team.export("viewer", "agreement.csv"))[1] if row[0] == "project"]
    alpha = project_row[guarded.index("alpha")]
    assert float(alpha) < 0  # the reviewers never agree
    raw = [row for row in cells(team.export("viewer", "agreement.csv", spreadsheet_safe=0))[1] if row[0] == "project"]
    assert raw[0][guarded.index("alpha")] == alpha


@pytest.mark.usefixtures("hostile")
def test_excel_adds_a_byte_order_mark_and_keeps_the_guard(team):
    text = team.export("viewer", "annotations.csv", excel=1)
    assert text.startswith("\ufeff")
    assert "'" + LINK in {cell for row in cells(text)[1] for cell in row}
    assert not team.export("viewer", "annotations.csv").startswith("\ufeff")


@pytest.mark.usefixtures("hostile")
@pytest.mark.parametrize("name", ["annotations.jsonl", "gold.jsonl"])
def test_json_lines_keep_the_text_as_stored(team, name):
    text = team.export("viewer", name)
    assert '"=HYPERLINK(\\"http://evil.example\\",\\"read me\\")"' in text
    assert "'=" not in text
    assert text == team.export("viewer", name, spreadsheet_safe=0)


@pytest.mark.usefixtures("hostile", "media_root")
def test_archive_csvs_are_guarded_by_default_and_raw_when_asked(team, django_capture_on_commit_callbacks):
    client = team.client("viewer")
    start = f"/api/v1/projects/{team.project.pk}/export.zip"

    def archive(query: str) -> zipfile.ZipFile:
        with django_capture_on_commit_callbacks(execute=True):
            status_url = client.post(start + query).json()["status_url"]
        download = client.get(client.get(status_url).json()["download_url"])
        return zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))

    guarded = archive("")
    for name, texts in HOSTILE.items():
        found = {cell for row in cells(guarded.read(name).decode())[1] for cell in row}
        assert {"'" + text for text in texts} <= found, name
        assert not texts & found, name
    assert "'" + NAME in cells(guarded.read("wide.csv").decode())[0]
    assert "leading apostrophe" in guarded.read("README.md").decode()
    raw = archive("?spreadsheet_safe=0")
    assert HOSTILE["gold.csv"] <= {cell for row in cells(raw.read("gold.csv").decode())[1] for cell in row}
    assert "'" + NAME in cells(raw.read("wide.csv").decode())[0]
    assert "exactly as stored" in raw.read("datapackage.json").decode()


@pytest.mark.parametrize("value", ["maybe", "2", "off!"])
def test_a_malformed_spreadsheet_safe_is_a_400_naming_it(team, value):
    response = team.client("owner").get(
        f"/api/v1/projects/{team.project.pk}/export/annotations.csv", {"spreadsheet_safe": value}
    )
    assert response.status_code == 400
    assert "spreadsheet_safe" in response.json()
