import pytest


@pytest.mark.django_db
def test_api_root_lists_the_entry_points(api_client):
    response = api_client.get("/api/v1/")
    assert response.status_code == 200
    assert response.json()["projects"].endswith("/api/v1/projects/")
