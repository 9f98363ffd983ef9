"""Agreement reports and coverage analyses: read the labels, compute, store, and keep them fresh.

`analyses` reads what `claims.analysis` needs and runs an analysis through the same pipeline.

`matrix` reads the labels, `figures` computes from them, `schedule` marks reports stale and
queues their runs, `running` runs and stores one report. The pipeline (see README, "Agreement
pipeline"):

1. A label change commits; `annotator` sends `labels_changed`; `claims.receivers` calls
   `request_recomputation()`, which marks the project's and the documents' reports stale
   (`requested_at` = now, status `pending`) and queues a `compute_agreement_report` task per
   report with a countdown of AGREEMENT_DEBOUNCE_SECONDS (D), passing the request's timestamp.
   A request queues no task when one is already due for that report within D seconds (an
   expiring Redis mark, `schedule._claim_schedules`): that task fires after the request has committed.
2. When a task fires, `compute_report()` decides whether to run. A task whose request has been
   superseded by a newer one steps aside and queues a follow-up D seconds after the newest
   request (unless another task is due by then): a burst of saves ends in one run, D seconds
   after the last save. So that a reviewer who never pauses still sees fresh figures, a
   superseded task runs anyway when the last run started more than AGREEMENT_MAX_WAIT_SECONDS
   ago (or there was none), or when the newest request is already D seconds old.
3. A run marks the report `running`, reads the labels, computes and stores the result. If a newer
   request arrived meanwhile the report goes back to `pending` (the newer task completes it),
   otherwise `ready`. A run killed half-way leaves `running` with an old `started_at`; the task is
   redelivered (acks late) or the next request runs it again, which completes the report.
"""

from .analyses import analyse_project, compute_analysis, default_basis, mark_analysis_failed, stored_analysis
from .figures import build_result, compute_figures, sentence_rows
from .matrix import LabelMatrix, read_labels
from .running import (
    compute_project_now,
    compute_report,
    document_alphas,
    is_current,
    mark_failed,
    own_gold_figures,
    recover_stalled_reports,
    stored_report,
)
from .schedule import request_analyses, request_recomputation

__all__ = [
    "LabelMatrix",
    "analyse_project",
    "build_result",
    "compute_analysis",
    "compute_figures",
    "compute_project_now",
    "compute_report",
    "default_basis",
    "document_alphas",
    "is_current",
    "mark_analysis_failed",
    "mark_failed",
    "own_gold_figures",
    "read_labels",
    "recover_stalled_reports",
    "request_analyses",
    "request_recomputation",
    "sentence_rows",
    "stored_analysis",
    "stored_report",
]
