"""Reads shared by the API, the pages and the exports; every queryset is scoped to what a user may see."""

import time

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce

from . import sql
from .jobs import JobStatus
from .models import (
    Annotation,
    AnnotationEvent,
    ArticleImport,
    Assignment,
    Document,
    Invitation,
    Label,
    Membership,
    Outlet,
    Project,
    ReferenceLabel,
    Role,
    Sentence,
    Source,
)
from .roles import CAN_LABEL, seeing_all_labels


def projects_for_user(user, *, labels: bool = True) -> QuerySet[Project]:
    """The projects `user` belongs to, each with `role` (the user's role) and, with `labels`, `label_list`
    prefetched."""
    if not user.is_authenticated:
        return Project.objects.none()
    role = Membership.objects.filter(project=OuterRef("pk"), user=user).values("role")[:1]
    projects = Project.objects.filter(memberships__user=user).annotate(role=role)
    if not labels:
        return projects
    return projects.prefetch_related(
        Prefetch("labels", queryset=Label.objects.order_by("order", "id"), to_attr="label_list")
    )


def role_in_project(user, project_id: int) -> str | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(project_id=project_id, user=user).values_list("role", flat=True).first()


def sees_all_labels(project: Project, role: str | None) -> bool:
    """Whether a member with `role` sees every reviewer's label in `project`, not only their own (`annotator.roles`)."""
    return role in seeing_all_labels(project)


def members(project: Project) -> QuerySet[Membership]:
    return Membership.objects.filter(project=project).select_related("user").order_by("user__username")


def documents(project: Project) -> QuerySet[Document]:
    """A project's articles without their bodies, each with `sentence_count`.

    The count is a subquery rather than a join so that counting the articles, or taking a page of
    them, costs only the rows it returns, not every sentence of the project.
    """
    sentence_count = (
        Sentence.objects.filter(document=OuterRef("pk"))
        .order_by()
        .values("document")
        .annotate(n=Count("id"))
        .values("n")
    )
    return (
        Document.objects.filter(project=project)
        .defer("text")
        .annotate(sentence_count=Coalesce(Subquery(sentence_count), 0))
        .order_by("id")
    )


# The orders a lead can list a project's articles in (the project page's "Sort by").
ARTICLE_ORDERINGS = {
    "imported": ("id",),
    "title": ("title", "id"),
    "outlet": ("outlet", "title", "id"),
    "newest": (F("published").desc(nulls_last=True), "-id"),
    "oldest": (F("published").asc(nulls_last=True), "id"),
}


def articles(project: Project, *, search: str = "", ordering: str = "imported") -> QuerySet[Document]:
    """The project's articles whose title or outlet contains `search`, in one of `ARTICLE_ORDERINGS`."""
    queryset = documents(project)
    if search:
        queryset = queryset.filter(Q(title__icontains=search) | Q(outlet__icontains=search))
    return queryset.order_by(*ARTICLE_ORDERINGS[ordering])


def document_with_sentences(document_id: int) -> Document | None:
    return (
        Document.objects.select_related("project")
        .prefetch_related(Prefetch("sentences", queryset=Sentence.objects.order_by("index")))
        .filter(pk=document_id)
        .first()
    )


def annotations(*, project: Project, user, role: str | None) -> QuerySet[Annotation]:
    """The annotations of `project` that `user` may see, with label, annotator and sources loaded."""
    queryset = Annotation.objects.filter(sentence__document__project=project)
    if not sees_all_labels(project, role):
        queryset = queryset.filter(annotator=user)
    return (
        queryset.select_related("label", "annotator", "sentence")
        .prefetch_related("sources")
        .order_by("sentence__document_id", "sentence__index", "annotator__username")
    )


def own_labels_in_document(*, document: Document, user) -> dict[int, dict]:
    """`user`'s labels in `document` by sentence id: label name, sources, speaker and note.

    Two queries of plain values whatever the article's length: the screen of a 2,000-sentence
    article would spend most of its time building model instances and serializers otherwise.
    """
    annotations = Annotation.objects.filter(sentence__document=document, annotator=user)
    sources: dict[int, list[dict]] = {}
    for annotation_id, url, title, note in (
        Source.objects.filter(annotation__in=annotations)
        .order_by("annotation_id", "position", "id")
        .values_list("annotation_id", "url", "title", "note")
    ):
        sources.setdefault(annotation_id, []).append({"url": url, "title": title, "note": note})
    return {
        sentence_id: {"label": label, "sources": sources.get(pk, []), "speaker": speaker, "note": note}
        for pk, sentence_id, label, speaker, note in annotations.values_list(
            "pk", "sentence_id", "label__name", "speaker", "note"
        )
    }


def own_annotation(*, sentence: Sentence, user) -> Annotation | None:
    return (
        Annotation.objects.select_related("label", "annotator")
        .prefetch_related("sources")
        .filter(sentence=sentence, annotator=user)
        .first()
    )


