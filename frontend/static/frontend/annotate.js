// The annotation screen: keyboard-first labelling of the server-rendered article, saved through the SaveQueue.
import { ActiveTime } from "./activetime.js";
import { api, ApiError, pageData } from "./api.js";
import { SaveQueue } from "./savequeue.js";
import { SourcesPanel } from "./sources.js";
import { loadSuggestions } from "./suggestions.js";
import { showReferences } from "./training.js";

const data = pageData();
const labels = new Map(data.labels.map((label) => [label.name, label]));
const labelKeys = new Map(data.labels.filter((l) => l.key).map((l) => [l.key.toLowerCase(), l.name]));
const sentences = [...document.querySelectorAll("#sentences .sentence")];
const byId = new Map(sentences.map((node) => [Number(node.dataset.id), node]));
const own = new Map(Object.entries(data.own).map(([id, state]) => [Number(id), state]));
const undoStack = [];
const queue = await SaveQueue.open(data.user);
const clock = new ActiveTime();
const saveState = document.getElementById("save-state");
const saveText = document.getElementById("save-text");
const retryButton = document.getElementById("retry-now");
const progress = document.getElementById("progress");
const loginDialog = document.getElementById("login-dialog");
const keysDialog = document.getElementById("keys-dialog");
const guidelinesDialog = document.getElementById("guidelines-dialog");
let current = 0;
let lastRejection = null;
let queuedShown = new Set(); // sentences drawn as waiting to be saved
let suggestions = new Map(); // sentence id -> the model's suggestion, where this reviewer is shown them

/** Show changes still queued as the reviewer made them, not as the server has them (after a reload, or
 * when this tab takes over the changes of a tab closed before they were saved). */
function showQueued() {
  for (const op of queue.ops) {
    if (byId.has(op.sentence)) own.set(op.sentence, op.method === "PUT" ? op.body : null);
  }
}
showQueued();

const textOf = (id) => byId.get(id).querySelector(".text").textContent;

function stateOf(id) {
  return own.get(id) || null;
}

function render(id) {
  const node = byId.get(id);
  const state = stateOf(id);
  const chip = node.querySelector(".chip");
  const label = state && labels.get(state.label);
  node.dataset.label = state ? state.label : "";
  node.classList.toggle("labelled", Boolean(state));
  chip.textContent = state ? state.label + (state.sources && state.sources.length ? ` · ${state.sources.length} src` : "") : "";
  chip.setAttribute("aria-hidden", state ? "false" : "true");
  node.style.setProperty("--label-color", label ? label.color : "transparent");
  node.style.setProperty("--label-ink", label ? label.ink : "inherit");
  const pending = queue.pendingFor(id);
  node.classList.toggle("pending", Boolean(pending));
  node.classList.toggle("unsaved", Boolean(pending) && queue.state !== "saving" && queue.state !== "saved");
}

function updateProgress() {
  const done = sentences.filter((node) => stateOf(Number(node.dataset.id))).length;
  const projectDone = data.project_labelled_elsewhere + (data.training ? 0 : done);
  progress.textContent = `Article ${done}/${sentences.length} · Project ${projectDone}/${data.project_total}`;
}

