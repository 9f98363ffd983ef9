"""Page views: they check who may see the page, render what the first paint needs, and leave writes to the API."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.password_validation import password_validators_help_texts
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render

from annotator import selectors, services, shortcuts
from annotator.api.scoping import project_for_user_or_404
from annotator.api.serializers import LabelSerializer
from annotator.errors import Gone, InvalidInput
from annotator.models import Document, Role, Scale
from annotator.roles import CAN_CURATE, CAN_LABEL, CAN_MANAGE, CAN_SEE_ALL_LABELS
from annotator.services.invitations import DEFAULT_INVITATION_USES
from annotator.services.training import REASONS
from annotator.text import webfetch
from annotator.validation import label_number
from claims import reports
from claims.exports import FORMATS
from claims.reports import default_basis
from curation import selectors as curation_selectors
from curation.models import CurationSettings
from curation.services import MAX_CATEGORIES, MAX_CATEGORY_LENGTH
from lede import signin

from .article import article_html
from .colours import ink_for
from .forms import ArticleListForm, NewAccountForm
from .guidelines import render_guidelines

DOCUMENTS_PER_PAGE = 50
ROLE_DUTIES = {
    Role.OWNER: "runs the project: its settings, members and articles, and labels too",
    Role.CURATOR: "imports articles, labels sentences and sees every reviewer's labels",
    Role.ANNOTATOR: "labels sentences",
    Role.VIEWER: "reads the labels, the agreement reports and the exports",
}
# What the project page shows instead of Label on an article the study design does not give the reviewer.
REFUSED_SHORT = {"training": "Training first", "assignment": "Not assigned to you"}
# How often the curator screen asks for labels and decisions changed since its last look.
CURATION_REFRESH_SECONDS = 4


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


def _article_metadata(document: Document) -> dict:
    """What the edit dialog starts from (`frontend/static/frontend/articles.js` names the same fields)."""
    metadata = {name: getattr(document, name) for name in ("id", "title", "outlet", "url", "author")}
    return metadata | {
        "published": document.published.isoformat() if document.published else "",
        "topics": document.topics,
    }


def _document_in_user_projects(user, pk: int) -> Document:
    """The article without its body (pages render sentences), or 404 outside the user's projects."""
    return get_object_or_404(Document.objects.defer("text").filter(project__memberships__user=user), pk=pk)


@login_required
def home(request):
    projects = list(selectors.projects_for_user(request.user))
    progress = selectors.labelling_progress_for_user(request.user, [p.pk for p in projects])
    assigned = selectors.assignment_progress_for_user(request.user, [p.pk for p in projects])
    for project in projects:
        project.progress = progress[project.pk]
        project.assigned = assigned.get(project.pk)
        project.can_label = project.role in CAN_LABEL
        project.is_lead = project.role in CAN_CURATE
        project.reads_reports = project.role in CAN_SEE_ALL_LABELS
    return render(request, "frontend/home.html", {"projects": projects})


@login_required
def project_new(request):
    return render(request, "frontend/project_new.html", _free_keys())


def _free_keys() -> dict:
    """What a label's key may be, as the scheme's forms say it (see `annotator.shortcuts`)."""
    return {"free_keys": shortcuts.FREE_KEYS, "reserved_keys": shortcuts.reserved_said()}


@login_required
def project_detail(request, pk: int):
    """The project's articles with the user's own progress, and every reviewer's for those who see all labels."""
    project = project_for_user_or_404(request.user, pk)
    listing = ArticleListForm(request.GET)
    found = listing.cleaned_data if listing.is_valid() else {}
    search, ordering = found.get("q", ""), found.get("sort") or "imported"
    articles = selectors.articles(project, search=search, ordering=ordering)
    page = Paginator(articles, DOCUMENTS_PER_PAGE).get_page(request.GET.get("page"))
    documents = list(page.object_list)
    shows_everyone = selectors.sees_all_labels(project, project.role)
    progress: dict[int, dict[str, int]] = {}
    for row in selectors.labelling_progress(project, [d.pk for d in documents]):
        progress.setdefault(row["sentence__document_id"], {})[row["annotator__username"]] = row["labelled"]
    reviewers = selectors.annotator_usernames(project) if shows_everyone else [request.user.username]
    decisions = curation_selectors.progress_by_document(project, [d.pk for d in documents]) if shows_everyone else {}
    for document in documents:
        document.decisions = decisions.get(document.pk)
        counts = progress.get(document.pk, {})
        document.own = counts.get(request.user.username, 0)
        document.by_reviewer = [(name, counts.get(name, 0)) for name in reviewers] if shows_everyone else []
    is_lead = project.role in CAN_CURATE
    design = selectors.assignment_progress(project, [d.pk for d in documents])
    # The page offers Label only where the server takes the labels (`lede_may_label()`).
    refused = (
        selectors.refused_articles(document_ids=[d.pk for d in documents], user=request.user)
        if project.role in CAN_LABEL
        else {}
    )
    for document in documents:
        document.assigned = design["documents"].get(document.pk)
        document.refused = REFUSED_SHORT.get(refused.get(document.pk))
    context = {
        "project": project,
        "page": page,
        "documents": documents,
        "listing": listing,
        "listed": {"q": search, "sort": ordering},
        "total_articles": selectors.documents(project).count() if search else page.paginator.count,
        "design_by_reviewer": sorted(design["reviewers"].items()) if is_lead else [],
        "own_assignments": design["reviewers"].get(request.user.username),
        "labellers": selectors.labeller_usernames(project) if is_lead else [],
        "page_data": {"project": project.pk},
        "articles": [_article_metadata(document) for document in documents] if is_lead else [],
        "reviewers": reviewers if shows_everyone else [],
        "can_label": project.role in CAN_LABEL,
        "is_lead": is_lead,
        "is_owner": project.role in CAN_MANAGE,
        "sees_all": shows_everyone,
        "reads_reports": project.role in CAN_SEE_ALL_LABELS,
        "progress": selectors.labelling_progress_for_user(request.user, [project.pk])[project.pk],
        "held_in_training": "training" in refused.values(),
        "training_reason": REASONS["training"],
        "training": selectors.training_standings(project) if is_lead and services.has_design(project) else [],
    }
    return render(request, "frontend/project_detail.html", context, status=200 if listing.is_valid() else 400)


