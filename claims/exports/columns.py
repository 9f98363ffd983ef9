"""The columns of every tabular export, with what each holds: the headers, README.md and datapackage.json."""

from machine.exports import EXPOSURE_COLUMNS

from .rows import ExportFilters

# Column -> description: the header of annotations.csv / keys of annotations.jsonl, in order.
LONG_COLUMNS = {
    "project": "Project id.",
    "document": "Document id in Lede.",
    "document_key": "The document's id in an imported dataset (blank for articles imported as text).",
    "title": "Article title.",
    "outlet": "Publishing outlet.",
    "url": "Article URL.",
    "published": "Publication date (YYYY-MM-DD).",
    "sentence": "Sentence id in Lede.",
    "unit": "The sentence's unit key, unique in the project: its key in an imported dataset, else its sentence id.",
    "index": "Position of the sentence in the article (0-based).",
    "paragraph": "Paragraph number of the sentence (0-based).",
    "start": "Character offset where the sentence starts in the article text.",
    "end": "Character offset where the sentence ends (exclusive): text == article[start:end].",
    "text": "The sentence.",
    "annotator": "Reviewer's username, or a pseudonym annotator-N with pseudonymize=1.",
    "label": "The label the reviewer chose.",
    "label_value": "Numeric value: the label's value on an interval scale, its 1-based rank on an ordinal one.",
    "speaker": "Who is quoted, if the reviewer named a speaker.",
    "note": "The reviewer's note.",
    "sources": 'Sources cited, a JSON array of {"url", "title", "note"} (a JSON array in JSONL).',
    "created": "When the label was first saved (ISO 8601, UTC).",
    "updated": "When the label was last changed (ISO 8601, UTC).",
    "seconds": "Active time the reviewer spent on the sentence before labelling it, in seconds (tab visible, "
    "no pause of input over a minute); blank when not measured (labels saved over the API or imported).",
}
SOURCE_COLUMNS = {
    "url": "The source's web address; rows are grouped by it.",
    "source_title": "Title the reviewer gave the source.",
    "source_note": "The reviewer's note on the source.",
    "position": "Order of the source among the label's sources (0-based).",
    "document": "Document id of the citing sentence.",
    "title": "Article title.",
    "sentence": "Sentence id of the citing sentence.",
    "index": "Position of the sentence in the article.",
    "text": "The citing sentence.",
    "annotator": "Reviewer who cited the source.",
    "label": "The reviewer's label on that sentence.",
    "label_value": "Numeric value of the label on ordinal/interval scales.",
    "updated": "When the citing label was last changed.",
}
WIDE_FIXED = {
    "document": "Document id.",
    "sentence": "Sentence id.",
    "unit": "Unit key (as in annotations.csv).",
    "index": "Position of the sentence in the article.",
    "text": "The sentence.",
}
WIDE_SUMMARY = {
    "labels": "How many reviewers labelled the sentence.",
    "plurality_label": "The label chosen most often; blank on a tie.",
    "plurality_share": "The top label's share of the sentence's labels (also on a tie).",
    "gold": "The sentence's decided (gold) label; blank without a decision or when it is unresolved (see gold.csv).",
}
# Column -> description: the header of gold.csv / keys of gold.jsonl, in order.
GOLD_COLUMNS = {
    "project": "Project id.",
    "document": "Document id in Lede.",
    "document_key": LONG_COLUMNS["document_key"],
    "title": "Article title.",
    "outlet": "Publishing outlet.",
    "url": "Article URL.",
    "published": "Publication date (YYYY-MM-DD).",
    "topics": "The article's topic tags, a JSON array of strings (a JSON array in JSONL).",
    "sentence": "Sentence id in Lede.",
    "unit": LONG_COLUMNS["unit"],
    "index": LONG_COLUMNS["index"],
    "paragraph": LONG_COLUMNS["paragraph"],
    "start": LONG_COLUMNS["start"],
    "end": LONG_COLUMNS["end"],
    "text": "The sentence.",
    "label": "The decided (gold) label; blank when the decision is unresolved.",
    "label_value": LONG_COLUMNS["label_value"],
    "provenance": "How it was decided: unanimous or majority (by the auto-merge rule), adjudicated (a curator "
    "chose), model (a curator took the labelling model's most probable label) or unresolved (a curator left it "
    "open).",
    "labels": "How many reviewers have labelled the sentence now (as in annotations.csv).",
    "agreeing": "How many of those labels are the decided label (blank when unresolved).",
    "agreeing_share": "agreeing / labels (blank when unresolved or without labels).",
    "rationale": "The curator's rationale.",
    "category": "The disagreement category the curator chose.",
    "decided_by": "Who decided (who ran the auto-merge, for unanimous and majority): username, or with "
    "pseudonymize=1 the reviewer's pseudonym annotator-N, or curator-N for one who never labelled.",
    "decided_at": "When it was decided (ISO 8601, UTC).",
    "speaker": "Who is quoted, as the curator decided.",
    "sources": 'Sources the curator cited, a JSON array of {"url", "title", "note"} (a JSON array in JSONL).',
}
AGREEMENT_COLUMNS = {
    "scope": "project or document.",
    "document": "Document id (blank for the project).",
    "title": "Article title.",
    "status": "pending, running, ready, failed, or none (never computed).",
    "current": "true when the report is ready, not asked for again since it ran, and over today's labels.",
    "computed_at": "When the report was computed.",
    "annotation_count": "Labels the report was computed over.",
    "labels_now": "Labels in scope now.",
    "units": "Sentences with at least one label.",
    "annotators": "Reviewers with at least one label.",
    "alpha": "Krippendorff's alpha at the project's level of measurement.",
    "alpha_ci95_low": "Lower end of the 95% bootstrap interval of alpha.",
    "alpha_ci95_high": "Upper end of the 95% bootstrap interval of alpha.",
    "fleiss_kappa": "Fleiss' kappa.",
    "percent_agreement": "Mean pairwise percent agreement.",
    "pairable_units": "Units with at least two labels.",
    "error": "Why the computation failed, if it did.",
}
RELIABILITY_COEFFICIENT_COLUMNS = {
    "coefficient": "Krippendorff's alpha, Fleiss' kappa (generalized), Gwet's AC1/AC2 or (weighted) percent agreement.",
    "level": "The project's level of measurement: nominal, ordinal or interval.",
    "weights": "Credit for near misses: alpha's metric, identity (none), linear on ranks or quadratic on values.",
    "value": "The coefficient (blank when undefined: see reason).",
    "se": "Standard error (Gwet's linearized variance over sentences), where the method gives one.",
    "ci95_low": "Lower end of the 95% confidence interval (alpha only).",
    "ci95_high": "Upper end of the 95% confidence interval (alpha only).",
    "interval_method": "How the interval was computed.",
    "resamples": "Bootstrap resamples drawn for the interval.",
    "undefined_resamples": "Resamples where alpha was undefined (no variation), left out of the interval.",
    "units": "Sentences with at least one label.",
    "pairable_units": "Sentences with labels from at least two reviewers, over which agreement is observed.",
    "pairable_values": "Labels in those sentences (Krippendorff's n).",
    "coders": "Reviewers with at least one label.",
    "reason": "Why the value or its interval is missing: a reason code explained in reliability.md.",
}
RELIABILITY_PAIR_COLUMNS = {
    "a": "First reviewer of the pair.",
    "b": "Second reviewer of the pair.",
    "units": "Sentences both labelled.",
    "percent_agreement": "Share of those sentences with the same label.",
    "cohen_kappa": "Cohen's (1960) unweighted kappa.",
    "weights": "Weights of the weighted figures: linear on ranks (ordinal), quadratic on values (interval).",
    "weighted_percent_agreement": "Mean credit per sentence under those weights (ordinal and interval scales).",
    "weighted_kappa": "Cohen's (1968) weighted kappa (ordinal and interval scales).",
    "reason": "Why kappa is missing: not_enough_units or no_variation.",
}
RELIABILITY_REVIEWER_COLUMNS = {
    "reviewer": "Reviewer's username, or a pseudonym with pseudonymize=1.",
    "labels": "Labels the reviewer gave.",
    "agreement_with_others": "Share of the reviewer's pairings with another reviewer's label on a sentence that agree.",
    "pairs": "How many such pairings there are.",
    "alpha_without": "Krippendorff's alpha of the project without this reviewer's labels.",
    "alpha_change": "alpha_without minus the project's alpha: positive when the reviewer lowers agreement.",
    "reason": "Why alpha_without is missing.",
    "competence": "MACE's competence: the chance the reviewer labels by the text rather than by a habit of their own.",
    "competence_low": "Lower limit of its 95% interval by article (blank when withheld).",
    "competence_high": "Upper limit of its 95% interval by article (blank when withheld).",
}
RELIABILITY_GOLD_COLUMNS = {
    "reviewer": "Reviewer's username, or a pseudonym with pseudonymize=1.",
    "units": "Decided sentences the reviewer labelled (unresolved sentences and training articles left out).",
    "agreed": "Of those, the sentences where the reviewer's label is the decided one.",
    "accuracy": "agreed / units.",
    "cohen_kappa": "Cohen's (1960) unweighted kappa of the reviewer's labels against the decided ones.",
    "weighted_kappa": "Cohen's (1968) weighted kappa against the decided labels (ordinal and interval scales).",
    "reason": "Why kappa is missing: no_units or no_variation.",
    "independent_units": "Sentences compared with a reference the reviewer did not determine: an adjudicated decision "
    "they did not make, or on a decision by the rule, the other reviewers' unique plurality (their own vote left out).",
    "independent_adjudicated": "Of those, how many were adjudicated decisions.",
    "independent_accuracy": "Share of independent_units where the reviewer's label is the reference.",
    "independent_kappa": "Cohen's (1960) kappa against that reference: free of the reviewer's own vote.",
}
RELIABILITY_TABLES = {
    "reliability-coefficients.csv": RELIABILITY_COEFFICIENT_COLUMNS,
    "reliability-pairs.csv": RELIABILITY_PAIR_COLUMNS,
    "reliability-reviewers.csv": RELIABILITY_REVIEWER_COLUMNS,
    "reliability-gold.csv": RELIABILITY_GOLD_COLUMNS,
}
# Column -> Frictionless type, so datapackage.json can say what each column holds (string if not listed).
ANALYSIS_COLUMNS = {
    "by": "What the articles are grouped by: outlet, leaning, topic or month.",
    "basis": "gold (the curators' decided labels), plurality (each sentence's most frequent label), labels "
    "(every reviewer's, weighted per sentence) or combined (the decided label where there is one, the plurality "
    "elsewhere).",
    "group": "The group's name (blank: articles without an outlet, a rated outlet, a topic or a date).",
    "compared_with": "Blank for the group's own figure; else the group subtracted from it (a difference).",
    "articles": "Labelled articles in the group.",
    "figure": "share:<label>, third:<first|middle|last>:<label>, claims:with_source, claims:sources_per_claim, "
    "quotes:speakers or quotes:top_five_share.",
    "estimate": "The figure (blank: nothing to count).",
    "ci95_low": "Lower end of its 95% bootstrap interval over articles.",
    "ci95_high": "Upper end of that interval.",
    "ci95_reason": "Why there is no interval: too_few_articles (the group, or one of the two compared, has fewer "
    "articles than min_articles, below which Lede's simulation shows the interval covering under 93%).",
    "min_articles": "The fewest articles a group needs for an interval.",
    "interval_method": "How the interval was computed (the unit of resampling is the article).",
    "p": "A difference's bootstrap p-value (no difference between the groups), unadjusted.",
    "p_holm": "That p-value adjusted by Holm's method over every pair of groups compared for this figure.",
    "adjustment": "The multiple-comparison adjustment of p_holm (holm) on a difference's row.",
    "mix_decided": "Combined basis: the sentences whose decided label counts.",
    "mix_plurality": "Combined basis: the undecided sentences counted by their single most frequent label.",
    "mix_tied": "Combined basis: the undecided sentences whose tied labels share their weight.",
    "status": "The analysis' status: pending, running, ready or failed.",
    "current": "true when no label changed since the analysis ran.",
    "computed_at": "When the analysis was computed.",
}
COLUMN_TYPES = {
    "project": "integer", "document": "integer", "sentence": "integer", "index": "integer", "paragraph": "integer",
    "start": "integer", "end": "integer", "position": "integer", "label_value": "number", "published": "date",
    "created": "datetime", "updated": "datetime", "computed_at": "datetime", "sources": "array", "url": "string",
    "annotation_count": "integer", "labels_now": "integer", "units": "integer", "annotators": "integer",
    "alpha": "number", "alpha_ci95_low": "number", "alpha_ci95_high": "number", "fleiss_kappa": "number",
    "percent_agreement": "number", "pairable_units": "integer", "current": "boolean", "labels": "integer",
    "plurality_share": "number", "articles": "integer", "estimate": "number", "p": "number", "p_holm": "number",
    "min_articles": "integer", "mix_decided": "integer", "mix_plurality": "integer",
    "mix_tied": "integer", "value": "number", "se": "number",
    "ci95_low": "number", "ci95_high": "number",
    "resamples": "integer", "undefined_resamples": "integer", "pairable_values": "integer", "coders": "integer",
    "cohen_kappa": "number", "weighted_percent_agreement": "number", "weighted_kappa": "number",
    "agreement_with_others": "number", "pairs": "integer", "alpha_without": "number", "alpha_change": "number",
    "topics": "array", "agreeing": "integer", "agreeing_share": "number", "decided_at": "datetime",
    "agreed": "integer", "accuracy": "number", "independent_units": "integer", "independent_adjudicated": "integer",
    "independent_accuracy": "number", "independent_kappa": "number",
}  # fmt: skip