function describeSaveState() {
  const pending = queue.ops.length;
  const plural = pending === 1 ? "" : "s";
  saveState.dataset.state = queue.state;
  retryButton.hidden = queue.state !== "failed";
  // Another user's changes kept in this browser are theirs to send: the page says they wait, never "All changes saved".
  const forOthers = queue
    .waitingForOthers()
    .map(([user, n]) => `${n} change${n === 1 ? " waits" : "s wait"} for ${user}: sign in as them to send them.`)
    .join(" ");
  if (queue.state === "saved") {
    saveText.textContent = lastRejection ? `Not saved: ${lastRejection}` : forOthers || "All changes saved";
    if (lastRejection) saveState.dataset.state = "rejected";
    else if (forOthers) saveState.dataset.state = "waiting-for-others";
  } else if (queue.state === "saving") {
    saveText.textContent = `Saving ${pending} change${plural}…`;
  } else if (queue.state === "failed") {
    const seconds = Math.max(1, Math.round((queue.retryAt - Date.now()) / 1000));
    saveText.textContent = `Save failed (${queue.lastError.message}); ${pending} change${plural} kept, retrying in ${seconds} s.`;
  } else if (queue.state === "login") {
    saveText.textContent = `Session ended: ${pending} change${plural} kept, log in to save`;
  }
  if (queue.state !== "saved" && forOthers) saveText.textContent += ` ${forOthers}`;
  if (queue.state === "login" && !loginDialog.open) {
    document.getElementById("login-pending").textContent = `${pending} change${pending === 1 ? "" : "s"}`;
    loginDialog.showModal();
  } else if (queue.state !== "login" && loginDialog.open) {
    loginDialog.close();
  }
  // Only the sentences that wait, or waited until now, look different: a long article is not redrawn whole.
  const queued = new Set(queue.ops.map((op) => op.sentence));
  for (const id of new Set([...queuedShown, ...queued])) if (byId.has(id)) render(id);
  queuedShown = queued;
}

function select(index, { focus = true } = {}) {
  const previous = sentences[current];
  current = Math.max(0, Math.min(sentences.length - 1, index));
  if (previous) {
    previous.classList.remove("current");
    previous.tabIndex = -1;
    previous.removeAttribute("aria-current");
  }
  const node = sentences[current];
  clock.follow(currentId());
  if (!node) return panel.follow(currentId());
  node.classList.add("current");
  node.tabIndex = 0;
  node.setAttribute("aria-current", "true");
  if (focus) node.focus({ preventScroll: false });
  panel.follow(currentId());
}

function currentId() {
  return sentences.length ? Number(sentences[current].dataset.id) : null;
}

/** Set `state` on sentence `id`, remember the old one for undo, and queue the save. */
function change(id, state, { undoable = true } = {}) {
  const before = stateOf(id);
  if (JSON.stringify(before) === JSON.stringify(state)) return Promise.resolve({ ok: true });
  if (undoable) undoStack.push({ id, before });
  own.set(id, state);
  lastRejection = null;
  const outcome = queue.enqueue(id, state);
  render(id);
  updateProgress();
  return outcome;
}

// An article the study design does not give this reviewer (the server refuses its labels) is read-only: the
// page says why instead of queuing changes the server would refuse.
const readOnly = document.getElementById("read-only");

function refuseIfReadOnly() {
  if (!readOnly) return false;
  readOnly.classList.remove("flash");
  void readOnly.offsetWidth; // restart the highlight
  readOnly.classList.add("flash");
  return true;
}

function setLabel(name) {
  const id = currentId();
  if (id == null || refuseIfReadOnly()) return;
  const before = stateOf(id);
  const seconds = clock.seconds(id);
  const state = name ? { label: name, sources: [], speaker: "", note: "", ...(before || {}), label: name, seconds } : null;
  change(id, state);
  if (name) select(current + 1);
}

function undo() {
  if (refuseIfReadOnly()) return;
  const last = undoStack.pop();
  if (!last) return;
  change(last.id, last.before, { undoable: false });
  select(sentences.indexOf(byId.get(last.id)));
}

function nextUnlabelled() {
  for (let step = 1; step <= sentences.length; step++) {
    const index = (current + step) % sentences.length;
    if (!stateOf(Number(sentences[index].dataset.id))) return select(index);
  }
}

const panel = new SourcesPanel({
  stateOf,
  change,
  textOf,
  speakers: data.speakers,
  onClose: () => select(current),
});

