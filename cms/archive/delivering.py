"""Handing each published version of a post to its channels, exactly once, and archiving what
went out.

When a post's approved revision goes live (approvals.publishing publishes it, at once or at its
scheduled time), one Delivery per platform's channel is written in the same transaction: the
delivery rows are the outbox. The worker then sends each one (send_delivery, a django-tasks
task), claiming it with a lease so two workers never send it at once and one killed mid-send
leaves it to be sent again (with the same idempotency key, so the receiver posts it once). A
sender that outlives its lease (paused, or stuck on a slow receiver) and is taken over records
its attempt and nothing more (unless its answer was the success nobody recorded yet), so the
delivery is archived once. A failure is retried with
backoff, every attempt logged; after the last one the delivery is marked failed and its author
and the brand's leads are told. Nothing is dropped silently: the turnaround watcher's regular
run also picks up any delivery whose task was lost.
"""

import logging
import re
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import task
from wagtail.permissions import policy_registry

from approvals.hashing import content_hash
from approvals.notifications import notify_delivery_failed
from approvals.selectors import approval_chain
from brands.models import Brand
from integrations import events
from integrations.models import EventType

from .channels import Handover, adapter_for, answer_decides
from .media_links import signed_media_url
from .models import ArchiveApprover, ArchiveEntry, Channel, Delivery, DeliveryAttempt, approval_steps

logger = logging.getLogger(__name__)


def lease() -> timedelta:
    """How long a sender holds a delivery (SIGNOFF_DELIVERY_LEASE_SECONDS, 2 minutes): how soon one
    a killed worker held is sent again. A webhook times out well within it."""
    return timedelta(seconds=settings.SIGNOFF_DELIVERY_LEASE_SECONDS)


# Retries after 1, 2, 4 … minutes: eight attempts span about four hours.
MAX_ATTEMPTS = 8
FIRST_RETRY_AFTER = timedelta(minutes=1)

HASHTAG = re.compile(r"#(\w+)", re.UNICODE)


def channels_for(brand: Brand, platform_codes) -> list[Channel]:
    """The brand's channel for each platform, made (manual) where the brand has none yet, so no
    published post goes nowhere."""
    channels = []
    for code in platform_codes:
        channel, _ = Channel.objects.get_or_create(brand=brand, platform_id=code)
        channels.append(channel)
    return channels


def start_deliveries(*, post, revision) -> list[Delivery]:
    """Called as `revision` of `post` goes live, inside that transaction: one delivery per
    active channel of its platforms, sent by the worker once the transaction commits. A
    revision published again (it can't be, but a replayed signal could) gets no second one."""
    platforms = revision.content.get("platforms") or []
    deliveries = []
    for channel in channels_for(post.brand, platforms):
        if not channel.active:
            continue
        delivery, _ = Delivery.objects.get_or_create(
            revision=revision, channel=channel, defaults={"post": post}
        )
        deliveries.append(delivery)
    ids = [delivery.pk for delivery in deliveries]
    transaction.on_commit(lambda: [_enqueue(delivery_id) for delivery_id in ids], robust=True)
    return deliveries


def _enqueue(delivery_id: int, *, at: datetime | None = None) -> None:
    run = send_delivery
    # The database backend runs it later; the immediate one (tests) can't defer and runs it now.
    if at is not None and run.get_backend().supports_defer:
        run = run.using(run_after=at)
    run.enqueue(delivery_id)


@task()
def send_delivery(delivery_id: int) -> str:
    """The worker's task: send one delivery if it is due and nobody else is sending it."""
    delivery = deliver(delivery_id, now=timezone.now())
    return delivery.status if delivery else "not due or taken"


