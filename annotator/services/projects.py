"""Projects, their label schemes and their members: creating, changing and deleting them."""

import math
from collections.abc import Iterable, Sequence

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count

from annotator import shortcuts
from annotator.errors import Conflict, InvalidInput
from annotator.models import DEFAULT_LABELS, Annotation, Label, Membership, Project, Role, Scale
from annotator.signals import announce_labels_changed
from annotator.validation import label_number

from .assignments import release_unfinished

User = get_user_model()


def _check_labels(labels: Sequence[dict], scale: str) -> list[dict]:
    if not labels:
        raise InvalidInput("labels", "A project needs at least one label.")
    names, keys, cleaned = set(), set(), []
    for position, label in enumerate(labels):
        where = f"labels[{position}]"
        name = (label.get("name") or "").strip()
        if not name:
            raise InvalidInput(f"{where}.name", "A label needs a name.")
        if name in names:
            raise InvalidInput(f"{where}.name", f"The label '{name}' appears twice.")
        key = (label.get("key") or "").strip()
        if key and key.lower() in keys:
            raise InvalidInput(f"{where}.key", f"The key '{key}' is used by two labels.")
        if len(key) > 1:
            raise InvalidInput(f"{where}.key", "A key is one character.")
        if key in shortcuts.RESERVED_KEYS:
            raise InvalidInput(
                f"{where}.key",
                f"{shortcuts.taken_by(key)}; pick another (free: {' '.join(shortcuts.FREE_KEYS)}).",
            )
        value = label.get("value")
        if scale == Scale.INTERVAL and value is None:
            raise InvalidInput(f"{where}.value", "Every label of an interval scale needs a numeric value.")
        if value is not None and not math.isfinite(value):
            raise InvalidInput(f"{where}.value", "A label's value must be a finite number.")
        names.add(name)
        if key:
            keys.add(key.lower())
        cleaned.append(
            {
                "name": name,
                "description": label.get("description") or "",
                "color": label.get("color") or "#777777",
                "key": key,
                "value": value,
                "order": position,
            }
        )
    if scale == Scale.INTERVAL:
        values = [label["value"] for label in cleaned]
        if len(set(values)) != len(values):
            raise InvalidInput("labels", "Labels of an interval scale need distinct values.")
    return cleaned


def _default_labels(scale: str) -> list[dict]:
    return [
        {**label, "value": float(position) if scale != Scale.NOMINAL else None}
        for position, label in enumerate(DEFAULT_LABELS)
    ]


@transaction.atomic
def create_project(
    *,
    owner,
    name: str,
    description: str = "",
    scale: str = Scale.NOMINAL,
    blind: bool = True,
    whole_quotations: bool = False,
    guidelines: str = "",
    labels: Sequence[dict] | None = None,
) -> Project:
    cleaned = _check_labels(labels if labels else _default_labels(scale), scale)
    project = Project.objects.create(
        name=name,
        description=description,
        scale=scale,
        blind=blind,
        whole_quotations=whole_quotations,
        guidelines=guidelines,
        created_by=owner,
    )
    Label.objects.bulk_create(Label(project=project, **label) for label in cleaned)
    Membership.objects.create(project=project, user=owner, role=Role.OWNER)
    return project


