"""After a decision: the request records it and closes the tier; the task worker logs it and
moves the workflow on (approvals.moving_on). These tests use the database task backend, as
the product runs, so the two halves can be watched apart."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from wagtail.models import ModelLogEntry, TaskState, WorkflowState

from approvals.models import ReviewDecision, ReviewTier
from approvals.moving_on import follow_up_decision, move_workflow_on, resume_stalled_workflows

from .helpers import awaiting, current_task_state, current_tier, decide, edit_url, status_of, submit

pytestmark = pytest.mark.usefixtures("database_tasks")


def queued_follow_ups():
    return DBTaskResult.objects.filter(task_path=follow_up_decision.module_path, status="READY")


def history(post, action) -> list[ModelLogEntry]:
    return list(ModelLogEntry.objects.filter(object_id=str(post.pk), action=action).order_by("pk"))


def test_an_approval_is_answered_at_once_and_the_worker_moves_the_post_on(
    api, in_review, reviewer, lead, policy, run_worker
):
    policy(lead_review="always")

    response = decide(api, reviewer, in_review)

    assert response.status_code == 200
    assert response.json()["task_status"] == "approved"
    assert queued_follow_ups().count() == 1
    # Decided, not yet moved on: the lead has nothing yet, nor does the history say so.
    assert current_tier(in_review) == ReviewTier.SENIOR
    assert current_task_state(in_review).status == TaskState.STATUS_APPROVED
    assert awaiting(api, lead) == []
    assert history(in_review, "wagtail.workflow.approve") == []

    run_worker()

    assert current_tier(in_review) == ReviewTier.LEAD
    assert awaiting(api, lead) == [in_review.pk]
    [approved] = history(in_review, "wagtail.workflow.approve")
    assert approved.user == reviewer
    assert not queued_follow_ups().exists()


def test_the_history_dates_a_decision_when_it_was_made_not_when_the_worker_ran(
    api, in_review, reviewer, run_worker
):
    """A worker that was down for an hour doesn't move the approval an hour later in the history."""
    assert decide(api, reviewer, in_review).status_code == 200
    an_hour_ago = timezone.now() - dt.timedelta(hours=1)
    ReviewDecision.objects.update(created_at=an_hour_ago)

    run_worker()

    [approved] = history(in_review, "wagtail.workflow.approve")
    assert approved.timestamp == an_hour_ago
    [published] = history(in_review, "wagtail.publish")
    assert published.timestamp > approved.timestamp


def test_the_last_approval_publishes_on_the_worker(api, in_review, reviewer, run_worker):
    assert decide(api, reviewer, in_review).status_code == 200
    assert status_of(in_review) == "in_review"

    run_worker()

    assert status_of(in_review) == "published"
    assert WorkflowState.objects.get().status == WorkflowState.STATUS_APPROVED


def test_a_second_decision_before_the_worker_runs_is_told_it_was_decided(
    api, in_review, reviewer, second_reviewer
):
    assert decide(api, reviewer, in_review).status_code == 200

    response = decide(api, second_reviewer, in_review)

    assert response.status_code == 409
    assert response.json()["detail"] == f"Already decided by {reviewer.get_full_name()} (approved)."
    assert ReviewDecision.objects.count() == 1


def test_the_editor_offers_no_decision_while_the_post_moves_on(api, login, in_review, reviewer, run_worker):
    client = login(reviewer)
    assert "Approve with comment" in client.get(edit_url(in_review)).text

    decide(api, reviewer, in_review)

    assert "Approve with comment" not in client.get(edit_url(in_review)).text


def test_a_partial_approval_is_logged_by_the_worker_as_of_its_decision(
    api, in_review, reviewer, policy, run_worker
):
    policy(senior_approvals_required=2)
    assert decide(api, reviewer, in_review).status_code == 200
    assert history(in_review, "signoff.partial_approval") == []

    run_worker()

    [entry] = history(in_review, "signoff.partial_approval")
    assert entry.data["approvals"] == 1 and entry.data["needed"] == 2
    assert entry.timestamp == ReviewDecision.objects.get().created_at
    assert current_task_state(in_review).status == TaskState.STATUS_IN_PROGRESS