queue.addEventListener("change", describeSaveState);
if (data.training) {
  showReferences({
    queue,
    panel: document.getElementById("training-panel"),
    textOf,
  });
}
queue.addEventListener("adopted", () => {
  showQueued();
  for (const id of byId.keys()) render(id);
  updateProgress();
});
queue.addEventListener("rejected", async (event) => {
  const { op, error } = event.detail;
  lastRejection = error.message;
  // The server refused the change: unless a later change is on its way, show what the server holds.
  if (queue.pendingFor(op.sentence)) return describeSaveState();
  try {
    own.set(op.sentence, await api(`/api/v1/sentences/${op.sentence}/annotation/`));
  } catch (fetchError) {
    if (fetchError instanceof ApiError && fetchError.status === 404) own.set(op.sentence, null);
  }
  if (byId.has(op.sentence)) render(op.sentence);
  updateProgress();
  describeSaveState();
  panel.follow(currentId());
});

document.getElementById("login-retry").addEventListener("click", () => queue.resume());
retryButton.addEventListener("click", () => queue.resume());
loginDialog.addEventListener("cancel", (event) => event.preventDefault());
document.getElementById("undo").addEventListener("click", undo);
const openSources = () => refuseIfReadOnly() || panel.open(currentId());
document.getElementById("open-sources").addEventListener("click", openSources);
document.getElementById("show-keys").addEventListener("click", () => keysDialog.showModal());
document.getElementById("open-guidelines").addEventListener("click", () => guidelinesDialog.showModal());
for (const button of document.querySelectorAll(".label-button")) {
  button.addEventListener("click", () => setLabel(button.dataset.label));
}
sentences.forEach((node, index) => node.addEventListener("click", () => select(index)));
window.addEventListener("focus", () => queue.state === "login" && queue.resume());
// This page shows one reviewer's labels and queues their changes. Once the browser is logged in as someone
// else (the session dialog's login tab), reload: the server then shows that person's page, and this
// reviewer's unsaved changes wait in this browser until they log in again.
window.addEventListener("storage", (event) => {
  if (event.key !== "lede.session-resumed") return;
  const { user } = JSON.parse(event.newValue || "{}");
  if (user && user !== data.user) location.reload();
});
queue.addEventListener("change", () => queue.state === "other-user" && location.reload());

// What each shortcut does; which key does it comes from the server (annotator/shortcuts.py), as labels' keys do.
const actions = {
  next: () => select(current + 1),
  previous: () => select(current - 1),
  first: () => select(0),
  last: () => select(sentences.length - 1),
  "next-unlabelled": nextUnlabelled,
  clear: () => setLabel(""),
  sources: () => openSources(),
  undo,
  keys: () => keysDialog.showModal(),
  guidelines: () => guidelinesDialog.showModal(),
  close: () => panel.isOpen() && (panel.close(), true),
  suggestion: () => suggestions.has(currentId()) && (setLabel(suggestions.get(currentId()).label), true),
};
const shortcuts = Object.fromEntries(
  Object.entries(data.shortcuts).map(([key, action]) => [key, () => actions[action]() !== false]),
);

document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.target.closest("input, textarea, select, dialog")) {
    if (event.key === "Escape" && panel.isOpen() && !event.target.closest("dialog")) panel.close();
    return;
  }
  const key = event.key;
  const lower = key.length === 1 ? key.toLowerCase() : key;
  let handled = true;
  if (labelKeys.has(lower)) setLabel(labelKeys.get(lower));
  else handled = (shortcuts[lower] ?? shortcuts[key])?.() ?? false;
  if (handled) event.preventDefault();
});

// The server drew every sentence as it holds it; those labelled or with changes kept in this browser need colours.
for (const id of byId.keys()) if (stateOf(id) || queue.pendingFor(id)) render(id);
updateProgress();
describeSaveState();
const firstOpen = sentences.findIndex((node) => !stateOf(Number(node.dataset.id)));
select(firstOpen >= 0 ? firstOpen : 0);
// Changes kept from an earlier visit (a reload, a crash, a lost connection) go out now.
queue.resume();
const takeKey = Object.keys(data.shortcuts).find((key) => data.shortcuts[key] === "suggestion");
suggestions = await loadSuggestions(
  data.document,
  byId,
  (id, label) => {
    select(sentences.indexOf(byId.get(id)));
    setLabel(label);
  },
  takeKey,
);
document.body.dataset.ready = "true";
