"""Page views: they check who may see the page, render what the first paint needs, and leave writes to the API."""

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render

from annotator import selectors
from annotator.api.permissions import project_for_user_or_404
from annotator.api.serializers import SourceSerializer
from annotator.models import Document
from annotator.roles import CAN_CURATE, CAN_LABEL, CAN_MANAGE, CAN_SEE_ALL_LABELS

from .colours import ink_for

DOCUMENTS_PER_PAGE = 50


def _labels(project) -> list[dict]:
    """The scheme as pages draw it; `ink` is the text colour readable on the label's colour."""
    return [
        {
            "name": label.name,
            "key": label.key,
            "color": label.color,
            "ink": ink_for(label.color),
            "description": label.description,
        }
        for label in project.label_list
    ]


def _document_in_user_projects(user, pk: int) -> Document:
    """The article without its body (pages render sentences), or 404 outside the user's projects."""
    return get_object_or_404(Document.objects.defer("text").filter(project__memberships__user=user), pk=pk)


@login_required
def home(request):
    projects = list(selectors.projects_for_user(request.user))
    progress = selectors.labelling_progress_for_user(request.user, [p.pk for p in projects])
    for project in projects:
        project.progress = progress[project.pk]
        project.can_label = project.role in CAN_LABEL
        project.is_lead = project.role in CAN_CURATE
        project.reads_reports = project.role in CAN_SEE_ALL_LABELS
    return render(request, "frontend/home.html", {"projects": projects})


@login_required
def project_new(request):
    return render(request, "frontend/project_new.html")


@login_required
def project_detail(request, pk: int):
    """The project's articles with the user's own progress, and every reviewer's for those who see all labels."""
    project = project_for_user_or_404(request.user, pk)
    page = Paginator(selectors.documents(project), DOCUMENTS_PER_PAGE).get_page(request.GET.get("page"))
    documents = list(page.object_list)
    shows_everyone = selectors.sees_all_labels(project, project.role)
    progress: dict[int, dict[str, int]] = {}
    for row in selectors.labelling_progress(project).filter(sentence__document_id__in=[d.pk for d in documents]):
        progress.setdefault(row["sentence__document_id"], {})[row["annotator__username"]] = row["labelled"]
    reviewers = selectors.annotator_usernames(project) if shows_everyone else [request.user.username]
    for document in documents:
        counts = progress.get(document.pk, {})
        document.own = counts.get(request.user.username, 0)
        document.by_reviewer = [(name, counts.get(name, 0)) for name in reviewers] if shows_everyone else []
    context = {
        "project": project,
        "page": page,
        "documents": documents,
        "reviewers": reviewers if shows_everyone else [],
        "can_label": project.role in CAN_LABEL,
        "is_lead": project.role in CAN_CURATE,
        "sees_all": shows_everyone,
        "reads_reports": project.role in CAN_SEE_ALL_LABELS,
        "progress": selectors.labelling_progress_for_user(request.user, [project.pk])[project.pk],
    }
    return render(request, "frontend/project_detail.html", context)


@login_required
def project_next(request, pk: int):
    project = project_for_user_or_404(request.user, pk)
    document_id = selectors.next_unlabelled_document_id(project, request.user)
    if document_id is None:
        messages.success(request, "You have labelled every sentence of this project.")
        return redirect("frontend:project", pk=project.pk)
    return redirect("frontend:annotate", pk=document_id)


@login_required
def project_manage(request, pk: int):
    project = project_for_user_or_404(request.user, pk)
    if project.role not in CAN_CURATE:
        raise PermissionDenied("Only the project's owners and curators manage it.")
    return render(
        request,
        "frontend/project_manage.html",
        {"project": project, "is_owner": project.role in CAN_MANAGE, "labels": _labels(project)},
    )


@login_required
def project_agreement(request, pk: int):
    project = project_for_user_or_404(request.user, pk)
    if project.role not in CAN_SEE_ALL_LABELS:
        raise PermissionDenied("Agreement reports are for the project's owners, curators and viewers.")
    documents = list(selectors.documents(project).values("id", "title")[:200])
    return render(
        request,
        "frontend/agreement.html",
        {"project": project, "page_data": {"project": project.pk, "documents": documents, "labels": _labels(project)}},
    )


@login_required
def annotate(request, pk: int):
    """The annotation screen: the article, the scheme and the user's own labels, all in the first response."""
    document = _document_in_user_projects(request.user, pk)
    project = project_for_user_or_404(request.user, document.project_id)
    if project.role not in CAN_LABEL:
        return redirect("frontend:curate", pk=document.pk)
    sentences = list(document.sentences.order_by("index"))
    own = {
        a.sentence_id: {
            "label": a.label.name,
            "sources": [SourceSerializer(s).data for s in a.sources.all()],
            "speaker": a.speaker,
            "note": a.note,
        }
        for a in selectors.annotations(project=project, user=request.user, role=project.role).filter(
            sentence__document=document, annotator=request.user
        )
    }
    paragraphs = [
        [(sentence, own.get(sentence.pk, {}).get("label", "")) for sentence in group]
        for _, group in groupby(sentences, key=lambda s: s.paragraph)
    ]
    progress = selectors.labelling_progress_for_user(request.user, [project.pk])[project.pk]
    page_data = {
        "document": document.pk,
        "project": project.pk,
        "user": request.user.username,
        "labels": _labels(project),
        "sentences": [s.pk for s in sentences],
        "own": {str(k): v for k, v in own.items()},
        "project_total": progress["total"],
        "project_labelled_elsewhere": progress["labelled"] - len(own),
        "speakers": selectors.speakers_named(document=document, project=project, user=request.user, role=project.role),
    }
    context = {
        "project": project,
        "document": document,
        "paragraphs": paragraphs,
        "labels": page_data["labels"],
        "page_data": page_data,
        "sentence_count": len(sentences),
        "labelled_count": len(own),
    }
    return render(request, "frontend/annotate.html", context)


@login_required
def curate(request, pk: int):
    document = _document_in_user_projects(request.user, pk)
    project = project_for_user_or_404(request.user, document.project_id)
    if not selectors.sees_all_labels(project, project.role):
        raise PermissionDenied("This project is blind: only its owners, curators and viewers see every label.")
    return render(
        request,
        "frontend/curate.html",
        {
            "project": project,
            "document": document,
            "page_data": {"document": document.pk, "project": project.pk, "labels": _labels(project)},
            "removed_lines": document.removed_lines(),
            "can_restore": project.role in CAN_MANAGE,
        },
    )


@login_required
def session_resumed(request):
    """Where the login opened by an expired session lands; its script tells the waiting tab to resume."""
    return render(request, "frontend/session_resumed.html")
