"""Invitation links: owners create and revoke them; whoever opens one joins, with a new account or theirs."""

import secrets
from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from annotator.errors import Gone, InvalidInput
from annotator.models import Invitation, Membership, Project, Role

User = get_user_model()
# How many people may join with a new link unless its creator says otherwise (None: no limit):
# a link that leaks then makes a bounded number of accounts.
DEFAULT_INVITATION_USES = 25


def create_invitation(
    *,
    project: Project,
    created_by,
    role: str,
    expires: datetime | None = None,
    max_uses: int | None = DEFAULT_INVITATION_USES,
) -> Invitation:
    if role not in Role.values:
        raise InvalidInput("role", f"'{role}' is not a role; choose one of {', '.join(Role.values)}.")
    if expires is not None and expires <= timezone.now():
        raise InvalidInput("expires", "An invitation must expire in the future.")
    if max_uses is not None and max_uses < 1:
        raise InvalidInput("max_uses", "An invitation must allow at least one use.")
    return Invitation.objects.create(
        project=project,
        role=role,
        token=secrets.token_urlsafe(32),
        created_by=created_by,
        expires=expires,
        max_uses=max_uses,
    )


def revoke_invitation(*, invitation: Invitation) -> None:
    """Stop the link from working; it stays listed (as revoked) so owners see who could have joined."""
    Invitation.objects.filter(pk=invitation.pk).update(revoked=True)
    invitation.revoked = True


def _locked_invitation(token: str) -> Invitation:
    """The invitation, its row locked until the transaction ends, or Gone when it no longer exists.

    The lock makes `max_uses` hold when several people join at once (the last use is taken once),
    and makes one person's joins from two tabs at once take turns: the second finds the first's
    membership.
    """
    locked = Invitation.objects.select_for_update(of=("self",)).select_related("project")
    invitation = locked.filter(token=token).first()
    if invitation is None:  # deleted with its project since the page was opened
        raise Gone("token", "This invitation link no longer exists.")
    return invitation


def _take_a_use(invitation: Invitation) -> None:
    """Count one use of the locked `invitation`, or raise Gone when it no longer works."""
    if invitation.closed_reason:
        raise Gone("token", invitation.closed_reason)
    invitation.uses += 1
    invitation.save(update_fields=["uses"])


@transaction.atomic
def accept_invitation(*, token: str, user) -> Membership:
    """Make `user` a member with the invitation's role; a member already keeps their role and uses nothing up."""
    invitation = _locked_invitation(token)
    existing = Membership.objects.filter(project=invitation.project, user=user).first()
    if existing is not None:
        return existing
    _take_a_use(invitation)
    return Membership.objects.create(project=invitation.project, user=user, role=invitation.role)


@transaction.atomic
def join_with_new_account(*, token: str, username: str, password: str):
    """Create an account (Django's password validators apply) and make it a member with the invitation's role."""
    username = username.strip()
    if not username:
        raise InvalidInput("username", "Choose a username.")
    candidate = User(username=username)
    try:
        candidate.full_clean(exclude=["password"], validate_unique=False)
    except ValidationError as error:
        raise InvalidInput({name: list(messages) for name, messages in error.message_dict.items()}) from None
    try:
        validate_password(password, user=candidate)
    except ValidationError as error:
        raise InvalidInput({"password": list(error.messages)}) from None
    invitation = _locked_invitation(token)
    _take_a_use(invitation)
    if User.objects.filter(username__iexact=username).exists():
        raise InvalidInput("username", "This username is taken; choose another, or log in if it is yours.")
    try:
        with transaction.atomic():
            user = User.objects.create_user(username=username, password=password)
    except IntegrityError:
        raise InvalidInput("username", "This username is taken; choose another, or log in if it is yours.") from None
    Membership.objects.create(project=invitation.project, user=user, role=invitation.role)
    return user
