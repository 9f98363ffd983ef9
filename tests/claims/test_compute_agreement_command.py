"""The management command computes every report of a project from the shell."""

import io

import pytest
from django.core.management import CommandError, call_command

from claims.models import AgreementReport
from tests.factories import label_document

pytestmark = pytest.mark.django_db


def test_command_computes_the_project_and_document_reports(team):
    for who in ("annotator", "annotator2"):
        label_document(team.document, team.users[who], "claim")
    out, err = io.StringIO(), io.StringIO()

    call_command("compute_agreement", str(team.project.pk), stdout=out, stderr=err)

    reports = AgreementReport.objects.filter(project=team.project)
    assert sorted(report.status for report in reports) == ["ready", "ready"]
    assert reports.get(document__isnull=True).annotation_count == 8
    assert "2 reports" in out.getvalue()
    assert "2/2" in err.getvalue()  # the progress bar


def test_command_refuses_an_unknown_project(db):
    with pytest.raises(CommandError, match="no project 999"):
        call_command("compute_agreement", "999", stdout=io.StringIO(), stderr=io.StringIO())
