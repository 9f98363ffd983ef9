"""The whole-project archive: every export, a README of the columns and a Frictionless datapackage.json, in one zip.

`request_archive` reuses an archive with the same options that is being built or still
current, or records a new request and queues its build after commit (one build per project at
a time, which a database constraint keeps); the worker runs `build_archive`, which streams each
export into the zip entry by entry (never a whole file in memory), reports progress from 0 to
100 and stores the zip under MEDIA_ROOT/exports/. `sweep_archives` (Celery beat) ends builds
whose worker stopped, removes their partial files and deletes archives older than
EXPORT_ARCHIVE_RETENTION_DAYS.
"""

import datetime
import json
import logging
import os
import tempfile
import zipfile
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from annotator.errors import Conflict
from annotator.jobs import beating, failure_message, recover_stalled, stalled_before
from annotator.models import Annotation, AnnotationEvent, Document, Project
from claims.models import AgreementReport, ExportArchive
from claims.tasks import build_export_archive
from curation.models import DecisionEvent
from lede.celery_app import Outcome

from . import rows
from .columns import COLUMN_TYPES, tables
from .formats import FORMATS

logger = logging.getLogger(__name__)
Status = ExportArchive.Status

OPTION_NAMES = ("pseudonymize", "spreadsheet_safe", "excel")


def options_from_query(params) -> dict:
    filters = rows.filters_from_query({name: params.get(name, "") for name in OPTION_NAMES})
    return {name: getattr(filters, name) for name in OPTION_NAMES}


def latest_change(project: Project):
    """The last moment anything an archive holds changed: a label, a document, an agreement report or a decision."""
    moments = [
        Annotation.objects.filter(sentence__document__project=project).aggregate(m=Max("updated"))["m"],
        AnnotationEvent.objects.filter(project=project).aggregate(m=Max("at"))["m"],
        Document.objects.filter(project=project).aggregate(m=Max("created"))["m"],
        AgreementReport.objects.filter(project=project).aggregate(m=Max("computed_at"))["m"],
        DecisionEvent.objects.filter(project=project).aggregate(m=Max("at"))["m"],
    ]
    return max(filter(None, moments), default=None)


def reusable_archive(project: Project, options: dict) -> ExportArchive | None:
    """An archive with these options that is being built, or was built after the last change."""
    candidates = ExportArchive.objects.filter(project=project, options=options).exclude(status=Status.FAILED)
    latest = candidates.first()
    if latest is None:
        return None
    if latest.status != Status.READY:
        return latest
    changed = latest_change(project)
    return latest if changed is None or changed < latest.requested else None


def request_archive(*, project: Project, user, options: dict) -> ExportArchive:
    """The archive with these options being built or still current, else a new one queued after commit.

    A project has one build at a time: a build takes minutes of a worker and writes a file as
    large as the project's labels, so a second request waits for the first instead of adding a
    build. A request with other options while one is under way is a conflict.
    """
    current = reusable_archive(project, options)
    if current is not None:
        return current
    try:
        with transaction.atomic():
            archive = ExportArchive.objects.create(project=project, requested_by=user, options=options)
            transaction.on_commit(lambda: _queue(archive.pk))
    except IntegrityError:  # the constraint `one_archive_build_per_project`: another build is under way
        current = reusable_archive(project, options)
        if current is not None:
            return current
        raise Conflict(
            "options", "Another archive of this project is being built; try again when it is ready."
        ) from None
    return archive


def _queue(archive_id: int) -> None:
    try:
        build_export_archive.delay(archive_id)
    except Exception:  # the broker is down: say so on the archive rather than leave it pending forever
        logger.exception("Could not queue export archive %s", archive_id)
        ExportArchive.objects.filter(pk=archive_id, status=Status.PENDING).fail(
            "The task queue could not be reached, so the build could not start; ask for the archive again."
        )


def _set(archive_id: int, **fields) -> None:
    ExportArchive.objects.filter(pk=archive_id).update(**fields)


def build_archive(archive_id: int) -> Outcome:
    """Build (or rebuild: it is idempotent) one archive; return what happened."""
    archive = ExportArchive.objects.select_related("project").filter(pk=archive_id).first()
    if archive is None:
        return Outcome.GONE
    if archive.status == Status.READY and archive.file:
        return Outcome.READY
    if archive.status == Status.FAILED:  # recorded by the sweeper; a new request builds a new archive
        return Outcome.FAILED
    builds = ExportArchive.objects.filter(pk=archive_id)
    builds.start(progress=0, error="")
    try:
        with beating(builds):
            _build(archive)
    except DatabaseError:
        raise  # the task retries; a rerun starts over
    except Exception as error:
        mark_failed(archive_id, error)
        raise
    return Outcome.BUILT


