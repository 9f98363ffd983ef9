// The agreement page: the project's report (GET/POST /api/v1/projects/{id}/agreement/) and its articles', drawn in SVG.
import { api, el, pageData } from "./api.js";
import { barChart, fmt, heatmap, intervalChart, widthFor } from "./charts.js";

const data = pageData();
const url = `/api/v1/projects/${data.project}/agreement/`;
const colours = new Map(data.labels.map((label) => [label.name, label.color]));
const freshness = document.getElementById("freshness");
const recompute = document.getElementById("recompute");
const POLL_MS = 1500;
// While nothing is being computed, look again now and then so an open page follows the reviewers.
const IDLE_POLL_MS = 15000;
const MAX_DOCUMENTS = 50;
let pollTimer = null;
let shownAt = undefined;

function ago(iso) {
  const seconds = Math.round((Date.now() - new Date(iso).getTime()) / 1000);
  if (seconds < 60) return `${Math.max(0, seconds)} s ago`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  return new Date(iso).toLocaleString();
}

function describeFreshness(report) {
  freshness.dataset.status = report.status;
  const when = report.computed_at ? `computed ${ago(report.computed_at)} (${new Date(report.computed_at).toLocaleString()})` : "not computed yet";
  const over = `over ${report.annotation_count ?? 0} labels`;
  const state = {
    ready: report.stale ? "Labels changed since; a recomputation is due." : "Up to date.",
    pending: "Recomputation queued…",
    running: "Recomputing…",
    failed: `The last run failed: ${report.error || "unknown error"}.`,
  }[report.status];
  freshness.textContent = `Report ${when}, ${over}. ${state || ""}`;
}

function put(id, node) {
  document.getElementById(id).replaceChildren(node);
}

const widthOf = (id) => widthFor(document.getElementById(id));

function drawReport(report) {
  document.getElementById("alpha").textContent = fmt(report.alpha);
  const ci = report.alpha_ci95 ? `95% CI ${fmt(report.alpha_ci95[0])} to ${fmt(report.alpha_ci95[1])}` : "no interval";
  document.getElementById("alpha-detail").textContent =
    `${report.scale || ""} scale · ${ci} · ${report.units ?? 0} sentences, ${report.annotators ?? 0} reviewers · ` +
    `Fleiss' kappa ${fmt(report.fleiss_kappa)} · agreement ${report.percent_agreement == null ? "n/a" : Math.round(report.percent_agreement * 100) + "%"}`;
  put("alpha-chart", intervalChart([{ name: "project", value: report.alpha, ci: report.alpha_ci95 }], { title: `Project alpha ${fmt(report.alpha)}, ${ci}`, width: widthOf("alpha-chart") }));

  const labels = Object.entries(report.per_label || {});
  put(
    "labels-chart",
    labels.length
      ? barChart(
          labels.map(([name, figures]) => ({ name, value: figures.alpha, color: colours.get(name), note: `(used ${figures.count}×)` })),
          { title: "Alpha per label", width: widthOf("labels-chart") },
        )
      : el("p", { class: "muted" }, "No labels yet."),
  );

  const reviewers = [...new Set((report.pairwise || []).flatMap((pair) => [pair.a, pair.b]))].sort();
  const pairs = new Map((report.pairwise || []).flatMap((pair) => [[`${pair.a}\u0000${pair.b}`, pair], [`${pair.b}\u0000${pair.a}`, pair]]));
  put(
    "kappa-chart",
    reviewers.length > 1
      ? heatmap(
          reviewers,
          (i, j) => {
            if (i === j) return { value: null, label: "—" };
            const pair = pairs.get(`${reviewers[i]}\u0000${reviewers[j]}`);
            return { value: pair?.cohen_kappa ?? null, note: pair ? `${pair.n} sentences` : "" };
          },
          { title: "Cohen's kappa by reviewer pair", min: 0, max: 1 },
        )
      : el("p", { class: "muted" }, "Needs two reviewers who labelled the same sentences."),
  );

  const confusion = report.confusion || {};
  const names = confusion.labels || [];
  const pooled = confusion.pooled || [];
  const largest = Math.max(1, ...pooled.flat());
  put(
    "confusion-chart",
    names.length && pooled.length
      ? heatmap(names, (i, j) => ({ value: pooled[i][j], label: String(pooled[i][j]) }), {
          title: "Pooled confusion matrix",
          min: 0,
          max: largest,
          rowTitle: "one reviewer",
          colTitle: "another reviewer",
        })
      : el("p", { class: "muted" }, "No pairs of labels yet."),
  );
}

async function drawDocuments() {
  const documents = data.documents.slice(0, MAX_DOCUMENTS);
  const rows = [];
  for (let start = 0; start < documents.length; start += 4) {
    const batch = documents.slice(start, start + 4);
    const reports = await Promise.all(batch.map((d) => api(`/api/v1/documents/${d.id}/agreement/`).catch(() => null)));
    batch.forEach((d, i) => rows.push({ name: d.title || `Article ${d.id}`, value: reports[i]?.alpha ?? null, ci: reports[i]?.alpha_ci95 }));
  }
  const holder = document.getElementById("documents-chart");
  const chart = rows.length
    ? intervalChart(rows, { title: "Alpha per article with 95% intervals", width: widthFor(holder) })
    : el("p", { class: "muted" }, "No articles yet.");
  holder.replaceChildren(chart);
  if (data.documents.length > MAX_DOCUMENTS) holder.append(el("p", { class: "help" }, `The first ${MAX_DOCUMENTS} articles.`));
}

async function refresh({ redrawDocuments = false } = {}) {
  clearTimeout(pollTimer);
  let report;
  try {
    report = await api(url);
  } catch (failure) {
    freshness.dataset.status = "failed";
    freshness.textContent = `Could not load the report: ${failure.message}`;
    return;
  }
  describeFreshness(report);
  if (report.computed_at !== shownAt) {
    shownAt = report.computed_at;
    drawReport(report);
    redrawDocuments = true;
  }
  if (redrawDocuments) drawDocuments();
  document.body.dataset.computedAt = report.computed_at || "";
  document.body.dataset.status = report.status;
  const busy = report.status === "pending" || report.status === "running" || report.stale;
  pollTimer = setTimeout(refresh, busy ? POLL_MS : IDLE_POLL_MS);
}

recompute.addEventListener("click", async () => {
  recompute.disabled = true;
  try {
    const answer = await api(url, { method: "POST" });
    freshness.dataset.status = answer.status;
    freshness.textContent = "Recomputation queued…";
  } catch (failure) {
    freshness.textContent = `Could not ask for a recomputation: ${failure.message}`;
  } finally {
    recompute.disabled = false;
  }
  refresh();
});

refresh();