def deliver(delivery_id: int, *, now: datetime) -> Delivery | None:
    """Claim the delivery (a lease), hand it to its channel's adapter, record what happened.
    None if it is not due, done already, or another sender holds it."""
    claimed = (
        Delivery.objects.filter(pk=delivery_id)
        .filter(
            Q(status__in=[Delivery.Status.PENDING, Delivery.Status.RETRYING])
            | Q(status=Delivery.Status.SENDING, lease_until__lt=now)  # a sender died holding it
        )
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .update(status=Delivery.Status.SENDING, lease_until=now + lease(), attempts=F("attempts") + 1)
    )
    if not claimed:
        return None
    delivery = Delivery.objects.select_related("channel__brand", "channel__platform", "post", "revision").get(
        pk=delivery_id
    )
    attempt = DeliveryAttempt.objects.create(delivery=delivery, started_at=now)
    try:
        handover = adapter_for(delivery.channel).send(delivery, payload_for(delivery))
    except Exception as error:  # an adapter's bug must not leave the delivery held
        logger.exception("Delivery %s: the %s adapter failed", delivery_id, delivery.channel.kind)
        handover = Handover(delivered=False, error=f"{type(error).__name__}: {error}")
    return _record(delivery, attempt, handover)


@transaction.atomic
def _record(delivery: Delivery, attempt: DeliveryAttempt, handover: Handover) -> Delivery:
    now = timezone.now()
    attempt.finished_at, attempt.status_code = now, handover.status_code
    attempt.ok, attempt.error = handover.delivered or handover.waits_for_a_person, handover.error[:2000]
    attempt.save()
    settled = (Delivery.Status.DELIVERED, Delivery.Status.TO_POST)
    if not answer_decides(
        delivery, went_out=handover.delivered, sending=Delivery.Status.SENDING, settled=settled
    ):
        logger.warning(
            "Delivery %s: attempt %s outlived its lease and was taken over; it records nothing more",
            delivery.pk,
            delivery.attempts,
        )
        return Delivery.objects.get(pk=delivery.pk)
    delivery.lease_until = None
    if handover.delivered:
        delivery.status, delivery.delivered_at, delivery.live_url = (
            Delivery.Status.DELIVERED,
            now,
            handover.live_url,
        )
        delivery.last_error = ""
        delivery.save()
        archive_delivery(delivery, published_at=now)
    elif handover.waits_for_a_person:
        delivery.status, delivery.last_error = Delivery.Status.TO_POST, ""
        delivery.save()
    elif delivery.attempts >= MAX_ATTEMPTS:
        delivery.status, delivery.last_error, delivery.next_attempt_at = (
            Delivery.Status.FAILED,
            handover.error,
            None,
        )
        delivery.save()
        logger.error(
            "Delivery %s failed for good after %s attempts: %s",
            delivery.pk,
            delivery.attempts,
            handover.error,
        )
        notify_delivery_failed(delivery)
        events.emit(
            EventType.POST_PUBLISH_FAILED,
            post=delivery.post,
            data={
                "stage": "delivery",
                "revision": delivery.revision_id,
                "platform": delivery.channel.platform_id,
                "delivery": delivery.pk,
                "error": handover.error,
            },
        )
    else:
        wait = FIRST_RETRY_AFTER * 2 ** (delivery.attempts - 1)
        delivery.status, delivery.last_error = Delivery.Status.RETRYING, handover.error
        delivery.next_attempt_at = now + wait
        delivery.save()
        logger.warning(
            "Delivery %s failed (attempt %s): %s; retrying in %s",
            delivery.pk,
            delivery.attempts,
            handover.error,
            wait,
        )
        transaction.on_commit(lambda: _enqueue(delivery.pk, at=delivery.next_attempt_at), robust=True)
    return delivery


def deliveries_due(*, now: datetime):
    """Deliveries whose send is due but may have lost its task: waiting, retrying, or held by a
    sender that died. The watcher's safety net."""
    return Delivery.objects.filter(
        Q(status__in=[Delivery.Status.PENDING, Delivery.Status.RETRYING])
        & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        | Q(status=Delivery.Status.SENDING, lease_until__lt=now)
    )


def send_due_deliveries(*, now: datetime) -> int:
    return sum(
        deliver(pk, now=now) is not None for pk in deliveries_due(now=now).values_list("pk", flat=True)
    )


class AlreadyRecorded(Exception):
    def __str__(self):
        return "This post is already recorded as posted."


