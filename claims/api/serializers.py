"""Shapes of the agreement and annotation-import endpoints: they translate; reports and imports decide."""

from rest_framework import serializers

from annotator.jobs import stalled_since
from annotator.services.studies import COLUMN_DEFAULTS
from claims.models import AgreementReport, AnalysisReport, Report
from claims.reports import is_current

FIGURES_WITHOUT_RESULT = {
    "units": None,
    "annotators": None,
    "alpha": None,
    "alpha_reason": None,
    "alpha_ci95": None,
    "alpha_ci95_reason": None,
    "alpha_q": [],
    "alpha_min": None,
    "sample_size": None,
    "bootstrap": None,
    "pairable_units": None,
    "pairable_values": None,
    "weights": None,
    "fleiss_kappa": None,
    "fleiss": None,
    "gwet": None,
    "percent_agreement": None,
    "percent_agreement_units": None,
    "percent_agreement_weighted": None,
    "per_label": {},
    "pairwise": [],
    "reviewers": [],
    "confusion": {},
    "gold": None,
    "pace": [],
    "competence": None,
}
SENTENCE_ORDERINGS = ("index", "contested", "labels", "plurality_share")


class ReportFreshnessSerializer(serializers.Serializer):
    """What every stored report shows first: whether its figures cover today's labels."""

    status = serializers.ChoiceField(choices=AgreementReport.Status.choices, read_only=True)
    current = serializers.BooleanField(read_only=True, help_text="Ready and no label changed since the run began.")
    stale = serializers.BooleanField(read_only=True, help_text="Labels changed since these figures were computed.")
    error = serializers.CharField(read_only=True)
    requested_at = serializers.DateTimeField(read_only=True, allow_null=True)
    computed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    annotation_count = serializers.IntegerField(read_only=True)
    latest_change = serializers.DateTimeField(read_only=True, allow_null=True)
    stalled_since = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text="Set while the report is pending or running but no worker has worked on it since this moment.",
    )


