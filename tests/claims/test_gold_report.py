"""Reviewers against the decisions in the project's agreement report, kept fresh as decisions change."""

import numpy as np
import pytest
from statsmodels.stats.inter_rater import cohens_kappa

from annotator import services
from claims import reports
from curation import services as curation_services
from curation.merge import auto_merge
from curation.plurality import Rule

from ..factories import DocumentFactory, label_document

pytestmark = pytest.mark.django_db

GIVEN = {
    "annotator": ["claim", "opinion", "quote", "claim"],
    "annotator2": ["claim", "claim", "quote", "claim"],
    "curator": ["claim", "opinion", "quote", "quote"],
}
DECIDED = ["claim", "opinion", None, "quote"]  # None: unresolved


@pytest.fixture
def decided(team, django_capture_on_commit_callbacks):
    """The team's article labelled by three reviewers and decided sentence by sentence; a decided training article."""
    practice = DocumentFactory(project=team.project, text="Taxes rose by 3%. She said no.", title="Practice")
    services.set_document_design(document=practice, training=True)
    with django_capture_on_commit_callbacks(execute=True):
        for who, names in GIVEN.items():
            label_document(team.document, team.users[who], names)
            label_document(practice, team.users[who], "opinion")
        for sentence, name in zip(team.document.sentences.order_by("index"), DECIDED, strict=True):
            curation_services.decide(sentence=sentence, curator=team.users["curator"], label_name=name)
        for sentence in practice.sentences.all():
            curation_services.decide(sentence=sentence, curator=team.users["curator"], label_name="claim")
    return team


def gold_of(team, who="owner"):
    response = team.client(who).get(f"/api/v1/projects/{team.project.pk}/agreement/")
    assert response.status_code == 200
    body = response.json()
    assert body["current"], body
    return body["gold"]


# statsmodels' standard error of a perfect kappa is 0/0; only its kappa is compared.
@pytest.mark.filterwarnings("ignore:invalid value:RuntimeWarning")
def test_each_reviewer_is_compared_with_the_decided_labels_only(decided):
    gold = gold_of(decided)
    labels = gold["labels"]
    assert gold["decided"] == 3  # the unresolved sentence and the training article are left out
    rows = {row["reviewer"]: row for row in gold["reviewers"]}
    usernames = {who: decided.users[who].username for who in GIVEN}
    for who, names in GIVEN.items():
        row = rows[usernames[who]]
        pairs = [(labels.index(mine), labels.index(gold)) for mine, gold in zip(names, DECIDED, strict=True) if gold]
        table = np.zeros((len(labels), len(labels)))
        for mine, gold_label in pairs:
            table[mine, gold_label] += 1
        assert row["n"] == 3
        assert row["accuracy"] == pytest.approx(sum(m == g for m, g in pairs) / 3)
        assert row["confusion"] == table.astype(int).tolist()
        assert row["kappa"] == pytest.approx(cohens_kappa(table).kappa, abs=1e-12)
    assert rows["carl"]["accuracy"] == 1.0
    assert rows["carl"]["kappa"] == pytest.approx(1.0)


def test_a_decision_recomputes_the_project_report(decided, django_capture_on_commit_callbacks):
    before = reports.stored_report(decided.project, None).computations
    last = decided.document.sentences.order_by("index").last()
    with django_capture_on_commit_callbacks(execute=True):
        curation_services.decide(sentence=last, curator=decided.users["curator"], label_name="claim")
    assert reports.stored_report(decided.project, None).computations == before + 1
    rows = {row["reviewer"]: row for row in gold_of(decided)["reviewers"]}
    assert rows["anna"]["agreed"] == 3
    assert rows["carl"]["agreed"] == 2

    with django_capture_on_commit_callbacks(execute=True):
        curation_services.undecide(sentence=last, actor=decided.users["curator"])
    assert gold_of(decided)["decided"] == 2


def test_an_auto_merge_recomputes_the_project_report(team, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for who in ("annotator", "annotator2"):
            label_document(team.document, team.users[who], "claim")
    assert gold_of(team)["decided"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        auto_merge(
            project=team.project, rule=Rule(min_labels=2, min_share=1.0), actor=team.users["curator"], dry_run=False
        )
    gold = gold_of(team)
    assert gold["decided"] == team.document.sentences.count()
    assert {row["accuracy"] for row in gold["reviewers"]} == {1.0}


def test_a_document_report_has_no_gold_figures(decided):
    body = decided.client("owner").get(f"/api/v1/documents/{decided.document.pk}/agreement/").json()
    assert body["gold"] is None
