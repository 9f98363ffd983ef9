// Create a project and its label scheme through POST /api/v1/projects/.
import { api, el } from "./api.js";

const DEFAULTS = [
  { name: "claim", key: "1", color: "#1f77b4", description: "A factual assertion that can be checked." },
  { name: "quote", key: "2", color: "#2ca02c", description: "Words attributed to a speaker." },
  { name: "opinion", key: "3", color: "#d62728", description: "The writer's or a source's judgement." },
];
const form = document.getElementById("project-form");
const rows = document.querySelector("#label-table tbody");
const error = document.getElementById("form-error");
let serial = 0;

function addRow(label = { name: "", key: "", color: "#777777", description: "" }) {
  const n = ++serial;
  const input = (name, attrs) => el("input", { name, "aria-label": `Label ${n} ${name}`, ...attrs });
  const row = el(
    "tr",
    { class: "label-row" },
    el("td", {}, input("name", { value: label.name, maxlength: 64, size: 12 })),
    el("td", {}, input("key", { value: label.key, maxlength: 1, size: 2 })),
    el("td", {}, input("color", { type: "color", value: label.color })),
    el("td", {}, input("value", { type: "number", step: "any", size: 4, value: label.value ?? "" })),
    el("td", {}, input("description", { value: label.description, maxlength: 500 })),
    el("td", {}, el("button", { type: "button", onclick: () => row.remove(), "aria-label": `Remove label ${n}` }, "Remove")),
  );
  rows.append(row);
  return row;
}

DEFAULTS.forEach(addRow);
document.getElementById("add-label").addEventListener("click", () => addRow().querySelector("input").focus());

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  error.textContent = "";
  const labels = [...rows.querySelectorAll("tr")].map((row) => {
    const value = (name) => row.querySelector(`[name=${name}]`).value.trim();
    const label = { name: value("name"), key: value("key"), color: value("color"), description: value("description") };
    if (value("value") !== "") label.value = Number(value("value"));
    return label;
  });
  try {
    const project = await api("/api/v1/projects/", {
      method: "POST",
      body: {
        name: form.elements.name.value.trim(),
        description: form.elements.description.value.trim(),
        scale: form.elements.scale.value,
        blind: form.elements.blind.checked,
        labels,
      },
    });
    window.location.assign(`/projects/${project.id}/manage/`);
  } catch (failure) {
    error.textContent = failure.message;
  }
});
