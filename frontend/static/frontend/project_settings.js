// A project's settings through PATCH /api/v1/projects/{id}/ (and feedback through …/curation/): its fields, and its label scheme edited row by row
// and saved whole, each existing label sent with its id so that a rename keeps the labels reviewers gave.
import { api, el, pageData } from "./api.js";

const data = pageData();
const url = `/api/v1/projects/${data.project}/`;
const rows = document.querySelector("#scheme-table tbody");
const schemeStatus = document.getElementById("scheme-status");
const schemeError = document.getElementById("scheme-error");
let serial = 0;

document.getElementById("settings-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const value = (id) => document.getElementById(id).value;
  const status = document.getElementById("settings-status");
  const error = document.getElementById("settings-error");
  status.textContent = error.textContent = "";
  try {
    await api(url, {
      method: "PATCH",
      body: {
        name: value("project-name").trim(),
        description: value("project-description").trim(),
        scale: value("project-scale"),
        blind: document.getElementById("project-blind").checked,
        whole_quotations: document.getElementById("project-whole-quotations").checked,
        guidelines: value("project-guidelines"),
        ...designFields(event.target),
      },
    });
    await api(`${url}curation/`, { method: "PATCH", body: { feedback: document.getElementById("project-feedback").checked } });
    status.textContent = "Settings saved.";
  } catch (failure) {
    error.textContent = failure.message;
  }
});

/** The study design's fields as the API takes them: empty is null, hours become a duration, a percentage a share. */
function designFields(form) {
  const number = (name) => (form.elements[name].value.trim() === "" ? null : Number(form.elements[name].value));
  const hours = number("reclaim_after");
  const percent = number("training_threshold");
  return {
    overlap: number("overlap"),
    reclaim_after: hours === null ? null : `${Math.round(hours * 3600)}`,
    training_threshold: percent === null ? null : percent / 100,
  };
}

const nameOf = (row) => row.querySelector("[data-field=name]").value.trim() || "the new label";

function move(row, step, button) {
  const sibling = step < 0 ? row.previousElementSibling : row.nextElementSibling;
  if (!sibling) return;
  if (step < 0) sibling.before(row);
  else sibling.after(row);
  button.focus();
  schemeStatus.textContent = `'${nameOf(row)}' is now label ${[...rows.children].indexOf(row) + 1}; save the scheme to keep it.`;
}

/** Mark a row for deletion (a pressed toggle); saving the scheme deletes it, pressing again keeps it. */
function toggleDeletion(row, button) {
  const deleted = row.toggleAttribute("data-deleted");
  row.querySelectorAll("input").forEach((input) => (input.disabled = deleted));
  button.setAttribute("aria-pressed", String(deleted));
  schemeStatus.textContent = deleted
    ? `'${nameOf(row)}' will be deleted when you save the scheme; press Delete again to keep it.`
    : `'${nameOf(row)}' stays.`;
}

function labelRow(label = { name: "", key: "", color: "#777777", description: "", value: null }) {
  // Inputs and buttons are named after the label as saved (a new one by its number).
  const called = label.name || `new label ${++serial}`;
  const input = (field, title, attrs) => el("input", { "data-field": field, "aria-label": `${title} of ${called}`, ...attrs });
  const row = el("tr", { class: "label-row", dataset: label.id ? { id: label.id } : {} });
  const button = (text, name, action, attrs = {}) => {
    const node = el("button", { type: "button", "aria-label": name, ...attrs }, text);
    node.addEventListener("click", () => action(row, node));
    return node;
  };
  row.append(
    el("td", {}, input("name", "Name", { value: label.name, maxlength: 64, size: 12, required: true })),
    el("td", {}, input("key", "Key", { value: label.key, maxlength: 1, size: 2 })),
    el("td", {}, input("color", "Colour", { type: "color", value: label.color })),
    el("td", {}, input("value", "Value", { type: "number", step: "any", size: 4, value: label.value ?? "" })),
    el("td", {}, input("description", "Description", { value: label.description, maxlength: 500 })),
    el(
      "td",
      { class: "actions" },
      button("Up", `Move ${called} up`, (r, b) => move(r, -1, b)),
      button("Down", `Move ${called} down`, (r, b) => move(r, 1, b)),
      button("Delete", `Delete ${called}`, toggleDeletion, { "aria-pressed": "false" }),
    ),
  );
  rows.append(row);
  return row;
}

function showScheme(labels) {
  rows.replaceChildren();
  labels.forEach((label) => labelRow(label));
}

document.getElementById("add-label").addEventListener("click", () => labelRow().querySelector("input").focus());

document.getElementById("scheme-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const sent = [...rows.children].filter((row) => !row.hasAttribute("data-deleted"));
  sent.forEach((row) => row.querySelectorAll("[aria-invalid]").forEach((input) => input.removeAttribute("aria-invalid")));
  const labels = sent.map((row) => {
    const value = (field) => row.querySelector(`[data-field=${field}]`).value.trim();
    const label = { name: value("name"), key: value("key"), color: value("color"), description: value("description") };
    if (value("value") !== "") label.value = Number(value("value"));
    if (row.dataset.id) label.id = Number(row.dataset.id);
    return label;
  });
  try {
    schemeStatus.textContent = "";
    schemeError.textContent = "";
    const project = await api(url, { method: "PATCH", body: { labels } });
    showScheme(project.labels);
    schemeStatus.textContent = "Scheme saved.";
  } catch (failure) {
    schemeError.textContent = failure.message;
    markInvalid(sent, failure.data);
  }
});

/** Point at the inputs an answer like {"labels[2].key": [...]} names (the index counts the rows sent). */
function markInvalid(sent, errors) {
  const invalid = Object.keys(errors || {})
    .map((key) => key.match(/^labels\[(\d+)\]\.(\w+)$/))
    .filter(Boolean)
    .map(([, index, field]) => sent[Number(index)]?.querySelector(`[data-field=${field}]`))
    .filter(Boolean);
  invalid.forEach((input) => input.setAttribute("aria-invalid", "true"));
  invalid[0]?.focus();
}

showScheme(data.labels);
document.body.dataset.ready = "true";
