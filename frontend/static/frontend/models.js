// The model page: versions and their cards (GET models/), training one (POST models/), suggestions (PATCH project).
import { api, el, pageData } from "./api.js";

const data = pageData();
const base = `/api/v1/projects/${data.project}`;
const rows = document.getElementById("versions");
const share = document.getElementById("unassisted-share");
const choice = document.getElementById("suggestions");
choice.value = data.suggestions;
share.value = data.unassisted_share;

const percent = (value) => (value == null ? "–" : `${(value * 100).toFixed(1)}%`);
const interval = (pair) => (pair ? ` (${percent(pair[0])}–${percent(pair[1])})` : "");

function versionRow(version) {
  const card = version.card || {};
  const perLabel = (card.labels || [])
    .map((row) => `${row.label} (n ${row.training_n}): ${percent(row.precision)}${interval(row.precision_ci95)}, ${percent(row.recall)}${interval(row.recall_ci95)}`)
    .join("; ");
  return el(
    "tr",
    {},
    el("th", { scope: "row" }, String(version.version)),
    el("td", {}, version.status + (version.error ? `: ${version.error}` : "")),
    el("td", {}, version.basis),
    el("td", {}, card.training_n == null ? "–" : String(card.training_n)),
    el("td", {}, percent(card.accuracy)),
    el("td", {}, card.macro_f1 == null ? "–" : card.macro_f1.toFixed(3)),
    el("td", {}, card.alpha_against_gold == null ? "–" : card.alpha_against_gold.toFixed(3)),
    el("td", {}, perLabel || "–"),
  );
}

async function refresh() {
  const versions = await api(`${base}/models/`);
  rows.replaceChildren(...versions.map(versionRow));
  return versions;
}

document.getElementById("train-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const status = document.getElementById("train-status");
  try {
    const version = await api(`${base}/models/`, { method: "POST", body: { basis: document.getElementById("basis").value } });
    status.textContent = `Version ${version.version}: ${version.status}.`;
  } catch (error) {
    status.textContent = error.message;
  }
  await refresh();
});

const form = document.getElementById("suggestions-form");
form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const problem = document.getElementById("suggestions-error");
  const saved = document.getElementById("suggestions-saved");
  problem.textContent = saved.textContent = "";
  try {
    const project = await api(`${base}/`, { method: "PATCH", body: { suggestions: choice.value, unassisted_share: Number(share.value) } });
    saved.textContent = `Saved: suggestions ${project.suggestions}, ${Math.round(project.unassisted_share * 100)}% of articles without.`;
  } catch (error) {
    problem.textContent = error.message;
  }
});

await refresh();
document.body.dataset.ready = "true";