class AgreementReportSerializer(ReportFreshnessSerializer):
    """A stored report: its freshness, then the figures of its last run (null where undefined)."""

    scale = serializers.CharField(read_only=True)
    units = serializers.IntegerField(read_only=True, allow_null=True)
    annotators = serializers.IntegerField(read_only=True, allow_null=True)
    alpha = serializers.FloatField(read_only=True, allow_null=True)
    alpha_reason = serializers.CharField(
        read_only=True, allow_null=True, help_text="Why alpha is null: not_enough_units or no_variation."
    )
    alpha_ci95 = serializers.ListField(child=serializers.FloatField(), read_only=True, allow_null=True)
    alpha_ci95_reason = serializers.CharField(
        read_only=True,
        allow_null=True,
        help_text="Why there is no interval: not_enough_units, no_variation, too_few_articles (a project or "
        "calibration set with fewer than bootstrap.min_articles articles), too_few_units (one article's report "
        "under bootstrap.min_units pairable sentences) or no_disagreement.",
    )
    alpha_q = serializers.ListField(
        child=serializers.DictField(),
        read_only=True,
        help_text="Krippendorff's q: for each alpha_min (.667, .800), the share of bootstrap resamples whose alpha "
        "is below it (Hayes & Krippendorff 2007), and for the project's own alpha_min; empty where there is no "
        "interval.",
    )
    alpha_min = serializers.FloatField(
        read_only=True, allow_null=True, help_text="The project's own smallest acceptable alpha when computed."
    )
    sample_size = serializers.DictField(
        read_only=True,
        allow_null=True,
        help_text="Krippendorff's sample size for reliability data (Bloch & Kraemer 1989, two coders): alpha_min "
        "(the project's, else .800), significance (.05), rarest_share (the rarest used label's share of the "
        "pairable labels), units (sentences with two labels needed), more_units (how many more), more_articles "
        "(articles still missing for an interval by article), method. Null with fewer than two labels in use.",
    )
    bootstrap = serializers.DictField(
        read_only=True,
        allow_null=True,
        help_text="The interval's method and unit of resampling (article for a project and its calibration set, "
        "sentence for one article), resamples, undefined_resamples, articles and min_articles (by article) or "
        "min_units (by sentence), seed.",
    )
    pairable_units = serializers.IntegerField(read_only=True, allow_null=True)
    pairable_values = serializers.IntegerField(read_only=True, allow_null=True)
    weights = serializers.DictField(
        read_only=True,
        allow_null=True,
        help_text="Weights of Fleiss, Gwet and pairwise weighted kappa: identity (nominal), linear on ranks "
        "(ordinal), quadratic on values (interval).",
    )
    fleiss_kappa = serializers.FloatField(read_only=True, allow_null=True)
    fleiss = serializers.DictField(
        read_only=True,
        allow_null=True,
        help_text="Generalized Fleiss' kappa: value, se, units, pairable_units, reason.",
    )
    gwet = serializers.DictField(
        read_only=True, allow_null=True, help_text="Gwet's AC1 (nominal) or AC2: name, value, se, units, reason."
    )
    percent_agreement = serializers.FloatField(read_only=True, allow_null=True)
    percent_agreement_units = serializers.IntegerField(read_only=True, allow_null=True)
    percent_agreement_weighted = serializers.FloatField(
        read_only=True,
        allow_null=True,
        help_text="Percent agreement with partial credit by the weights (Gwet's p_a); nominal: the plain one.",
    )
    per_label = serializers.DictField(read_only=True)
    pairwise = serializers.ListField(child=serializers.DictField(), read_only=True)
    reviewers = serializers.ListField(
        child=serializers.DictField(),
        read_only=True,
        help_text="Per reviewer: labels, agreement_with_others, alpha_without, alpha_change; in a project's report "
        "also competence (mace, mace_ci95, habit, confusion: rows the true category, columns the label given, "
        "confusion_ci95) and their agreement over their own labelling time, by_week (week, labels, pairs, "
        "agreement) and by_tenth (tenth, first, last, labels, pairs, agreement).",
    )
    confusion = serializers.DictField(read_only=True)
    pace = serializers.ListField(
        child=serializers.DictField(),
        read_only=True,
        help_text="A project's report: per reviewer with labels timed on the annotation screen, by name: reviewer, "
        "labels (timed), median_seconds (active seconds a sentence), by_part (the median of each fifth of their "
        "timed labels in the order given) and trend_seconds (last fifth's median less the first's). Empty for a "
        "document.",
    )
    competence = serializers.DictField(
        read_only=True,
        allow_null=True,
        help_text="A project's report: how Dawid-Skene and MACE were fitted (method, categories, sentences, labels, "
        "articles, resamples, ci95_reason, min_articles, seed, prior) and uncertain_sentences (how many have a most "
        "probable label under 90% and 70%). Null for a document.",
    )
    calibration = serializers.DictField(
        read_only=True,
        allow_null=True,
        help_text="A project's report: the same figures over the calibration set alone (the articles every "
        "reviewer labels), to compare reviewers on the same text; null without a calibration set, and for a document.",
    )
    gold = serializers.DictField(
        read_only=True,
        allow_null=True,
        help_text="A project's report: each reviewer against the decided labels (unanimous, majority, adjudicated; "
        "unresolved and training articles left out). labels; decided (sentences with a decided label); reviewers: "
        "reviewer, n (decided sentences they labelled), agreed, accuracy, kappa (Cohen's, unweighted), kappa_reason "
        "(no_units, no_variation), weighted_kappa (ordinal and interval scales), confusion (rows: the reviewer's "
        "label, columns: the decided one, in labels' order). Null for a document.",
    )

    def to_representation(self, report: AgreementReport) -> dict:
        figures = dict(report.result) if report.result else {**FIGURES_WITHOUT_RESULT, "scale": report.project.scale}
        figures.pop("sentences", None)
        figures.setdefault("calibration", None)
        figures.setdefault("gold", None)
        figures.setdefault("pace", [])
        figures.setdefault("competence", None)
        return {**freshness(report), **figures}


def freshness(report: Report) -> dict:
    """What says whether a stored report's figures are current, as every report endpoint shows it."""
    current = is_current(report)
    stalled = stalled_since(status=report.status, heartbeat=report.heartbeat, waiting_since=report.requested_at)
    fields = serializers.DateTimeField()
    return {
        "status": report.status,
        "current": current,
        "stale": not current,
        "error": report.error,
        "requested_at": fields.to_representation(report.requested_at) if report.requested_at else None,
        "computed_at": fields.to_representation(report.computed_at) if report.computed_at else None,
        "annotation_count": report.annotation_count,
        "latest_change": fields.to_representation(report.latest_change) if report.latest_change else None,
        "stalled_since": fields.to_representation(stalled) if stalled else None,
    }


