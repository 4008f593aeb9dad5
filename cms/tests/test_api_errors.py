"""Every API error is JSON in one shape (issue 16, items 1 and 5): `{"detail": ...}` (plus a
`code` or `reason` where a client acts on it), or `{"field": [...]}` for invalid input; 401 says
how to authenticate; the schema documents each error status with that shape."""

import re

import pytest
from drf_spectacular.generators import SchemaGenerator

from integrations.tokens import create_token


@pytest.fixture
def schema(db):
    return SchemaGenerator().get_schema(request=None, public=True)


def _operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def test_every_operation_without_credentials_is_401_json_with_www_authenticate(client, schema):
    checked = 0
    for path, method, _ in _operations(schema):
        if path == "/api/v1/auth/token/":
            continue  # signing in is what one does without credentials
        url = re.sub(r"\{[^}]+\}", "1", path)
        response = getattr(client, method)(url, content_type="application/json")
        assert response.status_code == 401, (method, url, response.status_code)
        assert response["WWW-Authenticate"].startswith("Token"), (method, url)
        assert response["Content-Type"] == "application/json"
        assert set(response.json()) == {"detail"}
        checked += 1
    assert checked > 30


def test_every_operation_documents_its_errors_in_the_one_shape(schema):
    for path, method, operation in _operations(schema):
        responses = operation["responses"]
        for code, response in responses.items():
            if code.startswith("4"):
                assert "application/json" in response.get("content", {}), (method, path, code)
        if path != "/api/v1/auth/token/":
            assert "WWW-Authenticate" in responses["401"]["headers"], (method, path)
            assert {"403", "429"} <= set(responses), (method, path)
        if "{" in path:
            assert "404" in responses, (method, path)
        if method in ("post", "patch", "put"):
            assert {"400", "415"} <= set(responses), (method, path)


@pytest.fixture
def token(creative):
    return create_token(user=creative, name="errors")[1]


def test_an_unknown_api_route_is_a_json_404(client, token):
    response = client.get("/api/v1/no-such-thing/", HTTP_AUTHORIZATION=f"Token {token}")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


def test_a_missing_post_and_a_page_past_the_last_are_json_404s(client, token):
    auth = {"HTTP_AUTHORIZATION": f"Token {token}"}

    for url in ("/api/v1/posts/999999/", "/api/v1/posts/?page=999", "/api/v1/posts/?page=null"):
        response = client.get(url, **auth)
        assert response.status_code == 404, url
        assert set(response.json()) == {"detail"}, url


def test_a_form_body_to_a_json_only_operation_is_a_json_415(client, token, brand_a):
    response = client.post(
        "/api/v1/posts/", {"brand": brand_a.pk, "caption": "Hi"}, HTTP_AUTHORIZATION=f"Token {token}"
    )

    assert response.status_code == 415
    assert set(response.json()) == {"detail"}


def test_a_method_the_route_does_not_take_is_a_json_405(client, token):
    response = client.delete("/api/v1/brands/", HTTP_AUTHORIZATION=f"Token {token}")

    assert response.status_code == 405
    assert set(response.json()) == {"detail"}


def test_invalid_input_names_the_fields(client, token, brand_a):
    response = client.post(
        "/api/v1/posts/",
        {"brand": brand_a.pk, "caption": "Hi", "platforms": []},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token}",
    )

    assert response.status_code == 400
    assert response.json() == {"platforms": ["This list may not be empty."]}
