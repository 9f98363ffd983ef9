"""A study's rows checked together and against the project: units, labels to add, accounts to create or reuse."""

from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db.models import Q

from annotator.models import Label, Membership, Project, Scale
from annotator.roles import CAN_LABEL
from annotator.validation import label_number

from .reading import Row, RowErrors

User = get_user_model()


@dataclass
class Units:
    """The units of the file grouped by document, in order of first appearance."""

    by_document: dict[str, list[str]]
    text: dict[str, str]
    document_of: dict[str, str]
    outlets: dict[str, set]
    urls: dict[str, set]


def group_units(rows: list[Row], errors: RowErrors) -> Units:
    units = Units(
        by_document=defaultdict(list), text={}, document_of={}, outlets=defaultdict(set), urls=defaultdict(set)
    )
    labelled: set[tuple[str, str]] = set()
    for row in rows:
        if row.unit not in units.document_of:
            units.document_of[row.unit] = row.document
            units.by_document[row.document].append(row.unit)
        elif units.document_of[row.unit] != row.document:
            earlier = units.document_of[row.unit]
            errors.add(row.number, f"unit '{row.unit}' is in document '{earlier}' on an earlier row.")
        text = row.text.strip()
        if text:
            known = units.text.setdefault(row.unit, text)
            if known != text:
                errors.add(row.number, f"unit '{row.unit}' has another text on an earlier row.")
        if row.label:
            if (row.unit, row.annotator) in labelled:
                errors.add(row.number, f"annotator '{row.annotator}' labels unit '{row.unit}' twice.")
            labelled.add((row.unit, row.annotator))
        if row.outlet:
            units.outlets[row.document].add(row.outlet)
        if row.url:
            units.urls[row.document].add(row.url)
    first_row = {}
    for row in rows:
        first_row.setdefault(row.unit, row.number)
    for unit, where in first_row.items():
        if unit not in units.text:
            errors.add(where, f"unit '{unit}' has no text on any row.")
    return units


def plan_labels(project: Project, rows: list[Row], add_labels: bool, errors: RowErrors) -> list[str]:
    """The labels the file adds to the scheme; on an interval scale rows naming a known value get its label."""
    scheme = dict(Label.objects.filter(project=project).values_list("name", "value"))
    if project.scale == Scale.INTERVAL:
        _one_label_per_value(rows, scheme)
    first_use: dict[str, str] = {}
    for row in rows:
        if row.label and row.label not in scheme:
            first_use.setdefault(row.label, row.number)
    if not first_use:
        return []
    if not add_labels or project.scale == Scale.ORDINAL:
        why = (
            "an ordinal scheme's order cannot be guessed: add the labels to the project first"
            if add_labels
            else "add it to the project's labels, or send add_labels=true"
        )
        for name, where in first_use.items():
            errors.add(where, f"'{name}' is not a label of this project ({why}).")
        return []
    for name, where in first_use.items():
        if len(name) > 64:
            errors.add(where, f"the label '{name[:20]}...' is longer than 64 characters.")
        if project.scale == Scale.INTERVAL and label_number(name) is None:
            errors.add(where, f"'{name}' is not a finite number, so it cannot be added to an interval scale.")
    return list(first_use)


def _one_label_per_value(rows: list[Row], scheme: dict[str, float | None]) -> None:
    """Give every row whose label spells a value the one label of that value: "1" and "1.0" are one label.

    The scheme's label of a value wins; a value the scheme lacks takes the first name the file uses.
    """
    by_value = {value: name for name, value in scheme.items() if value is not None}
    for row in rows:
        if row.label and row.label not in scheme:
            value = label_number(row.label)
            if value is not None:
                row.label = by_value.setdefault(value, row.label)


def plan_annotators(
    project: Project, rows: list[Row], prefix: str, imported_by, errors: RowErrors
) -> tuple[list, list]:
    """Name each row's account and split them into accounts to create and existing ones; see the package's docstring."""
    accounts: dict[str, str] = {}  # name in the file -> account
    first_use: dict[str, str] = {}  # account -> first row
    for row in rows:
        name = prefix + row.annotator
        account = accounts.setdefault(name, name if name == imported_by.username else f"{name}@{project.pk}")
        row.annotator = account
        first_use.setdefault(account, row.number)
    validate = UnicodeUsernameValidator()
    for name, where in first_use.items():
        try:
            validate(name)
            if len(name) > 150:
                raise ValidationError("too long")
        except ValidationError:
            errors.add(
                where,
                f"'{name}' cannot be a user name (at most 150 letters, digits and @ . + - _; "
                "choose an annotator_prefix without other characters).",
            )
    members = dict(
        Membership.objects.filter(project=project, user__username__in=list(first_use)).values_list(
            "user__username", "role"
        )
    )
    existing = {
        user.username: user
        for user in User.objects.filter(username__in=list(first_use)).filter(
            Q(username=imported_by.username) | Q(pk__in=Membership.objects.filter(project=project).values("user"))
        )
    }
    reused = []
    for name, where in first_use.items():
        user, role = existing.get(name), members.get(name)
        if name == imported_by.username:
            if role in CAN_LABEL:
                reused.append(name)
            else:
                errors.add(where, f"'{name}' is you, and your role in this project cannot hold labels.")
        elif user is not None and not user.has_usable_password():
            reused.append(name)
        elif user is not None:
            errors.add(where, f"'{name}' cannot be an imported annotator; choose another annotator_prefix.")
    created = [name for name in first_use if name not in existing]
    # Someone may have registered a name of this form; the same message as above, and nothing else, says so.
    for name in User.objects.filter(username__in=created).values_list("username", flat=True):
        errors.add(first_use[name], f"'{name}' cannot be an imported annotator; choose another annotator_prefix.")
    return created, sorted(reused)