@transaction.atomic
def update_project(*, project: Project, labels: Sequence[dict] | None = None, **changes) -> Project:
    """Change a project's fields; `labels`, when given, becomes the whole scheme in its order.

    A label with an `id` updates that label (renamed, its annotations keep it); one without an id
    is matched by name, else added. Labels left out are removed unless reviewers used them. A
    change of scale or of the labels' names, order or values changes what the agreement reports
    mean, so every report of the project is marked stale.
    """
    scale_changed = "scale" in changes and changes["scale"] != project.scale
    if scale_changed and changes["scale"] != Scale.NOMINAL and labels is None and not project.label_order_confirmed:
        raise InvalidInput(
            "labels",
            f"The labels' order came from an import; an {changes['scale']} scale reads its order. Send the labels "
            "in the scale's order with the new scale (or save the scheme in that order first).",
        )
    if labels is not None:
        changes["label_order_confirmed"] = True
    # Krippendorff's q for the lead's own minimum is computed with the report: a new one recomputes it.
    alpha_min_changed = "alpha_min" in changes and changes["alpha_min"] != project.alpha_min
    if "leanings" in changes:
        changes["leanings"] = _check_leanings(project, changes["leanings"])
    for name, value in changes.items():
        setattr(project, name, value)
    if labels is not None or scale_changed:
        current = list(Label.objects.select_for_update().filter(project=project).order_by("order", "id"))
        wanted = labels if labels is not None else [_label_as_dict(label) for label in current]
        cleaned = _check_labels(wanted, project.scale)
        matched = _match_labels(wanted, cleaned, current)
        removed = [label for label in current if label not in matched]
        _refuse_removing_used(removed)
        Label.objects.filter(pk__in=[label.pk for label in removed]).delete()
        _save_scheme(project, cleaned, matched)
        before = [(label.pk, label.name, label.value) for label in current]
        after = [
            (label.pk if label else None, c["name"], c["value"]) for label, c in zip(matched, cleaned, strict=True)
        ]
        if scale_changed or before != after:
            announce_labels_changed(project_id=project.pk, document_ids=None)
    elif alpha_min_changed:
        announce_labels_changed(project_id=project.pk, document_ids=None)
    project.save()
    return project


def _check_leanings(project: Project, leanings: Sequence[str]) -> list[str]:
    """Distinct, non-empty leanings; one that rates an outlet cannot go (rate the outlet otherwise first)."""
    cleaned = list(dict.fromkeys(leaning.strip() for leaning in leanings))
    if "" in cleaned:
        raise InvalidInput("leanings", "A leaning needs a name.")
    used = set(project.outlets.exclude(leaning="").values_list("leaning", flat=True))
    dropped = sorted(used - set(cleaned))
    if dropped:
        raise Conflict("leanings", f"Outlets are rated {', '.join(dropped)}: change their leaning first.")
    return cleaned


def _match_labels(wanted: Sequence[dict], cleaned: list[dict], current: list[Label]) -> list[Label | None]:
    """The existing label each wanted one updates (None: a new label), by `id` if given, else by name."""
    by_id = {label.pk: label for label in current}
    claimed = {label.get("id") for label in wanted if label.get("id") is not None}
    by_name = {label.name: label for label in current if label.pk not in claimed}
    matched, seen = [], set()
    for position, (label, clean) in enumerate(zip(wanted, cleaned, strict=True)):
        pk = label.get("id")
        if pk is None:
            matched.append(by_name.pop(clean["name"], None))
            continue
        if pk not in by_id:
            raise InvalidInput(f"labels[{position}].id", f"There is no label {pk} in this project.")
        if pk in seen:
            raise InvalidInput(f"labels[{position}].id", f"The label {pk} appears twice.")
        seen.add(pk)
        matched.append(by_id[pk])
    return matched


def _refuse_removing_used(removed: list[Label]) -> None:
    uses = dict(
        Annotation.objects.filter(label__in=removed).values("label").annotate(n=Count("id")).values_list("label", "n")
    )
    if uses:
        refusals = [
            f"'{label.name}' is used by {uses[label.pk]} label{'' if uses[label.pk] == 1 else 's'}."
            for label in removed
            if label.pk in uses
        ]
        raise Conflict("labels", " ".join(refusals) + " A label in use cannot be deleted.")


def _save_scheme(project: Project, cleaned: list[dict], matched: list[Label | None]) -> None:
    """Write the checked scheme over the matched labels and add the new ones.

    Keys are cleared and renamed labels moved to a name no label can have (names are stripped)
    first, so that swapping two labels' keys or names does not trip the unique constraints.
    """
    Label.objects.filter(project=project).update(key="")
    renamed = [label for label, c in zip(matched, cleaned, strict=True) if label and label.name != c["name"]]
    for label in renamed:
        label.name = f" {label.pk}"
    Label.objects.bulk_update(renamed, ["name"])
    kept, added = [], []
    for label, fields in zip(matched, cleaned, strict=True):
        if label is None:
            added.append(Label(project=project, **fields))
            continue
        for name, value in fields.items():
            setattr(label, name, value)
        kept.append(label)
    Label.objects.bulk_update(kept, list(cleaned[0]))
    Label.objects.bulk_create(added)


