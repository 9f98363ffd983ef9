"""Who labels what: giving reviewers articles by the project's design, by hand, and taking them back.

A reviewer who asks for work (`next_assignment`) first gets back their unfinished article, then
the training articles, then the calibration set (every reviewer labels it), then an ordinary
article: in a project with an overlap of k, the least-covered one that has fewer than k
reviewers, preferring one already given to a reviewer they share the fewest articles with, so
that every pair of reviewers comes to share articles (pairwise kappa needs them). Without an
overlap every reviewer labels every article, in import order, as before.

Concurrency: a reviewer's own requests queue on their membership row; the article is chosen
from a small pool and taken with `FOR UPDATE SKIP LOCKED`, so concurrent reviewers take
different articles without waiting (each tries the pool in an order of its own), and its
`coverage` is raised only while it is below k. On PostgreSQL the whole request is one call of a
PL/pgSQL function (`annotator.sql.next_assignment`) that follows the same rules; this module's
Python path serves SQLite, and `reclaim_stale` and the rest serve both.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from annotator import selectors, sql
from annotator.errors import Conflict, InvalidInput
from annotator.models import Annotation, Assignment, Document, Membership, Project, ReferenceLabel, Sentence
from annotator.roles import CAN_LABEL


def training_accuracy(*, project: Project, reviewer) -> tuple[int, int]:
    """(agreed, total): how many reference sentences of `project`'s training articles `reviewer` labelled
    as the reference does, of how many there are (one query)."""
    agreeing = Annotation.objects.filter(
        sentence_id=OuterRef("sentence_id"), annotator=reviewer, label_id=OuterRef("label_id")
    )
    counts = ReferenceLabel.objects.filter(
        sentence__document__project=project, sentence__document__training=True
    ).aggregate(total=Count("id"), agreed=Count("id", filter=Q(Exists(agreeing))))
    return counts["agreed"], counts["total"]


def next_assignment(*, project: Project, reviewer) -> Assignment | None:
    """The article `reviewer` should label next, assigning it if needed; None when nothing is left.

    The assignment comes as `selectors.assignments` gives it (the article's title and flags,
    `sentence_count`, `labelled`, `done`). Raises `Conflict` on `training` when the project requires a
    training accuracy the reviewer has not reached. On PostgreSQL the request is one query
    (`annotator.sql.next_assignment`); elsewhere a request that gives a new ordinary article costs
    six, one to mark it finished if its article is already labelled throughout, and one more to read it
    back, whatever the size of the project (both pinned in
    tests/annotator/test_assignments.py).
    """
    if connection.vendor == "postgresql":
        return _in_one_query(project, reviewer)
    with transaction.atomic():
        assignment = _next_in_python(project, reviewer)
    return None if assignment is None else selectors.assignments(project).get(pk=assignment.pk)


def _next_in_python(project: Project, reviewer) -> Assignment | None:
    Membership.objects.select_for_update().filter(project=project, user=reviewer).first()
    if project.reclaim_after is not None:
        reclaim_stale(project=project, older_than=project.reclaim_after)
    open_assignment = _unfinished(project, reviewer)
    if open_assignment is not None:
        return open_assignment
    document, training = _special_document(project, reviewer)
    if not training:
        _check_qualified(project, reviewer)
    if document is not None:
        Document.objects.filter(pk=document).update(coverage=F("coverage") + 1)
    elif project.overlap is None:
        document = _in_import_order(project, reviewer)
    else:
        document = _from_pool(project, reviewer)
    if document is None:
        return None
    assignment = Assignment.objects.create(project=project, document_id=document, reviewer=reviewer)
    _finish_if_labelled(assignment)
    return assignment


def _in_one_query(project: Project, reviewer) -> Assignment | None:
    """The PostgreSQL path: one call of `lede_next_assignment()`, its row made into the assignment (and its
    article and the lead who assigned it, as far as they are shown) without another query."""
    found = sql.next_assignment(
        project_id=project.pk,
        reviewer_id=reviewer.pk,
        overlap=project.overlap,
        reclaim_after=project.reclaim_after,
        training_threshold=project.training_threshold,
    )
    if found is None:
        return None
    if found.assignment_id is None:
        _refuse_training(project, found.agreed, found.total)
    db = connection.alias
    fields = {
        "id": found.assignment_id,
        "project_id": project.pk,
        "document_id": found.document_id,
        "reviewer_id": reviewer.pk,
        "assigned_by_id": found.assigned_by_id,
        "assigned": found.assigned,
        "touched": found.touched,
        "finished": None,
    }
    assignment = Assignment.from_db(db, list(fields), list(fields.values()))
    assignment.project, assignment.reviewer = project, reviewer
    assignment.document = Document.from_db(
        db,
        ["id", "project_id", "title", "calibration", "training"],
        [found.document_id, project.pk, found.title, found.calibration, found.training],
    )
    if found.assigned_by_id is not None:
        assignment.assigned_by = get_user_model().from_db(
            db, ["id", "username"], [found.assigned_by_id, found.assigned_by_username]
        )
    assignment.sentence_count, assignment.labelled = found.sentence_count, found.labelled
    assignment.done = found.labelled >= found.sentence_count
    if assignment.done:
        # A new assignment of an article the reviewer had already labelled throughout (the function
        # marks finished ones before it looks for an open one, so only a new one comes back done).
        _finish_if_labelled(assignment)
    return assignment


def _unfinished(project: Project, reviewer) -> Assignment | None:
    """The reviewer's oldest unfinished assignment, touched now; the finished ones are marked so first."""
    now = timezone.now()
    pending = Assignment.objects.filter(project=project, reviewer=reviewer, finished__isnull=True)
    unlabelled = Sentence.objects.filter(document_id=OuterRef("document_id")).exclude(
        Exists(Annotation.objects.filter(sentence_id=OuterRef("pk"), annotator=reviewer))
    )
    pending.filter(~Exists(unlabelled)).update(finished=now)
    assignment = pending.order_by("assigned", "id").first()
    if assignment is not None:
        Assignment.objects.filter(pk=assignment.pk).update(touched=now)
        assignment.touched = now
    return assignment


