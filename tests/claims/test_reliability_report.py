"""reliability.md and its tables: a methods paragraph and coefficients that are exactly the API's figures."""

import csv
import io
import json
import re
import zipfile

import pytest

from annotator.models import Annotation
from curation import services as curation_services
from tests.factories import DocumentFactory, label_document

pytestmark = pytest.mark.django_db

LABELS = ("claim", "quote", "opinion")


def read_csv(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def number(cell: str):
    return None if cell == "" else json.loads(cell)


def mostly_agreeing(truth: list[str]) -> dict[str, list[str]]:
    """Three reviewers' labels: one gives `truth`, the others differ from it on every fifth and fourth sentence."""
    return {
        "annotator": truth,
        "annotator2": [LABELS[(n + 1) % 3] if n % 5 == 0 else label for n, label in enumerate(truth)],
        "curator": [LABELS[(n + 2) % 3] if n % 4 == 1 else label for n, label in enumerate(truth)],
    }


@pytest.fixture
def study(team, django_capture_on_commit_callbacks):
    """An article of 60 sentences and 20 short ones labelled by three reviewers who mostly agree, reports computed.

    Enough articles for alpha's interval, which resamples articles (claims.article_intervals).
    """
    text = " ".join(f"Sentence number {n} says something." for n in range(60))
    document = DocumentFactory(project=team.project, text=text, title="Long piece")
    articles = [(document, [LABELS[(n * 7) % 3] for n in range(60)])]
    for number in range(20):
        short = DocumentFactory(project=team.project, text=f"Item {number} opens. It ends here.", title=f"No. {number}")
        articles.append((short, [LABELS[number % 3], LABELS[(number + 1) % 3]]))
    with django_capture_on_commit_callbacks(execute=True):
        for article, truth in articles:
            for who, labels in mostly_agreeing(truth).items():
                label_document(article, team.users[who], labels)
    return document


@pytest.mark.usefixtures("study")
def test_every_coefficient_in_the_tables_is_the_apis_figure(team):
    api = team.client("viewer").get(f"/api/v1/projects/{team.project.pk}/agreement/").json()
    rows = {row["coefficient"]: row for row in read_csv(team.export("viewer", "reliability-coefficients.csv"))}

    alpha = rows["Krippendorff's alpha"]
    assert number(alpha["value"]) == api["alpha"]
    assert [number(alpha["ci95_low"]), number(alpha["ci95_high"])] == api["alpha_ci95"]
    assert alpha["interval_method"] == api["bootstrap"]["method"]
    assert number(alpha["resamples"]) == api["bootstrap"]["resamples"]
    assert number(alpha["undefined_resamples"]) == api["bootstrap"]["undefined_resamples"]
    assert number(alpha["pairable_units"]) == api["pairable_units"]
    assert number(alpha["pairable_values"]) == api["pairable_values"]
    assert number(alpha["coders"]) == api["annotators"] == 3
    fleiss = rows["Fleiss' kappa (generalized)"]
    assert (number(fleiss["value"]), number(fleiss["se"])) == (api["fleiss"]["value"], api["fleiss"]["se"])
    gwet = rows[api["gwet"]["name"]]
    assert (number(gwet["value"]), number(gwet["se"]), number(gwet["units"])) == (
        api["gwet"]["value"], api["gwet"]["se"], api["gwet"]["units"],
    )  # fmt: skip
    percent = rows["Percent agreement"]
    assert number(percent["value"]) == api["percent_agreement"]
    assert number(percent["pairable_units"]) == api["percent_agreement_units"]


@pytest.mark.usefixtures("study")
def test_the_pair_and_reviewer_tables_are_the_apis_figures(team):
    api = team.client("viewer").get(f"/api/v1/projects/{team.project.pk}/agreement/").json()
    pairs = read_csv(team.export("viewer", "reliability-pairs.csv"))
    reviewers = read_csv(team.export("viewer", "reliability-reviewers.csv"))

    assert [(p["a"], p["b"], number(p["units"]), number(p["cohen_kappa"])) for p in pairs] == [
        (p["a"], p["b"], p["n"], p["cohen_kappa"]) for p in api["pairwise"]
    ]
    assert [
        (r["reviewer"], number(r["labels"]), number(r["alpha_without"]), number(r["alpha_change"])) for r in reviewers
    ] == [(r["reviewer"], r["labels"], r["alpha_without"], r["alpha_change"]) for r in api["reviewers"]]


def test_the_gold_table_and_methods_sentence_are_the_apis_figures(team, study, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for sentence, label in zip(study.sentences.order_by("index")[:20], LABELS * 7, strict=False):
            curation_services.decide(sentence=sentence, curator=team.users["curator"], label_name=label)
    api = team.client("viewer").get(f"/api/v1/projects/{team.project.pk}/agreement/").json()
    rows = read_csv(team.export("viewer", "reliability-gold.csv"))
    text = team.export("viewer", "reliability.md")

    assert api["current"]
    assert [
        (r["reviewer"], number(r["units"]), number(r["agreed"]), number(r["accuracy"]), number(r["cohen_kappa"]))
        for r in rows
    ] == [(r["reviewer"], r["n"], r["agreed"], r["accuracy"], r["kappa"]) for r in api["gold"]["reviewers"]]
    assert [number(r["units"]) for r in rows] == [20, 20, 20]
    assert "20 sentences have a decided label" in text
    assert "## Table 4: reviewers against the decided labels" in text
    pseudonymized = team.export("viewer", "reliability-gold.csv", pseudonymize=1)
    assert not {"anna", "ben", "carl"} & set(pseudonymized.replace(",", " ").split())


@pytest.mark.usefixtures("study")
def test_the_methods_paragraph_cites_each_coefficient_with_its_n_interval_and_version(team):
    api = team.client("viewer").get(f"/api/v1/projects/{team.project.pk}/agreement/").json()
    text = team.export("viewer", "reliability.md")
    methods = text.split("## Methods\n\n")[1].split("\n\n")[0]

    low, high = api["alpha_ci95"]
    assert f"{api['units']} sentences (units) were labelled by 3 reviewers (coders)" in methods
    assert f"at the nominal level was {api['alpha']:.3f}, 95% CI [{low:.3f}, {high:.3f}]" in methods
    assert f"The interval resamples the {api['bootstrap']['articles']} articles, not single sentences" in methods
    q667, q800 = api["alpha_q"]
    assert f"q(alpha < 0.667) = {q667['q']:.3f}; q(alpha < 0.800) = {q800['q']:.3f}" in methods
    assert f"{api['bootstrap']['resamples']} resamples, {api['bootstrap']['undefined_resamples']} of them" in methods
    assert f"their {api['pairable_values']} pairable values" in methods
    assert f"{api['fleiss']['value']:.3f} (SE {api['fleiss']['se']:.3f})" in methods
    assert f"Gwet's AC1 was {api['gwet']['value']:.3f}" in methods
    assert f"{api['percent_agreement']:.3f} over {api['percent_agreement_units']} sentences" in methods
    assert "Figures were computed with Lede 0." in methods
    assert "The report is current." in text
    assert "| Krippendorff's alpha | nominal |" in text


def test_before_any_report_the_file_says_how_to_compute_one(team):
    text = team.export("viewer", "reliability.md")
    assert "No agreement report has been computed" in text
    assert read_csv(team.export("viewer", "reliability-coefficients.csv")) == []


@pytest.mark.usefixtures("study")
def test_pseudonymized_tables_name_no_reviewer(team):
    text = "".join(
        team.export("viewer", name, pseudonymize=1)
        for name in ("reliability.md", "reliability-pairs.csv", "reliability-reviewers.csv")
    )
    assert "annotator-1" in text
    assert not {"anna", "ben", "carl"} & set(text.replace("|", " ").replace(",", " ").split())


@pytest.mark.parametrize(("who", "status"), [("annotator", 403), ("outsider", 404), ("viewer", 200)])
def test_who_may_download_the_reliability_report(team, who, status):
    response = team.client(who).get(f"/api/v1/projects/{team.project.pk}/export/reliability.md")
    assert response.status_code == status


@pytest.mark.usefixtures("study")
def test_the_archive_holds_the_report_and_describes_its_tables(team, media_root, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        started = team.client("owner").post(f"/api/v1/projects/{team.project.pk}/export.zip")
    download = team.client("owner").get(started.json()["status_url"].replace("http://testserver", "") + "download/")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))

    assert archive.read("reliability.md").decode() == team.export("owner", "reliability.md")
    package = json.loads(archive.read("datapackage.json"))
    resources = {resource["path"]: resource for resource in package["resources"]}
    fields = [field["name"] for field in resources["reliability-coefficients.csv"]["schema"]["fields"]]
    assert fields[:4] == ["coefficient", "level", "weights", "value"]
    assert {"reliability-pairs.csv", "reliability-reviewers.csv", "reliability.md"} <= set(resources)


def test_pseudonymized_agreement_json_names_reviewers_as_the_labels_csv_of_the_same_archive(
    team, study, media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for sentence, label in zip(study.sentences.order_by("index")[:10], LABELS * 4, strict=False):
            curation_services.decide(sentence=sentence, curator=team.users["curator"], label_name=label)
    with django_capture_on_commit_callbacks(execute=True):
        started = team.client("owner").post(f"/api/v1/projects/{team.project.pk}/export.zip?pseudonymize=1")
    download = team.client("owner").get(started.json()["status_url"].replace("http://testserver", "") + "download/")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    given = {
        user.username: {(a.sentence_id, a.label.name) for a in Annotation.objects.filter(annotator=user)}
        for user in (team.users["annotator"], team.users["annotator2"], team.users["curator"])
    }
    labelled = {}
    for row in read_csv(archive.read("annotations.csv").decode()):
        labelled.setdefault(row["annotator"], set()).add((int(row["sentence"]), row["label"]))
    pseudonym = {name: next(p for p, labels in labelled.items() if labels == mine) for name, mine in given.items()}
    plain = json.loads(team.export("owner", "agreement.json"))["reports"]
    text = archive.read("agreement.json").decode()
    hidden = json.loads(text)["reports"]

    assert sorted(pseudonym.values()) == ["annotator-1", "annotator-2", "annotator-3"]
    assert not {"anna", "ben", "carl"} & set(re.findall(r"\w+", text))
    project, document = hidden[0]["result"], next(r["result"] for r in hidden if r["document"] == study.pk)
    plain_project = plain[0]["result"]
    assert {(pseudonym[p["a"]], pseudonym[p["b"]], p["cohen_kappa"]) for p in plain_project["pairwise"]} == {
        (p["a"], p["b"], p["cohen_kappa"]) for p in project["pairwise"]
    }
    assert {(pseudonym[r["reviewer"]], r["labels"]) for r in plain_project["reviewers"]} == {
        (r["reviewer"], r["labels"]) for r in project["reviewers"]
    }
    assert {(pseudonym[r["reviewer"]], r["kappa"]) for r in plain_project["gold"]["reviewers"]} == {
        (r["reviewer"], r["kappa"]) for r in project["gold"]["reviewers"]
    }
    assert {p["a"] for p in project["confusion"]["pairs"]} <= set(pseudonym.values())
    assert set(project["per_label"]["claim"]["by_annotator"]) == set(pseudonym.values())
    by_sentence = {row["sentence"]: row["annotations"] for row in document["sentences"]}
    in_document = [(sentence, label) for sentence, label in given["ben"] if sentence in by_sentence]
    assert len(in_document) == 60  # the long article's report; ben labelled the short articles too
    for sentence, label in in_document:
        assert by_sentence[sentence][pseudonym["ben"]] == label


@pytest.mark.parametrize("name", ["reliability.md", "reliability-gold.csv", "agreement.json", "analysis.csv"])
@pytest.mark.parametrize(("parameter", "value"), [("annotator", "anna"), ("document", "1"), ("since", "2024-01-01")])
def test_a_report_file_refuses_a_filter_it_cannot_honour_naming_it(team, name, parameter, value):
    """The reports describe the whole project as computed: narrowing them is a 400 naming the filter, not a file
    that silently holds the whole project's figures."""
    url = f"/api/v1/projects/{team.project.pk}/export/{name}"
    response = team.client("viewer").get(url, {parameter: value})

    assert response.status_code == 400
    assert "whole project" in response.json()[parameter][0]
    assert team.client("viewer").get(url, {"pseudonymize": "1"}).status_code == 200


def test_a_leads_own_alpha_min_gets_its_q_in_the_api_and_the_methods(team, study, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        url = f"/api/v1/projects/{team.project.pk}/"
        response = team.client("owner").patch(url, {"alpha_min": 0.75}, format="json")
    assert response.status_code == 200
    api = team.client("viewer").get(f"/api/v1/projects/{team.project.pk}/agreement/").json()
    methods = team.export("viewer", "reliability.md").split("## Methods\n\n")[1].split("\n\n")[0]

    assert api["current"]
    assert api["alpha_min"] == 0.75
    assert [entry["alpha_min"] for entry in api["alpha_q"]] == [0.667, 0.75, 0.8]
    own = api["alpha_q"][1]["q"]
    assert api["alpha_q"][0]["q"] <= own <= api["alpha_q"][2]["q"]
    assert f"q(alpha < 0.750) = {own:.3f}" in methods
    assert "0.750 is the project's own smallest acceptable alpha" in methods
    assert api["sample_size"]["alpha_min"] == 0.75


def test_a_withheld_interval_says_how_many_more_sentences_and_articles_krippendorffs_table_asks_for(
    team, django_capture_on_commit_callbacks
):
    document = DocumentFactory(project=team.project, text=" ".join(f"Line {n} is here." for n in range(30)))
    with django_capture_on_commit_callbacks(execute=True):
        for who, labels in mostly_agreeing([LABELS[(n * 7) % 3] for n in range(30)]).items():
            label_document(document, team.users[who], labels)
    api = team.client("viewer").get(f"/api/v1/projects/{team.project.pk}/agreement/").json()
    methods = team.export("viewer", "reliability.md").split("## Methods\n\n")[1].split("\n\n")[0]

    plan = api["sample_size"]
    assert api["alpha_ci95"] is None
    assert api["alpha_ci95_reason"] == "too_few_articles"
    assert plan["more_units"] == plan["units"] - api["pairable_units"] > 0
    assert plan["more_articles"] == api["bootstrap"]["min_articles"] - 1
    assert f"label {plan['more_units']} more sentences with two labels and {plan['more_articles']} more articles" in (
        methods
    )
