"""The web pages: who may open them, what they render, that they escape, and the annotation screen's query count."""

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from annotator import services
from annotator.models import Assignment, Role
from tests.factories import (
    PASSWORD,
    AnnotationFactory,
    DocumentFactory,
    ProjectFactory,
    UserFactory,
    add_member,
    label_document,
)

HOSTILE = '<script>window.pwned=1</script><img src=x onerror="window.pwned=1">'


def signed_in(user) -> Client:
    """A client with a session for `user`, as a browser has after the login form (the pages need one)."""
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/projects/new/",
        "/projects/{p}/",
        "/projects/{p}/settings/",
        "/projects/{p}/agreement/",
        "/projects/{p}/analysis/",
        "/projects/{p}/outlets/",
        "/projects/{p}/exports/",
        "/documents/{d}/",
        "/documents/{d}/curate/",
    ],
)
def test_pages_send_anonymous_visitors_to_login(team, url):
    response = Client().get(url.format(p=team.project.pk, d=team.document.pk))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize(
    "url",
    [
        "/projects/{p}/",
        "/projects/{p}/next/",
        "/projects/{p}/manage/",
        "/projects/{p}/settings/",
        "/projects/{p}/agreement/",
        "/projects/{p}/analysis/",
        "/projects/{p}/outlets/",
        "/projects/{p}/exports/",
        "/documents/{d}/",
        "/documents/{d}/curate/",
    ],
)
def test_outsiders_get_404_for_every_project_page(team, url):
    response = signed_in(team.users["outsider"]).get(url.format(p=team.project.pk, d=team.document.pk))
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("who", "url", "status"),
    [
        ("annotator", "/projects/{p}/manage/", 403),
        ("viewer", "/projects/{p}/manage/", 403),
        ("curator", "/projects/{p}/manage/", 200),
        ("owner", "/projects/{p}/manage/", 200),
        ("annotator", "/projects/{p}/settings/", 403),
        ("viewer", "/projects/{p}/settings/", 403),
        ("curator", "/projects/{p}/settings/", 200),
        ("owner", "/projects/{p}/settings/", 200),
        ("annotator", "/projects/{p}/agreement/", 403),
        ("viewer", "/projects/{p}/agreement/", 200),
        ("annotator", "/projects/{p}/outlets/", 403),
        ("viewer", "/projects/{p}/outlets/", 403),
        ("curator", "/projects/{p}/outlets/", 200),
        ("owner", "/projects/{p}/outlets/", 200),
        ("annotator", "/projects/{p}/analysis/", 403),
        ("viewer", "/projects/{p}/analysis/", 200),
        ("curator", "/projects/{p}/analysis/", 200),
        ("owner", "/projects/{p}/analysis/", 200),
        ("annotator", "/projects/{p}/exports/", 403),
        ("viewer", "/projects/{p}/exports/", 200),
        ("curator", "/projects/{p}/exports/", 200),
        ("owner", "/projects/{p}/exports/", 200),
        ("annotator", "/documents/{d}/curate/", 403),
        ("curator", "/documents/{d}/curate/", 200),
        ("viewer", "/documents/{d}/curate/", 200),
        ("annotator", "/documents/{d}/", 200),
        ("owner", "/documents/{d}/", 200),
    ],
)
def test_pages_follow_the_project_roles(team, who, url, status):
    response = signed_in(team.users[who]).get(url.format(p=team.project.pk, d=team.document.pk))
    assert response.status_code == status