def test_changes_requested_reach_the_author_once_the_worker_runs(api, in_review, reviewer, run_worker):
    response = decide(api, reviewer, in_review, "request-changes", reason="tone", comment="Warmer, please.")
    assert response.status_code == 200

    run_worker()

    assert status_of(in_review) == "changes_requested"
    assert len(history(in_review, "wagtail.workflow.reject")) == 1


def test_a_decision_made_just_before_the_workflow_was_cancelled_still_reaches_history_and_author(
    api, in_review, reviewer, creative, run_worker, django_capture_on_commit_callbacks
):
    decide(api, reviewer, in_review, "request-changes", reason="copy", comment="Typo in the hashtag.")
    WorkflowState.objects.get().cancel(user=creative)

    with django_capture_on_commit_callbacks(execute=True):  # the worker's commit queues the e-mail
        run_worker()
    run_worker()

    assert WorkflowState.objects.get().status == WorkflowState.STATUS_CANCELLED
    assert status_of(in_review) == "draft"
    [rejected] = history(in_review, "wagtail.workflow.reject")
    assert rejected.user == reviewer
    assert [message.to for message in mail.outbox] == [[creative.email]]
    assert "Typo in the hashtag." in mail.outbox[0].body

    # Its follow-up run again (a retry) does not log it twice.
    assert move_workflow_on(ReviewDecision.objects.get()) is False
    assert len(history(in_review, "wagtail.workflow.reject")) == 1


def test_changes_requested_a_moment_ago_can_be_resubmitted_before_the_worker_runs(
    api, in_review, reviewer, creative, run_worker
):
    decide(api, reviewer, in_review, "request-changes", reason="tone", comment="Warmer, please.")
    in_review.caption = "Warmer words for a cold morning."
    in_review.save_revision(user=creative)

    response = submit(api, creative, in_review)

    assert response.status_code == 200, response.json()
    assert current_tier(in_review) == ReviewTier.SENIOR
    assert current_task_state(in_review).status == TaskState.STATUS_IN_PROGRESS
    assert len(history(in_review, "wagtail.workflow.reject")) == 1

    run_worker()  # the queued follow-up finds the post handed back and resubmitted already

    assert current_task_state(in_review).status == TaskState.STATUS_IN_PROGRESS
    assert len(history(in_review, "wagtail.workflow.reject")) == 1
    assert awaiting(api, reviewer) == [in_review.pk]


def test_a_post_approved_a_moment_ago_can_be_withdrawn_before_the_worker_schedules_it(
    api, login, draft, creative, reviewer, lead, run_worker
):
    post = draft(go_live_at=timezone.now() + dt.timedelta(days=2))
    submit(api, creative, post)
    decide(api, reviewer, post)

    response = login(lead).post(
        reverse("approvals_withdraw", args=[post.pk]), {"reason": "The client paused the campaign."}
    )

    assert response.status_code == 302
    assert status_of(post) == "draft"
    assert len(history(post, "signoff.withdrawn")) == 1
    run_worker()
    assert status_of(post) == "draft"  # it stays withdrawn


def test_the_watcher_moves_on_a_workflow_whose_follow_up_was_lost(api, in_review, reviewer, lead, policy):
    policy(lead_review="always")
    decide(api, reviewer, in_review)
    queued_follow_ups().delete()  # say the worker was killed mid-task
    decided = current_task_state(in_review)

    # A tier decided a moment ago is left to its follow-up, which is likely still queued.
    assert resume_stalled_workflows(now=decided.finished_at + dt.timedelta(minutes=1)) == 0
    assert current_tier(in_review) == ReviewTier.SENIOR

    later = timezone.now() + dt.timedelta(minutes=5)
    assert resume_stalled_workflows(now=later) == 1
    assert current_tier(in_review) == ReviewTier.LEAD
    assert len(history(in_review, "wagtail.workflow.approve")) == 1

    assert resume_stalled_workflows(now=later) == 0  # moved on once
    assert current_tier(in_review) == ReviewTier.LEAD


def test_the_watchers_one_off_scan_moves_them_on_too(api, in_review, reviewer, capsys):
    decide(api, reviewer, in_review)
    queued_follow_ups().delete()
    TaskState.objects.filter(status=TaskState.STATUS_APPROVED).update(
        finished_at=timezone.now() - dt.timedelta(minutes=10)
    )

    call_command("watch_turnaround", once=True)

    assert "Moved on 1 workflow(s) left waiting after a decision." in capsys.readouterr().out
    assert status_of(in_review) == "published"
