"""One decided label per sentence (the gold standard), how it was reached, and its history."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from annotator.models import Label, Project, Sentence, SourceFields

DEFAULT_CATEGORIES = ["guideline gap", "misreading", "ambiguous text"]


class Provenance(models.TextChoices):
    """How a decision was reached: by the rule (unanimous, majority), by a person (adjudicated, unresolved), or
    by a curator who took the labelling model's most probable label (model consensus, never automatic)."""

    UNANIMOUS = "unanimous"
    MAJORITY = "majority"
    ADJUDICATED = "adjudicated"
    UNRESOLVED = "unresolved"
    MODEL = "model", "model consensus"


BY_RULE = (Provenance.UNANIMOUS, Provenance.MAJORITY)


def default_categories() -> list[str]:
    return list(DEFAULT_CATEGORIES)


class CurationSettings(models.Model):
    """A project's curation choices, kept beside the project so that `annotator` needs to know nothing of them.

    A project without a row has the defaults (`for_project`): the three categories, feedback closed.
    """

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="curation_settings")
    categories = models.JSONField(default=default_categories, help_text="The disagreement categories, in order.")
    feedback = models.BooleanField(
        default=False, help_text="Reviewers see the decisions where they differed, and their agreement with them."
    )

    def __str__(self) -> str:
        return f"Curation of {self.project_id}"

    @classmethod
    def for_project(cls, project: Project) -> "CurationSettings":
        return cls.objects.filter(project=project).first() or cls(project=project)


class Decision(models.Model):
    """The decided label of one sentence (none when unresolved), who decided, why and how.

    `labels` and `share` record the reviewers' labels when it was decided: how many, and the
    share that agreed with the decided label. `rule` holds the auto-merge rule for `majority`.
    """

    sentence = models.OneToOneField(Sentence, on_delete=models.CASCADE, related_name="decision")
    # Lookups by project use the (project, provenance) index.
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="decisions", db_index=False)
    label = models.ForeignKey(Label, null=True, blank=True, on_delete=models.RESTRICT, related_name="decisions")
    provenance = models.CharField(max_length=12, choices=Provenance.choices)
    rule = models.JSONField(null=True, blank=True)
    labels = models.PositiveIntegerField(default=0)
    share = models.FloatField(null=True, blank=True)
    speaker = models.CharField(max_length=300, blank=True)
    rationale = models.TextField(blank=True, max_length=5000)
    category = models.CharField(max_length=100, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["sentence_id"]
        indexes = [models.Index(fields=["project", "provenance"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(provenance=Provenance.UNRESOLVED, label__isnull=True)
                | (~Q(provenance=Provenance.UNRESOLVED) & Q(label__isnull=False)),
                name="decision_label_unless_unresolved",
            ),
            models.CheckConstraint(condition=Q(provenance__in=Provenance.values), name="decision_provenance_known"),
        ]

    def __str__(self) -> str:
        return f"{self.provenance} on sentence {self.sentence_id}"


class SentencePosterior(models.Model):
    """What the labelling models make of one sentence's labels, stored by the project report's run.

    `label` is the most probable category under Dawid & Skene's model and `uncertainty` one minus
    its probability; `probabilities` holds every category's posterior under each model
    (`{"dawid_skene": {label: p}, "mace": {label: p}}`). The curator screen sorts by
    `uncertainty`; a curator may take `label` as the decision (provenance `model`).
    """

    sentence = models.OneToOneField(Sentence, on_delete=models.CASCADE, primary_key=True, related_name="posterior")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+", db_index=False)
    label = models.ForeignKey(Label, on_delete=models.CASCADE, related_name="+")
    uncertainty = models.FloatField()
    probabilities = models.JSONField()
    computed_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["project", "-uncertainty"])]

    def __str__(self) -> str:
        return f"Posterior of sentence {self.sentence_id}"


class DecisionSource(SourceFields):
    """A source the decision cites, taken from a reviewer's label or added by the curator."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="sources")

    class Meta:
        ordering = ["decision_id", "position", "id"]


class DecisionEvent(models.Model):
    """History of every decision: who decided which sentence, when, and what (before it, for a deletion)."""

    class Action(models.TextChoices):
        DECIDED = "decided"
        DELETED = "deleted"

    # Lookups by project or by sentence use the (project, -at) and (sentence, -at) indexes.
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="decision_events", db_index=False)
    sentence = models.ForeignKey(Sentence, on_delete=models.CASCADE, related_name="decision_events", db_index=False)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=10, choices=Action.choices)
    data = models.JSONField(default=dict)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["sentence", "-at"]), models.Index(fields=["project", "-at"])]

    def __str__(self) -> str:
        return f"{self.action} by {self.actor_id} on sentence {self.sentence_id}"
