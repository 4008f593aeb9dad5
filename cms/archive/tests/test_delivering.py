"""Publishing through channels: each approved version handed to each channel exactly once, every
attempt logged, failures retried and told, and what went out archived with its approval chain.

The webhook receiver is a real HTTP server on this machine (the outside world, stood in for)."""

import datetime as dt
import hashlib
import hmac
import json
import threading

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.utils import timezone

from approvals.publishing import publish_due_revisions
from approvals.tests.helpers import clock_at, decide, in_three_days, submit
from brands.factories import brand_image
from cms.archive.delivering import MAX_ATTEMPTS, deliver, lease, record_manual_post, send_due_deliveries
from cms.archive.models import ArchiveEntry, ArchiveEntryIsImmutable, Channel, Delivery
from cms.posts.factories import add_media
from cms.posts.models import Post

from .receiver import Receiver

pytestmark = pytest.mark.django_db

CAPTION = "Slow mornings, good coffee. #MondayMotivation #SlowCoffee"


@pytest.fixture
def receiver():
    receiver = Receiver()
    yield receiver
    receiver.stop()


@pytest.fixture
def webhook(brand_a, receiver):
    """Brand A's Instagram, Facebook and X posts go to the receiver."""
    for code in ["instagram", "facebook", "x"]:
        Channel.objects.update_or_create(
            brand=brand_a,
            platform_id=code,
            defaults={"kind": Channel.Kind.WEBHOOK, "webhook_url": receiver.url},
        )
    return Channel.objects.get(brand=brand_a, platform_id="facebook")


@pytest.fixture
def publish(api, draft, creative, reviewer, django_capture_on_commit_callbacks):
    """Draft, submit and approve a post of brand A; the worker's tasks run as each step commits."""

    def _publish(**fields):
        post = draft(caption=CAPTION, **fields)
        with django_capture_on_commit_callbacks(execute=True):
            assert submit(api, creative, post).status_code == 200
        with django_capture_on_commit_callbacks(execute=True):
            assert decide(api, reviewer, post).status_code == 200
        return Post.objects.get(pk=post.pk)

    return _publish


def test_a_published_post_waits_to_be_posted_by_hand_where_the_brand_has_no_webhook(publish, creative):
    post = publish(platforms=["facebook", "linkedin"])

    deliveries = Delivery.objects.filter(post=post)
    assert {d.channel.platform_id for d in deliveries} == {"facebook", "linkedin"}
    assert {d.status for d in deliveries} == {Delivery.Status.TO_POST}
    assert not ArchiveEntry.objects.exists()

    delivery = deliveries.get(channel__platform_id="facebook")
    entry = record_manual_post(delivery=delivery, user=creative, live_url="https://facebook.example/p/1")

    assert entry.caption == CAPTION and entry.live_url == "https://facebook.example/p/1"
    assert entry.hashtags == ["mondaymotivation", "slowcoffee"]
    assert [(step["kind"], step["tier"]) for step in entry.approvals] == [
        ("approval", "senior"),
        ("skipped", "lead"),
        ("skipped", "client"),
    ]
    assert entry.author == creative
    assert list(entry.approvers.values_list("user__username", flat=True)) == ["reviewer"]


def test_only_the_brands_people_record_a_post_as_posted(publish, outsider):
    from django.core.exceptions import PermissionDenied

    delivery = Delivery.objects.get(post=publish())

    with pytest.raises(PermissionDenied):
        record_manual_post(delivery=delivery, user=outsider, live_url="https://example.com/x")
    assert not ArchiveEntry.objects.exists()


def test_a_webhook_gets_the_approved_post_signed_and_it_is_archived(publish, webhook, receiver):
    post = publish(platforms=["facebook", "x"])

    assert len(receiver.requests) == 2
    for headers, body in receiver.requests:
        payload = json.loads(body)
        channel = Channel.objects.get(brand=post.brand, platform_id=payload["platform"])
        signature = "sha256=" + hmac.new(channel.webhook_secret.encode(), body, hashlib.sha256).hexdigest()
        assert hmac.compare_digest(headers["X-Signoff-Signature"], signature)
        assert headers["X-Signoff-Idempotency-Key"] == payload["idempotency_key"]
        assert payload["caption"] == CAPTION
        assert payload["post"]["revision"] == post.live_revision_id
    assert Delivery.objects.filter(post=post, status=Delivery.Status.DELIVERED).count() == 2
    entries = ArchiveEntry.objects.filter(post=post)
    assert sorted(entries.values_list("platform_id", flat=True)) == ["facebook", "x"]
    assert {entry.live_url for entry in entries} == {"https://social.example/p/123"}
    assert {entry.revision_id for entry in entries} == {post.live_revision_id}


