"""The project report summed from per-document tallies equals the report computed from every label."""

import math
import random

import pytest

from annotator import services
from annotator.models import Document, Label, Role
from claims import reports
from claims.models import AgreementReport, DocumentTallies
from claims.reports import figures, tallying
from curation import services as curation
from tests.factories import DocumentFactory, ProjectFactory, UserFactory, add_member

pytestmark = [pytest.mark.django_db, pytest.mark.postgresql]

ARTICLE = " ".join(f"Sentence {n} says the council met." for n in range(12))


def full_result(project) -> dict:
    """The figures read from every label at once (the path the project report took before tallies)."""
    matrix = reports.read_labels(project)
    result = figures.compute_figures(matrix, by_article=True) | {"computed_with": figures.computed_with()}
    result["calibration"] = figures.calibration_figures(project)
    result["gold"] = figures.gold_figures(project, matrix)
    figures.add_project_figures(project, result)
    return result


def assert_same(summed, full, path="result"):
    if isinstance(full, dict):
        assert summed.keys() == full.keys(), path
        for key in full:
            assert_same(summed[key], full[key], f"{path}.{key}")
    elif isinstance(full, list):
        assert len(summed) == len(full), path
        for index, (left, right) in enumerate(zip(summed, full, strict=True)):
            assert_same(left, right, f"{path}[{index}]")
    elif isinstance(full, float) and not isinstance(summed, bool):
        assert summed is not None, path
        assert math.isclose(summed, full, rel_tol=0, abs_tol=1e-12), path
    else:
        assert summed == full, path


def stored_project_result(project, django_capture_on_commit_callbacks) -> dict:
    report = AgreementReport.objects.get(project=project, document=None)
    AgreementReport.objects.filter(pk=report.pk).update(status="pending", requested_at=None, started_at=None)
    reports.compute_report(report.pk)
    report.refresh_from_db()
    assert report.status == "ready"
    return report.result


@pytest.mark.parametrize("scale", ["nominal", "ordinal"])
def test_report_summed_from_document_tallies_equals_the_report_from_every_label_after_random_edits(
    scale, django_capture_on_commit_callbacks, settings
):
    settings.AGREEMENT_BOOTSTRAP_RESAMPLES = 200
    rng = random.Random(7)
    project = ProjectFactory(name="Tallies", owner=UserFactory(username="owner"))
    project.scale = scale
    project.save(update_fields=["scale"])
    names = list(Label.objects.filter(project=project).values_list("name", flat=True))
    reviewers = [add_member(project, Role.ANNOTATOR, name) for name in ("zoe", "amy", "kim", "bo", "lu")]
    curator = add_member(project, Role.CURATOR, "cura")
    # More articles than an interval by article needs (claims.article_intervals.MIN_INTERVAL_ARTICLES).
    documents = [DocumentFactory(project=project, text=ARTICLE) for _ in range(24)]
    Document.objects.filter(pk=documents[0].pk).update(calibration=True)
    Document.objects.filter(pk=documents[1].pk).update(calibration=True)
    Document.objects.filter(pk=documents[2].pk).update(training=True)
    sentences = [s for d in documents for s in d.sentences.order_by("index")]
    for sentence in sentences:
        for reviewer in rng.sample(reviewers, rng.randint(0, 4)):
            services.label_sentence(sentence=sentence, annotator=reviewer, label_name=rng.choice(names))
    for sentence in rng.sample(sentences, 30):
        curation.decide(sentence=sentence, curator=curator, label_name=rng.choice(names))
    reports.compute_project_now(project)

    summed = stored_project_result(project, django_capture_on_commit_callbacks)
    assert summed["alpha_ci95"] is not None
    assert summed["bootstrap"]["articles"] == 23  # the training article is practice
    assert_same(summed, full_result(project))

    for _ in range(6):
        sentence, reviewer, label = rng.choice(sentences), rng.choice(reviewers), rng.choice(names)
        with django_capture_on_commit_callbacks(execute=True):
            if rng.random() < 0.3:
                services.delete_annotation(sentence=sentence, annotator=reviewer)
            else:
                services.label_sentence(sentence=sentence, annotator=reviewer, label_name=label)
        with django_capture_on_commit_callbacks(execute=True):
            curation.decide(sentence=rng.choice(sentences), curator=curator, label_name=rng.choice(names))
        report = AgreementReport.objects.get(project=project, document=None)
        assert report.status == "ready"
        assert_same(report.result, full_result(project))


def test_a_save_reads_again_only_the_document_it_changed(django_capture_on_commit_callbacks):
    project = ProjectFactory(name="Tallies", owner=UserFactory(username="owner"))
    reviewers = [add_member(project, Role.ANNOTATOR, name) for name in ("zoe", "amy")]
    documents = [DocumentFactory(project=project, text=ARTICLE) for _ in range(3)]
    for document in documents:
        for sentence in document.sentences.all():
            for reviewer in reviewers:
                services.label_sentence(sentence=sentence, annotator=reviewer, label_name="claim")
    reports.compute_project_now(project)
    before = dict(DocumentTallies.objects.values_list("document_id", "tallied_at"))
    sentence = documents[1].sentences.first()
    with django_capture_on_commit_callbacks(execute=True):
        services.label_sentence(sentence=sentence, annotator=reviewers[0], label_name="quote")
    after = dict(DocumentTallies.objects.values_list("document_id", "tallied_at"))
    assert [pk for pk in after if after[pk] != before[pk]] == [documents[1].pk]
    project_report = AgreementReport.objects.get(project=project, document=None)
    assert project_report.result["pairwise"][0]["n"] == 36
    assert project_report.result["per_label"]["quote"]["count"] == 1
    keys = tallying.label_keys(project)
    # Read while the document's own report waited for its run: read once more, then current.
    assert tallying.refresh_tallies(project, keys) <= 1
    assert tallying.refresh_tallies(project, keys) == 0