def reviewer_columns(names: dict[int, str], filters: ExportFilters) -> dict[int, str]:
    """User id -> the reviewer columns of wide.csv, in order: by first label with pseudonyms, else by name."""
    if filters.annotator is not None:
        names = {uid: name for uid, name in names.items() if name == filters.annotator}
    if filters.pseudonymize:
        return names
    return dict(sorted(names.items(), key=lambda item: item[1]))


def wide_columns(names: dict[int, str], filters: ExportFilters) -> dict[str, str]:
    reviewers = reviewer_columns(names, filters)
    return {
        **WIDE_FIXED,
        **{name: f"Label reviewer {name} chose (blank: not labelled)." for name in reviewers.values()},
        **WIDE_SUMMARY,
    }


# soft_labels.csv: these, a `count:<label>` and a `share:<label>` column per label of the scheme, then SOFT_SUMMARY.
SOFT_FIXED = {
    "document": "Document id.",
    "sentence": "Sentence id.",
    "unit": "Unit key (as in annotations.csv).",
    "index": "Position of the sentence in the article.",
    "text": "The sentence.",
    "labels": "How many reviewers labelled the sentence.",
}
SOFT_SUMMARY = {
    "entropy": "Entropy of the label distribution in bits: 0 when every reviewer agrees.",
    "reviewer_labels": "JSON object: each reviewer (as in reviewers.csv) and the label they gave.",
}
REVIEWER_COLUMNS = {
    "reviewer": "The reviewer (a pseudonym with pseudonymize), as in annotations.csv and soft_labels.csv.",
    "role": "Their role in the project now (annotator, curator, ...).",
    "joined": "When they joined the project (ISO 8601).",
    "labels": "How many of their labels the export holds.",
    "agreement_with_others": "The project report's share of their pairings with other reviewers that agree.",
    "competence": "MACE's competence: the chance they label by the text rather than by habit (project report).",
    "competence_low": "Lower limit of its 95% interval by article (blank when withheld).",
    "competence_high": "Upper limit of its 95% interval by article (blank when withheld).",
}


def soft_label_columns(scheme: list[str]) -> dict[str, str]:
    """The per-label columns of soft_labels.csv: counts, then shares, in the scheme's order."""
    return {
        **{f"count:{name}": f"How many reviewers labelled the sentence {name}." for name in scheme},
        **{f"share:{name}": f"The share of the sentence's labels that are {name}." for name in scheme},
    }


def tables(names: dict[int, str], filters: ExportFilters, scheme: list[str]) -> dict[str, dict[str, str]]:
    """File name -> columns of every CSV export (`scheme`: the project's label names in order)."""
    return {
        "annotations.csv": LONG_COLUMNS,
        "wide.csv": wide_columns(names, filters),
        "soft_labels.csv": {**SOFT_FIXED, **soft_label_columns(scheme), **SOFT_SUMMARY},
        "reviewers.csv": REVIEWER_COLUMNS,
        "gold.csv": GOLD_COLUMNS,
        "sources.csv": SOURCE_COLUMNS,
        "exposures.csv": EXPOSURE_COLUMNS,
        "agreement.csv": AGREEMENT_COLUMNS,
        "analysis.csv": ANALYSIS_COLUMNS,
        **RELIABILITY_TABLES,
    }