@login_required
def project_next(request, pk: int):
    """ "Continue labelling": the next article assigned to the user by the study's design (assigned now if needed).

    A POST, since it may assign an article; a GET (a bookmark, an old link) opens the project's page,
    where the button is.
    """
    project = project_for_user_or_404(request.user, pk, labels=False)
    if project.role not in CAN_LABEL:
        raise PermissionDenied("Your role in this project does not label.")
    if request.method != "POST":
        return redirect("frontend:project", pk=project.pk)
    try:
        assignment = services.next_assignment(project=project, reviewer=request.user)
    except InvalidInput as refused:
        messages.error(request, " ".join(message for messages_ in refused.errors.values() for message in messages_))
        return redirect("frontend:project", pk=project.pk)
    if assignment is None:
        messages.success(request, "You have labelled every sentence assigned to you in this project.")
        return redirect("frontend:project", pk=project.pk)
    return redirect("frontend:annotate", pk=assignment.document_id)


@login_required
def project_manage(request, pk: int):
    project = project_for_user_or_404(request.user, pk)
    if project.role not in CAN_CURATE:
        raise PermissionDenied("Only the project's owners and curators manage it.")
    return render(
        request,
        "frontend/project_manage.html",
        {
            "project": project,
            "is_owner": project.role in CAN_MANAGE,
            "labels": _labels(project),
            "fetch_limit_mb": webfetch.MAX_BYTES // (1024 * 1024),
            "fetch_timeout": round(webfetch.TIMEOUT),
            "invitation_uses": DEFAULT_INVITATION_USES,
        },
    )


@login_required
def project_settings(request, pk: int):
    """Name, description, blindness, feedback, scale, guidelines, label scheme and disagreement categories:
    owners change them, curators read."""
    project = project_for_user_or_404(request.user, pk)
    if project.role not in CAN_CURATE:
        raise PermissionDenied("Only the project's owners and curators see its settings.")
    curation = CurationSettings.for_project(project)
    page_data = {
        "project": project.pk,
        "labels": LabelSerializer(project.label_list, many=True).data,
        "categories": curation.categories,
        "category_use": curation_selectors.decisions_by_category(project),
        "max_category_length": MAX_CATEGORY_LENGTH,
    }
    reclaim = project.reclaim_after
    context = {
        "project": project,
        "reclaim_hours": f"{round(reclaim.total_seconds() / 3600, 2):g}" if reclaim else "",  # 48, not 48.0
        "training_percent": round(project.training_threshold * 100) if project.training_threshold is not None else "",
        "is_owner": project.role in CAN_MANAGE,
        "scales": Scale.choices,
        "feedback": curation.feedback,
        "max_categories": MAX_CATEGORIES,
        "max_category_length": MAX_CATEGORY_LENGTH,
        "page_data": page_data,
        **_free_keys(),
    }
    return render(request, "frontend/project_settings.html", context)


@login_required
def project_models(request, pk: int):
    """The project's model: its versions and their cards; owners switch suggestions and set the unassisted share."""
    project = project_for_user_or_404(request.user, pk)
    if project.role not in CAN_CURATE:
        raise PermissionDenied("Only the project's owners and curators see its model.")
    is_owner = project.role in CAN_MANAGE
    page_data = {
        "project": project.pk,
        "suggestions": project.suggestions,
        "unassisted_share": project.unassisted_share,
        "is_owner": is_owner,
    }
    return render(request, "frontend/models.html", {"project": project, "page_data": page_data, "is_owner": is_owner})


