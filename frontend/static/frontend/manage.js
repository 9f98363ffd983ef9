// A lead's project page: members (GET/POST/DELETE members/) and imports with upload progress; a bulk import
// is then followed through its job (status_url) until a worker has split and saved every article. An article
// given by its web address is fetched by the server; what is wrong with the address is shown beside it.
import { api, apiAll, csrfToken, describeErrors, el, errorEntries, followJob } from "./api.js";
import { articleMetadata } from "./articles.js";
import { stalledNote } from "./freshness.js";
import { detectFormat } from "./text_format.js";

const projectId = JSON.parse(document.getElementById("project-id").textContent);
const base = `/api/v1/projects/${projectId}`;
const memberList = document.getElementById("member-list");
const memberForm = document.getElementById("member-form");
const progress = document.getElementById("upload-progress");
const importStatus = document.getElementById("import-status");
const importError = document.getElementById("import-error");
const importOpened = document.getElementById("import-opened");

async function loadMembers() {
  const page = await api(`${base}/members/?page_size=1000`);
  memberList.replaceChildren(
    ...page.results.map((member) =>
      el(
        "li",
        { class: "member", dataset: { username: member.username } },
        el("strong", {}, member.username),
        ` ${member.role} `,
        memberForm
          ? el("button", { type: "button", onclick: () => removeMember(member.username), "aria-label": `Remove ${member.username}` }, "Remove")
          : null,
      ),
    ),
  );
}

async function removeMember(username) {
  try {
    await api(`${base}/members/${encodeURIComponent(username)}/`, { method: "DELETE" });
    await loadMembers();
  } catch (failure) {
    document.getElementById("member-error").textContent = failure.message;
  }
}

memberForm?.addEventListener("submit", async (event) => {
  event.preventDefault();
  const error = document.getElementById("member-error");
  error.textContent = "";
  try {
    await api(`${base}/members/`, {
      method: "POST",
      body: { username: memberForm.elements.username.value.trim(), role: memberForm.elements.role.value },
    });
    memberForm.reset();
    await loadMembers();
  } catch (failure) {
    error.textContent = failure.message;
  }
});

/** POST with XMLHttpRequest, whose upload events give a progress bar that fetch() cannot. */
function upload(url, body, isJson) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.setRequestHeader("X-CSRFToken", csrfToken());
    xhr.setRequestHeader("Accept", "application/json");
    if (isJson) xhr.setRequestHeader("Content-Type", "application/json");
    xhr.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) progress.value = Math.round((100 * event.loaded) / event.total);
    });
    xhr.upload.addEventListener("load", () => {
      progress.value = 100;
      importStatus.textContent = "Uploaded; the server is reading the file…";
    });
    xhr.addEventListener("load", () => {
      let data = null;
      try {
        data = JSON.parse(xhr.responseText);
      } catch {
        data = { detail: `The server answered ${xhr.status}.` };
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(data);
      else reject(Object.assign(new Error(describeErrors(data) || `The server answered ${xhr.status}.`), { data }));
    });
    xhr.addEventListener("error", () => reject(new Error("The network is unreachable; nothing was imported.")));
    xhr.send(isJson ? JSON.stringify(body) : body);
  });
}

/** What a lead reads while a worker has an import: a bulk file's articles split so far, or a page being fetched. */
function importStep(job) {
  if (job.stalled_since) return stalledNote(job);
  if (job.url) return job.status === "pending" ? "Waiting for a worker to fetch the page…" : "Fetching the page…";
  if (job.status === "pending") return `Uploaded ${job.articles} articles; waiting for a worker…`;
  if (job.processed < job.articles) return `Splitting articles into sentences: ${job.processed} of ${job.articles}…`;
  return `Saving ${job.articles} articles…`;
}

/** Follow an import's job until it is ready or failed, showing how far the worker has got; a page's import
 * gives the article it made. A failure carries the job's error, which names the field at fault. */
async function followImport(job) {
  job = await followJob(job, (job) => {
    progress.value = job.progress;
    importStatus.textContent = importStep(job);
  });
  progress.value = job.progress;
  if (job.status === "failed")
    throw Object.assign(new Error(describeErrors(job.error) || "The import failed; nothing was imported."), {
      data: job.error,
    });
  return job.url ? api(`/api/v1/documents/${job.documents[0]}/`) : job;
}

/** Run an import (`send` gives the answer); its outcome is shown under the forms, or an error about one of
 * `fieldNames` beside that field of `form`. A single article imported gets a link to open it. */
async function runImport(form, send, describe, { status = "Uploading…", fieldNames = [] } = {}) {
  importError.textContent = "";
  clearFieldErrors(form);
  importOpened.hidden = true;
  progress.value = 0;
  importStatus.textContent = status;
  const buttons = form.querySelectorAll("button");
  buttons.forEach((button) => (button.disabled = true));
  try {
    let result = await send();
    if (result.status_url) result = await followImport(result);
    importStatus.textContent = describe(result);
    if (result.sentences) {
      importOpened.querySelector("a").href = `/documents/${result.id}/`;
      importOpened.hidden = false;
    }
    form.reset();
    // The outcome is under the last form: bring it into view, and to a screen reader's attention.
    importStatus.focus();
    importStatus.scrollIntoView({ block: "center" });
  } catch (failure) {
    importStatus.textContent = "";
    const rest = showFieldErrors(form, failure.data, fieldNames);
    importError.textContent = rest === null ? failure.message : rest;
    if (rest === null) importError.scrollIntoView({ block: "center" });
  } finally {
    buttons.forEach((button) => (button.disabled = false));
  }
}

