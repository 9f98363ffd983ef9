"""JSON nested 100,000 deep is answered 400, not 500, wherever the API reads a JSON body."""

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
