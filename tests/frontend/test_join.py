"""The join page of an invitation link: new accounts, one-click joins, and links that no longer work."""

import threading
from datetime import timedelta

import psycopg2
import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client, override_settings
from django.utils import timezone

from annotator import services
from annotator.models import Invitation, Membership, Role
from tests.worker import database_url, wait_for

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
    assert 'value="25"' in logged_in(team.users["owner"]).get(url).content.decode(), "the default use limit, filled in"


LIMIT = 3


@pytest.fixture
def throttled():
    with override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=LIMIT):
        yield


def join_from(invitation, address: str, username: str):
    return Client().post(join_page(invitation), new_account(username=username), REMOTE_ADDR=address)


@pytest.mark.usefixtures("throttled")
def test_one_address_making_accounts_is_refused_with_429_before_any_password_is_hashed(team, invitation):
    answers = [join_from(invitation, "10.1.0.1", f"flood{n}").status_code for n in range(LIMIT + 1)]
    assert answers == [302] * (LIMIT - 1) + [429, 429]
    refused = join_from(invitation, "10.1.0.1", "one-more")
    assert refused["Retry-After"]
    assert User.objects.filter(username__startswith="flood").count() == LIMIT - 1
    invitation.refresh_from_db()
    assert invitation.uses == LIMIT - 1
    other = services.create_invitation(project=team.project, created_by=team.users["owner"], role=Role.VIEWER)
    assert join_from(other, "10.1.0.1", "same-address").status_code == 429
    assert join_from(other, "10.1.0.2", "elsewhere").status_code == 302


@pytest.mark.usefixtures("throttled")
def test_one_link_making_accounts_from_many_addresses_is_refused_with_429(team, invitation):
    answers = [join_from(invitation, f"10.2.0.{n}", f"spread{n}").status_code for n in range(LIMIT + 1)]
    assert answers == [302] * (LIMIT - 1) + [429, 429]
    assert User.objects.filter(username__startswith="spread").count() == LIMIT - 1
    other = services.create_invitation(project=team.project, created_by=team.users["owner"], role=Role.VIEWER)
    assert join_from(other, "10.2.1.1", "other-link").status_code == 302


@pytest.mark.usefixtures("throttled")
def test_joins_and_wrong_passwords_from_one_address_share_one_budget(invitation):
    for n in range(LIMIT - 1):
        assert join_from(invitation, "10.3.0.1", f"joiner{n}").status_code == 302
    body = {"username": "joiner0", "password": "wrong"}
    refused = Client().post("/accounts/login/", body, REMOTE_ADDR="10.3.0.1")
    assert refused.status_code == 429
    signed_in = Client().post("/accounts/login/", body | {"password": PASSPHRASE}, REMOTE_ADDR="10.3.0.2")
    assert signed_in.status_code == 302


@pytest.mark.usefixtures("throttled")
def test_a_logged_in_member_joining_with_one_click_spends_no_budget(team, invitation):
    answers = [
        logged_in(team.users["outsider"]).post(join_page(invitation), REMOTE_ADDR="10.4.0.1") for _ in range(LIMIT)
    ]
    assert [answer.status_code for answer in answers] == [302] + [200] * (LIMIT - 1)
    assert join_from(invitation, "10.4.0.1", "after-clicks").status_code == 302


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_the_same_person_joining_from_two_tabs_at_once_joins_once_and_neither_gets_a_500(team, invitation):
    """Both posts wait on the link's row lock, held by another connection, then go one after the other."""
    outsider = team.users["outsider"]
    tabs = [logged_in(outsider) for _ in range(2)]
    answers = []

    def post(tab):
        try:
            answers.append(tab.post(join_page(invitation)).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(tab,)) for tab in tabs]
    holder = psycopg2.connect(database_url())
    try:
        with holder.cursor() as cursor:
            cursor.execute("SELECT 1 FROM annotator_invitation WHERE id = %s FOR UPDATE", [invitation.pk])
        for thread in threads:
            thread.start()
        wait_for(lambda: lock_waiters(holder) == 2, timeout=30, what="both posts to wait on the link")
    finally:
        holder.rollback()
        holder.close()
    for thread in threads:
        thread.join(timeout=30)
    assert answers == [302, 302]
    assert Membership.objects.filter(user=outsider, project=team.project).count() == 1
    invitation.refresh_from_db()
    assert invitation.uses == 1


def lock_waiters(holder) -> int:
    """How many connections to the test database wait for a lock (the holder's view of the statistics is
    kept for its transaction unless cleared)."""
    with holder.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]
