// The project page's article actions: edit an article's metadata (PATCH documents/{id}/), delete it after a
// confirmation that counts the labels going with it (read from documents/{id}/annotations/ at the click), put
// it in the calibration set or the training articles, and assign it to reviewers by hand (assignments/).
import { api, apiAll, el, pageData } from "./api.js";
import { articleMetadata, fillMetadata } from "./articles.js";

const articles = new Map(JSON.parse(document.getElementById("articles").textContent).map((a) => [a.id, a]));
const editDialog = document.getElementById("edit-dialog");
const editForm = document.getElementById("edit-form");
const editError = document.getElementById("edit-error");
const deleteDialog = document.getElementById("delete-dialog");
const deleteQuestion = document.getElementById("delete-question");
const deleteError = document.getElementById("delete-error");
const deleteConfirm = document.getElementById("delete-confirm");
let current = null;

const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;

function openEdit(article) {
  current = article;
  editError.textContent = "";
  fillMetadata(editForm, article);
  editDialog.showModal();
}

async function openDelete(article) {
  current = article;
  const title = `“${article.title || "(untitled)"}”`;
  deleteError.textContent = "";
  deleteQuestion.textContent = `Counting the labels on ${title}…`;
  deleteConfirm.disabled = true;
  deleteDialog.showModal();
  try {
    const labels = await apiAll(`/api/v1/documents/${article.id}/annotations/`);
    const reviewers = new Set(labels.map((label) => label.annotator)).size;
    deleteQuestion.textContent = labels.length
      ? `Delete ${title} and its ${plural(labels.length, "label")} by ${plural(reviewers, "reviewer")}?`
      : `Delete ${title}? No one has labelled it yet.`;
    deleteConfirm.disabled = false;
  } catch (failure) {
    deleteError.textContent = failure.message;
  }
}

const project = pageData().project;
const assignDialog = document.getElementById("assign-dialog");
const assignList = document.getElementById("assign-list");
const assignError = document.getElementById("assign-error");
const assignStatus = document.getElementById("assign-status");
const assignmentUrl = (name) => `/api/v1/projects/${project}/assignments/${current.id}/${encodeURIComponent(name)}/`;
let assignmentsChanged = false;

async function showAssignments() {
  const rows = await apiAll(`/api/v1/projects/${project}/assignments/?document=${current.id}`);
  assignList.replaceChildren(
    ...rows.map((row) => {
      const button = el("button", { type: "button", class: "link", "aria-label": `Unassign ${row.reviewer}` }, "Unassign");
      button.addEventListener("click", () => unassign(row.reviewer));
      const state = row.done ? "done" : `${row.labelled} of ${row.sentence_count} labelled`;
      return el("li", {}, `${row.reviewer} (${state}${row.assigned_by ? `, by ${row.assigned_by}` : ""}) `, button);
    }),
  );
  if (!rows.length) assignList.append(el("li", { class: "muted" }, "No one yet."));
}

async function openAssign(article) {
  current = article;
  assignError.textContent = assignStatus.textContent = "";
  document.getElementById("assign-article").textContent = `“${article.title || "(untitled)"}”`;
  assignList.replaceChildren();
  assignDialog.showModal();
  try {
    await showAssignments();
  } catch (failure) {
    assignError.textContent = failure.message;
  }
}

async function unassign(name) {
  assignError.textContent = assignStatus.textContent = "";
  try {
    await api(assignmentUrl(name), { method: "DELETE" });
    assignmentsChanged = true;
    assignStatus.textContent = `${name} no longer has this article.`;
    await showAssignments();
  } catch (failure) {
    assignError.textContent = failure.message;
  }
}

document.getElementById("assign-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const name = document.getElementById("assign-reviewer").value;
  assignError.textContent = assignStatus.textContent = "";
  try {
    await api(assignmentUrl(name), { method: "PUT" });
    assignmentsChanged = true;
    assignStatus.textContent = `${name} has this article.`;
    await showAssignments();
  } catch (failure) {
    assignError.textContent = failure.message;
  }
});

assignDialog.addEventListener("close", () => {
  if (assignmentsChanged) location.reload();
});

document.querySelector("table.documents").addEventListener("change", async (event) => {
  const select = event.target.closest("select[data-action=use]");
  if (!select) return;
  const article = articles.get(Number(select.closest("tr").dataset.document));
  const status = document.getElementById("use-status");
  try {
    const body = { calibration: select.value === "calibration", training: select.value === "training" };
    await api(`/api/v1/documents/${article.id}/`, { method: "PATCH", body });
    status.textContent = `“${article.title || "(untitled)"}” is now ${select.value}.`;
  } catch (failure) {
    status.textContent = failure.message;
  }
});

document.querySelector("table.documents").addEventListener("click", (event) => {
  const button = event.target.closest("button[data-action]");
  if (!button) return;
  const article = articles.get(Number(button.closest("tr").dataset.document));
  if (button.dataset.action === "edit") openEdit(article);
  else if (button.dataset.action === "assign") openAssign(article);
  else openDelete(article);
});

editForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  editError.textContent = "";
  try {
    await api(`/api/v1/documents/${current.id}/`, { method: "PATCH", body: articleMetadata(editForm) });
    location.reload();
  } catch (failure) {
    editError.textContent = failure.message;
  }
});

deleteConfirm.addEventListener("click", async () => {
  deleteError.textContent = "";
  try {
    await api(`/api/v1/documents/${current.id}/`, { method: "DELETE" });
    location.reload();
  } catch (failure) {
    deleteError.textContent = failure.message;
  }
});

for (const dialog of [editDialog, deleteDialog, assignDialog])
  dialog.querySelector("button[value=cancel]").addEventListener("click", () => dialog.close());

// Reviewers' training (leads): let a reviewer through the gate or send them back to training; the page then
// shows the new standing, and the project's history keeps the decision.
for (const button of document.querySelectorAll("[data-training-decision]")) {
  button.addEventListener("click", async () => {
    const error = document.getElementById("training-error");
    error.textContent = "";
    try {
      await api(`/api/v1/projects/${project}/members/${encodeURIComponent(button.dataset.reviewer)}/training/`, {
        method: "POST",
        body: { decision: button.dataset.trainingDecision },
      });
      location.reload();
    } catch (failure) {
      error.textContent = failure.message;
    }
  });
}
