"""Random JSON sent to every write endpoint gets a 2xx or a 4xx, never a 5xx."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=40),
    st.sampled_from(["claim", "quote", "https://example.org/", "javascript:alert(1)", "interval", "html", "anna"]),
)
json_values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)

FIELDS = [
    "name",
    "description",
    "scale",
    "blind",
    "labels",
    "value",
    "key",
    "color",
    "username",
    "role",
    "text",
    "format",
    "title",
    "url",
    "published",
    "label",
    "sources",
    "speaker",
    "note",
]
label_like = st.fixed_dictionaries(
    {}, optional={"name": json_values, "value": json_values, "key": json_values, "color": json_values}
)
source_like = st.fixed_dictionaries({}, optional={"url": json_values, "title": json_values, "note": json_values})
bodies = st.one_of(
    json_values,
    st.dictionaries(st.sampled_from(FIELDS), json_values, max_size=6),
    st.fixed_dictionaries(
        {"name": st.text(min_size=1, max_size=10)},
        optional={"scale": st.sampled_from(["nominal", "ordinal", "interval"]), "labels": st.lists(label_like)},
    ),
    st.fixed_dictionaries({"label": st.sampled_from(["claim", "quote"])}, optional={"sources": st.lists(source_like)}),
)

ENDPOINTS = [
    ("post", "/api/v1/projects/"),
    ("patch", "/api/v1/projects/{project}/"),
    ("post", "/api/v1/projects/{project}/members/"),
    ("post", "/api/v1/projects/{project}/documents/"),
    ("put", "/api/v1/sentences/{sentence}/annotation/"),
]


@pytest.mark.parametrize(("method", "path"), ENDPOINTS, ids=[f"{m.upper()} {p}" for m, p in ENDPOINTS])
@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=bodies)
def test_random_json_never_gets_a_server_error(team, method, path, body):
    sentence = team.document.sentences.first()
    url = path.format(project=team.project.pk, sentence=sentence.pk)
    response = getattr(team.client("owner"), method)(url, body, format="json")
    assert response.status_code < 500
