"""Outbound event webhooks: what happened to a brand's posts, POSTed to the URLs its leads
subscribed.

Each event is emitted from the one place it happens (approvals.services.submit_post, the
workflow moving on after a decision, approvals.publishing, cms.archive), inside that action's
transaction: one WebhookEvent row per subscription of the post's brand that listens to it. The
rows are the outbox: nothing is sent if the action rolls back, and once it commits a django-tasks
task sends each, signed exactly like the webhook channel (cms.archive.channels.post_signed_json),
claiming it with a lease, retrying failures with exponential backoff and logging every attempt.
The watcher's regular run sends any whose task was lost. Another brand's events never reach a
subscription: rows are only made for subscriptions of the post's own brand.
"""

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import task

from cms.archive.channels import Answer, answer_decides, json_body, post_signed_json

from .models import PING, EventType, WebhookAttempt, WebhookEvent, WebhookSubscription
from .urls_safety import refusal_before_sending

logger = logging.getLogger(__name__)

# The same schedule as channel deliveries (cms.archive.delivering): after 1, 2, 4 … minutes,
# eight attempts over about four hours; then the event is marked failed, for good.
MAX_ATTEMPTS = 8
FIRST_RETRY_AFTER = timedelta(minutes=1)
LEASE = timedelta(minutes=2)


def _person(user) -> dict | None:
    if user is None:
        return None
    return {
        "id": user.pk,
        "username": user.get_username(),
        "name": user.get_full_name() or user.get_username(),
    }


def event_payload(
    event_type: str, *, brand, post=None, actor=None, data: dict | None = None, at: datetime | None = None
) -> dict:
    """The JSON body of an event (without its id, added per subscription)."""
    payload = {
        "type": event_type,
        "created_at": (at or timezone.now()).isoformat(),
        "brand": {"id": brand.pk, "slug": brand.slug, "name": brand.name},
        "post": None,
        "actor": _person(actor),
        "data": data or {},
    }
    if post is not None:
        payload["post"] = {
            "id": post.pk,
            "title": post.title,
            "revision": post.latest_revision_id,
            "platforms": sorted(platform.pk for platform in post.platforms.all()),
        }
    return payload


def emit(event_type: EventType, *, post, actor=None, data: dict | None = None) -> list[WebhookEvent]:
    """Called inside the action's transaction: queue the event for every active subscription of
    the post's brand that listens to it, sent once the transaction commits."""
    subscriptions = [
        subscription
        for subscription in WebhookSubscription.objects.filter(brand_id=post.brand_id, active=True)
        if subscription.listens_to(event_type)
    ]
    if not subscriptions:
        return []
    payload = event_payload(event_type, brand=post.brand, post=post, actor=actor, data=data)
    # One insert for them all (PostgreSQL and SQLite both return the new ids).
    events = WebhookEvent.objects.bulk_create(
        [
            WebhookEvent(subscription=subscription, event_type=event_type, payload=payload)
            for subscription in subscriptions
        ]
    )
    ids = [event.pk for event in events]
    transaction.on_commit(lambda: [_enqueue(event_id) for event_id in ids], robust=True)
    return events


def _enqueue(event_id: int, *, at: datetime | None = None) -> None:
    run = send_event
    # The database backend runs it later; the immediate one (tests) can't defer and runs it now.
    if at is not None and run.get_backend().supports_defer:
        run = run.using(run_after=at)
    run.enqueue(event_id)


@task()
def send_event(event_id: int) -> str:
    """The worker's task: send one event if it is due and nobody else is sending it."""
    event = deliver_event(event_id, now=timezone.now())
    return event.status if event else "not due or taken"


def body_of(event: WebhookEvent) -> dict:
    return {"id": str(event.event_id), **event.payload}


def _send(event: WebhookEvent) -> Answer:
    refusal = refusal_before_sending(event.subscription.url)
    if refusal:
        return Answer(ok=False, error=refusal)
    return post_signed_json(
        event.subscription.url,
        secret=event.subscription.secret,
        body=json_body(body_of(event)),
        headers={
            "X-Signoff-Event": event.event_type,
            "X-Signoff-Event-Id": str(event.event_id),
            # The same on every attempt, as on channel webhooks: a receiver acts on it once.
            "X-Signoff-Idempotency-Key": str(event.event_id),
        },
        follow_redirects=False,
    )


