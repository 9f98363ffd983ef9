// The agreement page: the project's report (GET/POST /api/v1/projects/{id}/agreement/) and its articles', drawn in SVG.
import { api, el, pageData } from "./api.js";
import { barChart, fmt, heatmap, intervalChart, widthFor } from "./charts.js";
import { describeFreshness, isBusy } from "./freshness.js";

const data = pageData();
const url = `/api/v1/projects/${data.project}/agreement/`;
const articlesUrl = `${url}articles/`;
const colours = new Map(data.labels.map((label) => [label.name, label.color]));
const freshness = document.getElementById("freshness");
const recompute = document.getElementById("recompute");
const POLL_MS = 1500;
// While nothing is being computed, look again now and then so an open page follows the reviewers.
const IDLE_POLL_MS = 15000;
const MAX_DOCUMENTS = 50;
let pollTimer = null;
let shownAt = undefined;

// What a null figure means, by the reason code the API gives with it.
const REASONS = {
  not_enough_units: "no sentence has two labels yet",
  no_variation: "every label is the same, so chance agreement is certain",
  one_category: "the scheme has one label",
  too_few_units: "too few sentences with two labels for an interval that holds",
  too_few_articles: "too few articles for an interval that holds (sentences of one article are not independent)",
  no_disagreement: "no sentence is disagreed on, so resampling cannot show the spread",
  no_resamples: "no resamples were asked for",
};
const why = (reason) => (reason ? `n/a: ${REASONS[reason] || reason}` : "n/a");
// Why an interval is missing, with what would give one where more articles would.
function whyNoInterval(report) {
  const boot = report.bootstrap || {};
  if (report.alpha_ci95_reason === "too_few_articles" && boot.min_articles) {
    const more = boot.min_articles - (boot.articles || 0);
    const have = boot.articles || 0;
    return `n/a: ${have} article${have === 1 ? "" : "s"} with a sentence labelled twice; label ${more} more article${more === 1 ? "" : "s"}${moreSentences(report)} for an interval`;
  }
  return why(report.alpha_ci95_reason) + (report.alpha_ci95_reason === "too_few_units" ? moreSentences(report) : "");
}
// Krippendorff's sample size for the project's alpha_min (.800 without one): the sentences still missing.
function moreSentences(report) {
  const plan = report.sample_size;
  if (!plan || !plan.more_units) return "";
  return ` and ${plan.more_units} more sentence${plan.more_units === 1 ? "" : "s"} with two labels (Krippendorff's sample size for alpha ${fmt(plan.alpha_min)} at p = ${plan.significance}, rarest label ${percent(plan.rarest_share)})`;
}
// Krippendorff's q: the chance that alpha is below each conventional minimum, from the bootstrap.
const qText = (report) =>
  (report.alpha_q || []).map((q) => `q(alpha < ${fmt(q.alpha_min)}) = ${q.q < 0.001 ? "< 0.001" : fmt(q.q)}`).join(", ");
const figure = (value, reason) => (value == null ? why(reason) : fmt(value));
const percent = (value) => (value == null ? "n/a" : `${Math.round(value * 100)}%`);

function row(cells, header = false) {
  return el("tr", {}, ...cells.map((cell, i) => el(header ? "th" : i === 0 ? "th" : "td", header ? { scope: "col" } : i === 0 ? { scope: "row" } : {}, String(cell))));
}

