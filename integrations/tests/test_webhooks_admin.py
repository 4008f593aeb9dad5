"""Webhook subscriptions in the admin: a brand's leads (and admins) list, make, edit and delete
them, read the delivery log and send a test event; creatives, reviewers, clients and other
brands' leads get nowhere."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from integrations.models import EventType, WebhookEvent, WebhookSubscription

pytestmark = pytest.mark.django_db

NS = "wagtailsnippets_integrations_webhooksubscription"
LIST = reverse(f"{NS}:list")
ADD = reverse(f"{NS}:add")


def edit_url(subscription):
    return reverse(f"{NS}:edit", args=[subscription.pk])


def delete_url(subscription):
    return reverse(f"{NS}:delete", args=[subscription.pk])


def log_url(subscription):
    return reverse("integrations_webhook_deliveries", args=[subscription.pk])


def ping_url(subscription):
    return reverse("integrations_webhook_test", args=[subscription.pk])


@pytest.fixture
def ours(brand_a, subscribe):
    return subscribe(brand_a, "https://hooks.example.com/ours", name="Acme relay")


@pytest.fixture
def theirs(brand_b, subscribe):
    return subscribe(brand_b, "https://hooks.example.com/theirs", name="Borealis relay")


def form(brand, **fields):
    return {
        "brand": brand.pk,
        "name": "Slack relay",
        "url": "https://hooks.example.com/slack",
        "events": [EventType.POST_APPROVED, EventType.POST_PUBLISHED],
        "active": "on",
        **fields,
    }


def test_a_lead_lists_only_their_brands_subscriptions(login, lead, ours, theirs):
    html = login(lead).get(LIST).content.decode()
    assert "Acme relay" in html and "Borealis relay" not in html


def test_a_lead_makes_one_and_sees_its_secret_once(login, lead, brand_a):
    client = login(lead)

    response = client.post(ADD, form(brand_a))

    made = WebhookSubscription.objects.get()
    assert response.status_code == 302 and response["Location"] == log_url(made)
    assert made.created_by == lead and made.events == ["post.approved", "post.published"]
    page = client.get(log_url(made)).content.decode()
    assert made.secret in page and "not shown again" in page
    assert made.secret not in client.get(log_url(made)).content.decode()
    assert made.secret not in client.get(edit_url(made)).content.decode()


def test_a_lead_cannot_make_one_for_another_brand(login, lead, brand_b):
    response = login(lead).post(ADD, form(brand_b))
    assert response.status_code == 200  # the form again, with the error
    assert not WebhookSubscription.objects.exists()


@pytest.mark.parametrize(
    "fields, says",
    [
        ({"url": "ftp://files.example.com/"}, "http"),
        ({"url": "https://user:secret@hooks.example.com/"}, "passwords"),
        ({"events": []}, "Choose at least one event"),
    ],
)
def test_a_bad_form_says_what_is_wrong_and_saves_nothing(login, lead, brand_a, fields, says):
    response = login(lead).post(ADD, form(brand_a, **fields))
    assert response.status_code == 200 and says in response.content.decode()
    assert not WebhookSubscription.objects.exists()


def test_a_lead_edits_and_deletes_theirs_after_confirming(login, lead, ours):
    client = login(lead)
    assert client.post(edit_url(ours), form(ours.brand, name="Renamed", active="")).status_code == 302
    ours.refresh_from_db()
    assert ours.name == "Renamed" and ours.active is False

    assert "Renamed" in client.get(delete_url(ours)).content.decode()  # asks first
    assert WebhookSubscription.objects.filter(pk=ours.pk).exists()
    client.post(delete_url(ours))
    assert not WebhookSubscription.objects.filter(pk=ours.pk).exists()


def test_another_brands_subscription_is_not_found(login, lead, theirs):
    client = login(lead)
    assert client.get(edit_url(theirs)).status_code == 404
    assert client.post(delete_url(theirs)).status_code == 404
    assert client.get(log_url(theirs)).status_code == 404
    assert client.post(ping_url(theirs)).status_code == 404
    assert WebhookSubscription.objects.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize("who", ["creative", "reviewer", "client_of_a"])
def test_creatives_reviewers_and_clients_are_refused(login, request, who, brand_a, ours):
    client = login(request.getfixturevalue(who))

    assert "Acme relay" not in client.get(LIST).content.decode()
    assert client.get(LIST).status_code in (302, 403)
    assert client.post(ADD, form(brand_a)).status_code in (302, 403)
    assert client.get(edit_url(ours)).status_code in (302, 403, 404)
    assert client.post(delete_url(ours)).status_code in (302, 403, 404)
    assert client.get(log_url(ours)).status_code in (302, 404)
    assert client.post(ping_url(ours)).status_code in (302, 404)
    assert list(WebhookSubscription.objects.values_list("pk", flat=True)) == [ours.pk]
    assert not WebhookEvent.objects.exists()


def test_an_admin_sees_and_manages_every_brands(login, admin_user, ours, theirs):
    client = login(admin_user)
    html = client.get(LIST).content.decode()
    assert "Acme relay" in html and "Borealis relay" in html
    assert client.get(log_url(theirs)).status_code == 200


def test_send_test_event_shows_the_result_and_logs_it(login, lead, brand_a, subscribe, receiver):
    subscription = subscribe(brand_a, receiver.url, name="Local receiver")
    client = login(lead)

    delivered = client.post(ping_url(subscription), follow=True).content.decode()
    assert "Test event delivered" in delivered and "answered 200" in delivered
    receiver.answers = [500]
    failed = client.post(ping_url(subscription), follow=True).content.decode()
    assert "Test event not delivered: HTTP 500" in failed
    assert "HTTP 500" in failed and "ping" in failed  # the log, on the same page
    assert receiver.events() == ["ping", "ping"]
    assert list(WebhookEvent.objects.values_list("status", flat=True)) == ["failed", "delivered"]


def test_send_test_event_is_a_post_with_csrf(lead, brand_a, subscribe, receiver):
    subscription = subscribe(brand_a, receiver.url)
    client = Client(enforce_csrf_checks=True)
    client.force_login(lead)

    assert client.get(ping_url(subscription)).status_code == 405
    assert client.post(ping_url(subscription)).status_code == 403  # no CSRF token
    assert receiver.requests == []


def test_rotating_the_secret_asks_first_then_shows_the_new_one_once(login, lead, ours):
    client = login(lead)
    old = ours.secret
    url = reverse("integrations_webhook_rotate", args=[ours.pk])

    assert "stops verifying" in client.get(url).content.decode()
    ours.refresh_from_db()
    assert ours.secret == old
    page = client.post(url, follow=True).content.decode()
    ours.refresh_from_db()
    assert ours.secret != old and ours.secret in page


def test_the_log_shows_each_attempt_and_failures(login, lead, brand_a, subscribe, receiver):
    from integrations.events import send_test_event

    subscription = subscribe(brand_a, receiver.url)
    receiver.answers = [503]
    send_test_event(subscription=subscription, user=lead)

    html = login(lead).get(log_url(subscription)).content.decode()
    assert "Failed; gave up" in html and "HTTP 503" in html and " ms" in html


def test_the_listing_counts_recent_failures_at_a_steady_cost(
    login, lead, brand_a, subscribe, receiver, django_assert_max_num_queries
):
    from integrations.events import send_test_event

    subscription = subscribe(brand_a, receiver.url, name="Flaky receiver")
    receiver.answers = [500, 500]
    send_test_event(subscription=subscription, user=lead)
    send_test_event(subscription=subscription, user=lead)
    client = login(lead)
    client.get(LIST)
    with django_assert_max_num_queries(40) as one:
        html = client.get(LIST).content.decode()
    assert "Flaky receiver" in html
    row = re.search(r"Flaky receiver.*?</tr>", html, re.S).group(0)
    assert re.search(r"<td[^>]*>\s*2\s*</td>", row), row
    for n in range(30):
        subscribe(brand_a, f"https://hooks.example.com/{n}", name=f"Receiver {n}")
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert "Receiver 29" in client.get(LIST).content.decode()


def test_wagtails_chooser_offers_a_subscription_only_to_its_brands_leads(
    login, lead, creative, lead_b, ours, theirs
):
    """Found by an attack: the snippet chooser listed every brand's subscriptions to anyone."""
    results = reverse("wagtailsnippetchoosers_integrations_webhooksubscription:choose_results")
    chosen = reverse("wagtailsnippetchoosers_integrations_webhooksubscription:chosen", args=[ours.pk])

    assert ours.name in login(lead).get(results).content.decode()
    assert theirs.name not in login(lead).get(results).content.decode()
    assert ours.name not in login(creative).get(results).content.decode()
    assert ours.name not in login(lead_b).get(results).content.decode()
    assert login(lead_b).get(chosen).status_code == 404
