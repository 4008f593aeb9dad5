"""The upgrade to decisions as their own outbox (migration 0006): follow-ups that the task worker
had not finished are handed to the relay, and nothing is followed up twice."""

import importlib

import pytest
from django.apps import apps
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from approvals.models import ReviewDecision
from approvals.moving_on import follow_up_decision

from .helpers import decide, status_of, submit
from .test_moving_on import history

upgrade = importlib.import_module("approvals.migrations.0006_decision_follow_up_outbox")

pytestmark = pytest.mark.usefixtures("relay")


def queued_before_the_upgrade(decision, status):
    """The follow-up task the code before the upgrade queued for `decision` (a partial approval
    of two needed), as the worker left it."""
    return DBTaskResult.objects.create(
        task_path=upgrade.FOLLOW_UP_TASK,
        status=status,
        args_kwargs={"args": [decision.pk, 1, 2], "kwargs": {}},
        backend_name="default",
        queue_name="default",
        run_after=timezone.now(),
    )


def test_unfinished_follow_ups_go_to_the_relay_and_finished_ones_stay_done(
    api, draft, creative, reviewer, second_reviewer, policy, relay
):
    policy(senior_approvals_required=2)
    done, queued, failed, running, stalled = posts = [draft(title=f"Post {n}") for n in range(5)]
    for post in posts:
        submit(api, creative, post)
        decide(api, reviewer, post)
    decide(api, second_reviewer, stalled)  # closes the tier; its workflow never moved on
    decisions = {
        post: ReviewDecision.objects.filter(task_state__workflow_state__object_id=str(post.pk))
        for post in posts
    }
    for post in (done, running):  # their tasks had logged the partial approval
        follow_up_decision(decisions[post].get().pk)
    ReviewDecision.objects.update(followed_up_at=None, approvals_needed=None)  # as before the upgrade
    for post, status in ((done, "SUCCESSFUL"), (queued, "READY"), (failed, "FAILED"), (running, "RUNNING")):
        queued_before_the_upgrade(decisions[post].get(), status)

    upgrade.hand_unfinished_follow_ups_to_the_relay(apps, None)

    waiting = ReviewDecision.objects.filter(followed_up_at__isnull=True)
    assert set(waiting.values_list("task_state__workflow_state__object_id", flat=True)) == {
        str(queued.pk),
        str(failed.pk),
        str(stalled.pk),
    }
    assert decisions[queued].get().approvals_needed == 2
    assert not DBTaskResult.objects.filter(status="READY").exists()  # the new worker can't run them

    relay()

    for post in (done, queued, failed, running):
        assert len(history(post, "signoff.partial_approval")) == 1, post
    assert history(queued, "signoff.partial_approval")[0].data["needed"] == 2
    assert status_of(stalled) == "published"
    assert len(history(stalled, "wagtail.workflow.approve")) == 1
