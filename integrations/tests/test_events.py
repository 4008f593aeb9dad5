"""Outbound event webhooks: each post event sent once, after its action commits, signed like the
channel webhook, only to subscriptions of the post's own brand; failures retried with backoff
and logged; never sent where Signoff must not send."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from approvals.publishing import publish_due_revisions
from approvals.services import submit_post
from approvals.tests.helpers import decide, in_three_days, submit
from cms.archive.channels import Answer
from integrations.events import LEASE, MAX_ATTEMPTS, _record, deliver_event, send_due_events, send_test_event
from integrations.models import EventType, WebhookEvent, WebhookSubscription
from integrations.urls_safety import validate_webhook_url

pytestmark = pytest.mark.django_db

DOCS = Path(settings.BASE_DIR) / "docs" / "webhooks.md"


def documented_verifier():
    """The signature check docs/webhooks.md gives receivers, run as written."""
    text = DOCS.read_text()
    code = next(
        block for block in re.findall(r"```python\n(.*?)```", text, re.S) if "def signoff_signature" in block
    )
    namespace = {}
    exec(code, namespace)  # noqa: S102 - our own documentation
    return namespace["signoff_signature_is_valid"]


@pytest.fixture
def step(api, django_capture_on_commit_callbacks):
    """step(user, post, action="submit" | "approve" | "request-changes", **data): one API call,
    committed (its on-commit work, the worker's tasks, runs)."""

    def _step(user, post, action, **data):
        with django_capture_on_commit_callbacks(execute=True):
            answer = (
                submit(api, user, post) if action == "submit" else decide(api, user, post, action, **data)
            )
        assert answer.status_code == 200, answer.content
        return answer

    return _step


def test_a_post_going_out_sends_submitted_approved_and_published_once_each_signed(
    draft, creative, reviewer, brand_a, subscribe, receiver, step
):
    subscription = subscribe(brand_a, receiver.url)
    post = draft()

    step(creative, post, "submit")
    step(reviewer, post, "approve")

    assert receiver.events() == ["post.submitted", "post.approved", "post.published"]
    verify = documented_verifier()
    for headers, body in receiver.requests:
        assert verify(subscription.secret, body, headers["X-Signoff-Signature"])
        assert not verify("another secret", body, headers["X-Signoff-Signature"])
        assert headers["X-Signoff-Event-Id"] == headers["X-Signoff-Idempotency-Key"]
    bodies = receiver.bodies()
    assert [body["id"] for body in bodies] == [
        headers["X-Signoff-Event-Id"] for headers, _ in receiver.requests
    ]
    assert {body["post"]["id"] for body in bodies} == {post.pk}
    assert bodies[0]["brand"]["slug"] == "acme-coffee"
    assert bodies[0]["actor"]["username"] == "creative"
    assert bodies[1]["actor"]["username"] == "reviewer"
    assert bodies[1]["data"]["scheduled_at"] is None
    # Nothing is left to send twice: the watcher's safety net finds nothing due.
    assert send_due_events(now=timezone.now() + dt.timedelta(days=1)) == 0
    assert len(receiver.requests) == 3
    assert set(WebhookEvent.objects.values_list("status", flat=True)) == {WebhookEvent.Status.DELIVERED}


def test_another_brands_subscription_hears_nothing(
    draft, creative, reviewer, brand_a, brand_b, subscribe, receiver, receiver_b, step
):
    subscribe(brand_a, receiver.url)
    subscribe(brand_b, receiver_b.url)

    post = draft()
    step(creative, post, "submit")
    step(reviewer, post, "approve")

    assert len(receiver.requests) == 3
    assert receiver_b.requests == []
    assert not WebhookEvent.objects.filter(subscription__brand=brand_b).exists()


def test_only_the_events_subscribed_to_and_only_while_active(
    draft, creative, reviewer, brand_a, subscribe, receiver, receiver_b, step
):
    subscribe(brand_a, receiver.url, events=[EventType.POST_APPROVED])
    subscribe(brand_a, receiver_b.url, active=False)

    post = draft()
    step(creative, post, "submit")
    step(reviewer, post, "approve")

    assert receiver.events() == ["post.approved"]
    assert receiver_b.requests == []


def test_changes_requested_is_sent_with_the_reason_when_it_takes_effect(
    draft, creative, reviewer, brand_a, subscribe, receiver, step, relay, django_capture_on_commit_callbacks
):
    subscribe(brand_a, receiver.url, events=[EventType.POST_CHANGES_REQUESTED, EventType.POST_SUBMITTED])
    post = draft()
    step(creative, post, "submit")

    step(reviewer, post, "request-changes", reason="tone", comment="Too salesy for us.")
    # Until the relay follows the decision up, it can still be undone: nothing is sent.
    assert receiver.events() == ["post.submitted"]
    with django_capture_on_commit_callbacks(execute=True):
        relay()
        relay()  # a second pass finds it followed up: nothing more

    assert receiver.events() == ["post.submitted", "post.changes_requested"]
    data = receiver.bodies()[1]["data"]
    assert (data["tier"], data["reason"], data["comment"]) == ("senior", "tone", "Too salesy for us.")

    step(creative, post, "submit")  # resubmitted after the changes
    assert receiver.events() == ["post.submitted", "post.changes_requested", "post.submitted"]


def test_nothing_is_sent_when_the_action_rolls_back(
    draft, creative, brand_a, subscribe, receiver, django_capture_on_commit_callbacks
):
    subscribe(brand_a, receiver.url)
    post = draft()

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            submit_post(post=post, user=creative)
            raise RuntimeError("something after it failed")

    assert not WebhookEvent.objects.exists()
    assert receiver.requests == []


def test_a_refused_scheduled_version_sends_publish_failed(
    draft, creative, reviewer, brand_a, subscribe, receiver, step, django_capture_on_commit_callbacks
):
    subscribe(brand_a, receiver.url, events=[EventType.POST_PUBLISH_FAILED, EventType.POST_APPROVED])
    post = draft(go_live_at=in_three_days())
    step(creative, post, "submit")
    step(reviewer, post, "approve")
    assert receiver.events() == ["post.approved"]
    assert receiver.bodies()[0]["data"]["scheduled_at"] is not None

    revision = post.revisions.get(approved_go_live_at__isnull=False)
    revision.content["caption"] = "Words nobody approved."
    revision.approved_go_live_at = timezone.now()
    revision.save(update_fields=["content", "approved_go_live_at"])
    with django_capture_on_commit_callbacks(execute=True):
        assert publish_due_revisions(now=timezone.now()) == 0

    assert receiver.events() == ["post.approved", "post.publish_failed"]
    data = receiver.bodies()[1]["data"]
    assert data["stage"] == "publishing" and "approved" in data["error"]


def test_a_failed_event_is_retried_with_backoff_then_marked_failed_with_every_attempt_logged(
    draft, creative, brand_a, subscribe, receiver, step
):
    subscribe(brand_a, receiver.url, events=[EventType.POST_SUBMITTED])
    receiver.answers = [500] * MAX_ATTEMPTS
    step(creative, draft(), "submit")

    event = WebhookEvent.objects.get()
    assert event.status == WebhookEvent.Status.RETRYING
    assert "HTTP 500" in event.last_error
    first_wait = event.next_attempt_at - timezone.now()
    assert dt.timedelta(seconds=50) < first_wait <= dt.timedelta(minutes=1)
    assert deliver_event(event.pk, now=timezone.now()) is None  # not due yet

    deliver_event(event.pk, now=event.next_attempt_at)
    event.refresh_from_db()
    second_wait = event.next_attempt_at - timezone.now()
    assert dt.timedelta(seconds=110) < second_wait <= dt.timedelta(minutes=2)  # doubled

    for _ in range(MAX_ATTEMPTS - 2):
        deliver_event(event.pk, now=timezone.now() + dt.timedelta(days=1))
    event.refresh_from_db()
    assert event.status == WebhookEvent.Status.FAILED and event.attempts == MAX_ATTEMPTS
    log = list(event.log.all())
    assert len(log) == MAX_ATTEMPTS
    assert {attempt.status_code for attempt in log} == {500}
    assert all(not attempt.ok and attempt.duration_ms is not None for attempt in log)
    # The same event, the same id, on every attempt.
    assert len({headers["X-Signoff-Event-Id"] for headers, _ in receiver.requests}) == 1
    # Given up: nothing more is sent.
    assert deliver_event(event.pk, now=timezone.now() + dt.timedelta(days=2)) is None


def claimed_and_stalled(event: WebhookEvent) -> tuple[WebhookEvent, dt.datetime]:
    """A second sender claims the failed event at its retry time and stalls past its lease (a
    paused worker, a slow receiver): that sender's copy of the event, and when it claimed it."""
    retry_at = event.next_attempt_at
    WebhookEvent.objects.filter(pk=event.pk).update(
        status=WebhookEvent.Status.SENDING, lease_until=retry_at + LEASE, attempts=2
    )
    return WebhookEvent.objects.get(pk=event.pk), retry_at


def test_a_sender_that_outlived_its_lease_records_its_attempt_and_nothing_more(
    draft, creative, brand_a, subscribe, receiver, step
):
    subscribe(brand_a, receiver.url, events=[EventType.POST_SUBMITTED])
    receiver.answers = [503]
    step(creative, draft(), "submit")
    event = WebhookEvent.objects.get()
    stalled, retry_at = claimed_and_stalled(event)
    # The watcher's scan after the lease takes it over and delivers it.
    assert send_due_events(now=retry_at + LEASE + dt.timedelta(seconds=1)) == 1

    # The stalled sender's answer comes at last: a failure, which must not undo the delivery.
    _record(stalled, Answer(ok=False, status_code=500, error="HTTP 500"), started_at=retry_at)

    event.refresh_from_db()
    assert event.status == WebhookEvent.Status.DELIVERED and event.attempts == 3
    assert event.log.count() == 3  # the late answer is on the record
    assert send_due_events(now=timezone.now() + dt.timedelta(days=1)) == 0  # nothing resent
    assert len(receiver.requests) == 2


def test_a_late_success_after_a_take_over_is_kept(draft, creative, brand_a, subscribe, receiver, step):
    subscribe(brand_a, receiver.url, events=[EventType.POST_SUBMITTED])
    receiver.answers = [503, 500]
    step(creative, draft(), "submit")
    event = WebhookEvent.objects.get()
    stalled, retry_at = claimed_and_stalled(event)
    send_due_events(now=retry_at + LEASE + dt.timedelta(seconds=1))  # taken over: a 500

    # The stalled sender's answer comes at last: the receiver took it. That is kept.
    _record(stalled, Answer(ok=True, status_code=200), started_at=retry_at)

    event.refresh_from_db()
    assert event.status == WebhookEvent.Status.DELIVERED and event.attempts == 3
    assert event.log.count() == 3
    assert send_due_events(now=timezone.now() + dt.timedelta(days=1)) == 0


def test_a_retry_that_succeeds_delivers_it(draft, creative, brand_a, subscribe, receiver, step):
    subscribe(brand_a, receiver.url, events=[EventType.POST_SUBMITTED])
    receiver.answers = [503]
    step(creative, draft(), "submit")

    event = WebhookEvent.objects.get()
    assert send_due_events(now=event.next_attempt_at) == 1
    event.refresh_from_db()
    assert event.status == WebhookEvent.Status.DELIVERED
    assert [attempt.ok for attempt in event.log.order_by("started_at", "pk")] == [False, True]


def test_a_redirect_is_not_followed(draft, creative, brand_a, subscribe, receiver, step):
    subscribe(brand_a, receiver.url, events=[EventType.POST_SUBMITTED])
    receiver.answers = [302]
    step(creative, draft(), "submit")

    event = WebhookEvent.objects.get()
    assert event.status == WebhookEvent.Status.RETRYING and "302" in event.last_error
    assert len(receiver.requests) == 1


def test_the_test_event_is_a_signed_ping_sent_once(brand_a, subscribe, receiver, lead):
    subscription = subscribe(brand_a, receiver.url, events=[EventType.POST_SUBMITTED])
    receiver.answers = [500]

    event = send_test_event(subscription=subscription, user=lead)

    assert event.status == WebhookEvent.Status.FAILED and "HTTP 500" in event.last_error
    assert event.next_attempt_at is None  # a test is not retried
    event = send_test_event(subscription=subscription, user=lead)
    assert event.status == WebhookEvent.Status.DELIVERED
    headers, body = receiver.requests[-1]
    assert headers["X-Signoff-Event"] == "ping"
    assert documented_verifier()(subscription.secret, body, headers["X-Signoff-Signature"])


# Where Signoff will not send -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "ftp://files.example.com/in",
        "file:///etc/passwd",
        "gopher://example.com/",
        "javascript:alert(1)",
        "https://user:pass@example.com/hook",
        "https:///no-host",
    ],
)
def test_only_plain_http_and_https_urls_are_accepted(url, brand_a):
    subscription = WebhookSubscription(brand=brand_a, name="x", url=url, events=["post.submitted"])
    with pytest.raises(ValidationError):
        subscription.full_clean()


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:5432/",
        "http://localhost/admin",
        "http://10.0.0.8/hook",
        "http://192.168.1.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://0.0.0.0/",
    ],
)
def test_the_servers_own_network_is_refused_unless_allowed(url, settings):
    settings.SIGNOFF_WEBHOOK_PRIVATE_HOSTS = False
    with pytest.raises(ValidationError):
        validate_webhook_url(url)
    settings.SIGNOFF_WEBHOOK_PRIVATE_HOSTS = True
    validate_webhook_url(url)