@login_required
def project_outlets(request, pk: int):
    """The project's outlets (owners and curators edit them) and the leanings they are rated with (owners set them)."""
    project = project_for_user_or_404(request.user, pk)
    if project.role not in CAN_CURATE:
        raise PermissionDenied("Only the project's owners and curators keep its list of outlets.")
    is_owner = project.role in CAN_MANAGE
    page_data = {"project": project.pk, "leanings": project.leanings, "is_owner": is_owner}
    return render(request, "frontend/outlets.html", {"project": project, "page_data": page_data, "is_owner": is_owner})


@login_required
def project_agreement(request, pk: int):
    project = project_for_user_or_404(request.user, pk)
    if project.role not in CAN_SEE_ALL_LABELS:
        raise PermissionDenied("Agreement reports are for the project's owners, curators and viewers.")
    # Numeric labels sort by their numbers; any other ordinal scale is in the order the lead set.
    order_set_by_lead = project.scale == Scale.ORDINAL and any(
        label_number(label.name) is None for label in project.label_list
    )
    return render(
        request,
        "frontend/agreement.html",
        {
            "project": project,
            "order_set_by_lead": order_set_by_lead,
            "page_data": {"project": project.pk, "labels": _labels(project)},
        },
    )


@login_required
def project_analysis(request, pk: int):
    """Coverage analyses per outlet, leaning, topic or month; its script reads them from the API as the API allows."""
    project = project_for_user_or_404(request.user, pk)
    if not selectors.sees_all_labels(project, project.role):
        raise PermissionDenied("This project is blind: only its owners, curators and viewers see its analyses.")
    page_data = {"project": project.pk, "labels": _labels(project), "basis": default_basis(project)}
    return render(request, "frontend/analysis.html", {"project": project, "page_data": page_data})


@login_required
def project_exports(request, pk: int):
    """Every export file as a download with its options, and the whole-project archive (built by a worker)."""
    project = project_for_user_or_404(request.user, pk)
    if project.role not in CAN_SEE_ALL_LABELS:
        raise PermissionDenied("Exports are for the project's owners, curators and viewers.")
    context = {
        "project": project,
        "exports": FORMATS.items(),
        "documents": selectors.documents(project).values("id", "title"),
        "reviewers": selectors.annotator_usernames(project),
        "labels": project.label_list,
    }
    return render(request, "frontend/exports.html", context)


@login_required
def annotate(request, pk: int):
    """The annotation screen: the article, the scheme and the user's own labels, all in the first response."""
    document = _document_in_user_projects(request.user, pk)
    project = project_for_user_or_404(request.user, document.project_id)
    if project.role not in CAN_LABEL:
        return redirect("frontend:curate", pk=document.pk)
    sentences = list(document.sentences.order_by("index").values_list("pk", "paragraph", "text", named=True))
    refused = selectors.refusal_of(document=document, user=request.user)
    read_only = REASONS[refused] if refused else ""
    own = selectors.own_labels_in_document(document=document, user=request.user)
    feedback = curation_selectors.feedback_on_document(document=document, user=request.user)
    feedback_open = CurationSettings.for_project(project).feedback
    progress = selectors.labelling_progress_for_user(request.user, [project.pk])[project.pk]
    page_data = {
        "document": document.pk,
        "project": project.pk,
        "user": request.user.username,
        "labels": _labels(project),
        "sentences": [s.pk for s in sentences],
        "shortcuts": shortcuts.key_map("annotate"),
        "training": document.training,
        "read_only": read_only,
        "own": {str(k): v for k, v in own.items()},
        "project_total": progress["total"],
        # Training labels are practice, outside the project's count (`labelling_progress_for_user`).
        "project_labelled_elsewhere": progress["labelled"] - (0 if document.training else len(own)),
        "speakers": selectors.speakers_named(document=document, project=project, user=request.user, role=project.role),
    }
    context = {
        "project": project,
        "document": document,
        "article": article_html(
            sentences,
            {pk: mine["label"] for pk, mine in own.items()},
            {pk: decision["label"] for pk, decision in feedback.items()},
        ),
        "labels": page_data["labels"],
        "page_data": page_data,
        "shortcuts": shortcuts.SCREENS["annotate"],
        "sentence_count": len(sentences),
        "training": document.training,
        "read_only": read_only,
        "labelled_count": len(own),
        "guidelines": render_guidelines(project.guidelines),
        "feedback_open": feedback_open,
        "feedback": [
            {"sentence": sentence, "yours": own[sentence.pk]["label"], **feedback[sentence.pk]}
            for sentence in sentences
            if sentence.pk in feedback
        ],
        "own_gold": reports.own_gold_figures(project, request.user.username) if feedback_open else None,
    }
    return render(request, "frontend/annotate.html", context)


