// The outlets page: the project's leanings (PATCH projects/{id}/) and its outlets (GET/POST/PATCH/DELETE outlets/).
import { api, apiAll, el, pageData } from "./api.js";

const data = pageData();
const base = `/api/v1/projects/${data.project}`;
const FIELDS = ["name", "domain", "country", "leaning", "rating_source"];
const FIELD_NAMES = { name: "Name", domain: "Web domain", country: "Country", leaning: "Leaning", rating_source: "Source of the rating" };
let leanings = data.leanings;
const rows = document.getElementById("outlet-rows");
const status = document.getElementById("outlets-status");
const rowError = document.getElementById("outlets-error");

function leaningOptions(select, chosen = "") {
  const choices = ["", ...leanings];
  if (chosen && !choices.includes(chosen)) choices.push(chosen);
  select.replaceChildren(...choices.map((leaning) => el("option", { value: leaning, selected: leaning === chosen }, leaning || "(not rated)")));
}

const valuesOf = (holder) => Object.fromEntries(FIELDS.map((name) => [name, holder.querySelector(`[name=${name}]`).value.trim()]));

function outletRow(outlet) {
  const input = (name) => el("input", { name, value: outlet[name], "aria-label": `${FIELD_NAMES[name]} of ${outlet.name}`, maxlength: 200 });
  const leaning = el("select", { name: "leaning", "aria-label": `Leaning of ${outlet.name}` });
  leaningOptions(leaning, outlet.leaning);
  const row = el(
    "tr",
    { dataset: { outlet: outlet.id } },
    el("th", { scope: "row" }, input("name")),
    el("td", {}, input("domain")),
    el("td", {}, input("country")),
    el("td", {}, leaning),
    el("td", {}, input("rating_source")),
    el(
      "td",
      { class: "row-actions" },
      el("button", { type: "button", onclick: () => save(outlet, row), "aria-label": `Save ${outlet.name}` }, "Save"),
      el("button", { type: "button", onclick: () => remove(outlet), "aria-label": `Delete ${outlet.name}` }, "Delete"),
    ),
  );
  return row;
}

async function loadOutlets() {
  const outlets = await apiAll(`${base}/outlets/`);
  rows.replaceChildren(...outlets.map(outletRow));
  if (!outlets.length) rows.append(el("tr", {}, el("td", { colspan: 6 }, "No outlets yet: add one, or import articles that name theirs.")));
  document.body.dataset.ready = "true";
}

async function run(action, done) {
  rowError.textContent = status.textContent = "";
  try {
    await action();
    status.textContent = done;
    await loadOutlets();
  } catch (failure) {
    rowError.textContent = failure.message;
  }
}

const save = (outlet, row) => run(() => api(`${base}/outlets/${outlet.id}/`, { method: "PATCH", body: valuesOf(row) }), `Saved ${valuesOf(row).name}.`);
const remove = (outlet) => run(() => api(`${base}/outlets/${outlet.id}/`, { method: "DELETE" }), `Deleted ${outlet.name}; its articles keep the name, unrated.`);

const outletForm = document.getElementById("outlet-form");
outletForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const error = document.getElementById("outlet-error");
  error.textContent = "";
  try {
    const outlet = await api(`${base}/outlets/`, { method: "POST", body: valuesOf(outletForm) });
    outletForm.reset();
    status.textContent = `Added ${outlet.name}.`;
    await loadOutlets();
  } catch (failure) {
    error.textContent = failure.message;
  }
});

const leaningsForm = document.getElementById("leanings-form");
leaningsForm.elements.leanings.value = leanings.join(", ");
leaningsForm.addEventListener("submit", (event) => event.preventDefault());
if (data.is_owner) leaningsForm.addEventListener("submit", async () => {
  const error = document.getElementById("leanings-error");
  const saved = document.getElementById("leanings-status");
  error.textContent = saved.textContent = "";
  const wanted = leaningsForm.elements.leanings.value.split(",").map((leaning) => leaning.trim()).filter(Boolean);
  try {
    const project = await api(`${base}/`, { method: "PATCH", body: { leanings: wanted } });
    leanings = project.leanings;
    leaningsForm.elements.leanings.value = leanings.join(", ");
    leaningOptions(outletForm.elements.leaning);
    saved.textContent = "Leanings saved.";
    await loadOutlets();
  } catch (failure) {
    error.textContent = failure.message;
  }
});

leaningOptions(outletForm.elements.leaning);
loadOutlets();
