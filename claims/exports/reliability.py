"""The reliability report a paper can cite: a methods paragraph and tables of every coefficient, from the stored report.

Every figure is read from the project's stored agreement report (what
`GET /api/v1/projects/{id}/agreement/` answers), never recomputed, so the file and the API
cannot disagree. The four tables are also served as CSV (`reliability-*.csv`) at full
precision; the Markdown rounds to three decimals.
"""

from annotator.models import Project
from claims.reports import is_current, stored_report
from lede import version

from .columns import RELIABILITY_COEFFICIENT_COLUMNS, RELIABILITY_TABLES
from .rows import ExportFilters, reviewer_renames

REFERENCES = (
    "Cohen, J. (1960). A coefficient of agreement for nominal scales. "
    "*Educational and Psychological Measurement*, 20(1), 37-46.",
    "Cohen, J. (1968). Weighted kappa. *Psychological Bulletin*, 70(4), 213-220.",
    "Efron, B. (1987). Better bootstrap confidence intervals. *JASA*, 82(397), 171-185.",
    "Hesterberg, T. C. (2015). What teachers should know about the bootstrap. "
    "*The American Statistician*, 69(4), 371-386.",
    "Gwet, K. L. (2014). *Handbook of Inter-Rater Reliability* (4th ed.). Advanced Analytics.",
    "Hayes, A. F., & Krippendorff, K. (2007). Answering the call for a standard reliability measure for coding "
    "data. *Communication Methods and Measures*, 1(1), 77-89.",
    "Krippendorff, K. (2011). Computing Krippendorff's alpha-reliability. Annenberg School for Communication.",
    "Bloch, D. A., & Kraemer, H. C. (1989). 2 x 2 kappa coefficients: measures of agreement or association. "
    "*Biometrics*, 45(1), 269-287.",
    "Holm, S. (1979). A simple sequentially rejective multiple test procedure. "
    "*Scandinavian Journal of Statistics*, 6(2), 65-70.",
)
TABLE_TITLES = (
    "Table 1: coefficients",
    "Table 2: pairs of reviewers",
    "Table 3: reviewers",
    "Table 4: reviewers against the decided labels",
)
REASONS = {
    "not_enough_units": "no sentence has labels from two reviewers",
    "no_variation": "every label is the same, so chance agreement is complete",
    "one_category": "the scheme has one label",
    "too_few_units": "too few pairable sentences for an interval that holds",
    "too_few_articles": "too few articles for an interval that holds (sentences of one article are not independent)",
    "no_disagreement": "no sentence is disagreed on, so resampling shows no spread",
    "no_resamples": "no resamples were asked for",
    "no_units": "the reviewer labelled no decided sentence",
}


def lede_version() -> str:
    """This Lede's version and commit, for a report computed before reports stored theirs."""
    return version.described()


def coefficient_rows(result: dict, level: str) -> list[dict]:
    """One row per coefficient of the whole project, with its n, interval and missing reason."""
    base = {
        "level": level,
        "coders": result["annotators"],
        "pairable_values": result["pairable_values"],
        "se": None,
        "ci95_low": None,
        "ci95_high": None,
        "interval_method": "",
        "resamples": None,
        "undefined_resamples": None,
    }
    interval = result["alpha_ci95"] or [None, None]
    bootstrap = result["bootstrap"]
    rows = [
        base
        | {
            "coefficient": "Krippendorff's alpha",
            "weights": f"{level} metric",
            "value": result["alpha"],
            "ci95_low": interval[0],
            "ci95_high": interval[1],
            "interval_method": bootstrap["method"],
            "resamples": bootstrap["resamples"],
            "undefined_resamples": bootstrap["undefined_resamples"],
            "units": result["units"],
            "pairable_units": result["pairable_units"],
            "reason": result["alpha_reason"] or result["alpha_ci95_reason"] or "",
        }
    ]
    for figure in (result["fleiss"], result["gwet"]):
        rows.append(
            base
            | {
                "coefficient": figure["name"],
                "weights": figure["weights"],
                "value": figure["value"],
                "se": figure["se"],
                "units": figure["units"],
                "pairable_units": figure["pairable_units"],
                "reason": figure["reason"] or "",
            }
        )
    for name, weights, value in _percent_agreements(result):
        rows.append(
            base
            | {
                "coefficient": name,
                "weights": weights,
                "value": value,
                "units": result["units"],
                "pairable_units": result["percent_agreement_units"],
                "reason": "" if value is not None else "not_enough_units",
            }
        )
    return [{column: row[column] for column in RELIABILITY_COEFFICIENT_COLUMNS} for row in rows]


