"""The exposure log as a file: every suggestion shown, to whom, by which version, and the reviewer's final label."""

from collections.abc import Iterator

from annotator.models import Project
from claims.exports.rows import ExportFilters, annotator_names
from claims.exports.streams import NO_FILTERS, csv_stream, in_transaction

from . import selectors

EXPOSURE_COLUMNS = (
    "document_id", "sentence_id", "sentence_index", "reviewer", "model_version", "suggested_label", "score",
    "shown", "final_label", "took_suggestion",
)  # fmt: skip


def exposures_csv(project: Project, filters: ExportFilters = NO_FILTERS) -> Iterator[bytes]:
    def records():
        names = annotator_names(project, pseudonymize=filters.pseudonymize)
        final = selectors.final_labels(project)
        for exposure in selectors.exposures(project).iterator(chunk_size=2000):
            label = final.get((exposure.sentence_id, exposure.reviewer_id), "")
            yield (
                exposure.sentence.document_id,
                exposure.sentence_id,
                exposure.sentence.index,
                names.get(exposure.reviewer_id, exposure.reviewer.username),
                exposure.model_version.version,
                exposure.label,
                f"{exposure.score:.4f}",
                exposure.shown.isoformat(),
                label,
                "" if not label else str(label == exposure.label).lower(),
            )

    return csv_stream(EXPOSURE_COLUMNS, in_transaction(records), filters)
