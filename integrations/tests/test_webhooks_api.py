"""/api/v1/webhooks/: a brand's account leads and admins manage its subscriptions; creatives,
reviewers, clients and other brands' leads are refused; a read-only token can't write."""

import pytest
from rest_framework.test import APIClient

from brands.factories import UserFactory, membership
from brands.models import BrandRole
from integrations.models import WebhookEvent, WebhookSubscription
from integrations.tokens import create_token

pytestmark = pytest.mark.django_db

URL = "/api/v1/webhooks/"


def new(brand, **fields):
    return {
        "brand": brand.pk,
        "name": "Slack relay",
        "url": "https://hooks.example.com/in",
        "events": ["post.approved"],
        **fields,
    }


@pytest.fixture
def subscription_a(brand_a, subscribe):
    return subscribe(brand_a, "https://hooks.example.com/a")


@pytest.fixture
def subscription_b(brand_b, subscribe):
    return subscribe(brand_b, "https://hooks.example.com/b")


def test_a_lead_makes_a_subscription_and_sees_its_secret_once(api, lead, brand_a):
    answer = api(lead).post(URL, new(brand_a, events=["post.published", "post.submitted"]), format="json")

    assert answer.status_code == 201, answer.content
    made = WebhookSubscription.objects.get()
    assert answer.json()["secret"] == made.secret
    assert answer.json()["events"] == ["post.submitted", "post.published"]
    assert made.created_by == lead and made.brand == brand_a
    again = api(lead).get(f"{URL}{made.pk}/").json()
    assert "secret" not in again and again["secret_hint"] == "…" + made.secret[-4:]


def test_a_lead_lists_changes_and_deletes_only_their_brands(api, lead, subscription_a, subscription_b):
    listed = api(lead).get(URL).json()
    assert [item["id"] for item in listed["results"]] == [subscription_a.pk]

    changed = api(lead).patch(
        f"{URL}{subscription_a.pk}/", {"active": False, "events": ["post.published"]}, format="json"
    )
    assert changed.status_code == 200, changed.content
    subscription_a.refresh_from_db()
    assert subscription_a.active is False and subscription_a.events == ["post.published"]

    assert api(lead).get(f"{URL}{subscription_b.pk}/").status_code == 404
    assert api(lead).patch(f"{URL}{subscription_b.pk}/", {"active": False}, format="json").status_code == 404
    assert api(lead).delete(f"{URL}{subscription_b.pk}/").status_code == 404
    assert WebhookSubscription.objects.filter(pk=subscription_b.pk, active=True).exists()

    assert api(lead).delete(f"{URL}{subscription_a.pk}/").status_code == 204
    assert not WebhookSubscription.objects.filter(pk=subscription_a.pk).exists()


def test_a_lead_cannot_make_one_for_another_brand_or_move_one_there(
    api, lead, brand_a, brand_b, subscription_a
):
    answer = api(lead).post(URL, new(brand_b), format="json")
    assert answer.status_code == 400 and "brand" in answer.json()

    moved = api(lead).patch(f"{URL}{subscription_a.pk}/", {"brand": brand_b.pk}, format="json")
    assert moved.status_code == 400
    subscription_a.refresh_from_db()
    assert subscription_a.brand == brand_a


def test_a_lead_on_one_brand_is_no_lead_on_another(api, brand_a, brand_b, subscription_b):
    user = UserFactory(username="lead_here_creative_there")
    membership(user, brand_a, BrandRole.LEAD)
    membership(user, brand_b, BrandRole.CREATIVE)

    assert api(user).get(URL).json()["results"] == []
    assert api(user).get(f"{URL}{subscription_b.pk}/").status_code == 404
    assert api(user).post(URL, new(brand_b), format="json").status_code == 400


@pytest.mark.parametrize("who", ["creative", "reviewer", "client_of_a", "outsider"])
def test_creatives_reviewers_and_clients_are_refused(api, request, who, brand_a, subscription_a):
    user = request.getfixturevalue(who)
    assert api(user).get(URL).status_code == 403
    assert api(user).get(f"{URL}{subscription_a.pk}/").status_code == 403
    assert api(user).post(URL, new(brand_a), format="json").status_code == 403
    assert api(user).patch(f"{URL}{subscription_a.pk}/", {"active": False}, format="json").status_code == 403
    assert api(user).delete(f"{URL}{subscription_a.pk}/").status_code == 403
    assert api(user).post(f"{URL}{subscription_a.pk}/test/").status_code == 403
    assert WebhookSubscription.objects.filter(pk=subscription_a.pk, active=True).exists()