def _percent_agreements(result: dict) -> list[tuple[str, str, float | None]]:
    figures = [("Percent agreement", "identity", result["percent_agreement"])]
    weights = result["weights"]["name"]
    if weights != "identity":
        figures.append(("Weighted percent agreement", weights, result["percent_agreement_weighted"]))
    return figures


def pair_rows(result: dict, renamed: dict[str, str]) -> list[dict]:
    """One row per pair of reviewers: the units both labelled, agreement and (weighted) Cohen's kappa."""
    rows = []
    for pair in result["pairwise"]:
        rows.append(
            {
                "a": renamed.get(pair["a"], pair["a"]),
                "b": renamed.get(pair["b"], pair["b"]),
                "units": pair["n"],
                "percent_agreement": pair["percent_agreement"],
                "cohen_kappa": pair["cohen_kappa"],
                "weights": pair.get("weights", "identity"),
                "weighted_percent_agreement": pair.get("weighted_percent_agreement"),
                "weighted_kappa": pair.get("weighted_kappa"),
                "reason": pair["reason"] or "",
            }
        )
    return rows


def _competence(found: dict) -> dict:
    low, high = found.get("mace_ci95") or (None, None)
    return {"competence": found.get("mace"), "competence_low": low, "competence_high": high}


def reviewer_rows(result: dict, renamed: dict[str, str]) -> list[dict]:
    """One row per reviewer: labels given, agreement with the others, alpha without them and MACE's competence
    (blank in a report computed before Lede had it)."""
    return [
        {
            "reviewer": renamed.get(row["reviewer"], row["reviewer"]),
            "labels": row["labels"],
            "agreement_with_others": row["agreement_with_others"],
            "pairs": row["pairs"],
            "alpha_without": row["alpha_without"],
            "alpha_change": row["alpha_change"],
            "reason": row["alpha_without_reason"] or "",
            **_competence(row.get("competence") or {}),
        }
        for row in result["reviewers"]
    ]


def gold_rows(result: dict, renamed: dict[str, str]) -> list[dict]:
    """One row per reviewer who labelled a decided sentence: accuracy and Cohen's kappa against the decisions."""
    return [
        {
            "reviewer": renamed.get(row["reviewer"], row["reviewer"]),
            "units": row["n"],
            "agreed": row["agreed"],
            "accuracy": row["accuracy"],
            "cohen_kappa": row["kappa"],
            "weighted_kappa": row.get("weighted_kappa"),
            "reason": row["kappa_reason"] or "",
            **_independent(row.get("independent")),
        }
        for row in (result.get("gold") or {}).get("reviewers", [])
        if row["n"]
    ]


def _independent(figures: dict | None) -> dict:
    """The reviewer against decisions they did not determine; empty cells in a report computed before Lede had it."""
    figures = figures or {}
    return {
        "independent_units": figures.get("n"),
        "independent_adjudicated": figures.get("adjudicated"),
        "independent_accuracy": figures.get("accuracy"),
        "independent_kappa": figures.get("kappa"),
    }


def report_tables(project: Project, filters: ExportFilters) -> dict[str, list[dict]] | None:
    """The four tables of the project's stored report, or None before any report was computed."""
    report = stored_report(project, None)
    if report is None or not report.result:
        return None
    renamed = reviewer_renames(project, filters)
    tables = (
        coefficient_rows(report.result, report.result["scale"]),
        pair_rows(report.result, renamed),
        reviewer_rows(report.result, renamed),
        gold_rows(report.result, renamed),
    )
    return dict(zip(RELIABILITY_TABLES, tables, strict=True))


def _number(value) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def _markdown_table(rows: list[dict], columns: dict[str, str]) -> str:
    head = "| " + " | ".join(columns) + " |\n| " + " | ".join("---" for _ in columns) + " |\n"
    return head + "".join("| " + " | ".join(_number(row[c]) for c in columns) + " |\n" for row in rows)


def _figure(value, reason: str | None) -> str:
    return _number(value) if value is not None else f"undefined ({REASONS.get(reason, reason)})"


