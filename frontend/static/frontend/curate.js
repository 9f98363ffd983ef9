// The curator screen: every reviewer's label beside the decision, most contested first, decided by key, click or tap.
// Rows come from one API call and are drawn as strings of escaped HTML, a chunk at a time as the curator scrolls or
// moves down to them (a table of thousands of rows takes seconds to lay out); a refresh redraws only the rows that changed.
import { api, pageData } from "./api.js";
import { applyDataStyles } from "./data_styles.js";
import { DecisionDialog } from "./decision_dialog.js";

const data = pageData();
const labels = new Map(data.labels.map((label) => [label.name, label]));
const labelKeys = new Map(data.labels.filter((l) => l.key).map((l) => [l.key.toLowerCase(), l.name]));
const table = document.getElementById("curate-table");
const body = document.getElementById("curate-body");
const sort = document.getElementById("sort");
const onlyOpen = document.getElementById("only-open");
const summary = document.getElementById("summary");
const errorLine = document.getElementById("decision-error");
const dialogs = ["decision-dialog", "merge-dialog", "keys-dialog"].map((id) => document.getElementById(id)).filter(Boolean);
const rows = new Map();
const CHUNK = 50;
let order = [];
let listed = []; // the rows `draw` lists, in order; the first `drawnCount` are in the table
let position = new Map();
let drawnCount = 0;
let current = null;
let changed = null;