def test_a_host_name_resolving_to_the_servers_network_is_not_sent_to(
    brand_a, subscribe, receiver, lead, settings, monkeypatch
):
    subscription = subscribe(brand_a, "https://hooks.example.com/in")
    settings.SIGNOFF_WEBHOOK_PRIVATE_HOSTS = False
    monkeypatch.setattr(
        "integrations.urls_safety.socket.getaddrinfo",
        lambda host, port: [(2, 1, 6, "", ("10.1.2.3", port))],
    )

    event = send_test_event(subscription=subscription, user=lead)

    assert event.status == WebhookEvent.Status.FAILED
    assert "own network" in event.last_error
    assert event.log.get().status_code is None


def test_each_subscription_of_the_brand_gets_its_own_copy_with_its_own_id_and_secret(
    draft, creative, brand_a, subscribe, receiver, receiver_b, step
):
    first = subscribe(brand_a, receiver.url, events=[EventType.POST_SUBMITTED])
    second = subscribe(brand_a, receiver_b.url, events=[EventType.POST_SUBMITTED])

    step(creative, draft(), "submit")

    verify = documented_verifier()
    (headers_1, body_1), (headers_2, body_2) = receiver.requests + receiver_b.requests
    assert verify(first.secret, body_1, headers_1["X-Signoff-Signature"])
    assert verify(second.secret, body_2, headers_2["X-Signoff-Signature"])
    assert headers_1["X-Signoff-Event-Id"] != headers_2["X-Signoff-Event-Id"]
