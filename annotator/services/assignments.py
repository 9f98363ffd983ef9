"""Who labels what: giving reviewers articles by the project's design, by hand, and taking them back.

A reviewer who asks for work (`next_assignment`) first gets back their unfinished article, then
the training articles, then the calibration set (every reviewer labels it), then an ordinary
article: in a project with an overlap of k, the least-covered one that has fewer than k
reviewers, preferring one already given to a reviewer they share the fewest articles with, so
that every pair of reviewers comes to share articles (pairwise kappa needs them). Without an
overlap every reviewer labels every article, in import order, as before.

The request is one call of the PL/pgSQL function `lede_next_assignment()`, whose file
(annotator/sql/next_assignment.sql) holds these rules and how concurrent requests take different
articles without waiting. An assignment is finished while its reviewer has labelled every sentence of
the article: that rule is `lede_unlabelled_sentence()` (annotator/sql/unlabelled_sentence.sql), which
the function, the label upsert and this module's statements call.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from annotator import sql
from annotator.errors import Conflict, InvalidInput
from annotator.models import Assignment, Document, Membership, Project
from annotator.roles import CAN_LABEL

from .training import training_refusal_message


def next_assignment(*, project: Project, reviewer) -> Assignment | None:
    """The article `reviewer` should label next, assigning it if needed; None when nothing is left.

    The assignment comes as `selectors.assignments` gives it (the article's title and flags,
    `sentence_count`, `labelled`, `done`), built from the one row of `lede_next_assignment()` without
    another query (pinned in tests/annotator/test_assignments.py). Raises `Conflict` on `training` when
    the reviewer is held in training (`lede_training_standing()`: below the project's threshold by their
    first answers, or sent back by a lead).
    """
    found = sql.next_assignment(
        project_id=project.pk,
        reviewer_id=reviewer.pk,
        overlap=project.overlap,
        reclaim_after=project.reclaim_after,
    )
    if found is None:
        return None
    if found.assignment_id is None:
        raise Conflict("training", training_refusal_message(project=project, reviewer=reviewer))
    assigned_by = None
    if found.assigned_by_id is not None:
        assigned_by = get_user_model()(id=found.assigned_by_id, username=found.assigned_by_username)
    done = found.labelled >= found.sentence_count
    assignment = Assignment(
        id=found.assignment_id,
        project=project,
        document=Document(
            id=found.document_id,
            project=project,
            title=found.title,
            calibration=found.calibration,
            training=found.training,
        ),
        reviewer=reviewer,
        assigned_by=assigned_by,
        assigned=found.assigned,
        touched=found.touched,
        # An open assignment comes back unfinished; a new one of an article the reviewer had labelled
        # throughout, finished when it was made (both by the function).
        finished=found.assigned if done else None,
    )
    assignment.sentence_count, assignment.labelled, assignment.done = found.sentence_count, found.labelled, done
    return assignment


def settle_finished(*, project: Project, now=None) -> None:
    """Make `finished` of the project's assignments exact: set (at `now`) where the reviewer has labelled every
    sentence of the article, cleared where not. Pages count done assignments from it rather than from the labels."""
    sql.settle_finished(project_id=project.pk, now=now or timezone.now())


def after_label_removed(*, document_id: int, reviewer_id: int) -> None:
    """A removed label leaves the reviewer's assignment of the article unfinished."""
    Assignment.objects.filter(document_id=document_id, reviewer_id=reviewer_id, finished__isnull=False).update(
        finished=None
    )


def after_sentences_added(*, document_id: int) -> None:
    """New sentences are nobody's labelled ones yet: every assignment of the article is unfinished."""
    Assignment.objects.filter(document_id=document_id, finished__isnull=False).update(finished=None)


def release_unfinished(*, project: Project, reviewer) -> None:
    """A reviewer leaves the project: their unfinished articles go back to the pool (their labels stay)."""
    for assignment in sql.unfinished_assignments(project_id=project.pk, reviewer_id=reviewer.pk):
        _remove(assignment.id, assignment.document_id)


def _remove(assignment_id: int, document_id: int) -> None:
    Document.objects.select_for_update().filter(pk=document_id).first()
    Assignment.objects.filter(pk=assignment_id).delete()
    Document.objects.filter(pk=document_id, coverage__gt=0).update(coverage=F("coverage") - 1)


def assign(*, document: Document, reviewer_username: str, assigned_by) -> tuple[Assignment, bool]:
    """A lead gives `document` to a reviewer by hand; (the assignment, whether it is new).

    The reviewer must be a member who labels, and an ordinary article already with k reviewers
    takes no more (unassign one first).
    """
    project = document.project
    membership = (
        Membership.objects.select_related("user")
        .filter(project=project, user__username=reviewer_username, role__in=CAN_LABEL)
        .first()
    )
    if membership is None:
        raise InvalidInput("reviewer", f"'{reviewer_username}' is not a member of this project who labels.")
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        existing = Assignment.objects.filter(document=locked, reviewer=membership.user).first()
        if existing is not None:
            return existing, False
        ordinary = not (locked.calibration or locked.training)
        if ordinary and project.overlap is not None and locked.coverage >= project.overlap:
            raise Conflict(
                "document",
                f"This article already has {locked.coverage} reviewers, the project's overlap; unassign one first.",
            )
        Document.objects.filter(pk=locked.pk).update(coverage=F("coverage") + 1)
        assignment = Assignment.objects.create(
            project=project, document=locked, reviewer=membership.user, assigned_by=assigned_by
        )
        assignment.finished = sql.finish_if_labelled(assignment.pk)
        return assignment, True


def unassign(*, assignment: Assignment) -> None:
    """Take an article back from a reviewer; their labels on it stay."""
    with transaction.atomic():
        _remove(assignment.pk, assignment.document_id)


def set_document_design(*, document: Document, calibration: bool | None = None, training: bool | None = None) -> None:
    """Flag an article as part of the calibration set or as a training article (not both)."""
    calibration = document.calibration if calibration is None else calibration
    training = document.training if training is None else training
    if calibration and training:
        raise InvalidInput("training", "An article is either in the calibration set or for training, not both.")
    Document.objects.filter(pk=document.pk).update(calibration=calibration, training=training)
    document.calibration, document.training = calibration, training