def _build(archive: ExportArchive) -> None:
    archive_id, project = archive.pk, archive.project
    filters = rows.ExportFilters(
        **{name: bool(archive.options[name]) for name in OPTION_NAMES if name in archive.options}
    )
    names = rows.annotator_names(project, pseudonymize=filters.pseudonymize)
    labels = rows.count_annotations(project, filters, names)
    # Progress is counted in rows: each label is written by four exports; the reports' files weigh one row.
    weights = {name: 1 for name in FORMATS} | {name: labels // 4 for name in ("sources.csv", "gold.csv", "gold.jsonl")}
    weights |= {name: labels for name in ("annotations.csv", "annotations.jsonl", "wide.csv", "webannotation.jsonld")}
    total, done = sum(weights.values()) + 1, 0
    folder = os.path.join(settings.MEDIA_ROOT, "exports")
    os.makedirs(folder, exist_ok=True)
    handle, partial = tempfile.mkstemp(dir=folder, prefix=f"archive-{archive_id}-", suffix=PARTIAL_SUFFIX)
    try:
        with os.fdopen(handle, "wb") as out, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
            for name, export in FORMATS.items():
                with zf.open(name, "w", force_zip64=True) as entry:
                    for block in export.writer(project, filters):
                        entry.write(block)
                done += weights[name]
                _set(archive_id, progress=min(99, int(100 * done / total)))
            zf.writestr("datapackage.json", json.dumps(datapackage(project, filters, names), indent=2))
            zf.writestr("README.md", readme(project, filters, names))
        final = f"exports/lede-project-{project.pk}-export-{archive_id}.zip"
        os.replace(partial, os.path.join(settings.MEDIA_ROOT, final))
        ExportArchive.objects.filter(pk=archive_id).finish(file=final)
    finally:
        if os.path.exists(partial):
            os.remove(partial)


def mark_failed(archive_id: int, error: BaseException) -> None:
    """Record why a build failed (see `LedeTask`); a new request builds a new archive."""
    ExportArchive.objects.filter(pk=archive_id).fail(failure_message(error))


PARTIAL_SUFFIX = ".zip.part"


def sweep_archives() -> dict[str, list[int]]:
    """End builds whose worker stopped, remove partial files nobody writes, delete archives past retention."""
    outcome = recover_stalled(ExportArchive.objects.all(), requeue=_queue, fail=mark_failed)
    folder = Path(settings.MEDIA_ROOT) / "exports"
    if folder.is_dir():
        # A build writes its partial file all along, so one unchanged since a heartbeat went stale is a dead build's.
        old = stalled_before().timestamp()
        for partial in folder.glob(f"*{PARTIAL_SUFFIX}"):
            if partial.stat().st_mtime < old:
                partial.unlink(missing_ok=True)
    cutoff = timezone.now() - datetime.timedelta(days=settings.EXPORT_ARCHIVE_RETENTION_DAYS)
    expired = list(ExportArchive.objects.filter(finished__lt=cutoff))
    for item in expired:
        if item.file:
            item.file.storage.delete(item.file.name)
        item.delete()
    outcome["deleted"] = [item.pk for item in expired]
    return outcome


def _field(name: str, description: str) -> dict:
    field = {"name": name, "type": COLUMN_TYPES.get(name, "string"), "description": description}
    if field["type"] == "number":
        field["missingValues"] = [""]
    return field


def csv_cells_note(filters) -> str:
    """What the CSV files' text cells hold under the spreadsheet options (README and datapackage.json)."""
    guard = (
        "A text cell starting with = + - @, a tab or a carriage return gets a leading apostrophe so a spreadsheet "
        "does not run it as a formula; numbers are never changed. Header cells (wide.csv's reviewer columns) are "
        "always guarded."
        if filters.spreadsheet_safe
        else "Text cells are exactly as stored (built with spreadsheet_safe=0): a spreadsheet may run a cell "
        "starting with = + - @ as a formula, so open these files in one with care. Header cells (wide.csv's "
        "reviewer columns) are still guarded with a leading apostrophe."
    )
    return guard + (" Each file starts with a byte-order mark for Excel." if filters.excel else "")


def _scheme(project: Project) -> list[str]:
    return [name for name, _ in rows.label_table(project).values()]


def datapackage(project: Project, filters, names: dict[int, str]) -> dict:
    """A Frictionless Data Package descriptor (https://specs.frictionlessdata.io/data-package/)."""
    dialect = {"delimiter": ",", "doubleQuote": True, "quoteChar": '"', "lineTerminator": "\r\n", "header": True}
    resources = [
        {
            "name": path.rsplit(".", 1)[0],
            "path": path,
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8-sig" if filters.excel else "utf-8",
            "description": csv_cells_note(filters),
            "dialect": dialect,
            "schema": {"fields": [_field(name, text) for name, text in columns.items()], "missingValues": [""]},
        }
        for path, columns in tables(names, filters, _scheme(project)).items()
    ]
    resources += [
        {"name": "annotations-jsonl", "path": "annotations.jsonl", "format": "jsonl",
         "mediatype": "application/jsonl", "encoding": "utf-8", "description": "annotations.csv as JSON lines."},
        {"name": "gold-jsonl", "path": "gold.jsonl", "format": "jsonl", "mediatype": "application/jsonl",
         "encoding": "utf-8", "description": "gold.csv as JSON lines."},
        {"name": "agreement-json", "path": "agreement.json", "format": "json", "mediatype": "application/json",
         "encoding": "utf-8", "description": "Every agreement report in full."},
        {"name": "reliability-report", "path": "reliability.md", "format": "md", "mediatype": "text/markdown",
         "encoding": "utf-8", "description": "The reliability report: methods paragraph, coefficients, references."},
        {"name": "webannotation", "path": "webannotation.jsonld", "format": "jsonld",
         "mediatype": "application/ld+json", "encoding": "utf-8",
         "description": "Every label, then every gold label, as a W3C Web Annotation (AnnotationCollection)."},
    ]  # fmt: skip
    return {
        "profile": "data-package",
        "name": f"lede-project-{project.pk}",
        "title": project.name,
        "description": project.description or f"Sentence labels of the Lede project {project.name}.",
        "created": timezone.now().isoformat(),
        "keywords": ["annotation", "inter-annotator agreement", "news"],
        "resources": resources,
    }


README_INTRO = """# {name}: Lede export

Exported {when} from Lede project {pk} ({scale} scale). {pseudonyms}

| file | what |
| --- | --- |
| annotations.csv | one row per sentence and reviewer (long format) |
| annotations.jsonl | the same, one JSON object a line (`sources` is an array) |
| wide.csv | one row per labelled sentence, one column per reviewer, plus the plurality label and the gold label |
| soft_labels.csv | one row per labelled sentence: how many reviewers gave each label and which share (soft labels) |
| reviewers.csv | one row per reviewer: role, when they joined, labels, agreement and competence (join on `reviewer`) |
| gold.csv / gold.jsonl | the gold standard: a row per decided sentence, its provenance and the labels' agreement |
| sources.csv | one row per source a reviewer attached, grouped by URL |
| exposures.csv | every model suggestion shown to a reviewer, with their final label (empty without suggestions) |
| agreement.json / agreement.csv | the project's and each document's agreement report, and whether it is current |
| analysis.csv | every computed coverage analysis (per outlet, leaning, topic or month) with 95% intervals |
| reliability.md | the project's reliability report to cite: a methods paragraph and four tables |
| reliability-*.csv | the tables of reliability.md: coefficients, pairs, reviewers, reviewers against the decisions |
| webannotation.jsonld | every label, then every gold label, as a W3C Web Annotation |
| datapackage.json | Frictionless Data Package descriptor: types and descriptions of every column |

CSV files are UTF-8 with a header row, comma-separated, quoted as RFC 4180. {excel}

## Loading

    import pandas as pd, json
    labels = pd.read_csv("annotations.csv", converters={{"sources": json.loads}})
    wide = pd.read_csv("wide.csv")
    gold = pd.read_csv("gold.csv", converters={{"sources": json.loads, "topics": json.loads}})

    labels <- readr::read_csv("annotations.csv")
    wide <- read.csv("wide.csv", check.names = FALSE)
    irr::kripp.alpha(t(as.matrix(wide[, reviewers])), method = "nominal")  # reviewers: the reviewer columns
"""


def readme(project: Project, filters, names: dict[int, str]) -> str:
    pseudonyms = (
        "Reviewers appear as pseudonyms annotator-1, annotator-2, ... numbered in the order of their first label "
        "in the project; the same reviewer has the same pseudonym in every export of this project."
        if filters.pseudonymize
        else "Reviewers appear under their usernames."
    )
    parts = [
        README_INTRO.format(
            name=project.name, when=timezone.now().strftime("%Y-%m-%d %H:%M UTC"), pk=project.pk,
            scale=project.scale, pseudonyms=pseudonyms, excel=csv_cells_note(filters),
        )
    ]  # fmt: skip
    for path, columns in tables(names, filters, _scheme(project)).items():
        parts.append(f"\n## {path}\n\n| column | meaning |\n| --- | --- |\n")
        parts.extend(f"| {name} | {text} |\n" for name, text in columns.items())
    return "".join(parts)
