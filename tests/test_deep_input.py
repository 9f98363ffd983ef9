"""JSON nested 100,000 deep, or holding a NUL in every string, is answered 4xx, not 500, wherever the API reads JSON."""

import json

import pytest

pytestmark = pytest.mark.django_db
DEEP = "[" * 100_000 + "]" * 100_000


def test_deeply_nested_label_put_is_a_400(team):
    sentence = team.document.sentences.first()
    answer = team.client("annotator").generic(
        "PUT", f"/api/v1/sentences/{sentence.pk}/annotation/", DEEP, content_type="application/json"
    )
    assert answer.status_code == 400
    assert "nested too deeply" in answer.json()["detail"]
    assert not sentence.annotations.exists()


def test_deeply_nested_project_post_is_a_400(team):
    answer = team.client("owner").generic("POST", "/api/v1/projects/", DEEP, content_type="application/json")
    assert answer.status_code == 400
    assert "nested too deeply" in answer.json()["detail"]


def write_operations() -> list[tuple[str, str, dict]]:
    """(method, path, request body schema) of every operation whose body may be JSON, from the API's own schema."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]
    operations = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if body:
                operations.append((method.upper(), path, resolve(body["schema"], components)))
    return operations


def resolve(schema: dict, components: dict) -> dict:
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def with_nul(schema: dict, components: dict, depth: int = 0):
    """A value of `schema` whose every string holds a NUL."""
    schema = resolve(schema, components)
    kind = schema.get("type")
    if depth > 4:
        return "a\x00b"
    if kind == "object" or "properties" in schema:
        return {name: with_nul(sub, components, depth + 1) for name, sub in schema.get("properties", {}).items()}
    if kind == "array":
        return [with_nul(schema.get("items", {}), components, depth + 1)]
    if kind in ("integer", "number", "boolean"):
        return 1 if kind != "boolean" else True
    return "a\x00b"


@pytest.fixture
def real_path(team):
    from annotator.models import Outlet

    sentence = team.document.sentences.first()
    outlet = Outlet.objects.create(project=team.project, name="Herald")
    ids = {"projects": team.project.pk, "documents": team.document.pk, "sentences": sentence.pk}

    def fill(path: str) -> str:
        first = path.removeprefix("/api/v1/").split("/")[0]
        path = path.replace("{project_id}", str(team.project.pk))
        if "/outlets/{id}" in path:
            return path.replace("{id}", str(outlet.pk))
        return path.replace("{id}", str(ids.get(first, 0)))

    return fill


@pytest.mark.parametrize(("method", "path", "schema"), write_operations(), ids=lambda value: str(value)[:60])
def test_every_json_body_nested_too_deeply_or_holding_nul_is_refused(team, real_path, method, path, schema):
    from drf_spectacular.generators import SchemaGenerator

    components = SchemaGenerator().get_schema(request=None, public=True)["components"]["schemas"]
    client = team.client("owner")
    url = real_path(path)
    deep = client.generic(method, url, DEEP, content_type="application/json")
    assert 400 <= deep.status_code < 500, deep.content[:300]
    body = with_nul(schema, components)
    nul = client.generic(method, url, json.dumps(body), content_type="application/json")
    if "\\u0000" in json.dumps(body):
        assert 400 <= nul.status_code < 500, (body, nul.content[:300])
    else:  # a body of numbers and booleans only (the auto-merge's rule) may well be valid
        assert nul.status_code < 500, (body, nul.content[:300])
