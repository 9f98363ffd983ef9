// A training article's reference labels: taken from its decisions (POST references/from-decisions/), imported
// from a file (POST references/), or set sentence by sentence (PUT sentences/{id}/reference/).
import { api, pageData } from "./api.js";

const data = pageData();
const base = `/api/v1/documents/${data.document}`;

function outcome(name) {
  return { error: document.getElementById(`${name}-error`), status: document.getElementById(`${name}-status`) };
}

/** Show the references the server holds now in the sentences' forms. */
async function refresh() {
  const references = new Map((await api(`${base}/references/`)).map((reference) => [reference.sentence, reference]));
  for (const form of document.querySelectorAll("form.reference")) {
    const reference = references.get(Number(form.dataset.sentence));
    if (!reference) continue;
    form.elements.label.value = reference.label;
    form.elements.explanation.value = reference.explanation;
  }
}

function handle(form, name, action) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const { error, status } = outcome(name);
    error.textContent = status.textContent = "";
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      status.textContent = await action();
    } catch (failure) {
      error.textContent = failure.message;
    } finally {
      button.disabled = false;
    }
  });
}

handle(document.getElementById("decisions-form"), "decisions", async () => {
  const { references } = await api(`${base}/references/from-decisions/`, { method: "POST" });
  await refresh();
  return `${references} reference label${references === 1 ? "" : "s"} taken from the decisions.`;
});

const importForm = document.getElementById("import-form");
handle(importForm, "import", async () => {
  if (!importForm.elements.file.files.length) throw new Error("Choose a CSV or JSONL file first.");
  const references = await api(`${base}/references/`, { method: "POST", form: new FormData(importForm) });
  importForm.reset();
  await refresh();
  const sentences = document.querySelectorAll("form.reference").length;
  return `Imported: ${references.length} of ${sentences} sentences now have a reference label.`;
});

for (const form of document.querySelectorAll("form.reference")) {
  const sentence = form.dataset.sentence;
  handle(form, `reference-${sentence}`, async () => {
    const label = form.elements.label.value;
    if (!label) throw new Error("Choose the reference label first.");
    await api(`/api/v1/sentences/${sentence}/reference/`, {
      method: "PUT",
      body: { label, explanation: form.elements.explanation.value.trim() },
    });
    return "Saved.";
  });
}
document.body.dataset.ready = "true";
