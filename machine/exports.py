"""The exposure log as a file: every suggestion shown, to whom, by which version, and the reviewer's final label."""

from collections.abc import Iterator

from annotator.models import Project
from claims.exports.rows import ExportFilters, annotator_names
from claims.exports.streams import NO_FILTERS, csv_stream, in_transaction

from . import selectors

# Each column of exposures.csv with what it holds (the archive's datapackage.json and README.md say it).
EXPOSURE_COLUMNS = {
    "document_id": "Document id.",
    "sentence_id": "Sentence id.",
    "sentence_index": "Position of the sentence in the article.",
    "reviewer": "The reviewer shown the suggestion (a pseudonym with pseudonymize), as in annotations.csv.",
    "model_version": "The version of the project's model that made the suggestion.",
    "suggested_label": "The label the model suggested.",
    "score": "The model's probability for that label.",
    "shown": "When the suggestion was first shown to the reviewer (ISO 8601).",
    "final_label": "The reviewer's label on the sentence now (blank: none).",
    "took_suggestion": "true when the final label is the suggested one (blank: no label).",
}


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

    return csv_stream(tuple(EXPOSURE_COLUMNS), in_transaction(records), filters)
