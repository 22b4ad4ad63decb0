import pytest

pytestmark = pytest.mark.django_db


def test_openapi_documents_every_endpoint_with_bearer_auth(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    paths = spec["paths"]
    assert set(paths) >= {
        "/api/v1/auth/token",
        "/api/v1/auth/me",
        "/api/v1/employers",
        "/api/v1/employers/{employer_id}",
        "/api/v1/employers/{employer_id}/verify",
        "/api/v1/audit/events",
    }
    assert "post" in paths["/api/v1/auth/token"] and "delete" in paths["/api/v1/auth/token"]
    assert spec["components"]["securitySchemes"]["BearerToken"]["scheme"] == "bearer"
    verify = paths["/api/v1/employers/{employer_id}/verify"]["post"]
    assert {"200", "401", "403", "404", "409"} <= set(verify["responses"])


def test_swagger_page_is_served_without_inline_script(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert "swagger-ui-bundle.js" in response.content.decode()


def test_the_public_doors_say_a_token_is_optional_and_document_the_refusal():
    """Registration and phone codes answer anonymous callers (an empty security requirement
    beside the bearer scheme) and a token's role that may not register gets a documented 403."""
    from jamsos.api.urls import api

    paths = api.get_openapi_schema()["paths"]
    for path in (
        "/api/v1/bpu/registrations",
        "/api/v1/bpu/registrations/{kpj}/phone-verification",
        "/api/v1/bpu/registrations/{kpj}/phone-code",
    ):
        assert {} in paths[path]["post"]["security"], path
    assert 403 in paths["/api/v1/bpu/registrations"]["post"]["responses"]