def test_an_admin_manages_every_brands(api, admin_user, brand_b, subscription_a, subscription_b):
    assert {item["id"] for item in api(admin_user).get(URL).json()["results"]} == {
        subscription_a.pk,
        subscription_b.pk,
    }
    assert api(admin_user).post(URL, new(brand_b), format="json").status_code == 201


def test_the_list_filters_by_brand_and_active(api, admin_user, brand_a, subscription_a, subscription_b):
    ids = [item["id"] for item in api(admin_user).get(URL, {"brand": brand_a.pk}).json()["results"]]
    assert ids == [subscription_a.pk]
    assert api(admin_user).get(URL, {"active": "false"}).json()["results"] == []


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"url": "ftp://example.com/in"}, "url"),
        ({"url": "file:///etc/passwd"}, "url"),
        ({"events": []}, "events"),
        ({"events": ["post.deleted"]}, "events"),
        ({"name": ""}, "name"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(api, lead, brand_a, fields, field):
    answer = api(lead).post(URL, new(brand_a, **fields), format="json")
    assert answer.status_code == 400
    assert field in answer.json()
    assert not WebhookSubscription.objects.exists()


def test_the_servers_own_network_is_a_400(api, lead, brand_a, settings):
    settings.SIGNOFF_WEBHOOK_PRIVATE_HOSTS = False
    answer = api(lead).post(URL, new(brand_a, url="http://169.254.169.254/latest/"), format="json")
    assert answer.status_code == 400 and "own network" in answer.json()["url"][0]


def test_rotating_the_secret_shows_the_new_one_once(api, lead, subscription_a):
    old = subscription_a.secret
    answer = api(lead).post(f"{URL}{subscription_a.pk}/rotate-secret/")
    subscription_a.refresh_from_db()
    assert answer.status_code == 200
    assert answer.json()["secret"] == subscription_a.secret != old


def test_the_test_event_and_the_delivery_log(api, lead, brand_a, subscribe, receiver):
    subscription = subscribe(brand_a, receiver.url)
    receiver.answers = [500]

    answer = api(lead).post(f"{URL}{subscription.pk}/test/")

    assert answer.status_code == 200
    assert answer.json()["status"] == "failed"
    assert answer.json()["attempts_log"][0]["status_code"] == 500
    log = api(lead).get(f"{URL}{subscription.pk}/deliveries/").json()
    assert log["count"] == 1 and log["results"][0]["event_type"] == "ping"


def test_a_read_only_token_reads_but_cannot_write(lead, brand_a, subscription_a):
    _, key = create_token(user=lead, name="report", scope="read")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    assert client.get(URL).status_code == 200
    assert client.post(URL, new(brand_a), format="json").status_code == 403
    assert client.patch(f"{URL}{subscription_a.pk}/", {"active": False}, format="json").status_code == 403
    assert client.post(f"{URL}{subscription_a.pk}/test/").status_code == 403
    assert client.post(f"{URL}{subscription_a.pk}/rotate-secret/").status_code == 403
    assert client.delete(f"{URL}{subscription_a.pk}/").status_code == 403
    assert WebhookSubscription.objects.filter(pk=subscription_a.pk, active=True).exists()
    assert not WebhookEvent.objects.exists()


def test_a_read_and_write_token_of_a_lead_makes_one(lead, brand_a):
    _, key = create_token(user=lead, name="setup", scope="write")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.post(URL, new(brand_a), format="json").status_code == 201


def test_the_list_costs_the_same_for_1_and_50(api, lead, brand_a, subscribe, django_assert_max_num_queries):
    subscribe(brand_a, "https://hooks.example.com/1")
    with django_assert_max_num_queries(8) as one:
        api(lead).get(URL)
    for n in range(49):
        subscribe(brand_a, f"https://hooks.example.com/{n + 2}")
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert api(lead).get(URL).json()["count"] == 50


def test_without_credentials_it_is_401(subscription_a):
    client = APIClient()
    assert client.get(URL).status_code == 401
    assert client.post(f"{URL}{subscription_a.pk}/test/").status_code == 401


def test_the_delivery_log_is_paginated(api, lead, brand_a, subscribe, receiver):
    from integrations.events import send_test_event

    subscription = subscribe(brand_a, receiver.url)
    for _ in range(3):
        send_test_event(subscription=subscription, user=lead)
    log = api(lead).get(f"{URL}{subscription.pk}/deliveries/").json()
    assert log["count"] == 3 and len(log["results"]) == 3 and log["next"] is None
    assert all(item["status"] == "delivered" for item in log["results"])