function clearFieldErrors(form) {
  form.querySelectorAll(".field-error").forEach((node) => node.remove());
  form.querySelectorAll("[aria-invalid]").forEach((input) => {
    input.removeAttribute("aria-invalid");
    if (input.dataset.help) input.setAttribute("aria-describedby", input.dataset.help);
    else input.removeAttribute("aria-describedby");
  });
}

/** A message beside `input`, which screen readers read with the input's own help. */
function showFieldError(input, message) {
  const note = el("p", { class: "error field-error", id: `${input.id}-error` }, message);
  input.dataset.help ??= input.getAttribute("aria-describedby") || "";
  input.setAttribute("aria-invalid", "true");
  input.setAttribute("aria-describedby", `${note.id} ${input.dataset.help}`.trim());
  input.after(note);
}

/** Put the messages about `fieldNames` beside those fields; the other messages as one line, or null when none
 * was placed (the caller then shows the whole error). */
function showFieldErrors(form, data, fieldNames) {
  const placed = [];
  const rest = [];
  for (const [field, message] of data ? errorEntries(data) : []) {
    const input = fieldNames.includes(field) ? form.elements.namedItem(field) : null;
    if (input) {
      placed.push(input);
      showFieldError(input, message);
    } else rest.push(field ? `${field}: ${message}` : message);
  }
  if (!placed.length) return null;
  placed[0].focus();
  return rest.join(" ");
}

const FORMAT_NAMES = { text: "plain text", markdown: "Markdown", html: "HTML" };
const single = (doc) =>
  `Imported “${doc.title || "(untitled)"}” as ${FORMAT_NAMES[doc.format]}: ${doc.sentences.length} sentences.`;

const pasteForm = document.getElementById("paste-form");
const pasteFormat = pasteForm.elements.format;
const formatHint = document.getElementById("paste-format-hint");
/** The format follows the pasted text until the lead picks one by hand. */
pasteFormat.addEventListener("change", () => (pasteFormat.dataset.chosen = "true"));
pasteForm.elements.text.addEventListener("input", () => {
  if (pasteFormat.dataset.chosen) return;
  pasteFormat.value = detectFormat(pasteForm.elements.text.value);
  formatHint.textContent = `Recognised as ${FORMAT_NAMES[pasteFormat.value]}; change it if it is wrong.`;
});
pasteForm.addEventListener("reset", () => delete pasteFormat.dataset.chosen);

pasteForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const f = event.target.elements;
  const body = { text: f.text.value, format: f.format.value, ...articleMetadata(event.target, { omitEmpty: true }) };
  runImport(event.target, () => upload(`${base}/documents/`, body, true), single);
});

/** A form that uploads its chosen file to `url`, with the article's metadata when the form has it. */
function onFileSubmit(formId, url, missing, describe) {
  document.getElementById(formId).addEventListener("submit", (event) => {
    event.preventDefault();
    const file = event.target.elements.file.files[0];
    if (!file) return (importError.textContent = missing);
    const body = new FormData();
    body.append("file", file);
    // A list (topics) goes as one form field per item, as DRF reads a repeated field.
    for (const [name, value] of Object.entries(articleMetadata(event.target, { omitEmpty: true })))
      for (const item of [value].flat()) body.append(name, item);
    runImport(event.target, () => upload(url, body, false), describe);
  });
}

const fetched = (doc) => {
  const by = [doc.author && `by ${doc.author}`, doc.published && `published ${doc.published}`, doc.outlet && `in ${doc.outlet}`];
  return `Imported “${doc.title || "(untitled)"}” ${by.filter(Boolean).join(", ")}: ${doc.sentences.length} sentences.`.replace(" :", ":");
};

const urlForm = document.getElementById("url-form");
urlForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const input = urlForm.elements.url;
  const url = input.value.trim();
  if (!url) {
    clearFieldErrors(urlForm);
    showFieldError(input, "Give the web address of the article to fetch.");
    return input.focus();
  }
  runImport(urlForm, () => api(`${base}/documents/`, { method: "POST", body: { url } }), fetched, {
    status: "Asking the server to fetch the page…",
    fieldNames: ["url"],
  });
});

onFileSubmit("file-form", `${base}/documents/`, "Choose a file first.", single);
onFileSubmit("bulk-form", `${base}/documents/import/`, "Choose a file of articles first.", (r) => `Imported ${r.created} articles.`);

/** The project's outlets as suggestions for the import forms' outlet fields. */
async function loadOutletNames() {
  const outlets = await apiAll(`${base}/outlets/`);
  document.getElementById("outlet-names").replaceChildren(...outlets.map((outlet) => el("option", { value: outlet.name })));
}

loadMembers();
loadOutletNames();