def test_webhook_media_are_signed_links_that_work_without_signing_in_and_only_for_that_image(
    api, draft, creative, reviewer, webhook, receiver, brand_a, django_capture_on_commit_callbacks
):
    post = draft(caption=CAPTION, platforms=["instagram"])
    add_media(post, [brand_image(brand_a)])
    post.save_revision(user=creative)
    with django_capture_on_commit_callbacks(execute=True):
        submit(api, creative, post)
    with django_capture_on_commit_callbacks(execute=True):
        decide(api, reviewer, post)

    [payload] = receiver.payloads()
    [media] = payload["media"]
    path = media["url"].split("://", 1)[1].split("/", 1)[1]
    assert Client().get("/" + path).status_code == 200
    assert Client().get("/" + path[:-3] + "xx/").status_code == 404


def test_a_failed_webhook_is_retried_with_backoff_and_every_attempt_logged(publish, webhook, receiver):
    receiver.answers = [500]
    post = publish(platforms=["facebook"])
    delivery = Delivery.objects.get(post=post)
    assert delivery.status == Delivery.Status.RETRYING
    assert delivery.next_attempt_at > timezone.now()
    assert "HTTP 500" in delivery.last_error

    assert deliver(delivery.pk, now=timezone.now()) is None  # not due yet
    deliver(delivery.pk, now=delivery.next_attempt_at)

    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.DELIVERED
    assert [attempt.ok for attempt in delivery.log.order_by("started_at")] == [False, True]
    assert ArchiveEntry.objects.filter(post=post).count() == 1


def test_after_the_last_attempt_the_author_and_leads_are_told(
    publish, webhook, receiver, creative, lead, django_capture_on_commit_callbacks
):
    receiver.answers = [503] * MAX_ATTEMPTS
    delivery = Delivery.objects.get(post=publish(platforms=["facebook"]))
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(MAX_ATTEMPTS - 1):
            deliver(delivery.pk, now=timezone.now() + dt.timedelta(days=1))

    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.FAILED and delivery.attempts == MAX_ATTEMPTS
    told = {address for message in mail.outbox for address in message.to}
    assert {creative.email, lead.email} <= told
    assert "Not delivered" in mail.outbox[0].subject
    assert not ArchiveEntry.objects.exists()


def test_a_duplicated_or_retried_job_never_posts_twice(publish, webhook, receiver):
    post = publish(platforms=["facebook"])
    delivery = Delivery.objects.get(post=post)

    assert deliver(delivery.pk, now=timezone.now()) is None
    assert send_due_deliveries(now=timezone.now() + dt.timedelta(days=1)) == 0
    assert len(receiver.requests) == 1
    assert ArchiveEntry.objects.count() == 1


def test_a_worker_killed_mid_delivery_sends_again_with_the_same_key_and_archives_once(
    publish, webhook, receiver, brand_a
):
    receiver.answers = [500]
    post = publish(platforms=["facebook"])
    delivery = Delivery.objects.get(post=post)
    # As a worker killed after claiming it (and perhaps after the receiver got it) leaves it.
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.SENDING, lease_until=timezone.now() - dt.timedelta(seconds=1)
    )

    assert send_due_deliveries(now=timezone.now() + dt.timedelta(hours=1)) == 1

    keys = {headers["X-Signoff-Idempotency-Key"] for headers, _ in receiver.requests}
    assert len(keys) == 1  # the receiver sees the same key and posts once
    assert ArchiveEntry.objects.filter(post=post).count() == 1