const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const esc = (value) => String(value ?? "").replace(/[&<>"']/g, (ch) => ESCAPES[ch]);

function chip(name, extra = "") {
  const label = labels.get(name);
  const colours = label ? ` data-label-color="${esc(label.color)}" data-label-ink="${esc(label.ink)}"` : "";
  return `<span class="label-chip${extra}"${colours}>${esc(name)}</span>`;
}

/** A reviewer's label: a button that decides it, for whoever may decide; else the label alone. */
function labelTaken(item, extra) {
  if (!data.can_decide) return chip(item.label, extra);
  return `<button type="button" class="take-label" data-act="label" data-label="${esc(item.label)}" data-focus="label:${esc(item.reviewer)}" aria-label="Decide “${esc(item.label)}” (${esc(item.reviewer)})">${chip(item.label, extra)}</button>`;
}

function reviewerLabel(item, majority) {
  const details = [
    item.speaker ? `speaker: ${esc(item.speaker)}` : "",
    item.note ? `note: ${esc(item.note)}` : "",
    ...item.sources.map((s) => `<a href="${esc(s.url)}" rel="noopener noreferrer" target="_blank">${esc(s.title || s.url)}</a>`),
  ].filter(Boolean);
  const minority = majority !== undefined && item.label !== majority ? " minority" : "";
  return `<li><span class="reviewer">${esc(item.reviewer)}</span> ${labelTaken(item, minority)}${
    details.length ? ` <span class="details">${details.join(" · ")}</span>` : ""
  }</li>`;
}

function decisionCell(decision) {
  if (!decision) return `<span class="none">open</span>`;
  const what = decision.label ? chip(decision.label) : `<strong>unresolved</strong>`;
  const how = `<span class="provenance">${esc(decision.provenance)}${decision.decided_by ? ` by ${esc(decision.decided_by)}` : ""}</span>`;
  const why = [decision.category ? `<em>${esc(decision.category)}</em>` : "", esc(decision.rationale)].filter(Boolean).join(": ");
  const extra = [decision.speaker ? `speaker: ${esc(decision.speaker)}` : "",
    ...decision.sources.map((s) => `<a href="${esc(s.url)}" rel="noopener noreferrer" target="_blank">${esc(s.title || s.url)}</a>`),
  ].filter(Boolean);
  return `${what} ${how}${extra.length ? ` <span class="details">${extra.join(" · ")}</span>` : ""}${why ? `<p class="rationale">${why}</p>` : ""}`;
}

/** Unresolved, the details dialog and removal, in reach of a mouse or a finger. */
function decisionActions(decision) {
  if (!data.can_decide) return "";
  return `<div class="decide-actions">` +
    (decision && !decision.label ? "" : `<button type="button" data-act="unresolved" data-focus="unresolved">Unresolved</button>`) +
    `<button type="button" data-act="details" data-focus="details">Details…</button>` +
    (decision ? `<button type="button" data-act="remove" data-focus="remove">Remove</button>` : "") +
    `</div>`;
}

function rowHtml(row) {
  const p = row.plurality;
  const decided = row.decision ? (row.decision.label ? "decided" : "unresolved") : "open";
  const cls = `sentence-row ${decided}${row.distinct > 1 ? " disagree" : ""}${row.sentence === current ? " current" : ""}`;
  const majority = row.distinct > 1 ? p.label ?? null : undefined;
  return `<tr class="${cls}" data-sentence="${row.sentence}" data-state="${decided}" aria-rowindex="${position.get(row.sentence) + 2}">` +
    `<th scope="row"><span class="muted">${row.index + 1}.</span> <span dir="auto">${esc(row.text)}</span></th>` +
    `<td>${row.labels.length ? `<ul class="reviewer-labels">${row.labels.map((item) => reviewerLabel(item, majority)).join("")}</ul>` : `<span class="none">no labels</span>`}</td>` +
    `<td class="plurality">${p.label ? `${chip(p.label)} ${p.count}/${p.labels}` : p.labels ? `tie ${p.count}/${p.labels}` : "—"}</td>` +
    `<td class="decision">${decisionCell(row.decision)}${decisionActions(row.decision)}</td></tr>`;
}

/** Keep a row as the server sent it (its plurality included), with what "most contested first" sorts by. */
function store(row) {
  const { count, labels: n } = row.plurality;
  row.contest = n ? 1 - count / n : 0;
  row.distinct = new Set(row.labels.map((item) => item.label)).size;
  rows.set(row.sentence, row);
}

function shown() {
  return onlyOpen.checked ? order.filter((id) => !rows.get(id).decision || id === current) : order;
}

function arrange() {
  const all = [...rows.values()];
  const doubt = (row) => (row.posterior ? row.posterior.uncertainty : -1); // no posterior yet: last
  if (sort.value === "contested") all.sort((a, b) => b.contest - a.contest || b.distinct - a.distinct || a.index - b.index);
  else if (sort.value === "uncertain") all.sort((a, b) => doubt(b) - doubt(a) || a.index - b.index);
  else all.sort((a, b) => a.index - b.index);
  order = all.map((row) => row.sentence);
}

// Below the table: once it comes near the screen, the next chunk of rows is drawn.
const sentinel = document.createElement("div");
sentinel.className = "more-rows";
table.closest(".table-wrap").after(sentinel);
const nearTheEnd = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && drawUpTo(drawnCount + CHUNK), {
  rootMargin: "0px 0px 1500px 0px",
});

function drawUpTo(end) {
  end = Math.min(end, listed.length);
  if (end <= drawnCount) return;
  body.insertAdjacentHTML("beforeend", listed.slice(drawnCount, end).map((id) => rowHtml(rows.get(id))).join(""));
  applyDataStyles(body);
  drawnCount = end;
  // Observing again reports at once whether the end is still near, so a tall screen fills up.
  nearTheEnd.unobserve(sentinel);
  if (drawnCount < listed.length) nearTheEnd.observe(sentinel);
}

function draw() {
  listed = shown();
  position = new Map(listed.map((id, at) => [id, at]));
  drawnCount = 0;
  body.innerHTML = "";
  table.setAttribute("aria-rowcount", listed.length + 1);
  drawUpTo(Math.max(CHUNK, (position.get(current) ?? 0) + 1));
  summarise();
}

const rowNode = (id) => body.querySelector(`tr[data-sentence="${id}"]`);

function redrawRow(id) {
  const node = rowNode(id);
  if (node) {
    // A redrawn row keeps the focus on its button, as a person who clicked or tapped it expects.
    const focused = node.contains(document.activeElement) ? document.activeElement.dataset.focus : null;
    node.outerHTML = rowHtml(rows.get(id));
    applyDataStyles(rowNode(id));
    const again = focused && rowNode(id).querySelector(`[data-focus="${CSS.escape(focused)}"]`);
    (again || (focused ? rowNode(id).querySelector("[data-act=details]") : null))?.focus();
  }
}

function summarise() {
  let decided = 0;
  let unresolved = 0;
  for (const row of rows.values()) if (row.decision) row.decision.label ? decided++ : unresolved++;
  summary.textContent = `${rows.size} sentences: ${decided} decided, ${unresolved} unresolved, ${rows.size - decided - unresolved} open.`;
}

function select(id, { scroll = true } = {}) {
  if (current != null) rowNode(current)?.classList.remove("current");
  current = id;
  if (id == null) return;
  if (position.has(id)) drawUpTo(position.get(id) + CHUNK);
  const node = rowNode(id);
  node?.classList.add("current");
  if (node && scroll) node.scrollIntoView({ block: "nearest" });
}

function move(step) {
  const ids = shown();
  if (!ids.length) return;
  const at = ids.indexOf(current);
  select(ids[Math.max(0, Math.min(ids.length - 1, at < 0 ? 0 : at + step))]);
}

async function decide(body, { advance = true } = {}) {
  const id = current;
  if (id == null) return;
  errorLine.textContent = "";
  try {
    const decision = await api(`/api/v1/sentences/${id}/decision/`, { method: "PUT", body });
    rows.get(id).decision = decision;
    redrawRow(id);
    summarise();
    if (advance) move(1);
  } catch (failure) {
    errorLine.textContent = `Sentence ${rows.get(id).index + 1} was not decided: ${failure.message}`;
    throw failure;
  }
}

async function undecide() {
  const id = current;
  if (id == null || !rows.get(id).decision) return;
  errorLine.textContent = "";
  try {
    await api(`/api/v1/sentences/${id}/decision/`, { method: "DELETE" });
    rows.get(id).decision = null;
    redrawRow(id);
    summarise();
  } catch (failure) {
    errorLine.textContent = `The decision was not removed: ${failure.message}`;
  }
}

let dialog = null;

function openDecisionDialog() {
  const row = rows.get(current);
  if (row) dialog.open(row);
}

async function refresh() {
  try {
    const answer = await api(`/api/v1/documents/${data.document}/curation/?since=${encodeURIComponent(changed)}`);
    changed = answer.changed;
    for (const row of answer.rows) {
      store(row);
      if (!order.includes(row.sentence)) arrange();
      redrawRow(row.sentence);
    }
    if (answer.rows.length) summarise();
  } catch {
    // The next refresh tries again; a lost network must not stop the curator working.
  }
}

async function load() {
  const answer = await api(`/api/v1/documents/${data.document}/curation/`);
  changed = answer.changed;
  answer.rows.forEach(store);
  arrange();
  current = order.length ? order[0] : null;
  draw();
  document.body.dataset.ready = "true";
  setInterval(refresh, data.refresh_seconds * 1000);
}

const navigation = {
  next: () => move(1),
  previous: () => move(-1),
  first: () => select(shown()[0]),
  last: () => select(shown().at(-1)),
};
const deciding = {
  keys: () => document.getElementById("keys-dialog").showModal(),
  accept: () => {
    const label = rows.get(current)?.plurality.label;
    if (label) decide({ label }).catch(() => {});
    else errorLine.textContent = "This sentence has no plurality to accept: pick a label or mark it unresolved.";
  },
  unresolved: () => decide({ label: null }).catch(() => {}),
  details: () => openDecisionDialog(),
  undecide: () => undecide(),
};

function onKey(event) {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  if (dialogs.some((dialog) => dialog.open) || event.target.closest("input, textarea, select")) return;
  // On a button or link, Enter and Space are theirs; the letter keys still work the screen.
  if (event.target.closest("button, a") && (event.key === "Enter" || event.key === " ")) return;
  const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
  // Which key does what comes from the server (annotator/shortcuts.py); a label's key can take none of them.
  const action = data.shortcuts[key];
  let run = navigation[action] || (data.can_decide && deciding[action]);
  if (data.can_decide && labelKeys.has(key)) run = () => decide({ label: labelKeys.get(key) }).catch(() => {});
  if (run) {
    event.preventDefault();
    run();
  }
}

function wireDialogs() {
  dialog = new DecisionDialog({
    defaultLabel: data.labels[0].name,
    submit: async (row, fields) => {
      select(row.sentence, { scroll: false });
      await decide(fields, { advance: false });
    },
  });
  document.getElementById("open-keys").addEventListener("click", () => document.getElementById("keys-dialog").showModal());
  const merge = document.getElementById("merge-dialog");
  const preview = document.getElementById("merge-preview");
  const mergeError = document.getElementById("merge-error");
  const runButton = document.getElementById("merge-run");
  const rule = () => {
    const form = document.getElementById("merge-form");
    const body = { min_labels: Number(form.min_labels.value), min_share: Number(form.min_share.value) };
    if (form.scope.value === "document") body.document = data.document;
    return body;
  };
  const describe = (o) =>
    `${o.dry_run ? "Would decide" : "Decided"} ${o.decided} of ${o.sentences} sentences (${o.unanimous} unanimous, ${o.majority} by majority); ${o.decided_before} already decided, ${o.below_rule} left open.`;
  document.getElementById("open-merge").addEventListener("click", () => {
    preview.textContent = "";
    mergeError.textContent = "";
    runButton.disabled = true;
    merge.showModal();
  });
  document.getElementById("merge-close").addEventListener("click", () => merge.close());
  document.getElementById("merge-form").addEventListener("input", () => (runButton.disabled = true));
  document.getElementById("merge-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    mergeError.textContent = "";
    try {
      preview.textContent = describe(await api(`/api/v1/projects/${data.project}/decisions/auto/`, { method: "POST", body: { ...rule(), dry_run: true } }));
      runButton.disabled = false;
    } catch (failure) {
      preview.textContent = "";
      mergeError.textContent = failure.message;
    }
  });
  runButton.addEventListener("click", async () => {
    mergeError.textContent = "";
    try {
      preview.textContent = describe(await api(`/api/v1/projects/${data.project}/decisions/auto/`, { method: "POST", body: { ...rule(), dry_run: false } }));
      runButton.disabled = true;
      await refresh();
    } catch (failure) {
      mergeError.textContent = failure.message;
    }
  });
}

const rowActions = {
  label: (button) => decide({ label: button.dataset.label }, { advance: false }).catch(() => {}),
  unresolved: () => decide({ label: null }, { advance: false }).catch(() => {}),
  details: openDecisionDialog,
  remove: undecide,
};

body.addEventListener("click", (event) => {
  const row = event.target.closest("tr[data-sentence]");
  if (!row || event.target.closest("a")) return;
  select(Number(row.dataset.sentence), { scroll: false });
  const button = event.target.closest("button[data-act]");
  if (button && data.can_decide) rowActions[button.dataset.act](button);
});
sort.addEventListener("change", () => {
  arrange();
  draw();
});
onlyOpen.addEventListener("change", draw);
document.addEventListener("keydown", onKey);
if (data.can_decide) wireDialogs();
load().catch((failure) => (summary.textContent = `Could not load the labels: ${failure.message}`));