def deliver_event(event_id: int, *, now: datetime) -> WebhookEvent | None:
    """Claim the event (a lease), POST it, record the attempt. None if it is not due, done
    already, or another sender holds it."""
    claimed = (
        WebhookEvent.objects.filter(pk=event_id)
        .filter(
            Q(status__in=[WebhookEvent.Status.PENDING, WebhookEvent.Status.RETRYING])
            | Q(status=WebhookEvent.Status.SENDING, lease_until__lt=now)
        )
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .update(status=WebhookEvent.Status.SENDING, lease_until=now + LEASE, attempts=F("attempts") + 1)
    )
    if not claimed:
        return None
    event = WebhookEvent.objects.select_related("subscription").get(pk=event_id)
    if not event.subscription.active:
        answer = Answer(ok=False, error="The subscription was switched off; not sent.")
    else:
        try:
            answer = _send(event)
        except Exception as error:  # a bug must not leave the event held
            logger.exception("Webhook event %s could not be sent", event_id)
            answer = Answer(ok=False, error=f"{type(error).__name__}: {error}")
    return _record(event, answer, started_at=now, retry=event.subscription.active)


@transaction.atomic
def _record(event: WebhookEvent, answer: Answer, *, started_at: datetime, retry: bool = True) -> WebhookEvent:
    now = timezone.now()
    WebhookAttempt.objects.create(
        event=event,
        started_at=started_at,
        duration_ms=answer.duration_ms,
        status_code=answer.status_code,
        ok=answer.ok,
        error=answer.error[:2000],
    )
    sending, settled = WebhookEvent.Status.SENDING, (WebhookEvent.Status.DELIVERED,)
    if not answer_decides(event, went_out=answer.ok, sending=sending, settled=settled):
        # This sender outlived its lease and another took the event over: its answer is on the
        # record, and the event's state is the other sender's to write (no resend, no overwrite),
        # unless this answer was the success nobody has recorded yet.
        logger.warning(
            "Webhook event %s: attempt %s came back after it was taken over", event.pk, event.attempts
        )
        return WebhookEvent.objects.get(pk=event.pk)
    event.lease_until = None
    if answer.ok:
        event.status, event.delivered_at, event.last_error = WebhookEvent.Status.DELIVERED, now, ""
    elif not retry or event.attempts >= MAX_ATTEMPTS:
        event.status, event.last_error, event.next_attempt_at = WebhookEvent.Status.FAILED, answer.error, None
        logger.error(
            "Webhook event %s failed for good after %s attempts: %s", event.pk, event.attempts, answer.error
        )
    else:
        wait = FIRST_RETRY_AFTER * 2 ** (event.attempts - 1)
        event.status, event.last_error = WebhookEvent.Status.RETRYING, answer.error
        event.next_attempt_at = now + wait
        logger.warning(
            "Webhook event %s failed (attempt %s): %s; retrying in %s",
            event.pk,
            event.attempts,
            answer.error,
            wait,
        )
        at = event.next_attempt_at
        transaction.on_commit(lambda: _enqueue(event.pk, at=at), robust=True)
    event.save()
    return event


def events_due(*, now: datetime):
    """Events whose send is due but may have lost its task: the watcher's safety net."""
    return WebhookEvent.objects.filter(
        Q(status__in=[WebhookEvent.Status.PENDING, WebhookEvent.Status.RETRYING])
        & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        | Q(status=WebhookEvent.Status.SENDING, lease_until__lt=now)
    )


def send_due_events(*, now: datetime) -> int:
    return sum(
        deliver_event(pk, now=now) is not None for pk in events_due(now=now).values_list("pk", flat=True)
    )


def send_test_event(*, subscription: WebhookSubscription, user) -> WebhookEvent:
    """ "Send test event": a signed `ping`, sent now, once (no retries), and logged like any
    other, so whoever pressed the button sees at once whether their receiver works."""
    payload = event_payload(
        PING,
        brand=subscription.brand,
        actor=user,
        data={"subscription": subscription.pk, "message": "A test event from Signoff."},
    )
    event = WebhookEvent.objects.create(
        subscription=subscription,
        event_type=PING,
        payload=payload,
        status=WebhookEvent.Status.SENDING,
        attempts=1,
    )
    started_at = timezone.now()
    try:
        answer = _send(event)
    except Exception as error:
        logger.exception("Test event %s could not be sent", event.pk)
        answer = Answer(ok=False, error=f"{type(error).__name__}: {error}")
    return _record(event, answer, started_at=started_at, retry=False)