@login_required
def curate(request, pk: int):
    """The curator screen: its rows come from one API call (`documents/{id}/curation/`), refreshed as labels arrive."""
    document = _document_in_user_projects(request.user, pk)
    project = project_for_user_or_404(request.user, document.project_id)
    if not selectors.sees_all_labels(project, project.role):
        raise PermissionDenied("This project is blind: only its owners, curators and viewers see every label.")
    can_decide = project.role in CAN_CURATE
    categories = CurationSettings.for_project(project).categories
    page_data = {
        "document": document.pk,
        "project": project.pk,
        "labels": _labels(project),
        "can_decide": can_decide,
        "refresh_seconds": CURATION_REFRESH_SECONDS,
        "shortcuts": shortcuts.key_map("curate"),
    }
    context = {
        "project": project,
        "document": document,
        "labels": page_data["labels"],
        "categories": categories,
        "can_decide": can_decide,
        "page_data": page_data,
        "shortcuts": shortcuts.SCREENS["curate"],
        "removed_lines": document.removed_lines(),
        "can_restore": project.role in CAN_MANAGE,
    }
    return render(request, "frontend/curate.html", context)


@login_required
def reference(request, pk: int):
    """A training article's reference labels (leads): taken from its decisions, imported from a file, or set one by
    one; the page's script writes through the API."""
    document = _document_in_user_projects(request.user, pk)
    project = project_for_user_or_404(request.user, document.project_id)
    if project.role not in CAN_CURATE:
        raise PermissionDenied("Only owners and curators set reference labels.")
    references = {reference.sentence_id: reference for reference in selectors.references(document)}
    sentences = [
        {
            "id": sentence.pk,
            "position": sentence.index + 1,
            "form": f"reference-{sentence.pk}",
            "action": f"Save sentence {sentence.index + 1}",
            "text": sentence.text,
            "label": references[sentence.pk].label.name if sentence.pk in references else "",
            "explanation": references[sentence.pk].explanation if sentence.pk in references else "",
        }
        for sentence in document.sentences.order_by("index")
    ]
    context = {
        "project": project,
        "document": document,
        "labels": _labels(project),
        "sentences": sentences,
        "page_data": {"document": document.pk},
    }
    return render(request, "frontend/reference.html", context)


@login_required
def session_resumed(request):
    """Where the login opened by an expired session lands; its script tells the waiting tab to resume."""
    return render(request, "frontend/session_resumed.html")


def join(request, token: str):
    """An invitation link: join its project with a new account, or with one click when logged in.

    Open to anyone holding the link. A link that does not exist is a 404 and one that no longer
    works (expired, used up, revoked) a 410, each with a page that says so; a member who opens a
    link again is told so and keeps their role.
    """
    invitation = selectors.invitation_by_token(token)
    if invitation is None:
        return _invitation_closed(request, "This invitation link is not valid. Check that it was copied whole.", 404)
    user = request.user
    membership = invitation.project.memberships.filter(user=user).first() if user.is_authenticated else None
    if membership is None and invitation.closed_reason:
        return _invitation_closed(request, invitation.closed_reason, 410)
    form = None if user.is_authenticated else NewAccountForm(request.POST or None)
    if request.method == "POST" and membership is None:
        if form is not None and form.is_valid() and not signin.count_join(request, token):
            return signin.lockout_response(request)
        try:
            joined = _join(request, token, form)
        except Gone as closed:
            return _invitation_closed(request, closed.errors["token"][0], 410)
        if joined:
            messages.success(request, f"Welcome to {invitation.project.name}: you joined as {invitation.role}.")
            return redirect("frontend:project", pk=invitation.project_id)
    context = {
        "invitation": invitation,
        "project": invitation.project,
        "duties": ROLE_DUTIES[invitation.role],
        "membership": membership,
        "form": form,
        "password_help": " ".join(password_validators_help_texts()),
    }
    return render(request, "frontend/join.html", context, status=400 if form is not None and form.errors else 200)


def _join(request, token: str, form: NewAccountForm | None) -> bool:
    """Join as the logged-in user, or with the new account the form describes; False when the form has errors."""
    if request.user.is_authenticated:
        services.accept_invitation(token=token, user=request.user)
        return True
    if not form.is_valid():
        return False
    try:
        user = services.join_with_new_account(
            token=token, username=form.cleaned_data["username"], password=form.cleaned_data["password"]
        )
    except Gone:
        raise
    except InvalidInput as error:
        for field, problems in error.errors.items():
            form.add_error(field if field in form.fields else None, problems)
        return False
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return True


def _invitation_closed(request, reason: str, status: int):
    return render(request, "frontend/invitation_closed.html", {"reason": reason}, status=status)