def methods_paragraph(project: Project, result: dict, categories: list[str]) -> str:
    """The paragraph a methods section can quote: every coefficient with its level, n and interval.

    Everything comes from the stored report itself (its scale, its version), never from the project as it is
    now: during a recomputation the report still describes what it computed."""
    level = result["scale"]
    bootstrap = result["bootstrap"]
    if result["alpha_ci95"]:
        low, high = result["alpha_ci95"]
        interval = (
            f", 95% CI [{low:.3f}, {high:.3f}] ({bootstrap['method']}; {bootstrap['resamples']} resamples, "
            f"{bootstrap['undefined_resamples']} of them undefined and left out, seed {bootstrap['seed']})"
        )
        interval += _resampling_sentence(result)
    else:
        reason = result["alpha_ci95_reason"]
        interval = f"; no confidence interval is given: {REASONS.get(reason, reason)}"
        if reason == "too_few_units":
            interval += f" (fewer than {bootstrap['min_units']} pairable sentences)"
        if reason == "too_few_articles":
            interval += f" ({bootstrap['articles']} articles, fewer than {bootstrap['min_articles']})"
        interval += _sample_sentence(result)
    fleiss, gwet = result["fleiss"], result["gwet"]
    weights = result["weights"]["name"]
    weighting = "unweighted" if weights == "identity" else f"with {weights} weights on the {result['weights']['basis']}"
    percent = f"Mean pairwise percent agreement was {_figure(result['percent_agreement'], 'not_enough_units')}"
    if weights != "identity":
        percent += f" ({_number(result['percent_agreement_weighted'])} with {weights} weights)"
    percent += f" over {result['percent_agreement_units']} sentences."
    return (
        f"{result['units']} sentences (units) were labelled by {result['annotators']} reviewers (coders) with "
        f"{len(categories)} categories on a{'n' if level[0] in 'aeiou' else ''} {level} scale "
        f"({', '.join(categories)}){_design_sentence(project, result)} {result['pairable_units']} sentences had "
        f"labels from at least two reviewers; the agreement figures compare their {result['pairable_values']} "
        "pairable values. "
        f"Krippendorff's alpha (Krippendorff 2011) at the {level} level was "
        f"{_figure(result['alpha'], result['alpha_reason'])}{interval}. "
        f"Fleiss' kappa generalized to a varying number of reviewers per sentence (Gwet 2014), {weighting}, was "
        f"{_figure(fleiss['value'], fleiss['reason'])} (SE {_number(fleiss['se'])}) over {fleiss['units']} "
        f"sentences, {fleiss['pairable_units']} of them pairable; Gwet's {gwet['name']} was "
        f"{_figure(gwet['value'], gwet['reason'])} (SE {_number(gwet['se'])}){_gwet_categories(gwet)}; both "
        "standard errors are Gwet's linearized ones, which treat sentences as independent, so no interval is given "
        f"for them. {percent} "
        f"Cohen's kappa (Cohen 1960{', 1968' if weights != 'identity' else ''}) for each pair of reviewers is in "
        f"Table 2. {_per_label_sentence(result)}{_gold_sentence(result)}{_computed_with(result)}"
    )


def _design_sentence(project: Project, result: dict) -> str:
    """Coders per sentence, blindness, and how training and calibration articles entered the figures."""
    parts = []
    spread = result.get("coders_per_sentence")
    if spread:
        parts.append(
            f"each labelled sentence had labels from {spread['min']} to {spread['max']} reviewers "
            f"(median {spread['median']:g})"
        )
    if result.get("bootstrap", {}).get("unit") == "article":
        parts.append(f"the sentences came from {result['bootstrap']['articles']} articles")
    parts.append(
        "reviewers labelled blind to each other's labels"
        if project.blind
        else "reviewers could see each other's labels (the project was not blind)"
    )
    parts.append("labels on training articles are practice and left out of every figure")
    if result.get("calibration"):
        parts.append("the calibration articles, which every reviewer labels, are included and also reported apart")
    return "; " + "; ".join(parts) + "."


def _per_label_sentence(result: dict) -> str:
    """Each label's own alpha (that label against the rest), with its interval where there is one."""
    labels = []
    for name, figures in result.get("per_label", {}).items():
        interval = figures.get("ci95")
        labels.append(
            f"{name} {_figure(figures['alpha'], figures['reason'])}"
            + (f" [{interval[0]:.3f}, {interval[1]:.3f}]" if interval else "")
        )
    return f"Alpha per label, each against the rest: {'; '.join(labels)}. " if labels else ""


def _computed_with(result: dict) -> str:
    """The software that computed the figures, as the report stored it (older reports: the version now)."""
    found = result.get("computed_with")
    if not found:
        return f"Figures were computed with Lede {lede_version()}."
    return f"Figures were computed with Lede {found['lede']} and NumPy {found['numpy']}."


def _gwet_categories(gwet: dict) -> str:
    """Gwet's chance agreement counts every label of the scheme: say how many, and which nobody used."""
    if "categories" not in gwet:
        return ""
    unused = gwet["unused_labels"]
    named = f"; {len(unused)} of them never used ({', '.join(unused)}), which still changes it" if unused else ""
    return f", its chance agreement taken over the scheme's {gwet['categories']} labels{named}"


def _decision_types(gold: dict) -> str:
    types = gold.get("decision_types")
    if not types:
        return ""
    return ": " + ", ".join(f"{n} {kind}" for kind, n in types.items())


