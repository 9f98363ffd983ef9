"""Training under a study design: why a label is refused, the first answer a reference fixes, and a lead's decision.

Who may label what is one rule, `lede_may_label()` (annotator/sql/may_label.sql), which the label upsert,
the label delete, the request for work and the pages all ask; the training gate inside it is
`lede_training_standing()` (annotator/sql/training_standing.sql). This module only says the rule's answer
in words, and writes what a lead or a reviewer's reveal of a reference changes.
"""

from django.db import transaction
from django.utils import timezone

from annotator import sql
from annotator.errors import Conflict, Forbidden, InvalidInput
from annotator.models import AnnotationEvent, Membership, Project, Role, Sentence, TrainingDecision

# Why the design refuses a label (the reasons `lede_may_label()` gives), as the API and the pages say it.
REASONS = {
    "training": "You are in training: until you pass it, or a lead lets you through, you label only training articles.",
    "assignment": "This article is not assigned to you: in this project's design each article goes to its own "
    "reviewers. Use Continue labelling for your next article.",
}


def refusal(reason: str) -> Forbidden:
    """The 403 for a label the study design refuses, on `document`, saying why."""
    return Forbidden("document", f"{REASONS[reason]} Nothing was saved.")


def check_may_label(*, document_id: int, reviewer_id: int) -> None:
    """Raise the design's refusal when `reviewer_id` may not label the article (`lede_may_label()`)."""
    reason = sql.may_label(document_id=document_id, reviewer_id=reviewer_id)
    if reason is not None:
        raise refusal(reason)


def reveal_reference(*, sentence: Sentence, reviewer) -> str | None:
    """The reference of a training sentence is being shown to `reviewer`: their current label on it becomes
    their first answer, the one the training gate counts, unless an earlier reveal fixed one. Returns the
    first answer's label."""
    return sql.fix_first_answer(sentence_id=sentence.pk, reviewer_id=reviewer.pk, now=timezone.now())


def has_design(project: Project) -> bool:
    """Whether the project has a study design that holds reviewers to it (see `lede_may_label()`)."""
    return project.overlap is not None or project.training_threshold is not None


@transaction.atomic
def decide_training(*, project: Project, reviewer_username: str, decision: str, actor) -> Membership:
    """A lead lets a reviewer through training (`let_through`) or sends them back to it (`sent_back`): recorded
    on the membership and as an event in the project's history, with the reviewer's figures at the time."""
    if decision not in (TrainingDecision.LET_THROUGH, TrainingDecision.SENT_BACK):
        raise InvalidInput("decision", "Use let_through or sent_back.")
    if not has_design(project):
        raise Conflict(
            "decision", "This project has no study design (no overlap, no training threshold): nobody is held."
        )
    membership = (
        Membership.objects.select_for_update()
        .select_related("user")
        .filter(project=project, user__username=reviewer_username)
        .first()
    )
    if membership is None:
        raise InvalidInput("reviewer", f"'{reviewer_username}' is not a member of this project.")
    if membership.role != Role.ANNOTATOR:
        raise Conflict("reviewer", f"'{reviewer_username}' is a {membership.role}, whom the design does not hold.")
    standing = sql.training_standing(project_id=project.pk, reviewer_id=membership.user_id)
    Membership.objects.filter(pk=membership.pk).update(training_decision=decision)
    membership.training_decision = decision
    AnnotationEvent.objects.create(
        project=project,
        annotator=membership.user,
        actor=actor,
        action=decision,
        data={"agreed": standing.agreed, "total": standing.total, "threshold": project.training_threshold},
    )
    return membership


def training_refusal_message(*, project: Project, reviewer) -> str:
    """Why a request for real work is refused to a reviewer held in training, with their figures."""
    standing = sql.training_standing(project_id=project.pk, reviewer_id=reviewer.pk)
    decision = (
        Membership.objects.filter(project=project, user=reviewer).values_list("training_decision", flat=True).first()
    )
    if decision == TrainingDecision.SENT_BACK:
        return "A lead sent you back to training: you label only training articles until a lead lets you through."
    return (
        f"You labelled {standing.agreed} of {standing.total} training sentences as the reference does (your first "
        f"answers count); this project asks for {project.training_threshold:.0%} before real articles. "
        "Ask a lead to review your training."
    )