def stalled_then_taken_over(delivery, receiver, *, retry_due) -> int:
    """A sender holds on to the delivery well past its lease (a receiver that stalls, a paused
    worker); the watcher's scan after the lease takes it over; then the stalled sender's answer
    comes at last. What the take-over's scan returned."""
    release = receiver.stall = threading.Event()

    def slow_sender():
        try:
            deliver(delivery.pk, now=retry_due)
        finally:
            connection.close()

    slow = threading.Thread(target=slow_sender)
    slow.start()
    assert receiver.stalled.wait(timeout=10)
    taken_over = send_due_deliveries(now=retry_due + lease() + dt.timedelta(seconds=1))
    release.set()
    slow.join(timeout=30)
    delivery.refresh_from_db()
    return taken_over


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_sender_that_outlived_its_lease_and_was_taken_over_archives_nothing_twice(
    publish, webhook, receiver
):
    receiver.answers = [500]
    post = publish(platforms=["facebook"])
    delivery = Delivery.objects.get(post=post)
    retry_due = timezone.now() + dt.timedelta(hours=1)

    # The take-over delivers it; the stalled sender's answer (also a success) comes after.
    assert stalled_then_taken_over(delivery, receiver, retry_due=retry_due) == 1

    assert delivery.status == Delivery.Status.DELIVERED and delivery.attempts == 3
    assert ArchiveEntry.objects.filter(post=post).count() == 1
    assert delivery.log.count() == 3  # every attempt is on the record, the late one too
    keys = {headers["X-Signoff-Idempotency-Key"] for headers, _ in receiver.requests}
    assert len(receiver.requests) == 3 and len(keys) == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_late_success_after_a_take_over_is_kept_and_archived_once(publish, webhook, receiver):
    receiver.answers = [500, 500]  # the first attempt fails; later the one that took over fails too
    post = publish(platforms=["facebook"])
    delivery = Delivery.objects.get(post=post)
    retry_due = timezone.now() + dt.timedelta(hours=1)

    # The take-over gets a 500; the stalled sender's answer then says the receiver took the post.
    stalled_then_taken_over(delivery, receiver, retry_due=retry_due)

    assert delivery.status == Delivery.Status.DELIVERED and delivery.attempts == 3
    assert ArchiveEntry.objects.filter(post=post).count() == 1
    assert delivery.log.count() == 3
    assert send_due_deliveries(now=retry_due + dt.timedelta(days=1)) == 0  # nothing sent again


def test_a_scheduled_post_goes_out_at_its_time_through_its_channels(
    publish, webhook, receiver, django_capture_on_commit_callbacks
):
    goes_out = in_three_days()
    post = publish(go_live_at=goes_out, platforms=["facebook"])
    assert not post.live and not receiver.requests

    assert publish_due_revisions(now=goes_out - dt.timedelta(minutes=1)) == 0
    with clock_at(goes_out + dt.timedelta(seconds=30)), django_capture_on_commit_callbacks(execute=True):
        assert publish_due_revisions(now=timezone.now()) == 1

    post.refresh_from_db()
    assert post.live
    assert [payload["platform"] for payload in receiver.payloads()] == ["facebook"]
    assert ArchiveEntry.objects.get().revision_id == post.live_revision_id


def test_a_scheduled_version_that_is_not_what_was_approved_is_refused_and_reported(
    publish, webhook, receiver, creative, lead, django_capture_on_commit_callbacks
):
    post = publish(go_live_at=in_three_days(), platforms=["facebook"])
    revision = post.revisions.get(approved_go_live_at__isnull=False)
    revision.content["caption"] = "Words nobody approved."
    revision.approved_go_live_at = timezone.now()
    revision.save(update_fields=["content", "approved_go_live_at"])
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert publish_due_revisions(now=timezone.now()) == 0

    post.refresh_from_db()
    assert not post.live
    assert not post.revisions.filter(approved_go_live_at__isnull=False).exists()
    assert not receiver.requests
    assert any("Not published" in message.subject for message in mail.outbox)


def test_archive_entries_cannot_be_changed_or_deleted(publish, creative):
    delivery = Delivery.objects.get(post=publish())
    entry = record_manual_post(delivery=delivery, user=creative, live_url="")

    with pytest.raises(ArchiveEntryIsImmutable):
        entry.caption = "Rewritten history"
        entry.save()
    with pytest.raises(ArchiveEntryIsImmutable):
        entry.delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the database trigger is PostgreSQL's")
def test_postgresql_itself_refuses_to_change_or_delete_an_archive_entry(publish, creative):
    from django.db import DatabaseError, transaction

    delivery = Delivery.objects.get(post=publish())
    entry = record_manual_post(delivery=delivery, user=creative, live_url="")

    for statement in [
        "UPDATE archive_archiveentry SET caption = 'x' WHERE id = %s",
        "DELETE FROM archive_archiveentry WHERE id = %s",
    ]:
        with (
            pytest.raises(DatabaseError, match="Cannot update or delete"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [entry.pk])
    assert ArchiveEntry.objects.get(pk=entry.pk).caption == CAPTION
