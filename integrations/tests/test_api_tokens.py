"""Personal API tokens: made and revoked by their user in the admin, shown once, stored hashed,
read-only or read-and-write, expiring; and what the API answers without one."""

import datetime as dt
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import APIToken

from integrations.models import TokenPolicy
from integrations.throttling import PerTokenRateThrottle
from integrations.tokens import create_token

pytestmark = pytest.mark.django_db

BRANDS = "/api/v1/brands/"
POSTS = "/api/v1/posts/"


def with_token(key: str) -> Client:
    return Client(headers={"Authorization": f"Token {key}"})


def make_in_admin(browser, **fields) -> str:
    data = {"name": "Buffer sync", "scope": "write", "expires_in_days": "90", **fields}
    response = browser.post(reverse("integrations_api_tokens"), data, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    return page.split('id="new-api-token" class="api-token-key">')[1].split("<")[0]


def test_a_token_made_in_the_admin_is_shown_once_stored_hashed_and_works(login, creative, brand_a):
    browser = login(creative)
    key = make_in_admin(browser)

    token = APIToken.objects.get(user=creative)
    assert key not in token.key_hash and token.name == "Buffer sync"
    assert key not in browser.get(reverse("integrations_api_tokens")).content.decode()  # once only
    response = with_token(key).get(BRANDS)
    assert response.status_code == 200
    assert [brand["slug"] for brand in response.json()["results"]] == [brand_a.slug]


def test_a_token_acts_as_its_user_only(creative, outsider, brand_a, brand_b):
    _token, key = create_token(user=outsider, name="Theirs")

    assert [brand["slug"] for brand in with_token(key).get(BRANDS).json()["results"]] == [brand_b.slug]
    assert with_token(key).get(f"{BRANDS}{brand_a.pk}/").status_code == 404


def test_a_read_only_token_reads_but_changes_nothing(creative, brand_a):
    _token, key = create_token(user=creative, name="Reports", scope=TokenPolicy.Scope.READ)
    api = with_token(key)

    assert api.get(BRANDS).status_code == 200
    response = api.post(
        POSTS,
        {"brand": brand_a.pk, "caption": "Hello", "platforms": ["facebook"]},
        content_type="application/json",
    )
    assert response.status_code == 403 and "read-only" in response.json()["detail"]


@pytest.mark.parametrize("case", ["expired", "revoked", "deactivated", "unknown", "malformed"])
def test_a_token_that_is_no_longer_good_gets_401(creative, case):
    token, key = create_token(user=creative, name="Old", expires_in_days=30)
    if case == "expired":
        TokenPolicy.objects.filter(token=token).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    elif case == "revoked":
        token.revoke()
    elif case == "deactivated":
        creative.is_active = False
        creative.save()
    elif case == "unknown":
        key = key[:-6] + ("A" if key[-6] != "A" else "B") + key[-5:]
    else:
        key = "not-a-token"

    response = with_token(key).get(BRANDS)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_revoking_asks_first_then_the_token_stops_working(login, creative):
    token, key = create_token(user=creative, name="Zapier")
    browser = login(creative)
    revoke_url = reverse("integrations_api_token_revoke", args=[token.pk])

    confirm = browser.get(revoke_url)
    assert confirm.status_code == 200 and "Anything using it stops working" in confirm.content.decode()
    assert with_token(key).get(BRANDS).status_code == 200

    listing = browser.post(revoke_url, follow=True).content.decode()
    assert "Revoked “Zapier”" in listing
    assert with_token(key).get(BRANDS).status_code == 401


def test_nobody_sees_or_revokes_anyone_elses_token(login, creative, lead):
    token, key = create_token(user=lead, name="Lead's script")
    browser = login(creative)

    assert "Lead's script" not in browser.get(reverse("integrations_api_tokens")).content.decode()
    revoke_url = reverse("integrations_api_token_revoke", args=[token.pk])
    assert browser.get(revoke_url).status_code == 404
    assert browser.post(revoke_url).status_code == 404
    assert with_token(key).get(BRANDS).status_code == 200


def test_a_bad_token_form_keeps_what_was_typed(login, creative):
    response = login(creative).post(
        reverse("integrations_api_tokens"), {"name": "", "scope": "admin", "expires_in_days": "90"}
    )
    page = response.content.decode()
    assert response.status_code == 200 and "This field is required." in page
    assert not APIToken.objects.filter(user=creative).exists()


def test_signing_in_through_the_api_makes_an_expiring_token_listed_in_the_admin(login, creative, brand_a):
    creative.set_password("pw")
    creative.save()
    response = Client().post(
        reverse("api-token"), {"username": "creative", "password": "pw"}, content_type="application/json"
    )
    key = response.json()["token"]

    assert with_token(key).get(BRANDS).status_code == 200
    policy = TokenPolicy.objects.get(token__user=creative)
    assert policy.expires_at > timezone.now() + dt.timedelta(days=29)
    assert (
        "Signed in through the API"
        in login(creative).get(reverse("integrations_api_tokens")).content.decode()
    )


def test_each_token_has_its_own_request_budget(creative):
    _one, first = create_token(user=creative, name="One")
    _two, second = create_token(user=creative, name="Two")

    with mock.patch.object(PerTokenRateThrottle, "get_rate", return_value="3/minute"):
        assert [with_token(first).get(BRANDS).status_code for _ in range(4)] == [200, 200, 200, 429]
        assert with_token(second).get(BRANDS).status_code == 200


# Without a token --------------------------------------------------------------------------------


def test_an_unauthenticated_call_gets_401_with_the_scheme_to_use(client):
    response = client.get(BRANDS)

    assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"
    assert response["Content-Type"] == "application/json"


def test_an_unknown_api_route_answers_json_not_html(client, creative):
    response = client.get("/api/v1/no-such-thing/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_the_schema_and_docs_are_for_signed_in_users_and_document_signoffs_api_only(client, login, creative):
    assert client.get("/api/schema/").status_code == 401
    docs = client.get("/api/docs/")
    assert docs.status_code == 302 and docs["Location"].startswith(reverse("wagtailadmin_login"))

    browser = login(creative)
    schema = browser.get("/api/schema/", {"format": "json"}).json()
    assert schema["paths"] and all(path.startswith("/api/v1/") for path in schema["paths"])
    page = browser.get("/api/docs/").content.decode()
    assert "swagger-ui" in page
    assert "cdn.jsdelivr.net" not in page and "unpkg.com" not in page  # works offline