def sentence_in_user_projects(sentence_id: int, user) -> Sentence | None:
    """The sentence with its document and project, or None if it is outside `user`'s projects.

    The sentence carries `role`, the user's role in its project, read in the same query (the join
    that scopes it), so that saving a label, the busiest request, needs no separate query for it.
    The document's text is not read.
    """
    if not user.is_authenticated:
        return None
    return (
        Sentence.objects.filter(pk=sentence_id, document__project__memberships__user=user)
        .select_related("document__project")
        .defer("document__text")
        .annotate(role=F("document__project__memberships__role"))
        .first()
    )


def sentence_to_label(sentence_id: int, user) -> Sentence | None:
    """`sentence_in_user_projects` holding only the ids a reviewer's own label needs (save, read, remove).

    Saving a label is the busiest request; the articles' and projects' other columns (a
    project's guidelines may run to pages) are neither read nor turned into fields here (the sentence, its
    article and project hold their ids only), and the statement is written in SQL
    (`annotator.sql.sentence_to_label`).
    """
    if not user.is_authenticated:
        return None
    found = sql.sentence_to_label(sentence_id=sentence_id, user_id=user.pk)
    if found is None:
        return None
    project = Project(id=found.project_id)
    sentence = Sentence(id=found.sentence_id, document=Document(id=found.document_id, project=project))
    sentence.role = found.role
    return sentence


def history(*, project: Project, sentence: Sentence | None = None) -> QuerySet[AnnotationEvent]:
    queryset = AnnotationEvent.objects.filter(project=project)
    if sentence is not None:
        queryset = queryset.filter(sentence=sentence)
    return queryset.select_related("annotator", "actor").order_by("-at", "-id")


def labelling_progress(project: Project, document_ids) -> QuerySet:
    """Per article of `document_ids` and annotator: how many sentences that annotator has labelled.

    The labels are found through the articles' sentences (a subquery), so that PostgreSQL looks them up
    by sentence rather than scanning every label of the project.
    """
    sentences = Sentence.objects.filter(document__project=project, document_id__in=document_ids).values("pk")
    return (
        Annotation.objects.filter(sentence_id__in=sentences)
        .values("sentence__document_id", "annotator__username")
        .annotate(labelled=Count("id"))
        .order_by("sentence__document_id", "annotator__username")
    )


def annotator_usernames(project: Project) -> list[str]:
    """The project's annotators and the other members who have labelled in it (two queries).

    Whether each other member has a label in the project is one `EXISTS` per member, naming the
    member's id: PostgreSQL then knows from its statistics that a lead without labels has none and
    looks in the (annotator, sentence) index, where a query correlated with the membership row would
    expect thousands and scan the labels for one.
    """
    members = Membership.objects.filter(project=project).values_list("user_id", "user__username", "role")
    members = list(members.order_by("user__username"))
    others = {f"member_{user_id}": user_id for user_id, _, role in members if role != Role.ANNOTATOR}
    labelled = {}
    if others:
        checks = {
            name: Exists(Annotation.objects.filter(annotator_id=user_id, sentence__document__project=project))
            for name, user_id in others.items()
        }
        row = Project.objects.filter(pk=project.pk).values(**checks).get()
        labelled = {others[name] for name, has_labels in row.items() if has_labels}
    return [username for user_id, username, role in members if role == Role.ANNOTATOR or user_id in labelled]


def labelling_progress_for_user(user, project_ids) -> dict[int, dict]:
    """Per project: `total` sentences and how many of them `user` has `labelled`, training articles (practice) left out.

    The project's whole sentence count, as in a project without an overlap, where every member who
    labels labels every sentence (`assignment_progress_for_user` counts against a study's design).
    Two queries, whatever the number of projects.
    """
    totals = _count_by(
        Sentence.objects.filter(document__project_id__in=project_ids, document__training=False),
        "document__project_id",
    )
    labelled = _count_by(
        Annotation.objects.filter(
            annotator=user, sentence__document__project_id__in=project_ids, sentence__document__training=False
        ),
        "sentence__document__project_id",
    )
    return {pk: {"total": totals.get(pk, 0), "labelled": labelled.get(pk, 0)} for pk in project_ids}


def _count_by(queryset: QuerySet, field: str) -> dict:
    """How many rows of `queryset` share each value of `field`."""
    return dict(queryset.values_list(field).annotate(n=Count("id")).order_by())


def speakers_named(*, document: Document, project: Project, user, role: str | None) -> list[str]:
    """Speakers already named on `document` in the annotations `user` may see (own only when blind)."""
    queryset = Annotation.objects.filter(sentence__document=document).exclude(speaker="")
    if not sees_all_labels(project, role):
        queryset = queryset.filter(annotator=user)
    return list(queryset.values_list("speaker", flat=True).distinct().order_by("speaker"))


def outlets(project: Project) -> QuerySet[Outlet]:
    return Outlet.objects.filter(project=project).order_by("name", "id")