def _special_document(project: Project, reviewer) -> tuple[int | None, bool]:
    """(article, whether it is for training): the first training article not yet given to `reviewer`, else
    the first calibration one; every reviewer gets them all."""
    found = (
        Document.objects.filter(Q(training=True) | Q(calibration=True), project=project)
        .exclude(assignments__reviewer=reviewer)
        .order_by("-training", "id")
        .values_list("id", "training")
        .first()
    )
    return found if found is not None else (None, False)


def _check_qualified(project: Project, reviewer) -> None:
    if project.training_threshold is None:
        return
    agreed, total = training_accuracy(project=project, reviewer=reviewer)
    if total and agreed / total < project.training_threshold:
        _refuse_training(project, agreed, total)


def _refuse_training(project: Project, agreed: int, total: int) -> None:
    raise Conflict(
        "training",
        f"You labelled {agreed} of {total} training sentences as the reference does; this project "
        f"asks for {project.training_threshold:.0%} before real articles. Ask a lead to review your training.",
    )


def _in_import_order(project: Project, reviewer) -> int | None:
    """Every reviewer labels every article: the first one with a sentence the reviewer has not labelled."""
    document = (
        Sentence.objects.filter(document__project=project, document__calibration=False, document__training=False)
        .exclude(annotations__annotator=reviewer)
        .exclude(document__assignments__reviewer=reviewer)
        .order_by("document_id")
        .values_list("document_id", flat=True)
        .first()
    )
    if document is not None:
        Document.objects.filter(pk=document).update(coverage=F("coverage") + 1)
    return document


def _from_pool(project: Project, reviewer) -> int | None:
    """The least-covered ordinary article below k (`annotator.sql.take_from_pool`), its coverage raised."""
    for attempt in range(sql.STRICT_ATTEMPTS + 1):
        strict = attempt < sql.STRICT_ATTEMPTS
        document = sql.take_from_pool(
            project_id=project.pk, reviewer_id=reviewer.pk, overlap=project.overlap, strict=strict
        )
        if document is not None:
            return document
        left = (
            Document.objects.filter(project=project, calibration=False, training=False, coverage__lt=project.overlap)
            .exclude(assignments__reviewer=reviewer)
            .exists()
        )
        if not left:
            return None
    return None


def _unlabelled_sentences():
    """The sentences of the outer assignment's article that its reviewer has not labelled."""
    return Sentence.objects.filter(document_id=OuterRef("document_id")).exclude(
        Exists(Annotation.objects.filter(sentence_id=OuterRef("pk"), annotator_id=OuterRef(OuterRef("reviewer_id"))))
    )


