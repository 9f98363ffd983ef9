"""Stored results computed from the labels: agreement reports, coverage analyses and export archives."""

from django.db import models
from django.db.models import Q

from annotator.jobs import Job, JobStatus
from annotator.models import Document, Project


class Report(models.Model):
    """Figures computed from the labels by a worker, with what says whether they are current.

    A report is computed over the annotations that existed when it ran: `annotation_count` and
    `latest_change` say which, so a reader can tell whether it is current. `requested_at` moves
    forward on every label change; a run that started before the latest request leaves the
    report `pending` so that the next run completes it (`claims.reports`).
    """

    Status = JobStatus

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    error = models.TextField(blank=True)
    result = models.JSONField(null=True, blank=True)
    requested_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat = models.DateTimeField(
        null=True, blank=True, help_text="Written every few seconds while a run computes (see annotator.jobs.beating)."
    )
    swept_at = models.DateTimeField(
        null=True, blank=True, help_text="When the sweeper last queued a run of it (see recover_stalled_reports)."
    )
    computed_at = models.DateTimeField(null=True, blank=True)
    annotation_count = models.PositiveIntegerField(default=0)
    latest_change = models.DateTimeField(null=True, blank=True)
    computations = models.PositiveIntegerField(
        default=0, help_text="How many runs computed this report: bursts of label changes coalesce into few."
    )

    class Meta:
        abstract = True


class AgreementReport(Report):
    """The agreement statistics of a project (document is null) or of one of its documents."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="agreement_reports")
    document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project"], condition=Q(document__isnull=True), name="one_project_report"),
            models.UniqueConstraint(
                fields=["project", "document"], condition=Q(document__isnull=False), name="one_document_report"
            ),
        ]

    def __str__(self) -> str:
        scope = f"document {self.document_id}" if self.document_id else "project"
        return f"Agreement of {scope} in project {self.project_id}: {self.status}"


class DocumentTallies(models.Model):
    """A document's label tallies (`claims.tallies`), which the project's agreement report sums.

    Current while no label change was requested for the document's report since `tallied_at`,
    the moment before its labels were read, and while `scheme` (the project's label ids in
    order) is unchanged (see `claims.reports.tallying`).
    """

    document = models.OneToOneField(Document, primary_key=True, on_delete=models.CASCADE, related_name="+")
    scheme = models.TextField()
    tallies = models.JSONField()
    tallied_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Label tallies of document {self.document_id}"


class AnalysisReport(Report):
    """The coverage analysis of a project's articles grouped `by` outlet, leaning, topic or month on a `basis`."""

    class Grouping(models.TextChoices):
        OUTLET = "outlet"
        LEANING = "leaning"
        TOPIC = "topic"
        MONTH = "month"

    class Basis(models.TextChoices):
        COMBINED = "combined", "gold where decided, plurality elsewhere"
        PLURALITY = "plurality"
        LABELS = "labels"
        GOLD = "gold"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="analysis_reports")
    by = models.CharField(max_length=10, choices=Grouping.choices)
    basis = models.CharField(max_length=10, choices=Basis.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "by", "basis"], name="one_analysis_per_grouping")]

    def __str__(self) -> str:
        return f"Analysis by {self.by} on {self.basis} in project {self.project_id}: {self.status}"


class ExportArchive(Job):
    """A whole-project export (zip) built by a worker; `options` are the export's filters."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="export_archives")
    options = models.JSONField(default=dict, blank=True)
    file = models.FileField(upload_to="exports/", blank=True)

    class Meta(Job.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["project"],
                condition=Q(status__in=[JobStatus.PENDING, JobStatus.RUNNING]),
                name="one_archive_build_per_project",
            )
        ]

    def __str__(self) -> str:
        return f"Export {self.pk} of project {self.project_id}: {self.status}"