def invitations(project: Project) -> QuerySet[Invitation]:
    """A project's invitation links, newest first, with who made each."""
    return Invitation.objects.filter(project=project).select_related("created_by").order_by("-created", "-id")


def invitation_by_token(token: str) -> Invitation | None:
    return Invitation.objects.select_related("project").filter(token=token).first()


def assignments(project: Project) -> QuerySet[Assignment]:
    """A project's assignments with the article and the reviewer, each with `sentence_count`, `labelled`
    (the reviewer's labels on it) and `done` (every sentence labelled)."""
    return _with_progress(Assignment.objects.filter(project=project))


def _with_progress(queryset: QuerySet[Assignment]) -> QuerySet[Assignment]:
    sentence_count = (
        Sentence.objects.filter(document=OuterRef("document_id"))
        .order_by()
        .values("document_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    labelled = (
        Annotation.objects.filter(sentence__document=OuterRef("document_id"), annotator=OuterRef("reviewer_id"))
        .order_by()
        .values("annotator_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return (
        queryset.select_related("document", "reviewer", "assigned_by")
        .defer("document__text")
        .annotate(
            sentence_count=Coalesce(Subquery(sentence_count), 0),
            labelled=Coalesce(Subquery(labelled), 0),
        )
        .annotate(done=ExpressionWrapper(Q(labelled__gte=F("sentence_count")), output_field=BooleanField()))
        .order_by("assigned", "id")
    )


def assignment_progress(project: Project, document_ids=None) -> dict:
    """Against the study's design: per reviewer and per article, how many assignments, done and remaining.

    Articles are counted for `document_ids` only when given (a page of them); reviewers over the whole
    project. An assignment is done when it is `finished`, which the services keep exact (one query that
    reads no label).
    """
    by_reviewer: dict[str, dict] = {}
    by_document: dict[int, dict] = {}
    rows = (
        Assignment.objects.filter(project=project)
        .values_list("reviewer__username", "document_id", "finished")
        .order_by()
    )
    wanted = None if document_ids is None else set(document_ids)
    for reviewer, document_id, finished in rows:
        _count(by_reviewer, reviewer, finished is not None)
        if wanted is not None and document_id not in wanted:
            continue
        _count(by_document, document_id, finished is not None)
    return {"reviewers": by_reviewer, "documents": by_document}


def assignment_progress_for_user(user, project_ids) -> dict[int, dict]:
    """Per project where `user` has assignments: how many, done (`finished`) and remaining (one query)."""
    by_project: dict[int, dict] = {}
    rows = Assignment.objects.filter(reviewer=user, project_id__in=project_ids).values_list("project_id", "finished")
    for project_id, finished in rows.order_by():
        _count(by_project, project_id, finished is not None)
    return by_project


def _count(table: dict, key, done: bool) -> None:
    counts = table.setdefault(key, {"assigned": 0, "done": 0, "remaining": 0})
    counts["assigned"] += 1
    counts["done" if done else "remaining"] += 1


def labeller_usernames(project: Project) -> list[str]:
    """The members whose role labels: those a lead can assign articles to."""
    return list(
        Membership.objects.filter(project=project, role__in=CAN_LABEL)
        .values_list("user__username", flat=True)
        .order_by("user__username")
    )


def references(document: Document) -> QuerySet[ReferenceLabel]:
    """A training article's reference labels in sentence order."""
    return (
        ReferenceLabel.objects.filter(sentence__document=document)
        .select_related("label", "sentence")
        .only("sentence__index", "label__name", "explanation")
        .order_by("sentence__index")
    )


# How often a request waiting for an import (`finished_import`) reads its job again.
IMPORT_WAIT_INTERVAL = 0.02


def finished_import(job: ArticleImport, *, wait: float) -> ArticleImport:
    """`job` once it is ready or failed, or as it stands after `wait` seconds, whichever comes first."""
    deadline = time.monotonic() + wait
    while job.status not in (JobStatus.READY, JobStatus.FAILED) and time.monotonic() < deadline:
        time.sleep(min(IMPORT_WAIT_INTERVAL, max(0.0, deadline - time.monotonic())))
        job.refresh_from_db()
    return job


def refused_articles(*, document_ids, user) -> dict[int, str]:
    """The articles of `document_ids` the study design does not give `user` to label, each with why
    (`lede_may_label()`: 'training' or 'assignment'); pages offer no labelling there."""
    return sql.refused_documents(document_ids=list(document_ids), reviewer_id=user.pk)


def refusal_of(*, document, user) -> str | None:
    """Why the study design does not give `user` the article to label (`lede_may_label()`), or None."""
    return sql.may_label(document_id=document.pk, reviewer_id=user.pk)


def training_standings(project: Project) -> list:
    """Every annotator's training in the project (figures, a lead's decision, the gate's verdict), for leads."""
    return sql.training_standings(project_id=project.pk)