def _label_as_dict(label: Label) -> dict:
    return {
        "id": label.pk,
        "name": label.name,
        "description": label.description,
        "color": label.color,
        "key": label.key,
        "value": label.value,
    }


def delete_project(*, project: Project) -> None:
    project.delete()


@transaction.atomic
def add_member(*, project: Project, username: str, role: str) -> Membership:
    """Add a user to a project, or change the role of one who is already a member."""
    if role not in Role.values:
        raise InvalidInput("role", f"'{role}' is not a role; choose one of {', '.join(Role.values)}.")
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise InvalidInput("username", f"There is no user '{username}'.")
    _one_membership_change_at_a_time(project)
    membership, created = Membership.objects.select_for_update().get_or_create(
        project=project, user=user, defaults={"role": role}
    )
    if not created and membership.role != role:
        if membership.role == Role.OWNER:
            _keep_an_owner(project, leaving=user)
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def remove_member(*, project: Project, username: str) -> None:
    _one_membership_change_at_a_time(project)
    membership = Membership.objects.select_for_update().filter(project=project, user__username=username).first()
    if membership is None:
        raise InvalidInput("username", f"'{username}' is not a member of this project.")
    if membership.role == Role.OWNER:
        _keep_an_owner(project, leaving=membership.user)
    release_unfinished(project=project, reviewer=membership.user)
    membership.delete()


def append_labels(*, project: Project, names: Sequence[str]) -> None:
    """Add labels called `names` after the scheme's (on an interval scale the name is the value).

    For a study's labels, which its reader has checked against the scheme: no key, no description.
    When every label of the scheme is a number (a 1-5 rating study), the whole scheme is put in
    numeric order, so that the order a later ordinal scale reads is the numbers', not the order
    in which the file happened to use them.
    """
    scheme = list(Label.objects.filter(project=project).order_by("order", "id"))
    added = [
        Label(project=project, name=name, value=label_number(name) if project.scale == Scale.INTERVAL else None)
        for name in names
    ]
    labels = scheme + added
    numbers = [label_number(label.name) for label in labels]
    if None not in numbers:
        labels = [label for _, label in sorted(zip(numbers, labels, strict=True), key=lambda pair: pair[0])]
    for position, label in enumerate(labels):
        label.order = position
    Label.objects.bulk_update(scheme, ["order"])
    Label.objects.bulk_create(added)
    if added and len(labels) > 1 and project.label_order_confirmed:
        # The file's order (or the numbers') is nobody's decision: an ordinal scale asks for it first.
        Project.objects.filter(pk=project.pk).update(label_order_confirmed=False)
        project.label_order_confirmed = False


def add_annotators(*, project: Project, users: Iterable) -> None:
    """Make `users` annotators of the project in bulk; one who is already a member keeps their role."""
    Membership.objects.bulk_create(
        (Membership(project=project, user=user, role=Role.ANNOTATOR) for user in users),
        ignore_conflicts=True,
    )


def _one_membership_change_at_a_time(project: Project) -> None:
    """Lock the project's row until the transaction ends, so that its membership changes run one after another.

    Two owners demoting themselves at once would each see the other still an owner and both
    go, leaving the project with none; the second change now waits for the first to commit and
    then sees it (READ COMMITTED reads each statement's committed state). The project's row,
    not the owners' rows, is locked first, so two changes never hold locks the other waits for.
    """
    Project.objects.select_for_update().values_list("pk", flat=True).get(pk=project.pk)


def _keep_an_owner(project: Project, *, leaving) -> None:
    others = Membership.objects.filter(project=project, role=Role.OWNER).exclude(user=leaving)
    if not others.exists():
        raise Conflict("role", "A project needs at least one owner; add another owner first.")