@transaction.atomic
def record_manual_post(*, delivery: Delivery, user, live_url: str) -> ArchiveEntry:
    """Someone posted a manual channel's post by hand: its link goes on the record and into the
    archive. Anyone who may change the brand's posts may record it."""
    if not policy_registry.get_by_type(type(delivery.post)).user_has_permission_for_instance(
        user, "change", delivery.post
    ):
        raise PermissionDenied("You cannot record posts of this brand.")
    delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
    if delivery.status != Delivery.Status.TO_POST:
        raise AlreadyRecorded()
    now = timezone.now()
    delivery.status, delivery.delivered_at, delivery.delivered_by, delivery.live_url = (
        Delivery.Status.DELIVERED,
        now,
        user,
        live_url,
    )
    delivery.save()
    return archive_delivery(delivery, published_at=now)


# What goes out, and what the archive keeps ----------------------------------------------------------


def payload_for(delivery: Delivery) -> dict:
    """The JSON a webhook receives: the post as approved, for this channel's platform."""
    post = delivery.revision.as_object()
    platform = delivery.channel.platform_id
    return {
        "idempotency_key": delivery.idempotency_key,
        "delivery": delivery.pk,
        "post": {"id": delivery.post_id, "revision": delivery.revision_id, "title": post.title},
        "brand": {"id": delivery.channel.brand_id, "slug": delivery.channel.brand.slug},
        "platform": platform,
        "handle": delivery.channel.brand.handle_on(platform),
        "caption": post.caption_for(platform),
        "captions": {
            code: post.caption_for(code) for code in delivery.revision.content.get("platforms") or []
        },
        "format": post.format,
        "media": [
            {"url": signed_media_url(media.image), "alt_text": media.alt_text}
            for media in sorted(post.media.all(), key=lambda media: media.sort_order or 0)
        ],
        "call_to_action": {"label": post.cta_label, "url": post.cta_url} if post.cta_label else None,
        "scheduled_at": post.go_live_at.isoformat() if post.go_live_at else None,
    }


def archive_delivery(delivery: Delivery, *, published_at: datetime) -> ArchiveEntry:
    """The immutable record of what one delivery handed over, with its approval chain."""
    revision = delivery.revision
    post = revision.as_object()
    platform = delivery.channel.platform_id
    caption = post.caption_for(platform)
    chain = approval_chain(revision)
    entry = ArchiveEntry.objects.create(
        post_id=delivery.post_id,
        revision=revision,
        channel=delivery.channel,
        delivery=delivery,
        brand_id=delivery.channel.brand_id,
        platform_id=platform,
        title=post.title,
        caption=caption,
        media=[
            {"image": media.image_id, "alt_text": media.alt_text}
            for media in sorted(post.media.all(), key=lambda media: media.sort_order or 0)
        ],
        format=post.format,
        intent=post.intent,
        campaign=post.campaign,
        hashtags=sorted({tag.lower() for tag in HASHTAG.findall(caption)}),
        author_id=delivery.post.created_by_id,
        approvals=chain,
        content_hash=content_hash(revision),
        published_at=published_at,
        live_url=delivery.live_url,
    )
    ArchiveApprover.objects.bulk_create(
        [
            ArchiveApprover(entry=entry, user_id=step["user"], tier=step["tier"])
            for step in approval_steps(chain)
            if step.get("user")
        ],
        ignore_conflicts=True,
    )
    return entry


@transaction.atomic
def send_again(*, delivery: Delivery, user) -> Delivery:
    """Try a failed (or retrying) delivery again now, with a fresh set of attempts: after someone
    fixed the channel, say. Anyone who may change the brand's posts may."""
    if not policy_registry.get_by_type(type(delivery.post)).user_has_permission_for_instance(
        user, "change", delivery.post
    ):
        raise PermissionDenied("You cannot send posts of this brand.")
    updated = Delivery.objects.filter(
        pk=delivery.pk, status__in=[Delivery.Status.FAILED, Delivery.Status.RETRYING]
    ).update(status=Delivery.Status.PENDING, attempts=0, next_attempt_at=None)
    if updated:
        transaction.on_commit(lambda: _enqueue(delivery.pk), robust=True)
    return Delivery.objects.get(pk=delivery.pk)
