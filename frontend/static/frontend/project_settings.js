// A project's settings through PATCH /api/v1/projects/{id}/ (feedback and disagreement categories through …/curation/): its fields, and its
// label scheme and categories edited row by row and saved whole, each existing label sent with its id so that a rename keeps the labels
// reviewers gave.
import { api, el, errorEntries, pageData } from "./api.js";

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
        alpha_min: value("project-alpha-min").trim() === "" ? null : Number(value("project-alpha-min")),
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

// Disagreement categories --------------------------------------------------------------------

const categoryList = document.getElementById("category-list");
const categoriesStatus = document.getElementById("categories-status");
const categoriesError = document.getElementById("categories-error");
const categoryName = (row) => row.querySelector("input").value.trim() || "the new category";
let categorySerial = 0;

function moveCategory(row, step, button) {
  const sibling = step < 0 ? row.previousElementSibling : row.nextElementSibling;
  if (!sibling) return;
  if (step < 0) sibling.before(row);
  else sibling.after(row);
  button.focus();
  categoriesStatus.textContent = `'${categoryName(row)}' is now category ${[...categoryList.children].indexOf(row) + 1}; save the categories to keep it.`;
}

function removeCategory(row) {
  const next = row.nextElementSibling || row.previousElementSibling;
  row.remove();
  (next ? next.querySelector("input") : document.getElementById("add-category")).focus();
  categoriesStatus.textContent = `'${categoryName(row)}' will be removed when you save the categories.`;
}

/** One category's row: its name, how many decisions are filed under it as saved, and buttons to move or remove it. */
function categoryRow(name = "") {
  const n = ++categorySerial;
  const called = name || `new category ${n}`;
  const used = data.category_use[name] || 0;
  const input = el("input", {
    id: `category-${n}`,
    value: name,
    maxlength: data.max_category_length,
    required: true,
    "aria-label": `Name of ${called}`,
    "aria-describedby": `category-${n}-error`,
  });
  const row = el("li", { class: "category-row" });
  const button = (text, label, action) => {
    const node = el("button", { type: "button", "aria-label": label }, text);
    node.addEventListener("click", () => action(row, node));
    return node;
  };
  row.append(
    input,
    el("span", { class: "muted" }, used ? `${used} decision${used === 1 ? "" : "s"}` : ""),
    el(
      "span",
      { class: "actions" },
      button("Up", `Move ${called} up`, (r, b) => moveCategory(r, -1, b)),
      button("Down", `Move ${called} down`, (r, b) => moveCategory(r, 1, b)),
      button("Remove", `Remove ${called}`, removeCategory),
    ),
    el("p", { id: `category-${n}-error`, class: "error" }),
  );
  categoryList.append(row);
  return row;
}

/** The saved list, and the categories decisions still carry that it no longer lists. */
function showCategories(categories) {
  categoryList.replaceChildren();
  categories.forEach((name) => categoryRow(name));
  const unlisted = Object.entries(data.category_use).filter(([name]) => !categories.includes(name));
  document.getElementById("categories-unlisted").textContent = unlisted.length
    ? `Decisions keep categories no longer listed: ${unlisted.map(([name, n]) => `'${name}' (${n})`).join(", ")}.`
    : "";
}

document.getElementById("add-category").addEventListener("click", () => categoryRow().querySelector("input").focus());

document.getElementById("categories-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const sent = [...categoryList.children];
  sent.forEach((row) => {
    row.querySelector("input").removeAttribute("aria-invalid");
    row.querySelector(".error").textContent = "";
  });
  categoriesStatus.textContent = categoriesError.textContent = "";
  try {
    const saved = await api(`${url}curation/`, {
      method: "PATCH",
      body: { categories: sent.map((row) => row.querySelector("input").value.trim()) },
    });
    showCategories(saved.categories);
    categoriesStatus.textContent = "Categories saved.";
  } catch (failure) {
    showCategoryErrors(sent, failure);
  }
});

/** Errors on one category ({"categories": {"2": [...]}}) go beside its field; the others under the list. */
function showCategoryErrors(sent, failure) {
  const general = [];
  for (const [field, message] of errorEntries(failure.data)) {
    const index = field.match(/^categories\.(\d+)$/);
    const row = index && sent[Number(index[1])];
    if (!row) {
      general.push(field && field !== "categories" ? `${field}: ${message}` : message);
      continue;
    }
    row.querySelector(".error").textContent = message;
    row.querySelector("input").setAttribute("aria-invalid", "true");
  }
  categoriesError.textContent = general.length ? general.join(" ") : "Some categories need correcting: see beside them.";
  (categoryList.querySelector("[aria-invalid]") || document.getElementById("add-category")).focus();
}

showScheme(data.labels);
showCategories(data.categories);
document.body.dataset.ready = "true";
