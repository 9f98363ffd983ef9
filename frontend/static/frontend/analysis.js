// The coverage page: a project's analysis (GET /api/v1/projects/{id}/analysis/?by=&basis=) as bars with
// intervals, small multiples by month, the difference of two groups, claims' sources, quotes' speakers, and a
// table that copies as tab-separated text.
import { api, el, pageData } from "./api.js";
import { amount, fmt, shareChart, widthFor } from "./charts.js";
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
const BASES = { combined: "gold where decided, plurality elsewhere", plurality: "plurality label", labels: "every reviewer's label", gold: "gold decisions only" };
const THIRDS = ["first", "middle", "last"];
const NO_GROUP = { outlet: "(no outlet)", leaning: "(unrated outlet)", topic: "(no topic)", month: "(no date)" };
const firstGroup = document.getElementById("difference-first");
const secondGroup = document.getElementById("difference-second");
let pollTimer = null;
let shown = "";
let latest = null;

const percent = (value) => (value == null ? "n/a" : `${Math.round(value * 100)}%`);
// Intervals are withheld for groups under the article minimum the simulation supports (the analysis says which).
let minArticles = null;
const noInterval = (figure) => (figure?.estimate != null && minArticles ? `no interval (under ${minArticles} articles)` : "no interval");
const interval = (figure) => (figure?.ci95 ? `${percent(figure.ci95[0])}–${percent(figure.ci95[1])}` : noInterval(figure));
const groupName = (by, name) => name || NO_GROUP[by];
const cells = (figure, show) => [figure?.estimate == null ? "n/a" : show(figure.estimate), figure?.ci95 ? `${show(figure.ci95[0])} to ${show(figure.ci95[1])}` : noInterval(figure)];
const pValue = (p) => (p == null ? "" : p < 0.001 ? "< 0.001" : fmt(p, 3));
const points = (value) => `${value > 0 ? "+" : value < 0 ? "-" : ""}${Math.abs(Math.round(value * 100))} pts`;
const signed = (value) => `${value > 0 ? "+" : value < 0 ? "-" : ""}${fmt(Math.abs(value), 2)}`;

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

/** The figures a difference lists: [key in `differences`, name, how to show a value]. */
function comparedFigures(report) {
  return [
    ...report.labels.map((label) => [`share:${label}`, `share of ${label}`, points]),
    ["claims:with_source", "claims with a source", points],
    ["claims:sources_per_claim", "sources per claim", signed],
    ["quotes:speakers", "distinct speakers quoted", signed],
    ["quotes:top_five_share", "top five speakers' share of quotes", points],
  ];
}

/** The pair's figures, first minus second, whichever order the analysis compared them in. */
function differenceOf(report, first, second) {
  for (const { groups, figures } of report.differences) {
    if (groups[0] === first && groups[1] === second) return figures;
    if (groups[0] === second && groups[1] === first) {
      const flip = (figure) => ({ estimate: figure.estimate == null ? null : -figure.estimate, ci95: figure.ci95 ? [-figure.ci95[1], -figure.ci95[0]] : null });
      return Object.fromEntries(Object.entries(figures).map(([key, figure]) => [key, flip(figure)]));
    }
  }
  return null;
}

function fillPair(report) {
  const names = [...new Set(report.differences.flatMap(({ groups }) => groups))];
  const previous = [firstGroup.value, secondGroup.value];
  for (const [select, fallback] of [[firstGroup, names[0]], [secondGroup, names[1]]]) {
    select.replaceChildren(...names.map((name) => el("option", { value: name }, groupName(report.by, name))));
    select.value = names.includes(previous[select === firstGroup ? 0 : 1]) ? previous[select === firstGroup ? 0 : 1] : fallback ?? "";
  }
  firstGroup.disabled = secondGroup.disabled = names.length < 2;
}

