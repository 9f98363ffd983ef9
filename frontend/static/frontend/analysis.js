// The coverage page: a project's analysis (GET /api/v1/projects/{id}/analysis/?by=&basis=) as bars with
// intervals, small multiples by month and a table that copies as tab-separated text.
import { api, el, pageData } from "./api.js";
import { fmt, shareChart, widthFor } from "./charts.js";
import { describeFreshness, isBusy } from "./freshness.js";

const data = pageData();
const url = `/api/v1/projects/${data.project}/analysis/`;
const colours = new Map(data.labels.map((label) => [label.name, label.color]));
const form = document.getElementById("analysis-form");
const freshness = document.getElementById("freshness");
const error = document.getElementById("analysis-error");
const results = document.getElementById("analysis-results");
const basisN = document.getElementById("basis-n");
const POLL_MS = 1500;
const IDLE_POLL_MS = 15000;
const BASES = { plurality: "plurality label", labels: "every reviewer's label", gold: "gold decisions" };
const THIRDS = ["first", "middle", "last"];
const NO_GROUP = { outlet: "(no outlet)", leaning: "(unrated outlet)", topic: "(no topic)", month: "(no date)" };
let pollTimer = null;
let shown = "";

const percent = (value) => (value == null ? "n/a" : `${Math.round(value * 100)}%`);
const interval = (figure) => (figure?.ci95 ? `${percent(figure.ci95[0])}–${percent(figure.ci95[1])}` : "no interval");
const groupName = (by, name) => name || NO_GROUP[by];

/** Each group's figures as rows: [figure name, {estimate, ci95}], in the order the table lists them. */
function figuresOf(report, group) {
  const rows = report.labels.map((label) => [`share of ${label}`, group.shares[label]]);
  if (group.claims) rows.push(["claims with a source", group.claims.with_source], ["sources per claim", group.claims.sources_per_claim]);
  if (group.quotes) rows.push(["distinct speakers quoted", group.quotes.speakers], ["top five speakers' share of quotes", group.quotes.top_five_share]);
  return rows;
}

/** Small multiples: a panel per (heading, rows), laid out together first so each chart is drawn for its panel's width. */
function drawPanels(holder, panels) {
  const placed = panels.map(({ heading }) => holder.appendChild(el("div", { class: "chart" }, el("h3", {}, heading))));
  panels.forEach(({ rows, title }, i) => placed[i].append(rows.length ? shareChart(rows, { title, width: widthFor(placed[i]) }) : el("p", { class: "muted" }, "Nothing labelled yet.")));
}

function drawShares(report) {
  const holder = document.getElementById("share-charts");
  holder.replaceChildren();
  if (!report.labels.length) return holder.append(el("p", { class: "muted" }, "No labels yet."));
  drawPanels(
    holder,
    report.labels.map((label) => ({
      heading: label,
      title: `Share of ${label} by ${report.by}, with 95% intervals`,
      rows: report.groups.map((group) => ({
        name: groupName(report.by, group.name),
        value: group.shares[label]?.estimate,
        ci: group.shares[label]?.ci95,
        color: colours.get(label),
      })),
    })),
  );
}

function drawMonths(report) {
  const holder = document.getElementById("month-charts");
  holder.replaceChildren();
  const months = report.groups.filter((group) => group.name);
  if (!months.length) return holder.append(el("p", { class: "muted" }, "No labelled article has a published date yet."));
  drawPanels(
    holder,
    months.map((month) => ({
      heading: `${month.name} (${month.articles} ${month.articles === 1 ? "article" : "articles"})`,
      title: `Label shares in ${month.name}, with 95% intervals`,
      rows: report.labels.map((label) => ({ name: label, value: month.shares[label]?.estimate, ci: month.shares[label]?.ci95, color: colours.get(label) })),
    })),
  );
}

function tableRow(cells, header = false) {
  return el("tr", {}, ...cells.map((cell, i) => el(header ? "th" : i === 0 ? "th" : "td", header ? { scope: "col" } : i === 0 ? { scope: "row" } : {}, String(cell))));
}

