"""Reads shared by the API, the pages and the exports; every queryset is scoped to what a user may see."""

from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet

from .models import (
    Annotation,
    AnnotationEvent,
    Document,
    Invitation,
    Label,
    Membership,
    Outlet,
    Project,
    Role,
    Sentence,
)
from .roles import seeing_all_labels


def projects_for_user(user) -> QuerySet[Project]:
    """The projects `user` belongs to, each with `role` (the user's role) and `label_list` prefetched."""
    if not user.is_authenticated:
        return Project.objects.none()
    role = Membership.objects.filter(project=OuterRef("pk"), user=user).values("role")[:1]
    return (
        Project.objects.filter(memberships__user=user)
        .annotate(role=role)
        .prefetch_related(Prefetch("labels", queryset=Label.objects.order_by("order", "id"), to_attr="label_list"))
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
    """A project's articles without their bodies, each with `sentence_count`."""
    return (
        Document.objects.filter(project=project)
        .defer("text")
        .annotate(
            sentence_count=Count("sentences", distinct=True),
        )
        .order_by("id")
    )


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


def history(*, project: Project, sentence: Sentence | None = None) -> QuerySet[AnnotationEvent]:
    queryset = AnnotationEvent.objects.filter(project=project)
    if sentence is not None:
        queryset = queryset.filter(sentence=sentence)
    return queryset.select_related("annotator", "actor").order_by("-at", "-id")


def labelling_progress(project: Project) -> QuerySet:
    """Per document and annotator: how many sentences that annotator has labelled."""
    return (
        Annotation.objects.filter(sentence__document__project=project)
        .values("sentence__document_id", "annotator__username")
        .annotate(labelled=Count("id"))
        .order_by("sentence__document_id", "annotator__username")
    )


def annotator_usernames(project: Project) -> list[str]:
    return list(
        Membership.objects.filter(project=project)
        .filter(Q(role=Role.ANNOTATOR) | Q(user__annotations__sentence__document__project=project))
        .values_list("user__username", flat=True)
        .distinct()
        .order_by("user__username")
    )


def labelling_progress_for_user(user, project_ids) -> dict[int, dict]:
    """Per project: `total` sentences and how many of them `user` has `labelled`.

    Every sentence of a project is assigned to every member who labels (there is no finer
    assignment), so "assigned" is the project's whole sentence count. Two queries, whatever the
    number of projects.
    """
    totals = dict(
        Sentence.objects.filter(document__project_id__in=project_ids)
        .values_list("document__project_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    labelled = dict(
        Annotation.objects.filter(annotator=user, sentence__document__project_id__in=project_ids)
        .values_list("sentence__document__project_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {pk: {"total": totals.get(pk, 0), "labelled": labelled.get(pk, 0)} for pk in project_ids}


def next_unlabelled_document_id(project: Project, user) -> int | None:
    """The first article of `project` (in import order) with a sentence `user` has not labelled."""
    return (
        Sentence.objects.filter(document__project=project)
        .exclude(annotations__annotator=user)
        .order_by("document_id")
        .values_list("document_id", flat=True)
        .first()
    )


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
