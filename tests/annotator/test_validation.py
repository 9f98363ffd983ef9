"""Bad input is refused with a 400 naming the field, and a refused request changes nothing."""

import pytest

from annotator import services
from annotator.errors import InvalidInput
from annotator.models import Annotation, AnnotationEvent, Project, Source
from annotator.validation import MAX_ARTICLE_BYTES, check_article_size, check_web_url, decode_text

from ..factories import AnnotationFactory

BAD_URLS = {
    "javascript": "javascript:alert(document.cookie)",
    "javascript-mixed-case": "JaVaScRiPt:alert(1)",
    "data": "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "file": "file:///etc/passwd",
    "no-scheme": "example.org/page",
    "no-host": "https:///path",
    "space": "https://example.org/a b",
    "unclosed-ipv6": "http://[::1",
    "port-out-of-range": "http://example.org:99999/",
    "too-long": "https://example.org/" + "a" * 1981,
}


@pytest.mark.parametrize("url", BAD_URLS.values(), ids=BAD_URLS.keys())
def test_check_web_url_refuses_what_is_not_a_web_address(url):
    with pytest.raises(InvalidInput) as caught:
        check_web_url(url, field="sources[0].url")
    assert list(caught.value.errors) == ["sources[0].url"]


@pytest.mark.parametrize("url", ["https://example.org/", "http://x.co/a?b=c#d", "https://example.org/" + "a" * 1980])
def test_check_web_url_accepts_http_and_https(url):
    assert check_web_url(f"  {url} ", field="url") == url


def test_decode_text_names_the_first_bad_byte():
    with pytest.raises(InvalidInput) as caught:
        decode_text(b"ok \xff\xfe", field="file")
    assert "0xff at position 3" in caught.value.errors["file"][0]


def test_decode_text_drops_a_byte_order_mark():
    assert decode_text("\ufeffHello".encode(), field="file") == "Hello"


def test_check_article_size_allows_exactly_two_megabytes():
    check_article_size("a" * MAX_ARTICLE_BYTES)


def test_check_article_size_counts_bytes_not_characters():
    with pytest.raises(InvalidInput):
        check_article_size("é" * (MAX_ARTICLE_BYTES // 2 + 1))


# Labels through the API ----------------------------------------------------------------------


@pytest.fixture
def annas_label(team, sentence):
    """Anna's existing label on the first sentence, which a refused save must leave exactly as it was."""
    return AnnotationFactory(
        sentence=sentence,
        annotator=team.users["annotator"],
        label="quote",
        speaker="Mayor",
        sources=[services.SourceInput(url="https://ok.example/")],
    )


def snapshot():
    return (
        list(Annotation.objects.values_list("label__name", "speaker", "note", "updated")),
        list(Source.objects.values_list("url", flat=True)),
        AnnotationEvent.objects.count(),
    )


BAD_BODIES = {
    "unknown-label": ({"label": "rumour"}, "label"),
    "missing-label": ({"speaker": "x"}, "label"),
    "null-label": ({"label": None}, "label"),
    "javascript-source": ({"label": "claim", "sources": [{"url": BAD_URLS["javascript"]}]}, "sources[0].url"),
    "data-source": ({"label": "claim", "sources": [{"url": BAD_URLS["data"]}]}, "sources[0].url"),
    "file-source": ({"label": "claim", "sources": [{"url": BAD_URLS["file"]}]}, "sources[0].url"),
    "long-source": ({"label": "claim", "sources": [{"url": BAD_URLS["too-long"]}]}, "sources[0].url"),
    "second-source-bad": (
        {"label": "claim", "sources": [{"url": "https://fine.example/"}, {"url": "file:///x"}]},
        "sources[1].url",
    ),
    "source-without-url": ({"label": "claim", "sources": [{"title": "t"}]}, "sources"),
    "sources-not-a-list": ({"label": "claim", "sources": "https://x.org/"}, "sources"),
    "too-many-sources": ({"label": "claim", "sources": [{"url": f"https://x.org/{n}"} for n in range(51)]}, "sources"),
    "long-speaker": ({"label": "quote", "speaker": "s" * 301}, "speaker"),
    "long-note": ({"label": "quote", "note": "n" * 5001}, "note"),
    "nul-in-note": ({"label": "quote", "note": "a\u0000b"}, "note"),
}


@pytest.mark.parametrize(("body", "field"), BAD_BODIES.values(), ids=BAD_BODIES.keys())
@pytest.mark.usefixtures("annas_label")
def test_bad_label_is_refused_naming_the_field_and_changes_nothing(team, sentence, body, field):
    before = snapshot()
    response = team.client("annotator").put(f"/api/v1/sentences/{sentence.pk}/annotation/", body, format="json")
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert snapshot() == before


@pytest.mark.usefixtures("annas_label")
def test_body_that_is_not_an_object_is_refused(team, sentence):
    response = team.client("annotator").put(f"/api/v1/sentences/{sentence.pk}/annotation/", [1], format="json")
    assert response.status_code == 400
    assert "non_field_errors" in response.json()


@pytest.mark.usefixtures("annas_label")
def test_body_that_is_not_json_is_refused(team, sentence):
    response = team.client("annotator").generic(
        "PUT", f"/api/v1/sentences/{sentence.pk}/annotation/", "{label: claim", content_type="application/json"
    )
    assert response.status_code == 400


# Projects -------------------------------------------------------------------------------------


BAD_PROJECTS = {
    "infinite-value": (
        '{"name": "p", "scale": "interval", "labels": [{"name": "a", "value": 1e999}, {"name": "b", "value": 1}]}',
        "labels[0].value",
    ),
    "empty-label-name": ('{"name": "p", "labels": [{"name": ""}]}', "labels"),
    "long-label-key": ('{"name": "p", "labels": [{"name": "a", "key": "ab"}]}', "labels"),
    "blind-not-boolean": ('{"name": "p", "blind": "perhaps"}', "blind"),
    "labels-null": ('{"name": "p", "labels": null}', "labels"),
}


@pytest.mark.parametrize(("body", "field"), BAD_PROJECTS.values(), ids=BAD_PROJECTS.keys())
def test_bad_project_is_refused_naming_the_field_and_creates_nothing(team, body, field):
    before = Project.objects.count()
    response = team.client("outsider").generic("POST", "/api/v1/projects/", body, content_type="application/json")
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert Project.objects.count() == before


def test_a_refused_project_does_not_break_the_project_list(team):
    team.client("owner").generic(
        "POST",
        "/api/v1/projects/",
        '{"name": "p", "scale": "interval", "labels": [{"name": "a", "value": 1e999}]}',
        content_type="application/json",
    )
    assert team.client("owner").get("/api/v1/projects/").status_code == 200
