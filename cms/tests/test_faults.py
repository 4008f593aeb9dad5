"""Faults the product meets in production: the database away (restarted, failed over) answers 503
with Retry-After, never a traceback; Redis down leaves every page serving (cms/cache.py)."""

from unittest import mock

import pytest
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.db import OperationalError
from django.test import override_settings
from django.urls import reverse

from cms.cache import ResilientRedisCache

pytestmark = pytest.mark.django_db

DOWN = OperationalError("server closed the connection unexpectedly")


@pytest.fixture
def unraised(client):
    client.raise_request_exception = False
    return client


def test_a_page_while_the_database_is_away_answers_503_with_retry_after(unraised):
    with mock.patch("approvals.portal.views.PortalLoginView.get", side_effect=DOWN):
        response = unraised.get(reverse("portal:login"))

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "can’t reach its database" in response.content.decode()
    assert "Traceback" not in response.content.decode()


def test_an_api_call_while_the_database_is_away_answers_json_503(api, creative):
    client = api(creative)
    client.raise_request_exception = False
    with mock.patch("cms.posts.api.PostViewSet.list", side_effect=DOWN):
        response = client.get("/api/v1/posts/")

    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert response.json()["code"] == "database_unavailable"


def test_any_other_error_is_still_a_500(unraised):
    with mock.patch("approvals.portal.views.PortalLoginView.get", side_effect=ValueError("bug")):
        response = unraised.get(reverse("portal:login"))

    assert response.status_code == 500


NOWHERE = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def test_the_cache_without_redis_misses_and_drops_writes_quickly():
    cache = ResilientRedisCache(NOWHERE, {"OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}})

    cache.set("k", 1)
    assert cache.get("k", "missing") == "missing"
    assert cache.add("k", 1) is False and cache.incr("k") == 1
    assert cache.get_many(["k"]) == {} and cache.delete("k") is False
    assert cache.touch("k", DEFAULT_TIMEOUT) is False


@override_settings(
    CACHES={
        "default": {
            "BACKEND": "cms.cache.ResilientRedisCache",
            "LOCATION": NOWHERE,
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
)
def test_pages_portal_sign_in_and_the_api_keep_serving_with_redis_down(client, api, creative, login):
    from django.core.cache import caches

    assert isinstance(caches["default"], ResilientRedisCache)  # rebuilt from the overridden setting
    assert client.get(reverse("portal:login")).status_code == 200
    assert client.post(reverse("portal:password-reset"), {"email": "nobody@example.com"}).status_code in (
        200,
        302,
    )
    assert login(creative).get(reverse("wagtailadmin_home")).status_code == 200
    assert api(creative).get("/api/v1/posts/").status_code == 200


def test_with_redis_up_the_cache_keeps_and_counts():
    cache = ResilientRedisCache("redis://127.0.0.1:6379/15", {"OPTIONS": {"socket_connect_timeout": 0.5}})
    cache.set("signoff-fault-test", 1, 10)
    if cache.get("signoff-fault-test") is None:  # the cache swallowed a connection error
        pytest.skip("no Redis at 127.0.0.1:6379")

    assert cache.incr("signoff-fault-test") == 2
    cache.delete("signoff-fault-test")
