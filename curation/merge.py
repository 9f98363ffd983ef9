"""The auto-merge: decide every open sentence of a project (or one article) whose labels a rule accepts.

A sentence already decided, by a curator or by an earlier merge, keeps its decision: the merge
only fills open sentences, and a curator deciding a sentence while a merge runs wins (the
merge's insert skips a sentence that has a decision by then). A dry run counts what a merge
would decide and writes nothing.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from annotator.models import Annotation, Document, Label, Project, Sentence

from .models import BY_RULE, Decision, DecisionEvent, Provenance
from .plurality import Rule, plurality
from .services import snapshot
from .signals import announce_decisions_changed

BATCH = 5000


@dataclass
class MergeOutcome:
    rule: Rule
    dry_run: bool
    sentences: int = 0  # in the scope
    decided_before: int = 0  # kept as they were
    below_rule: int = 0  # open sentences the rule does not accept (too few labels, too little agreement, a tie)
    unanimous: int = 0
    majority: int = 0
    by_label: dict = field(default_factory=dict)

    @property
    def decided(self) -> int:
        return self.unanimous + self.majority

    def as_dict(self) -> dict:
        return {
            "rule": self.rule.as_dict(),
            "dry_run": self.dry_run,
            "sentences": self.sentences,
            "decided_before": self.decided_before,
            "below_rule": self.below_rule,
            "decided": self.decided,
            "unanimous": self.unanimous,
            "majority": self.majority,
            "by_label": self.by_label,
        }


def _open_counts(project: Project, document: Document | None) -> dict[int, dict[int, int]]:
    """Per open sentence in the scope that has labels: label id -> how many reviewers chose it."""
    annotations = Annotation.objects.filter(sentence__document__project=project, sentence__decision__isnull=True)
    if document is not None:
        annotations = annotations.filter(sentence__document=document)
    counts: dict[int, dict[int, int]] = {}
    rows = annotations.values_list("sentence_id", "label_id").annotate(n=Count("id")).order_by()
    for sentence_id, label_id, n in rows.iterator(chunk_size=BATCH):
        counts.setdefault(sentence_id, {})[label_id] = n
    return counts


def auto_merge(*, project: Project, rule: Rule, actor, document: Document | None = None, dry_run: bool) -> MergeOutcome:
    outcome = MergeOutcome(rule=rule, dry_run=dry_run)
    scope = {"document": document} if document is not None else {"document__project": project}
    outcome.sentences = Sentence.objects.filter(**scope).count()
    outcome.decided_before = Decision.objects.filter(**{f"sentence__{k}": v for k, v in scope.items()}).count()
    now = timezone.now()
    accepted = []
    for sentence_id, counts in _open_counts(project, document).items():
        found = plurality(counts)
        if found.accepted_by(rule):
            accepted.append(
                Decision(
                    sentence_id=sentence_id,
                    project=project,
                    label_id=found.label,
                    provenance=Provenance.UNANIMOUS if found.unanimous else Provenance.MAJORITY,
                    rule=None if found.unanimous else rule.as_dict(),
                    labels=found.labels,
                    share=found.share,
                    decided_by=actor,
                    decided_at=now,
                )
            )
    labels = {label.pk: label for label in Label.objects.filter(project=project)}
    if not dry_run and accepted:
        with transaction.atomic():
            Decision.objects.bulk_create(accepted, batch_size=BATCH, ignore_conflicts=True)
            # Only what this merge inserted: a sentence a curator decided meanwhile is not among them.
            accepted = list(
                Decision.objects.filter(project=project, decided_at=now, provenance__in=BY_RULE).only(
                    "sentence_id", "label_id", "provenance", "rule", "labels", "share"
                )
            )
            for decision in accepted:
                decision.label = labels[decision.label_id]
            DecisionEvent.objects.bulk_create(
                (
                    DecisionEvent(
                        project=project,
                        sentence_id=decision.sentence_id,
                        actor=actor,
                        action=DecisionEvent.Action.DECIDED,
                        data=snapshot(decision, ()),
                    )
                    for decision in accepted
                ),
                batch_size=BATCH,
            )
            if accepted:
                announce_decisions_changed(project_id=project.pk)
    provenances = Counter(decision.provenance for decision in accepted)
    outcome.unanimous, outcome.majority = provenances[Provenance.UNANIMOUS], provenances[Provenance.MAJORITY]
    outcome.by_label = dict(Counter(labels[decision.label_id].name for decision in accepted))
    outcome.below_rule = outcome.sentences - outcome.decided_before - outcome.decided
    return outcome
