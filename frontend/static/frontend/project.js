// The project page's article actions: edit an article's metadata (PATCH documents/{id}/) and delete it after a
// confirmation that counts the labels going with it (read from documents/{id}/annotations/ at the click).
import { api, apiAll } from "./api.js";
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

document.querySelector("table.documents").addEventListener("click", (event) => {
  const button = event.target.closest("button[data-action]");
  if (!button) return;
  const article = articles.get(Number(button.closest("tr").dataset.document));
  if (button.dataset.action === "edit") openEdit(article);
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

for (const dialog of [editDialog, deleteDialog])
  dialog.querySelector("button[value=cancel]").addEventListener("click", () => dialog.close());
