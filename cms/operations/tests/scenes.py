"""What the RQ worker tests set up inside their installation (`manage.py shell -c`), through the
services the product uses, and what they read back. Each prints one JSON line."""

import json
from collections import Counter
from datetime import timedelta
from unittest import mock

from django.utils import timezone
from wagtail.log_actions import registry as log_registry
from wagtail.models import Revision

from approvals.models import ReviewDecision
from approvals.moving_on import decisions_followed_up_inline
from approvals.publishing import publish_when_due
from approvals.services import approve_task, submit_post
from brands.factories import BrandFactory, ClientFactory, UserFactory, membership
from brands.models import BrandRole
from cms.archive.models import ArchiveEntry, Channel, Delivery
from cms.posts.factories import PostFactory
from cms.posts.models import Post


def _say(**facts) -> None:
    print(json.dumps(facts))


def _in_review(receiver_url: str, platforms: list[str], **fields) -> tuple[Post, object]:
    """A post of a brand whose channels are webhooks to the receiver, waiting on its reviewer."""
    brand = BrandFactory(client=ClientFactory(name="Acme Holdings", slug="acme"), name="Acme Coffee")
    creative, reviewer = UserFactory(username="creative"), UserFactory(username="reviewer")
    membership(creative, brand, BrandRole.CREATIVE)
    membership(reviewer, brand, BrandRole.REVIEWER)
    for code in platforms:
        Channel.objects.update_or_create(
            brand=brand,
            platform_id=code,
            defaults={"kind": Channel.Kind.WEBHOOK, "webhook_url": receiver_url},
        )
    post = PostFactory(
        brand=brand, created_by=creative, title="Autumn blend launch", platforms=platforms, **fields
    )
    post.save_revision(user=creative)
    submit_post(post=post, user=creative)
    return post, reviewer


def approved_and_due_now(receiver_url: str, platforms: list[str]) -> None:
    """Approved an hour ago for a time that has come now (this minute): its publish job is on the
    schedule for then."""
    due = timezone.now().replace(second=0, microsecond=0)
    with mock.patch("django.utils.timezone.now", return_value=due - timedelta(hours=1)):
        post, reviewer = _in_review(receiver_url, platforms, go_live_at=due)
        with decisions_followed_up_inline():
            approve_task(task_state=post.current_workflow_task_state, user=reviewer)
    assert Revision.objects.filter(object_id=str(post.pk), approved_go_live_at=due).exists()
    _say(post=post.pk)


def approved_waiting_for_the_relay(receiver_url: str, platforms: list[str]) -> None:
    """The reviewer approved it just now: the decision waits for the relay to follow it up."""
    post, reviewer = _in_review(receiver_url, platforms)
    approve_task(task_state=post.current_workflow_task_state, user=reviewer)
    _say(post=post.pk)


def enqueue_publishing(times: int) -> None:
    """The publish job, queued `times` over (a retried or duplicated job)."""
    for _ in range(times):
        publish_when_due.enqueue()


def report(post_id: int) -> None:
    post = Post.objects.get(pk=post_id)
    _say(
        live=post.live,
        deliveries={
            delivery.channel.platform_id: [delivery.status, delivery.attempts, delivery.log.count()]
            for delivery in Delivery.objects.filter(post=post).select_related("channel")
        },
        archived=sorted(ArchiveEntry.objects.filter(post=post).values_list("platform_id", flat=True)),
        decisions_waiting=ReviewDecision.objects.filter(followed_up_at__isnull=True).count(),
        history=Counter(log_registry.get_logs_for_instance(post).values_list("action", flat=True)),
    )


def saved_and_asked_with_redis_away() -> None:
    """A post saved (Wagtail queues its search index update) and an admin password reset asked
    through the real form, while Redis is away: what the requests answered, what waits where."""
    from django.contrib.auth.models import User
    from django.test import Client
    from django_tasks_db.models import DBTaskResult

    User.objects.create_user("jo", "jo@agency.example", "a-long-passphrase")
    brand = BrandFactory(client=ClientFactory(name="Acme Holdings", slug="acme"), name="Acme Coffee")
    PostFactory(brand=brand, title="Saved while Redis is away").save_revision()
    answer = Client(HTTP_HOST="localhost").post("/admin/password_reset/", {"email": "jo@agency.example"})
    _say(
        status=answer.status_code,
        waiting=sorted(
            DBTaskResult.objects.filter(backend_name="fallback").values_list("task_path", flat=True)
        ),
    )


def enqueued_twice_with_redis_silent() -> None:
    """Two tasks queued while Redis takes connections but never answers: how long each took,
    and where they wait."""
    import time

    from django_tasks_db.models import DBTaskResult

    from cms.sign_in import send_admin_password_reset

    took = []
    for _ in range(2):
        started = time.monotonic()
        send_admin_password_reset.enqueue("jo@agency.example")
        took.append(round(time.monotonic() - started, 2))
    _say(seconds=took, waiting=DBTaskResult.objects.filter(backend_name="fallback").count())
