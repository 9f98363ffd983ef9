// Curator view: every reviewer's label on each sentence side by side, disagreements marked, sortable by contest.
import { api, apiAll, el, pageData } from "./api.js";

const data = pageData();
const labels = new Map(data.labels.map((label) => [label.name, label]));
const body = document.getElementById("curate-body");
const head = document.getElementById("curate-head");
const sort = document.getElementById("sort");
const onlyDisagreements = document.getElementById("only-disagreements");
const summary = document.getElementById("summary");
let rows = [];
let reviewers = [];

/** How contested a sentence is: 1 - the majority label's share of its labels (0 when all agree). */
function contest(labels) {
  const counts = new Map();
  for (const label of labels) counts.set(label, (counts.get(label) || 0) + 1);
  let majority = null;
  let top = 0;
  for (const [label, count] of counts) if (count > top) [majority, top] = [label, count];
  return { majority, top, n: labels.length, distinct: counts.size, score: labels.length ? 1 - top / labels.length : 0 };
}

function chip(label, minority) {
  const style = labels.has(label) ? { "--label-color": labels.get(label).color, "--label-ink": labels.get(label).ink } : {};
  return el("span", { class: `label-chip${minority ? " minority" : ""}`, style }, label);
}

function render() {
  const ordered = [...rows];
  if (sort.value === "contested") ordered.sort((a, b) => b.c.score - a.c.score || b.c.distinct - a.c.distinct || a.index - b.index);
  const shown = onlyDisagreements.checked ? ordered.filter((row) => row.c.distinct > 1) : ordered;
  body.replaceChildren(
    ...shown.map((row) =>
      el(
        "tr",
        { class: `sentence-row${row.c.distinct > 1 ? " disagree" : ""}`, dataset: { sentence: row.id, score: row.c.score.toFixed(3) } },
        el("th", { scope: "row" }, el("span", { class: "muted" }, `${row.index + 1}. `), row.text),
        el(
          "td",
          {},
          row.c.n
            ? `${row.c.distinct > 1 ? "Disagree" : "Agree"}: ${row.c.top}/${row.c.n} ${row.c.majority}`
            : el("span", { class: "none" }, "no labels"),
        ),
        ...reviewers.map((name) => {
          const label = row.byReviewer.get(name);
          return el("td", {}, label ? chip(label, row.c.distinct > 1 && label !== row.c.majority) : el("span", { class: "none" }, "—"));
        }),
      ),
    ),
  );
  const contested = rows.filter((row) => row.c.distinct > 1).length;
  summary.textContent = `${rows.length} sentences, ${reviewers.length} reviewers, ${contested} with disagreement.`;
}

async function load() {
  const [doc, annotations] = await Promise.all([
    api(`/api/v1/documents/${data.document}/`),
    apiAll(`/api/v1/documents/${data.document}/annotations/`),
  ]);
  reviewers = [...new Set(annotations.map((a) => a.annotator))].sort();
  const bySentence = new Map();
  for (const a of annotations) {
    if (!bySentence.has(a.sentence)) bySentence.set(a.sentence, new Map());
    bySentence.get(a.sentence).set(a.annotator, a.label);
  }
  rows = doc.sentences.map((s) => {
    const byReviewer = bySentence.get(s.id) || new Map();
    return { id: s.id, index: s.index, text: s.text, byReviewer, c: contest([...byReviewer.values()]) };
  });
  head.replaceChildren(
    el("th", { scope: "col" }, "Sentence"),
    el("th", { scope: "col" }, "Agreement"),
    ...reviewers.map((name) => el("th", { scope: "col" }, name)),
  );
  render();
  document.body.dataset.ready = "true";
}

sort.addEventListener("change", render);
onlyDisagreements.addEventListener("change", render);
load().catch((failure) => (summary.textContent = `Could not load the labels: ${failure.message}`));