def test_viewer_opening_an_article_is_sent_to_the_read_only_comparison(team):
    response = signed_in(team.users["viewer"]).get(f"/documents/{team.document.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/documents/{team.document.pk}/curate/"


def test_home_lists_own_projects_with_progress(team, sentence):
    AnnotationFactory(sentence=sentence, annotator=team.users["annotator"])
    other = ProjectFactory(name="Someone else's study")
    response = signed_in(team.users["annotator"]).get("/")
    body = response.content.decode()
    total = team.document.sentences.count()
    assert "Bridge study" in body
    assert other.name not in body
    assert f"1 of {total} sentences labelled" in body
    assert f'<form method="post" action="/projects/{team.project.pk}/next/"' in body


def test_next_opens_the_first_article_with_unlabelled_sentences(team):
    annotator = team.users["annotator"]
    second = DocumentFactory(project=team.project, title="Second")
    label_document(team.document, annotator, "claim")
    response = signed_in(annotator).post(f"/projects/{team.project.pk}/next/")
    assert response["Location"] == f"/documents/{second.pk}/"


def test_next_opened_by_a_link_shows_the_project_page_and_assigns_nothing(team):
    annotator = team.users["annotator"]
    response = signed_in(annotator).get(f"/projects/{team.project.pk}/next/", follow=True)
    assert response.redirect_chain[-1][0] == f"/projects/{team.project.pk}/"
    assert f'<form method="post" action="/projects/{team.project.pk}/next/"' in response.content.decode()
    assert not Assignment.objects.filter(reviewer=annotator).exists()


def test_next_asked_without_the_pages_csrf_token_is_refused_and_assigns_nothing(team):
    annotator = team.users["annotator"]
    client = Client(enforce_csrf_checks=True)
    client.force_login(annotator)
    response = client.post(f"/projects/{team.project.pk}/next/")
    assert response.status_code == 403
    assert not Assignment.objects.filter(reviewer=annotator).exists()


def test_next_returns_to_the_project_when_everything_is_labelled(team):
    annotator = team.users["annotator"]
    label_document(team.document, annotator, "claim")
    response = signed_in(annotator).post(f"/projects/{team.project.pk}/next/", follow=True)
    assert response.redirect_chain[-1][0] == f"/projects/{team.project.pk}/"
    assert "You have labelled every sentence" in response.content.decode()


def test_annotation_screen_renders_the_article_and_only_own_labels(team):
    first, second = team.document.sentences.order_by("index")[:2]
    AnnotationFactory(sentence=first, annotator=team.users["annotator"], label="claim", speaker="Mayor")
    AnnotationFactory(sentence=second, annotator=team.users["annotator2"], label="opinion", speaker="Secret speaker")
    response = signed_in(team.users["annotator"]).get(f"/documents/{team.document.pk}/")
    body = response.content.decode()
    data = response.context["page_data"]
    assert "Bridge to reopen" in body
    assert data["own"] == {str(first.pk): {"label": "claim", "sources": [], "speaker": "Mayor", "note": ""}}
    assert data["speakers"] == ["Mayor"]
    assert "Secret speaker" not in body
    assert "opinion" not in json.dumps(data["own"])


def test_project_page_shows_each_reviewers_progress_to_leads_only(team, sentence):
    AnnotationFactory(sentence=sentence, annotator=team.users["annotator"], label="claim")
    AnnotationFactory(sentence=sentence, annotator=team.users["annotator2"], label="quote")
    lead_view = signed_in(team.users["curator"]).get(f"/projects/{team.project.pk}/")
    assert lead_view.context["reviewers"] == ["anna", "ben"]
    blind_view = signed_in(team.users["annotator"]).get(f"/projects/{team.project.pk}/")
    assert blind_view.context["reviewers"] == []
    assert ">ben<" not in blind_view.content.decode()


def test_project_page_offers_edit_to_leads_and_delete_to_owners_only(team):
    pages = {
        who: signed_in(team.users[who]).get(f"/projects/{team.project.pk}/").content.decode() for who in team.users
    }
    assert [who for who, page in pages.items() if 'data-action="edit"' in page] == ["owner", "curator"]
    assert [who for who, page in pages.items() if 'data-action="delete"' in page] == ["owner"]
    assert [who for who, page in pages.items() if "/exports/" in page] == ["owner", "curator", "viewer"]


def test_pages_escape_article_text_titles_labels_and_speakers(db):
    owner = UserFactory(username="lead")
    project = ProjectFactory(
        owner=owner,
        name=HOSTILE,
        description=HOSTILE,
        guidelines=HOSTILE,
        labels=[{"name": HOSTILE[:60], "key": "1", "description": HOSTILE}, {"name": "plain", "key": "2"}],
    )
    document = DocumentFactory(
        project=project, text=f"First {HOSTILE} sentence. Second one.", title=HOSTILE, outlet=HOSTILE
    )
    AnnotationFactory(sentence=document.sentences.first(), annotator=owner, label=HOSTILE[:60], speaker=HOSTILE)
    client = signed_in(owner)
    pages = ["/", f"/projects/{project.pk}/", f"/projects/{project.pk}/manage/", f"/projects/{project.pk}/settings/"]
    for url in [*pages, f"/projects/{project.pk}/exports/", f"/documents/{document.pk}/"]:
        body = client.get(url).content.decode()
        assert "<script>window.pwned" not in body, url
        assert "<img src=x" not in body, url
        assert "&lt;script&gt;" in body or "\\u003Cscript\\u003E" in body, url


def test_only_owners_get_an_editable_settings_page(team):
    owner = signed_in(team.users["owner"]).get(f"/projects/{team.project.pk}/settings/").content.decode()
    curator = signed_in(team.users["curator"]).get(f"/projects/{team.project.pk}/settings/").content.decode()
    assert "<fieldset>" in owner
    assert "disabled" not in owner
    # The project's settings, its label scheme and its disagreement categories: each is read-only to a curator.
    assert owner.count("<fieldset>") == curator.count("<fieldset disabled>") == 3


def test_guidelines_are_rendered_from_markdown_without_raw_html_or_script_links(team):
    team.project.guidelines = (
        "# Coding\n\nA **claim** [checks](https://example.org/).\n\n<b>raw</b> [x](javascript:alert(1))"
    )
    team.project.save()
    body = signed_in(team.users["annotator"]).get(f"/documents/{team.document.pk}/").content.decode()
    assert "<h3>Coding</h3>" in body
    assert '<strong>claim</strong> <a href="https://example.org/">checks</a>' in body
    assert "&lt;b&gt;raw&lt;/b&gt;" in body
    assert "[x](javascript:alert(1))" in body  # shown as text, not as a link
    assert 'href="javascript:' not in body


def test_annotation_screen_query_count_does_not_grow_with_the_article(db, django_assert_num_queries):
    owner = UserFactory(username="lead")
    project = ProjectFactory(owner=owner)
    short = DocumentFactory(project=project, text="One sentence here. Another one there.")
    long = DocumentFactory(project=project, text=" ".join(f"Sentence number {n} is here." for n in range(200)))
    for document in (short, long):
        label_document(document, owner, ["claim"] * 150, sources=[services.SourceInput(url="https://example.org/a")])
    client = signed_in(owner)
    counts = []
    for document in (short, long):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/documents/{document.pk}/").status_code == 200
        counts.append(len(queries))
    assert long.sentences.count() == 200
    assert counts[0] == counts[1]
    with django_assert_num_queries(counts[1]):
        client.get(f"/documents/{long.pk}/")


def test_annotation_screen_of_an_annotator_in_a_non_blind_project_still_shows_only_own_labels(db):
    owner = UserFactory(username="lead")
    project = ProjectFactory(owner=owner, blind=False)
    reviewer = add_member(project, Role.ANNOTATOR, "rita")
    document = DocumentFactory(project=project)
    AnnotationFactory(sentence=document.sentences.first(), annotator=owner, label="quote", speaker="Owner's speaker")
    response = signed_in(reviewer).get(f"/documents/{document.pk}/")
    assert response.context["page_data"]["own"] == {}
    assert response.context["page_data"]["speakers"] == ["Owner's speaker"]


def test_logout_is_a_post_form_with_csrf(team):
    body = signed_in(team.users["annotator"]).get("/").content.decode()
    assert 'action="/accounts/logout/"' in body
    assert "csrfmiddlewaretoken" in body


def test_login_page_renders_and_logs_in(team):
    client = Client(enforce_csrf_checks=True)
    page = client.get("/accounts/login/")
    token = page.cookies["csrftoken"].value
    response = client.post("/accounts/login/", {"username": "anna", "password": PASSWORD, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_password_change_pages_render(team):
    client = signed_in(team.users["annotator"])
    assert "Change your password" in client.get("/accounts/password_change/").content.decode()
    response = client.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": "a-new-secret-771", "new_password2": "a-new-secret-771"},
        follow=True,
    )
    assert "Password changed" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("scale", "labels", "warned"),
    [
        ("ordinal", None, True),  # the default words claim, quote, opinion
        ("ordinal", [{"name": "1"}, {"name": "2"}, {"name": "3"}], False),
        ("nominal", None, False),
    ],
)
def test_the_agreement_page_warns_when_an_ordinal_order_is_the_leads_not_the_numbers(scale, labels, warned):
    owner = UserFactory()
    project = ProjectFactory(owner=owner, scale=scale, labels=labels)
    page = signed_in(owner).get(f"/projects/{project.pk}/agreement/").content.decode()
    assert ('id="order-warning"' in page) is warned
    assert (f'href="/projects/{project.pk}/settings/"' in page) is warned
