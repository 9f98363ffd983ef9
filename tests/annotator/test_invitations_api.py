"""Invitation links over the API: owners make, list and revoke them; the rules on roles, expiry and uses."""

from datetime import timedelta

import pytest
from django.utils import timezone

from annotator import services
from annotator.errors import Gone
from annotator.models import Invitation, Membership, Role
from annotator.services.invitations import DEFAULT_INVITATION_USES

from ..factories import UserFactory
from .test_concurrency import run_at_once


def url(team, suffix: str = "") -> str:
    return f"/api/v1/projects/{team.project.pk}/invitations/{suffix}"


def invite(team, **options) -> Invitation:
    return services.create_invitation(
        project=team.project, created_by=team.users["owner"], role=options.pop("role", Role.ANNOTATOR), **options
    )


def test_owner_creates_an_invitation_and_gets_its_link(team):
    response = team.client("owner").post(url(team), {"role": "annotator", "max_uses": 3}, format="json")
    assert response.status_code == 201
    body = response.json()
    invitation = Invitation.objects.get(pk=body["id"])
    assert body["url"] == f"http://testserver/join/{invitation.token}/"
    assert (body["role"], body["max_uses"], body["uses"], body["status"]) == ("annotator", 3, 0, "active")
    assert body["expires"] is None
    assert body["created_by"] == "olivia"


def test_a_link_made_without_a_use_limit_gets_the_default_one_and_null_asks_for_none(team):
    default = team.client("owner").post(url(team), {"role": "annotator"}, format="json")
    assert default.status_code == 201
    assert default.json()["max_uses"] == DEFAULT_INVITATION_USES
    unlimited = team.client("owner").post(url(team), {"role": "annotator", "max_uses": None}, format="json")
    assert unlimited.status_code == 201
    assert unlimited.json()["max_uses"] is None


def test_invitation_tokens_are_long_and_different(team):
    tokens = {invite(team).token for _ in range(5)}
    assert len(tokens) == 5
    assert all(len(token) >= 40 for token in tokens)


def test_owner_lists_invitations_with_their_status(team):
    invite(team, role=Role.VIEWER)
    revoked = invite(team)
    services.revoke_invitation(invitation=revoked)
    used_up = invite(team, max_uses=1)
    services.accept_invitation(token=used_up.token, user=team.users["outsider"])
    expired = invite(team)
    Invitation.objects.filter(pk=expired.pk).update(expires=timezone.now() - timedelta(minutes=1))
    body = team.client("owner").get(url(team)).json()
    assert [(row["role"], row["status"], row["uses"]) for row in body["results"]] == [
        ("annotator", "expired", 0),
        ("annotator", "used_up", 1),
        ("annotator", "revoked", 0),
        ("viewer", "active", 0),
    ]


@pytest.mark.parametrize("who", ["curator", "annotator", "viewer"])
def test_members_who_are_not_owners_may_not_see_or_make_invitations(team, who):
    client = team.client(who)
    invitation = invite(team)
    assert client.get(url(team)).status_code == 403
    assert client.post(url(team), {"role": "owner"}, format="json").status_code == 403
    assert client.delete(url(team, f"{invitation.pk}/")).status_code == 403
    assert Invitation.objects.count() == 1
    assert not Invitation.objects.get().revoked


def test_outsiders_get_404_for_a_projects_invitations(team):
    client = team.client("outsider")
    invitation = invite(team)
    assert client.get(url(team)).status_code == 404
    assert client.post(url(team), {"role": "annotator"}, format="json").status_code == 404
    assert client.delete(url(team, f"{invitation.pk}/")).status_code == 404


def test_an_invitation_of_another_project_is_404_for_its_non_owner(team):
    other_owner = UserFactory(username="other")
    other = services.create_project(owner=other_owner, name="Other")
    invitation = services.create_invitation(project=other, created_by=other_owner, role=Role.ANNOTATOR)
    assert team.client("owner").delete(url(team, f"{invitation.pk}/")).status_code == 404
    assert not Invitation.objects.get(pk=invitation.pk).revoked


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "role"),
        ({"role": "boss"}, "role"),
        ({"role": "annotator", "max_uses": 0}, "max_uses"),
        ({"role": "annotator", "max_uses": -2}, "max_uses"),
        ({"role": "annotator", "max_uses": "many"}, "max_uses"),
        ({"role": "annotator", "max_uses": 10**12}, "max_uses"),
        ({"role": "annotator", "expires": "tomorrow"}, "expires"),
        ({"role": "annotator", "expires": "2001-01-01T00:00:00Z"}, "expires"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_makes_nothing(team, body, field):
    response = team.client("owner").post(url(team), body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Invitation.objects.exists()


def test_an_invitation_may_expire_in_the_future(team):
    expires = (timezone.now() + timedelta(days=7)).isoformat()
    response = team.client("owner").post(url(team), {"role": "viewer", "expires": expires}, format="json")
    assert response.status_code == 201
    assert response.json()["status"] == "active"


def test_revoking_answers_204_and_closes_the_link(team):
    invitation = invite(team)
    assert team.client("owner").delete(url(team, f"{invitation.pk}/")).status_code == 204
    [row] = team.client("owner").get(url(team)).json()["results"]
    assert row["status"] == "revoked"
    with pytest.raises(Gone):
        services.accept_invitation(token=invitation.token, user=team.users["outsider"])
    assert not Membership.objects.filter(user=team.users["outsider"]).exists()


def test_accepting_makes_a_member_with_the_role_and_counts_a_use(team):
    invitation = invite(team, role=Role.CURATOR)
    membership = services.accept_invitation(token=invitation.token, user=team.users["outsider"])
    assert (membership.project, membership.role) == (team.project, Role.CURATOR)
    invitation.refresh_from_db()
    assert invitation.uses == 1


def test_a_member_who_accepts_keeps_their_role_and_uses_nothing_up(team):
    invitation = invite(team, role=Role.VIEWER, max_uses=1)
    membership = services.accept_invitation(token=invitation.token, user=team.users["owner"])
    assert membership.role == Role.OWNER
    invitation.refresh_from_db()
    assert invitation.uses == 0


def test_an_expired_invitation_admits_nobody(team):
    invitation = invite(team, expires=timezone.now() + timedelta(seconds=30))
    Invitation.objects.filter(pk=invitation.pk).update(expires=timezone.now() - timedelta(seconds=1))
    with pytest.raises(Gone, match="expired"):
        services.accept_invitation(token=invitation.token, user=team.users["outsider"])


def test_a_used_up_invitation_admits_nobody_else(team):
    invitation = invite(team, max_uses=1)
    services.join_with_new_account(token=invitation.token, username="first", password="a-long-passphrase")
    with pytest.raises(Gone, match="used"):
        services.join_with_new_account(token=invitation.token, username="second", password="a-long-passphrase")
    assert not Membership.objects.filter(user__username="second").exists()
    assert not type(team.users["owner"]).objects.filter(username="second").exists()


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_the_last_use_is_taken_once_when_people_join_at_once(team):
    invitation = invite(team, max_uses=1)
    people = [UserFactory(username=f"rush{n}") for n in range(4)]
    outcomes = []

    def join(user):
        def call():
            try:
                services.accept_invitation(token=invitation.token, user=user)
                outcomes.append("joined")
            except Gone:
                outcomes.append("gone")

        return call

    run_at_once(*(join(user) for user in people))
    assert sorted(outcomes) == ["gone", "gone", "gone", "joined"]
    assert Membership.objects.filter(user__in=people).count() == 1
    invitation.refresh_from_db()
    assert invitation.uses == 1
