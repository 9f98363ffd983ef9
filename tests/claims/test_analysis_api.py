"""The analysis endpoint: who may read it, what it answers on each basis and grouping, and its freshness."""

import csv
import io

import pytest

from annotator import services
from claims.models import AnalysisReport
from tests.factories import SAMPLE_ARTICLE, DocumentFactory

pytestmark = pytest.mark.django_db


def analysis(team, who="owner", **query):
    return team.client(who).get(f"/api/v1/projects/{team.project.pk}/analysis/", query)


@pytest.mark.parametrize(
    ("who", "status"), [("owner", 200), ("curator", 200), ("viewer", 200), ("annotator", 403), ("outsider", 404)]
)
def test_annotators_of_a_blind_project_see_no_analysis(covered, who, status):
    assert analysis(covered, who).status_code == status


def test_annotators_read_the_analysis_of_a_project_that_is_not_blind(covered):
    services.update_project(project=covered.project, blind=False)

    assert analysis(covered, "annotator").status_code == 200


def test_the_first_read_computes_the_analysis_by_outlet_on_the_combined_basis(
    covered, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        analysis(covered)
    body = analysis(covered).json()

    assert body["status"] == "ready"
    assert body["current"] is True
    # Nothing decided yet: gold where decided, plurality elsewhere is the plurality on every sentence.
    assert (body["by"], body["basis"]) == ("outlet", "combined")
    assert body["basis_name"] == "gold where decided, plurality elsewhere"
    assert [group["name"] for group in body["groups"]] == ["Left Daily", "Right Times"]
    assert body["n"] == {"articles": 4, "sentences": 16, "decisions": 0, "labels": 32}
    assert body["mix"]["decided"] == 0
    assert body["mix"]["plurality"] + body["mix"]["tied"] == 16
    left = body["groups"][0]
    assert left["articles"] == 2
    # Sentences 2 and 4 are tied between claim and opinion: half a claim each.
    assert left["shares"]["claim"]["estimate"] == pytest.approx(2 / 4)
    assert left["claims"]["top_domains"] == [{"domain": "data.gov", "claims": 4.0}]
    assert left["quotes"]["most_quoted"] == [{"speaker": "the mayor", "quotes": 2.0}]
    # Two articles an outlet: the estimate stands, its interval is withheld with the reason and what would give one.
    assert left["shares"]["opinion"]["ci95"] is None
    assert left["interval"]["reason"] == "too_few_articles"
    assert left["interval"]["more_articles"] == body["min_articles"] - 2
    assert "Holm" in body["multiple_comparisons"]
    difference = body["differences"][0]["figures"]["share:claim"]
    assert difference["estimate"] is not None
    assert (difference["ci95"], difference["p_holm"]) == (None, None)


@pytest.mark.parametrize(
    ("by", "names"),
    [
        ("leaning", ["left", "right"]),
        ("topic", ["bridges", "budget", ""]),
        ("month", ["2024-01", "2024-02", ""]),
    ],
)
def test_groupings_by_leaning_topic_and_month(covered, django_capture_on_commit_callbacks, by, names):
    with django_capture_on_commit_callbacks(execute=True):
        analysis(covered, by=by, basis="labels")

    body = analysis(covered, by=by, basis="labels").json()

    assert [group["name"] for group in body["groups"]] == names


def test_a_label_change_marks_the_analysis_stale_and_recomputes_it(covered, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        analysis(covered)
    sentence = covered.document.sentences.first()
    with django_capture_on_commit_callbacks(execute=False) as announced:
        services.label_sentence(sentence=sentence, annotator=covered.users["curator"], label_name="opinion")
    with django_capture_on_commit_callbacks(execute=False) as queued:
        for announce in announced:
            announce()

    assert analysis(covered).json()["stale"] is True
    for run in queued:
        run()
    assert analysis(covered).json()["current"] is True
    assert AnalysisReport.objects.get(project=covered.project).computations == 2


def test_gold_is_a_400_naming_the_basis_until_decisions_exist(covered):
    response = analysis(covered, basis="gold")

    assert response.status_code == 400
    assert "no decided labels" in response.json()["basis"][0]
    assert not AnalysisReport.objects.filter(basis="gold").exists()


@pytest.mark.parametrize("query", [{"by": "colour"}, {"basis": "vibes"}])
def test_an_unknown_grouping_or_basis_is_a_400_naming_it(covered, query):
    response = analysis(covered, **query)

    assert response.status_code == 400
    assert set(response.json()) == set(query)


def test_an_article_matched_by_its_domain_counts_for_its_outlet(covered):
    document = DocumentFactory(project=covered.project, text=SAMPLE_ARTICLE, url="https://www.left.example/b")

    assert document.outlet == "Left Daily"


def test_analysis_csv_has_a_row_per_group_and_figure_with_its_interval(covered, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        analysis(covered, by="leaning")

    rows = list(csv.DictReader(io.StringIO(covered.export("viewer", "analysis.csv"))))
    left = next(row for row in rows if row["group"] == "left" and row["figure"] == "share:claim")
    assert (left["by"], left["basis"], left["compared_with"], left["current"]) == ("leaning", "combined", "", "true")
    assert float(left["estimate"]) == 0.5
    # Two articles a leaning: no interval, and the file says why and how it would have computed one.
    assert (left["ci95_low"], left["ci95_high"], left["ci95_reason"]) == ("", "", "too_few_articles")
    assert "percentile bootstrap over the group's articles" in left["interval_method"]
    assert (left["mix_decided"], int(left["mix_plurality"]) + int(left["mix_tied"])) == ("0", 16)
    compared = next(row for row in rows if row["compared_with"] == "right" and row["figure"] == "share:claim")
    assert (compared["adjustment"], compared["ci95_reason"]) == ("holm", "too_few_articles")


def test_analysis_csv_is_refused_to_annotators_of_a_blind_project(covered):
    response = covered.client("annotator").get(f"/api/v1/projects/{covered.project.pk}/export/analysis.csv")

    assert response.status_code == 403
