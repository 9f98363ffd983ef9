"""`manage.py compute_agreement <project id>`: compute a project's agreement reports here and now."""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from annotator.models import Project
from claims import reports


class Command(BaseCommand):
    help = "Compute the agreement report of a project and of each of its documents in this process, with progress."

    def add_arguments(self, parser):
        parser.add_argument("project", type=int, help="The project's id.")
        parser.add_argument("--no-progress", action="store_true", help="Do not draw the progress bar.")

    def handle(self, *args, project: int, no_progress: bool = False, **options):
        found = Project.objects.filter(pk=project).first()
        if found is None:
            raise CommandError(f"There is no project {project}.")
        total = found.documents.count() + 1
        with tqdm(total=total, unit="report", disable=no_progress, file=self.stderr) as bar:
            done = reports.compute_project_now(found, progress=lambda report: bar.update(1))
        summary = next(report for report in done if report.document_id is None)
        failed = [report for report in done if report.status == "failed"]
        alpha = summary.result["alpha"] if summary.result else None
        self.stdout.write(
            f"Project {found.pk} '{found.name}': {len(done)} reports, alpha "
            f"{'undefined' if alpha is None else f'{alpha:.3f}'} over {summary.annotation_count} labels."
        )
        if failed:
            raise CommandError(f"{len(failed)} reports failed; the first: {failed[0].error}")