function drawTable(report) {
  const number = (value) => (value == null ? "" : fmt(value));
  const rows = report.groups.flatMap((group) =>
    figuresOf(report, group).map(([name, figure]) => [
      groupName(report.by, group.name),
      name,
      number(figure?.estimate),
      number(figure?.ci95?.[0]),
      number(figure?.ci95?.[1]),
      group.articles,
      group.sentences,
    ]),
  );
  const head = [report.by, "figure", "estimate", "95% low", "95% high", "articles", "sentences"];
  const table = document.getElementById("figures");
  table.replaceChildren(tableRow(head, true), ...rows.map((cells) => tableRow(cells)));
  if (!rows.length) table.append(el("caption", {}, "No labelled articles yet."));
}

function drawThirds(report) {
  const table = document.getElementById("thirds");
  const rows = report.groups.flatMap((group) =>
    THIRDS.map((part) => [
      `${groupName(report.by, group.name)}, ${part}`,
      ...report.labels.map((label) => `${percent(group.by_third?.[part]?.[label]?.estimate)} (${interval(group.by_third?.[part]?.[label])})`),
    ]),
  );
  table.replaceChildren(tableRow([`${report.by}, third`, ...report.labels], true), ...rows.map((cells) => tableRow(cells)));
}

function describeBasis(report) {
  const n = report.n || {};
  basisN.textContent = `Basis: ${BASES[report.basis]} · n = ${n.articles ?? 0} articles, ${n.sentences ?? 0} sentences, ${n.labels ?? 0} labels${report.resamples ? ` · ${report.resamples} resamples` : ""}`;
}

function current() {
  return { by: form.elements.by.value, basis: form.elements.basis.value };
}

async function refresh() {
  clearTimeout(pollTimer);
  const { by, basis } = current();
  const query = (grouping) => `${url}?by=${grouping}&basis=${basis}`;
  let report, months;
  try {
    [report, months] = await Promise.all([api(query(by)), by === "month" ? null : api(query("month"))]);
  } catch (failure) {
    shown = "";
    results.hidden = true;
    freshness.dataset.status = "unavailable";
    freshness.textContent = "";
    basisN.textContent = `Basis: ${BASES[basis]} · no figures`;
    error.textContent = failure.status === 400 ? failure.message : `Could not load the analysis: ${failure.message}`;
    document.body.dataset.status = "unavailable";
    return;
  }
  months = months || report;
  error.textContent = "";
  results.hidden = false;
  describeFreshness(freshness, report, "Analysis");
  describeBasis(report);
  const key = `${by} ${basis} ${report.computed_at} ${months.computed_at}`;
  if (key !== shown) {
    shown = key;
    drawShares(report);
    drawMonths(months);
    drawTable(report);
    drawThirds(report);
  }
  document.body.dataset.status = report.status;
  pollTimer = setTimeout(refresh, isBusy(report) || isBusy(months) ? POLL_MS : IDLE_POLL_MS);
}

/** The table as tab-separated text, a line per row: what a spreadsheet or R's read.delim takes. */
function tableText() {
  return [...document.querySelectorAll("#figures tr")].map((row) => [...row.cells].map((cell) => cell.textContent).join("\t")).join("\n");
}

document.getElementById("copy-table").addEventListener("click", async () => {
  const status = document.getElementById("copy-status");
  try {
    await navigator.clipboard.writeText(tableText());
    status.textContent = `Copied ${document.querySelectorAll("#figures tr").length - 1} rows as tab-separated text.`;
  } catch {
    status.textContent = "The browser did not allow copying: select the table and copy it by hand.";
  }
});

const asked = new URLSearchParams(location.search);
for (const name of ["by", "basis"]) {
  const select = form.elements[name];
  if ([...select.options].some((option) => option.value === asked.get(name))) select.value = asked.get(name);
}
form.addEventListener("change", () => {
  const { by, basis } = current();
  history.replaceState(null, "", `?by=${by}&basis=${basis}`);
  shown = "";
  refresh();
});
form.addEventListener("submit", (event) => event.preventDefault());
refresh();