def settle_finished(assignments: QuerySet[Assignment], *, now=None) -> None:
    """Make `finished` of `assignments` exact: set (at `now`) where the reviewer has labelled every sentence
    of the article, cleared where not. Pages count done assignments from it rather than from the labels."""
    now = now or timezone.now()
    unlabelled = _unlabelled_sentences()
    assignments.filter(finished__isnull=True).filter(~Exists(unlabelled)).update(finished=now)
    assignments.filter(finished__isnull=False).filter(Exists(unlabelled)).update(finished=None)


def _finish_if_labelled(assignment: Assignment) -> None:
    """A new assignment of an article its reviewer has already labelled throughout is finished at once."""
    if (
        Assignment.objects.filter(pk=assignment.pk)
        .filter(~Exists(_unlabelled_sentences()))
        .update(finished=assignment.assigned)
    ):
        assignment.finished = assignment.assigned


def after_label_saved(*, document_id: int, reviewer_id: int, now) -> None:
    """A new label may finish the reviewer's assignment of the article: one statement that stops at the
    first sentence still unlabelled (and reads nothing when there is no open assignment).

    Two first saves of the article's last sentences by the same reviewer at once (two tabs) each miss
    the other's label and leave it open; the reviewer's next request for work marks it finished
    (`_unfinished`, and the same step of `lede_next_assignment()`).
    """
    Assignment.objects.filter(document_id=document_id, reviewer_id=reviewer_id, finished__isnull=True).filter(
        ~Exists(_unlabelled_sentences())
    ).update(finished=now)


def after_label_removed(*, document_id: int, reviewer_id: int) -> None:
    """A removed label leaves the reviewer's assignment of the article unfinished."""
    Assignment.objects.filter(document_id=document_id, reviewer_id=reviewer_id, finished__isnull=False).update(
        finished=None
    )


def after_sentences_added(*, document_id: int) -> None:
    """New sentences are nobody's labelled ones yet: every assignment of the article is unfinished."""
    Assignment.objects.filter(document_id=document_id, finished__isnull=False).update(finished=None)


def reclaim_stale(*, project: Project, older_than: datetime.timedelta) -> int:
    """Take back the automatic assignments whose reviewer has not labelled in them for `older_than`.

    A reviewer's labels stay; the article goes back to the pool (its coverage drops by one). An
    assignment found finished is marked so instead, and one labelled in lately is touched.
    Assignments a lead made by hand are theirs to undo.
    """
    cutoff = timezone.now() - older_than
    stale = list(
        Assignment.objects.select_for_update(skip_locked=True).filter(
            project=project, finished__isnull=True, assigned_by__isnull=True, touched__lt=cutoff
        )
    )
    reclaimed = 0
    for assignment in stale:
        latest = (
            Annotation.objects.filter(annotator_id=assignment.reviewer_id, sentence__document_id=assignment.document_id)
            .order_by("-updated")
            .values_list("updated", flat=True)
            .first()
        )
        if assignment.document_id in selectors.finished_documents(assignment.reviewer_id, [assignment.document_id]):
            Assignment.objects.filter(pk=assignment.pk).update(finished=latest or timezone.now())
        elif latest is not None and latest >= cutoff:
            Assignment.objects.filter(pk=assignment.pk).update(touched=latest)
        else:
            _remove(assignment)
            reclaimed += 1
    return reclaimed


def release_unfinished(*, project: Project, reviewer) -> None:
    """A reviewer leaves the project: their unfinished articles go back to the pool (their labels stay)."""
    for assignment in Assignment.objects.filter(project=project, reviewer=reviewer, finished__isnull=True):
        if assignment.document_id not in selectors.finished_documents(reviewer, [assignment.document_id]):
            _remove(assignment)


def _remove(assignment: Assignment) -> None:
    Document.objects.select_for_update().filter(pk=assignment.document_id).first()
    assignment.delete()
    Document.objects.filter(pk=assignment.document_id, coverage__gt=0).update(coverage=F("coverage") - 1)


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
        _finish_if_labelled(assignment)
        return assignment, True


def unassign(*, assignment: Assignment) -> None:
    """Take an article back from a reviewer; their labels on it stay."""
    with transaction.atomic():
        _remove(assignment)


def set_document_design(*, document: Document, calibration: bool | None = None, training: bool | None = None) -> None:
    """Flag an article as part of the calibration set or as a training article (not both)."""
    calibration = document.calibration if calibration is None else calibration
    training = document.training if training is None else training
    if calibration and training:
        raise InvalidInput("training", "An article is either in the calibration set or for training, not both.")
    Document.objects.filter(pk=document.pk).update(calibration=calibration, training=training)
    document.calibration, document.training = calibration, training
