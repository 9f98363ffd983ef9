"""The auto-merge: decide every open sentence of a project (or one article) whose labels a rule accepts.

A sentence already decided, by a curator or by an earlier merge, keeps its decision: the merge
only fills open sentences (never of a training article: its labels are practice), and a curator
deciding a sentence while a merge runs wins (the merge's insert skips a sentence that has a decision
by then). A dry run counts what a merge
would decide and writes nothing.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from annotator.models import Document, Label, Project, Sentence

from . import sql
from .models import Decision, Provenance
from .plurality import Rule
from .signals import announce_decisions_changed


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


def auto_merge(*, project: Project, rule: Rule, actor, document: Document | None = None, dry_run: bool) -> MergeOutcome:
    outcome = MergeOutcome(rule=rule, dry_run=dry_run)
    # Training articles are practice: never merged, nor counted among the sentences to decide.
    scope = {"document": document} if document is not None else {"document__project": project}
    scope["document__training"] = False
    outcome.sentences = Sentence.objects.filter(**scope).count()
    outcome.decided_before = Decision.objects.filter(**{f"sentence__{k}": v for k, v in scope.items()}).count()
    document_id = document.pk if document is not None else None
    if dry_run:
        decided = [
            sql.Inserted(row.label_id, Provenance.UNANIMOUS if row.unanimous else Provenance.MAJORITY, row.sentences)
            for row in sql.count_accepted(project_id=project.pk, document_id=document_id, rule=rule)
        ]
    else:
        now = timezone.now()
        with transaction.atomic():
            decided = sql.insert_accepted(
                project_id=project.pk, document_id=document_id, rule=rule, actor_id=getattr(actor, "pk", None), now=now
            )
            if decided:
                announce_decisions_changed(project_id=project.pk)
    names = dict(Label.objects.filter(project=project).values_list("pk", "name"))
    by_label: dict[str, int] = {}
    for row in decided:
        name = names[row.label_id]
        by_label[name] = by_label.get(name, 0) + row.sentences
        if row.provenance == Provenance.UNANIMOUS:
            outcome.unanimous += row.sentences
        else:
            outcome.majority += row.sentences
    outcome.by_label = by_label
    outcome.below_rule = outcome.sentences - outcome.decided_before - outcome.decided
    return outcome