function drawCoefficients(report) {
  const ci = report.alpha_ci95 ? `${fmt(report.alpha_ci95[0])} to ${fmt(report.alpha_ci95[1])}` : whyNoInterval(report);
  const weights = report.weights?.name || "identity";
  const rows = [
    ["Krippendorff's alpha", figure(report.alpha, report.alpha_reason), `95% CI ${ci}${report.alpha_q?.length ? `; ${qText(report)}` : ""}`, `${report.pairable_units ?? 0} sentences${report.bootstrap?.unit === "article" ? ` in ${report.bootstrap.articles} articles` : ""}, ${report.pairable_values ?? 0} labels`],
  ];
  if (report.fleiss) rows.push([`Fleiss' kappa (${weights})`, figure(report.fleiss.value, report.fleiss.reason), report.fleiss.se == null ? "" : `se ${fmt(report.fleiss.se)}`, `${report.fleiss.pairable_units} of ${report.fleiss.units} sentences`]);
  if (report.gwet) rows.push([`Gwet's ${report.gwet.name} (${weights})`, figure(report.gwet.value, report.gwet.reason), report.gwet.se == null ? "" : `se ${fmt(report.gwet.se)}`, `${report.gwet.pairable_units} of ${report.gwet.units} sentences${report.gwet.categories ? `; chance from the scheme's ${report.gwet.categories} labels${report.gwet.unused_labels?.length ? `, unused: ${report.gwet.unused_labels.join(", ")}` : ""}` : ""}`]);
  rows.push(["Percent agreement", percent(report.percent_agreement), "", `${report.percent_agreement_units ?? 0} sentences`]);
  if (weights !== "identity") rows.push([`Weighted percent agreement (${weights})`, percent(report.percent_agreement_weighted), "", `${report.percent_agreement_units ?? 0} sentences`]);
  document.getElementById("coefficients").replaceChildren(row(["Coefficient", "Value", "Interval", "Over"], true), ...rows.map((cells) => row(cells)));
  const boot = report.bootstrap;
  document.getElementById("weights-note").textContent = boot
    ? `Interval: ${boot.method}, ${boot.resamples} resamples (${boot.undefined_resamples ?? 0} undefined), ${boot.unit === "article" ? `none under ${boot.min_articles} articles` : `none under ${boot.min_units} sentences with two labels`}. Weights: ${weights}${report.weights ? ` on ${report.weights.basis}` : ""}.`
    : "";
}

// A table of one row per item, or a caption saying there is none yet.
function fillTable(id, items, empty, head, cells) {
  const table = document.getElementById(id);
  if (!items.length) table.replaceChildren(el("caption", {}, empty));
  else table.replaceChildren(row(head, true), ...items.map((item) => row(cells(item))));
}

// A reviewer's MACE competence with its interval by article, or why there is none.
function competence(r) {
  const found = r.competence;
  if (!found || found.mace == null) return "n/a";
  return found.mace_ci95 ? `${fmt(found.mace)} (${fmt(found.mace_ci95[0])}–${fmt(found.mace_ci95[1])})` : `${fmt(found.mace)} (no interval)`;
}

// Dawid–Skene's chance the reviewer gives each true category its own label: the diagonal of their confusion matrix.
function diagonal(r, labels) {
  const matrix = r.competence?.confusion;
  if (!matrix) return "n/a";
  return labels.map((label, k) => `${label} ${percent(matrix[k][k])}`).join(" · ");
}

function drawReviewers(report) {
  const change = (value) => (value == null ? "" : ` (${value >= 0 ? "+" : ""}${fmt(value)})`);
  const labels = report.competence?.categories || [];
  const over = (parts, name) => parts.map((part) => `${name(part)} ${percent(part.agreement)}`).join(" · ");
  fillTable("reviewers", report.reviewers || [], "No reviewers yet.", ["Reviewer", "Labels", "Agreement with the others", "Alpha without", "Competence (MACE)", "Right per category (Dawid–Skene)", "Agreement by week", "Agreement by tenth of their labels"], (r) => [
    r.reviewer,
    r.labels,
    `${percent(r.agreement_with_others)} of ${r.pairs} pairings`,
    `${figure(r.alpha_without, r.alpha_without_reason)}${change(r.alpha_change)}`,
    competence(r),
    diagonal(r, labels),
    over(r.by_week || [], (week) => week.week),
    over(r.by_tenth || [], (tenth) => `${tenth.tenth}.`),
  ]);
  const model = report.competence;
  document.getElementById("competence-note").textContent = model
    ? `Competence: ${model.method}. ${model.ci95_reason ? `Intervals withheld under ${model.min_articles} articles (${model.articles} now).` : `${model.resamples} resamples of ${model.articles} articles.`} ${model.uncertain_sentences ? `${model.uncertain_sentences["above_0.3"]} of ${model.sentences} sentences have a most probable label below 70%.` : ""}`
    : "";
}

function drawPace(report) {
  const seconds = (value) => `${value.toFixed(1)} s`;
  const trend = (value) => (value == null ? "" : ` (${value > 0 ? "+" : value < 0 ? "−" : "±"}${seconds(Math.abs(value))})`);
  fillTable("pace", report.pace || [], "No timed labels yet.", ["Reviewer", "Timed labels", "Median a sentence", "Trend by fifth"], (r) => [
    r.reviewer,
    r.labels,
    seconds(r.median_seconds),
    r.by_part.map(seconds).join(" · ") + trend(r.trend_seconds),
  ]);
}

function drawGold(report) {
  const gold = report.gold || { reviewers: [], labels: [] };
  const compared = gold.reviewers.filter((r) => r.n > 0);
  const weighted = compared.some((r) => "weighted_kappa" in r);
  const weights = report.weights?.name || "identity";
  const head = ["Reviewer", "Compared", "Accuracy", "Cohen's kappa", ...(weighted ? [`Weighted kappa (${weights})`] : []), "Kappa without their own vote"];
  fillTable("gold", compared, "No decided sentence has a reviewer's label yet.", head, (r) => [
    r.reviewer,
    r.n,
    `${percent(r.accuracy)} (${r.agreed} of ${r.n})`,
    figure(r.kappa, r.kappa_reason),
    ...(weighted ? [figure(r.weighted_kappa, r.kappa_reason)] : []),
    r.independent ? `${figure(r.independent.kappa, r.independent.kappa_reason)} (${r.independent.n} sentences, ${r.independent.adjudicated} adjudicated)` : "n/a",
  ]);
  const types = gold.decision_types;
  const note = document.getElementById("gold-types");
  if (note) {
    note.textContent = types
      ? `Decisions: ${types.unanimous} unanimous, ${types.majority} by majority, ${types.adjudicated} adjudicated. A decision by the rule counts the reviewer's own vote; "without their own vote" compares each reviewer with adjudicated decisions they did not make and, elsewhere, with the other reviewers' plurality.`
      : "";
  }
  const names = gold.labels || [];
  document.getElementById("gold-matrices").replaceChildren(
    ...compared.map((r) => {
      const caption = `${r.reviewer} (rows) against the decisions (columns)`;
      const table = el(
        "table",
        { class: "confusion" },
        el("caption", {}, caption),
        row(["Reviewer’s label", ...names], true),
        ...names.map((name, i) => row([name, ...r.confusion[i]])),
      );
      return el(
        "details",
        {},
        el("summary", {}, `Confusion matrix of ${r.reviewer}`),
        el("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": `${caption}, scrolls sideways` }, table),
      );
    }),
  );
}

// More pairs than this and their table starts folded; a folded table is filled when it is unfolded.
const PAIRS_UNFOLDED = 45;
const pairsDetails = document.getElementById("pairs-details");
let pairsFolded = false;
let pairsShown = null;

function fillPairs(report) {
  const pairs = report.pairwise || [];
  const weighted = pairs.some((pair) => "weighted_kappa" in pair);
  const weights = report.weights?.name || "identity";
  const head = ["Pair", "Sentences", "Agreement", "Cohen's kappa", ...(weighted ? [`Weighted agreement (${weights})`, `Weighted kappa (${weights})`] : [])];
  fillTable("pairs", pairs, "No two reviewers yet.", head, (pair) => [
    `${pair.a} and ${pair.b}`,
    pair.n,
    percent(pair.percent_agreement),
    figure(pair.cohen_kappa, pair.reason),
    ...(weighted ? [percent(pair.weighted_percent_agreement), figure(pair.weighted_kappa, pair.reason)] : []),
  ]);
  pairsShown = report;
}

function drawPairs(report) {
  const pairs = report.pairwise || [];
  document.getElementById("pairs-summary").textContent = `Every pair of reviewers (${pairs.length})`;
  if (!pairsFolded && pairs.length > PAIRS_UNFOLDED) {
    pairsDetails.open = false;
    pairsFolded = true;
  }
  pairsDetails.report = report;
  if (pairsDetails.open) fillPairs(report);
}

pairsDetails.addEventListener("toggle", () => {
  if (pairsDetails.open && pairsDetails.report && pairsShown !== pairsDetails.report) fillPairs(pairsDetails.report);
});

function put(id, node) {
  document.getElementById(id).replaceChildren(node);
}

const widthOf = (id) => widthFor(document.getElementById(id));

function drawReport(report) {
  document.getElementById("alpha").textContent = fmt(report.alpha);
  const ci = report.alpha_ci95 ? `95% CI ${fmt(report.alpha_ci95[0])} to ${fmt(report.alpha_ci95[1])}` : `no interval (${whyNoInterval(report)})`;
  document.getElementById("alpha-detail").textContent =
    `${report.scale || ""} scale · ${ci}${report.alpha_q?.length ? ` · ${qText(report)}` : ""} · ${report.pairable_units ?? 0} of ${report.units ?? 0} sentences with two labels${report.bootstrap?.unit === "article" ? ` in ${report.bootstrap.articles} articles` : ""}, ${report.annotators ?? 0} reviewers` +
    (report.alpha == null && report.alpha_reason ? ` · alpha ${why(report.alpha_reason)}` : "");
  drawCoefficients(report);
  drawReviewers(report);
  drawPace(report);
  drawGold(report);
  drawPairs(report);
  put("alpha-chart", intervalChart([{ name: "project", value: report.alpha, ci: report.alpha_ci95 }], { title: `Project alpha ${fmt(report.alpha)}, ${ci}`, width: widthOf("alpha-chart") }));

  const labels = Object.entries(report.per_label || {});
  put(
    "labels-chart",
    labels.length
      ? barChart(
          labels.map(([name, figures]) => ({ name, value: figures.alpha, color: colours.get(name), note: figures.alpha == null ? `(${why(figures.reason)})` : `(used ${figures.count}×, ${figures.pairable_units} sentences)` })),
          { title: "Alpha per label", width: widthOf("labels-chart") },
        )
      : el("p", { class: "muted" }, "No labels yet."),
  );

  const reviewers = [...new Set((report.pairwise || []).flatMap((pair) => [pair.a, pair.b]))].sort();
  const pairs = new Map((report.pairwise || []).flatMap((pair) => [[`${pair.a}\u0000${pair.b}`, pair], [`${pair.b}\u0000${pair.a}`, pair]]));
  put(
    "kappa-chart",
    reviewers.length > 1
      ? heatmap(
          reviewers,
          (i, j) => {
            if (i === j) return { value: null, label: "—" };
            const pair = pairs.get(`${reviewers[i]}\u0000${reviewers[j]}`);
            return { value: pair?.cohen_kappa ?? null, note: pair ? `${pair.n} sentences` : "" };
          },
          { title: "Cohen's kappa by reviewer pair", min: 0, max: 1 },
        )
      : el("p", { class: "muted" }, "Needs two reviewers who labelled the same sentences."),
  );

  const confusion = report.confusion || {};
  const names = confusion.labels || [];
  const pooled = confusion.pooled || [];
  const largest = Math.max(1, ...pooled.flat());
  put(
    "confusion-chart",
    names.length && pooled.length
      ? heatmap(names, (i, j) => ({ value: pooled[i][j], label: String(pooled[i][j]) }), {
          title: "Pooled confusion matrix",
          min: 0,
          max: largest,
          rowTitle: "one reviewer",
          colTitle: "another reviewer",
        })
      : el("p", { class: "muted" }, "No pairs of labels yet."),
  );
}

// Every article's alpha and interval in one request (GET …/agreement/articles/).
async function drawDocuments(request) {
  const holder = document.getElementById("documents-chart");
  let articles;
  try {
    articles = await request;
  } catch (failure) {
    holder.replaceChildren(el("p", { class: "error" }, `Could not load the articles' figures: ${failure.message}`));
    return;
  }
  const rows = articles.slice(0, MAX_DOCUMENTS).map((d) => ({ name: d.title || `Article ${d.id}`, value: d.alpha, ci: d.alpha_ci95 }));
  const chart = rows.length
    ? intervalChart(rows, { title: "Alpha per article with 95% intervals", width: widthFor(holder) })
    : el("p", { class: "muted" }, "No articles yet.");
  holder.replaceChildren(chart);
  if (articles.length > MAX_DOCUMENTS) holder.append(el("p", { class: "help" }, `The first ${MAX_DOCUMENTS} of ${articles.length} articles.`));
}

async function refresh({ redrawDocuments = false } = {}) {
  clearTimeout(pollTimer);
  // The first look asks for the articles' figures beside the report, not after it.
  const articles = shownAt === undefined ? api(articlesUrl) : null;
  articles?.catch(() => {});
  let report;
  try {
    report = await api(url);
  } catch (failure) {
    freshness.dataset.status = "failed";
    freshness.textContent = `Could not load the report: ${failure.message}`;
    return;
  }
  describeFreshness(freshness, report);
  if (report.computed_at !== shownAt) {
    shownAt = report.computed_at;
    drawReport(report);
    redrawDocuments = true;
  }
  if (redrawDocuments) drawDocuments(articles || api(articlesUrl));
  document.body.dataset.computedAt = report.computed_at || "";
  document.body.dataset.status = report.status;
  pollTimer = setTimeout(refresh, isBusy(report) ? POLL_MS : IDLE_POLL_MS);
}

recompute.addEventListener("click", async () => {
  recompute.disabled = true;
  try {
    const answer = await api(url, { method: "POST" });
    freshness.dataset.status = answer.status;
    freshness.textContent = "Recomputation queued…";
  } catch (failure) {
    freshness.textContent = `Could not ask for a recomputation: ${failure.message}`;
  } finally {
    recompute.disabled = false;
  }
  refresh();
});

refresh();
