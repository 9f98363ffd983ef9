// How current a stored report is (its status, when it was computed and over how many labels), as every report page says it.

function ago(iso) {
  const seconds = Math.round((Date.now() - new Date(iso).getTime()) / 1000);
  if (seconds < 60) return `${Math.max(0, seconds)} s ago`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  return new Date(iso).toLocaleString();
}

/** Write `report`'s freshness into `holder` (a role=status element) and its status into data-status. */
export function describeFreshness(holder, report, noun = "Report") {
  holder.dataset.status = report.status;
  const when = report.computed_at ? `computed ${ago(report.computed_at)} (${new Date(report.computed_at).toLocaleString()})` : "not computed yet";
  const over = `over ${report.annotation_count ?? 0} labels`;
  const state = {
    ready: report.stale ? "Labels changed since; a recomputation is due." : "Up to date.",
    pending: "Recomputation queued…",
    running: "Recomputing…",
    failed: `The last run failed: ${report.error || "unknown error"}.`,
  }[report.status];
  holder.textContent = `${noun} ${when}, ${over}. ${stalledNote(report) || state || ""}`;
}

/** What a report or job whose worker stopped says, with the time it was last worked on; "" for any other. */
export function stalledNote(item) {
  if (!item.stalled_since) return "";
  return `Stalled: no worker has worked on it since ${new Date(item.stalled_since).toLocaleString()}; it goes on once a worker is back.`;
}

/** Whether a page showing `report` should look again soon: a run is queued or due. */
export const isBusy = (report) => report.status === "pending" || report.status === "running" || report.stale;