class AnalysisQuerySerializer(serializers.Serializer):
    by = serializers.ChoiceField(choices=AnalysisReport.Grouping.choices, required=False, default="outlet")
    basis = serializers.ChoiceField(
        choices=AnalysisReport.Basis.choices,
        required=False,
        help_text="gold: the curators' decided labels (unresolved sentences left out; a 400 while the project has "
        "none); plurality: each sentence's most frequent label; labels: every reviewer's label, weighted per "
        "sentence; combined: the decided label where there is one, the plurality elsewhere. Default: combined.",
    )


class AnalysisReportSerializer(ReportFreshnessSerializer):
    """A stored analysis: its freshness, then the figures of its last run (empty before the first)."""

    by = serializers.CharField(read_only=True)
    basis = serializers.CharField(read_only=True)
    labels = serializers.ListField(child=serializers.CharField(), read_only=True)
    resamples = serializers.IntegerField(read_only=True, allow_null=True)
    n = serializers.DictField(read_only=True, help_text="Articles, sentences and labels the figures count.")
    groups = serializers.ListField(
        child=serializers.DictField(),
        read_only=True,
        help_text="Per group: articles, sentences, shares, by_third, claims, quotes; each figure an estimate "
        "with its 95% bootstrap interval (ci95) over articles; interval: method, min_articles, reason "
        "(too_few_articles: no interval under min_articles articles), more_articles.",
    )
    differences = serializers.ListField(
        child=serializers.DictField(),
        read_only=True,
        help_text="For pairs of the largest groups: each figure's difference (first minus second) with its interval, "
        "its bootstrap p and p_holm (adjusted by Holm's method over the pairs compared: multiple_comparisons); no "
        "interval or p where either group is under min_articles articles.",
    )

    def to_representation(self, report: AnalysisReport) -> dict:
        empty = {"labels": [], "resamples": None, "n": {}, "groups": [], "differences": []}
        return {**freshness(report), **empty, **(report.result or {}), "by": report.by, "basis": report.basis}


class DocumentAgreementSerializer(AgreementReportSerializer):
    """A document's report plus one row per sentence; `annotations` only for those who may see labels."""

    document = serializers.IntegerField(read_only=True)
    sentences = serializers.ListField(child=serializers.DictField(), read_only=True)

    def to_representation(self, report: AgreementReport) -> dict:
        rows = list((report.result or {}).get("sentences", []))
        ordering = self.context.get("ordering", "index")
        key, descending = ordering.lstrip("-"), ordering.startswith("-")
        # Ties keep the reading order; sentences without a value (no labels) come last either way.
        present = [row for row in rows if row[key] is not None]
        present.sort(key=lambda row: (row[key], -row["index"] if descending else row["index"]), reverse=descending)
        rows = present + sorted((row for row in rows if row[key] is None), key=lambda row: row["index"])
        if not self.context.get("sees_labels", False):
            rows = [{name: value for name, value in row.items() if name != "annotations"} for row in rows]
        return {**super().to_representation(report), "document": report.document_id, "sentences": rows}


class DocumentAlphaSerializer(serializers.Serializer):
    """One article's alpha and interval from its stored report (null before a first run or where undefined)."""

    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    alpha = serializers.FloatField(read_only=True, allow_null=True)
    alpha_ci95 = serializers.ListField(child=serializers.FloatField(), read_only=True, allow_null=True)


class OrderingSerializer(serializers.Serializer):
    ordering = serializers.ChoiceField(
        choices=[*SENTENCE_ORDERINGS, *(f"-{name}" for name in SENTENCE_ORDERINGS)], required=False, default="index"
    )


class RecomputationSerializer(serializers.Serializer):
    status = serializers.CharField()
    requested_at = serializers.DateTimeField()


class AnnotationImportSerializer(serializers.Serializer):
    """A long-format annotation file and, for files from other tools, which column holds what."""

    file = serializers.FileField(help_text="CSV with a header row, or JSONL (one object a line).")
    format = serializers.ChoiceField(
        choices=["csv", "jsonl"], required=False, help_text="Default: from the file name (.jsonl, else CSV)."
    )
    add_labels = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Add labels the file uses but the scheme lacks (nominal, interval); otherwise they are a 400.",
    )
    annotator_prefix = serializers.CharField(
        required=False,
        default="",
        allow_blank=True,
        max_length=40,
        help_text="Put before every annotator name, e.g. 'babe:', to keep imported accounts apart from real users.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, default in COLUMN_DEFAULTS.items():
            self.fields[f"{name}_column"] = serializers.CharField(
                required=False, default=default, max_length=100, help_text=f"The column of the {name} ('{default}')."
            )

    def columns(self) -> dict[str, str]:
        return {name: self.validated_data[f"{name}_column"] for name in COLUMN_DEFAULTS}