function drawDifference(report) {
  const table = document.getElementById("differences");
  const [first, second] = [firstGroup.value, secondGroup.value];
  const figures = first !== second ? differenceOf(report, first, second) : null;
  const head = tableRow(["figure", `${groupName(report.by, first)} minus ${groupName(report.by, second)}`, "95% interval", "0 left out", "p (Holm)"], true);
  if (!figures) {
    const why = report.differences.length ? "Choose two different groups." : "Two groups with labelled articles are needed for a difference.";
    return table.replaceChildren(el("caption", {}, why));
  }
  const rows = comparedFigures(report)
    .filter(([key]) => figures[key])
    .map(([key, name, show]) => {
      const figure = figures[key];
      const excludes = figure.ci95 ? (figure.ci95[0] > 0 || figure.ci95[1] < 0 ? "yes" : "no") : "";
      return tableRow([name, ...cells(figure, show), excludes, pValue(figure.p_holm)]);
    });
  table.replaceChildren(head, ...rows);
}

function drawClaims(report) {
  const table = document.getElementById("claims");
  const groups = report.groups.filter((group) => group.claims);
  if (!groups.length) return table.replaceChildren(el("caption", {}, isBusy(report) ? "Computing the claims…" : "This scheme has no label named claim."));
  const head = tableRow([report.by, "claims", "with a source", "95% interval", "sources per claim", "95% interval", "most cited domains"], true);
  const rows = groups.map((group) =>
    tableRow([
      groupName(report.by, group.name),
      amount(group.claims.weight),
      ...cells(group.claims.with_source, percent),
      ...cells(group.claims.sources_per_claim, (value) => fmt(value, 2)),
      group.claims.top_domains.slice(0, 5).map((row) => `${row.domain} (${amount(row.claims)})`).join(", ") || "none",
    ]),
  );
  table.replaceChildren(head, ...rows);
}

function drawQuotes(report) {
  const table = document.getElementById("quotes");
  const groups = report.groups.filter((group) => group.quotes);
  if (!groups.length) return table.replaceChildren(el("caption", {}, isBusy(report) ? "Computing the quotes…" : "This scheme has no label named quote."));
  const head = tableRow([report.by, "quotes", "distinct speakers", "95% interval", "top five's share", "95% interval", "most quoted"], true);
  const rows = groups.map((group) =>
    tableRow([
      groupName(report.by, group.name),
      amount(group.quotes.weight),
      ...cells(group.quotes.speakers, (value) => fmt(value, 0)),
      ...cells(group.quotes.top_five_share, percent),
      group.quotes.most_quoted.map((row) => `${row.speaker} (${amount(row.quotes)})`).join(", ") || "no named speaker",
    ]),
  );
  table.replaceChildren(head, ...rows);
}

function describeBasis(report) {
  const n = report.n || {};
  const counted = [n.decisions != null ? `${n.decisions} decisions` : "", n.labels != null ? `${n.labels} labels` : ""].filter(Boolean).join(", ");
  const mix = report.mix ? ` · sentences: ${report.mix.decided} decided, ${report.mix.plurality} by plurality, ${report.mix.tied} tied (weight shared)` : "";
  minArticles = report.min_articles ?? null;
  const rule = report.min_articles ? ` · no interval for a group under ${report.min_articles} articles; differences' p adjusted by Holm's method` : "";
  basisN.textContent = `Basis: ${BASES[report.basis]} · n = ${n.articles ?? 0} articles, ${n.sentences ?? 0} sentences, ${counted}${mix}${report.resamples ? ` · ${report.resamples} resamples` : ""}${rule}`;
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
    fillPair(report);
    drawDifference(report);
    drawClaims(report);
    drawQuotes(report);
    drawTable(report);
    drawThirds(report);
  }
  latest = report;
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
form.elements.basis.value = data.basis;
for (const name of ["by", "basis"]) {
  const select = form.elements[name];
  if ([...select.options].some((option) => option.value === asked.get(name))) select.value = asked.get(name);
}
for (const select of [firstGroup, secondGroup]) select.addEventListener("change", () => latest && drawDifference(latest));
form.addEventListener("change", () => {
  const { by, basis } = current();
  history.replaceState(null, "", `?by=${by}&basis=${basis}`);
  shown = "";
  refresh();
});
form.addEventListener("submit", (event) => event.preventDefault());
refresh();
