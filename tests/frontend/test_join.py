"""The join page of an invitation link: new accounts, one-click joins, and links that no longer work."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from annotator import services
from annotator.models import Invitation, Membership, Role

User = get_user_model()
PASSPHRASE = "quiet-harbour-lamp"


@pytest.fixture
def invitation(team) -> Invitation:
    return services.create_invitation(project=team.project, created_by=team.users["owner"], role=Role.ANNOTATOR)


def join_page(invitation) -> str:
    return f"/join/{invitation.token}/"


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def new_account(**fields) -> dict:
    return {"username": "nora", "password": PASSPHRASE, "password_again": PASSPHRASE} | fields


def test_the_page_names_the_project_and_the_role(invitation):
    response = Client().get(join_page(invitation))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Join Bridge study" in page
    assert "invited as <strong>annotator</strong>" in page
    assert 'name="password_again"' in page


def test_a_new_person_makes_an_account_joins_and_is_logged_in(invitation):
    client = Client()
    response = client.post(join_page(invitation), new_account())
    assert response.status_code == 302
    assert response["Location"] == f"/projects/{invitation.project_id}/"
    membership = Membership.objects.get(user__username="nora")
    assert (membership.project_id, membership.role) == (invitation.project_id, Role.ANNOTATOR)
    assert User.objects.get(username="nora").check_password(PASSPHRASE)
    assert client.get(f"/projects/{invitation.project_id}/").status_code == 200


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"password": "12345678", "password_again": "12345678"}, "password", "entirely numeric"),
        ({"password": "short", "password_again": "short"}, "password", "too short"),
        (
            {"username": "harbourlight", "password": "harbourlight7", "password_again": "harbourlight7"},
            "password",
            "similar",
        ),
        ({"password_again": "something-else-9"}, "password_again", "passwords differ"),
        ({"username": ""}, "username", "required"),
        ({"username": "no spaces allowed"}, "username", "valid username"),
        ({"username": "OLIVIA"}, "username", "taken"),
    ],
)
def test_bad_account_details_are_a_400_next_to_the_field_and_make_nothing(invitation, fields, field, message):
    response = Client().post(join_page(invitation), new_account(**fields))
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert 'aria-invalid="true"' in response.content.decode()
    assert not User.objects.filter(username=fields.get("username", "nora")).exists()
    invitation.refresh_from_db()
    assert invitation.uses == 0


def test_a_logged_in_user_joins_with_one_click(team, invitation):
    client = logged_in(team.users["outsider"])
    page = client.get(join_page(invitation)).content.decode()
    assert "Join Bridge study as annotator" in page
    response = client.post(join_page(invitation))
    assert response.status_code == 302
    assert Membership.objects.get(user=team.users["outsider"]).role == Role.ANNOTATOR


def test_a_member_is_told_so_and_an_owner_keeps_their_role(team, invitation):
    client = logged_in(team.users["owner"])
    assert "already a member" in client.get(join_page(invitation)).content.decode()
    assert client.post(join_page(invitation)).status_code == 200
    assert Membership.objects.get(user=team.users["owner"], project=team.project).role == Role.OWNER
    invitation.refresh_from_db()
    assert invitation.uses == 0


def test_a_made_up_link_is_a_404_page_that_says_so(db):
    response = Client().get("/join/not-a-real-token/")
    assert response.status_code == 404
    assert "not valid" in response.content.decode()


@pytest.mark.parametrize(
    ("close", "reason"),
    [
        ({"revoked": True}, "revoked"),
        ({"expires": timezone.now() - timedelta(hours=1)}, "expired"),
        ({"max_uses": 1, "uses": 1}, "used as many times"),
    ],
)
def test_a_closed_link_is_a_410_page_that_says_why_for_both_visits_and_posts(invitation, close, reason):
    Invitation.objects.filter(pk=invitation.pk).update(**close)
    for response in (Client().get(join_page(invitation)), Client().post(join_page(invitation), new_account())):
        assert response.status_code == 410
        assert reason in response.content.decode()
    assert not User.objects.filter(username="nora").exists()


def test_a_link_closed_while_the_form_was_open_gets_the_410_page(team, invitation):
    client = Client()
    client.get(join_page(invitation))
    services.revoke_invitation(invitation=invitation)
    response = client.post(join_page(invitation), new_account())
    assert response.status_code == 410
    assert not User.objects.filter(username="nora").exists()


def test_the_manage_page_offers_invitations_to_owners_only(team):
    url = f"/projects/{team.project.pk}/manage/"
    assert 'id="invitation-form"' in logged_in(team.users["owner"]).get(url).content.decode()
    assert 'id="invitation-form"' not in logged_in(team.users["curator"]).get(url).content.decode()