def _resampling_sentence(result: dict) -> str:
    """What the interval assumes and Krippendorff's q, for an interval that resamples articles."""
    bootstrap = result["bootstrap"]
    if bootstrap.get("unit") != "article":
        return ""
    q = "; ".join(f"q(alpha < {entry['alpha_min']:.3f}) = {entry['q']:.3f}" for entry in result.get("alpha_q", []))
    return (
        f". The interval resamples the {bootstrap['articles']} articles, not single sentences: it assumes the "
        "articles are a random sample of the articles the study speaks for and that sentences depend on each "
        "other only within their article; Lede's seeded simulation of such studies covered at least 93% at a "
        f"nominal 95% from {bootstrap['min_articles']} articles. Krippendorff's q, the share of resamples with "
        f"alpha below a minimum (Hayes & Krippendorff 2007): {q}{_own_minimum(result)}"
    )


def _own_minimum(result: dict) -> str:
    own = result.get("alpha_min")
    return f" ({own:.3f} is the project's own smallest acceptable alpha)" if own is not None else ""


def _sample_sentence(result: dict) -> str:
    """Where the interval is withheld: how many more sentences (and articles) Krippendorff's table asks for."""
    plan = result.get("sample_size")
    if not plan:
        return ""
    more = [f"{plan['more_units']} more sentences with two labels"] if plan["more_units"] else []
    if plan.get("more_articles"):
        more.append(f"{plan['more_articles']} more articles")
    need = f"; label {' and '.join(more)} for an interval" if more else ""
    return (
        f". Krippendorff's sample-size table (Bloch & Kraemer 1989, two coders) asks for {plan['units']} sentences "
        f"with two labels to tell alpha from {plan['alpha_min']:.3f} at p = {plan['significance']:g} when the "
        f"rarest label has a share of {plan['rarest_share']:.3f}{need}"
    )


def _gold_sentence(result: dict) -> str:
    gold = result.get("gold")
    if not gold or not gold["decided"]:
        return ""
    return (
        f"{gold['decided']} sentences have a decided label (unanimous, by majority under the auto-merge rule, or "
        "adjudicated by a curator; unresolved sentences and training articles are left out"
        f"{_decision_types(gold)}); each reviewer's accuracy and Cohen's kappa against them are in Table 4. "
        "A decision by the rule counts the reviewer's own vote, so Table 4 also compares each reviewer with a "
        "reference they did not determine: adjudicated decisions they did not make, and elsewhere the unique "
        "plurality of the other reviewers (independent_kappa). "
    )


def _not_current(report) -> str:
    """What a reader of an out-of-date report must know: its state, and that the figures are the old ones."""
    state = {
        "running": "a recomputation is running",
        "pending": "a recomputation is waiting for a worker",
        "failed": f"the last recomputation failed ({report.error or 'no reason given'})",
    }.get(report.status, "it has not been recomputed since")
    return (
        "**Out of date: the project changed after these figures were computed (its labels, decisions or settings, "
        f"such as its scale); {state}. The figures below are the earlier ones: recompute before citing them.**\n\n"
    )


def markdown(project: Project, filters: ExportFilters) -> str:
    """The whole report as Markdown: freshness, the methods paragraph, four tables and the references."""
    report = stored_report(project, None)
    parts = [f"# Reliability of the labels of {project.name}\n\n"]
    if report is None or not report.result:
        parts.append(
            "No agreement report has been computed for this project yet: open its agreement page "
            "(or `POST /api/v1/projects/{id}/agreement/`) and download this file again.\n".replace(
                "{id}", str(project.pk)
            )
        )
        return "".join(parts)
    result = report.result
    software = result.get("computed_with", {}).get("lede") or lede_version()
    parts.append(
        f"Computed by Lede {software} on {report.computed_at:%Y-%m-%d %H:%M UTC} "
        f"from {report.annotation_count} labels, on the {result['scale']} scale. "
    )
    parts.append("The report is current.\n\n" if is_current(report) else _not_current(report))
    parts.append("## Methods\n\n" + methods_paragraph(project, result, result["confusion"]["labels"]) + "\n\n")
    for (path, rows), title in zip(report_tables(project, filters).items(), TABLE_TITLES, strict=True):
        parts.append(f"## {title}\n\nAlso as `{path}`, at full precision.\n\n")
        parts.append(_markdown_table(rows, RELIABILITY_TABLES[path]) + "\n")
    parts.append("Reasons for a missing figure: " + "; ".join(f"`{c}`: {t}" for c, t in REASONS.items()) + ".\n\n")
    parts.append("## References\n\n" + "".join(f"- {reference}\n" for reference in REFERENCES))
    return "".join(parts)
