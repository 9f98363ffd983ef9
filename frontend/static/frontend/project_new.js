// Create a project and its label scheme through POST /api/v1/projects/; errors are shown next to their fields.
import { api, el, errorEntries } from "./api.js";

const DEFAULTS = [
  { name: "claim", key: "1", color: "#1f77b4", description: "A factual assertion that can be checked." },
  { name: "quote", key: "2", color: "#2ca02c", description: "Words attributed to a speaker." },
  { name: "opinion", key: "3", color: "#d62728", description: "The writer's or a source's judgement." },
];
const form = document.getElementById("project-form");
const rows = document.querySelector("#label-table tbody");
const formError = document.getElementById("form-error");
let serial = 0;

function addRow(label = { name: "", key: "", color: "#777777", description: "" }) {
  const n = ++serial;
  // Label inputs carry data-field, not name, so that form.elements holds only the project's own fields.
  const input = (field, attrs) => el("input", { "data-field": field, id: `label-${n}-${field}`, "aria-label": `Label ${n} ${field}`, ...attrs });
  const move = (direction, text) =>
    el("button", { type: "button", class: "move", "aria-label": `Move label ${n} ${direction}`, onclick: () => moveRow(row, direction) }, text);
  const row = el(
    "tr",
    { class: "label-row" },
    el("td", {}, input("name", { value: label.name, maxlength: 64, size: 12 })),
    el("td", {}, input("key", { value: label.key, maxlength: 1, size: 2 })),
    el("td", {}, input("color", { type: "color", value: label.color })),
    el("td", {}, input("value", { type: "number", step: "any", size: 4, value: label.value ?? "" })),
    el("td", {}, input("description", { value: label.description, maxlength: 500 })),
    el(
      "td",
      { class: "row-actions" },
      move("up", "↑"),
      move("down", "↓"),
      el("button", { type: "button", onclick: () => row.remove(), "aria-label": `Remove label ${n}` }, "Remove"),
    ),
  );
  rows.append(row);
  return row;
}

function moveRow(row, direction) {
  const sibling = direction === "up" ? row.previousElementSibling : row.nextElementSibling;
  if (!sibling) return;
  if (direction === "up") sibling.before(row);
  else sibling.after(row);
  row.querySelector(`[aria-label$=" ${direction}"]`).focus();
}

function clearErrors() {
  formError.textContent = "";
  form.querySelectorAll(".field-error").forEach((node) => node.remove());
  form.querySelectorAll("[aria-invalid]").forEach((node) => {
    node.removeAttribute("aria-invalid");
    node.removeAttribute("aria-describedby");
  });
}

/** The input an error's field path names: `name`, `scale`, or `labels[2].key` (rows in the order sent). */
function inputFor(field) {
  const match = field.match(/^labels\[(\d+)\]\.(\w+)$/);
  if (match) return rows.children[Number(match[1])]?.querySelector(`[data-field=${match[2]}]`) ?? null;
  const named = form.elements.namedItem(field);
  return named instanceof HTMLElement && named.id ? named : null;
}

function showErrors(data) {
  const general = [];
  for (const [field, message] of errorEntries(data)) {
    const input = field ? inputFor(field) : null;
    if (!input) {
      general.push(field ? `${field}: ${message}` : message);
      continue;
    }
    const note = el("span", { class: "error field-error", id: `${input.id}-error` }, message);
    input.setAttribute("aria-invalid", "true");
    input.setAttribute("aria-describedby", note.id);
    input.after(note);
  }
  formError.textContent = general.join(" ");
  form.querySelector("[aria-invalid]")?.focus();
}

DEFAULTS.forEach(addRow);
document.getElementById("add-label").addEventListener("click", () => addRow().querySelector("input").focus());

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  clearErrors();
  const labels = [...rows.children].map((row) => {
    const value = (field) => row.querySelector(`[data-field=${field}]`).value.trim();
    const label = { name: value("name"), key: value("key"), color: value("color"), description: value("description") };
    if (value("value") !== "") label.value = Number(value("value"));
    return label;
  });
  const fields = form.elements;
  try {
    const project = await api("/api/v1/projects/", {
      method: "POST",
      body: {
        name: fields.name.value.trim(),
        description: fields.description.value.trim(),
        scale: fields.scale.value,
        blind: fields.blind.checked,
        whole_quotations: fields.whole_quotations.checked,
        labels,
      },
    });
    window.location.assign(`/projects/${project.id}/manage/`);
  } catch (failure) {
    if (failure.data) showErrors(failure.data);
    else formError.textContent = failure.message;
  }
});
document.body.dataset.ready = "true";
