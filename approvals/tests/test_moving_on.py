"""After a decision: the request records it and closes the tier; the relay logs it and moves the
workflow on once it commits (approvals.moving_on). These tests run the relay, as the product
does, so the two halves can be watched apart."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry, TaskState, WorkflowState

from approvals import moving_on
from approvals.management.commands import follow_up_decisions
from approvals.models import ReviewDecision, ReviewTier
from approvals.moving_on import follow_up_due_decisions, move_workflow_on

from .helpers import awaiting, current_task_state, current_tier, decide, edit_url, race, status_of, submit

pytestmark = pytest.mark.usefixtures("relay")


def waiting_for_the_relay():
    return ReviewDecision.objects.filter(followed_up_at__isnull=True)


def history(post, action) -> list[ModelLogEntry]:
    return list(ModelLogEntry.objects.filter(object_id=str(post.pk), action=action).order_by("pk"))


def test_an_approval_is_answered_at_once_and_the_relay_moves_the_post_on(
    api, in_review, reviewer, lead, policy, relay
):
    policy(lead_review="always")

    response = decide(api, reviewer, in_review)

    assert response.status_code == 200
    assert response.json()["task_status"] == "approved"
    assert waiting_for_the_relay().count() == 1
    # Decided, not yet moved on: the lead has nothing yet, nor does the history say so.
    assert current_tier(in_review) == ReviewTier.SENIOR
    assert current_task_state(in_review).status == TaskState.STATUS_APPROVED
    assert awaiting(api, lead) == []
    assert history(in_review, "wagtail.workflow.approve") == []

    relay()

    assert current_tier(in_review) == ReviewTier.LEAD
    assert awaiting(api, lead) == [in_review.pk]
    [approved] = history(in_review, "wagtail.workflow.approve")
    assert approved.user == reviewer
    assert not waiting_for_the_relay().exists()


def test_the_history_dates_a_decision_when_it_was_made_not_when_the_relay_ran(
    api, in_review, reviewer, relay
):
    """A relay that was down for an hour doesn't move the approval an hour later in the history."""
    assert decide(api, reviewer, in_review).status_code == 200
    an_hour_ago = timezone.now() - dt.timedelta(hours=1)
    ReviewDecision.objects.update(created_at=an_hour_ago)

    relay()

    [approved] = history(in_review, "wagtail.workflow.approve")
    assert approved.timestamp == an_hour_ago
    [published] = history(in_review, "wagtail.publish")
    assert published.timestamp > approved.timestamp


def test_the_last_approval_publishes_on_the_relay(api, in_review, reviewer, relay):
    assert decide(api, reviewer, in_review).status_code == 200
    assert status_of(in_review) == "in_review"

    relay()

    assert status_of(in_review) == "published"
    assert WorkflowState.objects.get().status == WorkflowState.STATUS_APPROVED


def test_a_second_decision_before_the_relay_runs_is_told_it_was_decided(
    api, in_review, reviewer, second_reviewer
):
    assert decide(api, reviewer, in_review).status_code == 200

    response = decide(api, second_reviewer, in_review)

    assert response.status_code == 409
    assert response.json()["detail"] == f"Already decided by {reviewer.get_full_name()} (approved)."
    assert ReviewDecision.objects.count() == 1


def test_the_editor_offers_no_decision_while_the_post_moves_on(api, login, in_review, reviewer, relay):
    client = login(reviewer)
    assert "Approve with comment" in client.get(edit_url(in_review)).text

    decide(api, reviewer, in_review)

    assert "Approve with comment" not in client.get(edit_url(in_review)).text


def test_a_partial_approval_is_logged_by_the_relay_as_of_its_decision(
    api, in_review, reviewer, policy, relay
):
    policy(senior_approvals_required=2)
    assert decide(api, reviewer, in_review).status_code == 200
    assert history(in_review, "signoff.partial_approval") == []

    relay()

    [entry] = history(in_review, "signoff.partial_approval")
    assert entry.data["approvals"] == 1 and entry.data["needed"] == 2
    assert entry.timestamp == ReviewDecision.objects.get().created_at
    assert current_task_state(in_review).status == TaskState.STATUS_IN_PROGRESS


def test_changes_requested_reach_the_author_once_the_relay_runs(api, in_review, reviewer, relay):
    response = decide(api, reviewer, in_review, "request-changes", reason="tone", comment="Warmer, please.")
    assert response.status_code == 200

    relay()

    assert status_of(in_review) == "changes_requested"
    assert len(history(in_review, "wagtail.workflow.reject")) == 1


def test_a_decision_made_just_before_the_workflow_was_cancelled_still_reaches_history_and_author(
    api, in_review, reviewer, creative, relay, django_capture_on_commit_callbacks
):
    decide(api, reviewer, in_review, "request-changes", reason="copy", comment="Typo in the hashtag.")
    WorkflowState.objects.get().cancel(user=creative)

    with django_capture_on_commit_callbacks(execute=True):  # the relay's commit sends the e-mail
        relay()

    assert WorkflowState.objects.get().status == WorkflowState.STATUS_CANCELLED
    assert status_of(in_review) == "draft"
    [rejected] = history(in_review, "wagtail.workflow.reject")
    assert rejected.user == reviewer
    assert [message.to for message in mail.outbox] == [[creative.email]]
    assert "Typo in the hashtag." in mail.outbox[0].body

    # Its follow-up run again (another relay, say) does not log it twice.
    assert move_workflow_on(ReviewDecision.objects.get()) is False
    assert len(history(in_review, "wagtail.workflow.reject")) == 1


def test_changes_requested_a_moment_ago_can_be_resubmitted_before_the_relay_runs(
    api, in_review, reviewer, creative, relay
):
    decide(api, reviewer, in_review, "request-changes", reason="tone", comment="Warmer, please.")
    in_review.caption = "Warmer words for a cold morning."
    in_review.save_revision(user=creative)

    response = submit(api, creative, in_review)

    assert response.status_code == 200, response.json()
    assert current_tier(in_review) == ReviewTier.SENIOR
    assert current_task_state(in_review).status == TaskState.STATUS_IN_PROGRESS
    assert len(history(in_review, "wagtail.workflow.reject")) == 1

    relay()  # the follow-up finds the post handed back and resubmitted already

    assert current_task_state(in_review).status == TaskState.STATUS_IN_PROGRESS
    assert len(history(in_review, "wagtail.workflow.reject")) == 1
    assert awaiting(api, reviewer) == [in_review.pk]


def test_a_post_approved_a_moment_ago_can_be_withdrawn_before_the_relay_schedules_it(
    api, login, draft, creative, reviewer, lead, relay
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
    relay()
    assert status_of(post) == "draft"  # it stays withdrawn


def test_a_failed_follow_up_is_tried_again_later_backing_off(
    api, in_review, reviewer, relay, monkeypatch, caplog
):
    decide(api, reviewer, in_review)

    def mail_server_down(decision):  # the last step: the history entry is written by then
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(moving_on, "notify_decision", mail_server_down)
    decided_at = timezone.now()

    relay(failures_expected=True)

    decision = waiting_for_the_relay().get()
    assert decision.follow_up_failures == 1
    assert decided_at + dt.timedelta(seconds=10) <= decision.follow_up_due_at
    assert "Could not follow up decision" in caplog.text
    assert status_of(in_review) == "in_review"
    assert history(in_review, "wagtail.workflow.approve") == []  # nothing half-done

    relay(failures_expected=True)  # not again before its time
    assert waiting_for_the_relay().get().follow_up_failures == 1
    assert follow_up_due_decisions(now=decision.follow_up_due_at) == 0
    decision.refresh_from_db()
    assert decision.follow_up_failures == 2
    assert decision.follow_up_due_at >= timezone.now() + dt.timedelta(seconds=19)  # twice as long

    monkeypatch.undo()
    assert follow_up_due_decisions(now=decision.follow_up_due_at) == 1
    assert status_of(in_review) == "published"
    assert len(history(in_review, "wagtail.workflow.approve")) == 1
    assert not waiting_for_the_relay().exists()


def test_a_follow_up_failing_for_days_is_tried_hourly_and_holds_up_no_other(
    api, draft, creative, reviewer, relay, monkeypatch
):
    stuck, other = draft(title="Stuck"), draft(title="Other")
    for post in (stuck, other):
        submit(api, creative, post)
        decide(api, reviewer, post)
    stuck_decision = ReviewDecision.objects.get(task_state__workflow_state__object_id=str(stuck.pk))
    ReviewDecision.objects.filter(pk=stuck_decision.pk).update(follow_up_failures=200)
    real_move_on = moving_on.move_workflow_on

    def fails_for_stuck(decision):
        if decision.pk == stuck_decision.pk:
            raise ValueError("bad data")
        return real_move_on(decision)

    monkeypatch.setattr(moving_on, "move_workflow_on", fails_for_stuck)

    relay(failures_expected=True)

    stuck_decision.refresh_from_db()
    assert stuck_decision.follow_up_failures == 201
    assert stuck_decision.follow_up_due_at <= timezone.now() + dt.timedelta(hours=1)
    assert stuck_decision.follow_up_due_at >= timezone.now() + dt.timedelta(minutes=59)
    assert status_of(other) == "published"
    assert status_of(stuck) == "in_review"


def test_a_partial_approval_is_logged_against_the_policy_it_was_made_under(
    api, in_review, reviewer, policy, relay
):
    policy(senior_approvals_required=2)
    decide(api, reviewer, in_review)
    policy(senior_approvals_required=1)  # changed before the relay got to it

    relay()

    [entry] = history(in_review, "signoff.partial_approval")
    assert (entry.data["approvals"], entry.data["needed"]) == (1, 2)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_relays_running_side_by_side_follow_each_decision_up_once(api, draft, creative, reviewer, policy):
    policy(senior_approvals_required=2)
    posts = [draft(title=f"Post {n}") for n in range(6)]
    for post in posts:
        submit(api, creative, post)
        decide(api, reviewer, post)

    results = race(*[lambda: follow_up_due_decisions(now=timezone.now())] * 3)

    assert sum(results) == len(posts), results  # each decision by exactly one relay
    assert not waiting_for_the_relay().exists()
    for post in posts:
        assert len(history(post, "signoff.partial_approval")) == 1


def test_the_relay_follows_up_decisions_in_the_order_they_were_made(
    api, in_review, reviewer, second_reviewer, policy, relay
):
    policy(senior_approvals_required=2)
    decide(api, reviewer, in_review)
    decide(api, second_reviewer, in_review)

    relay()

    [partial] = history(in_review, "signoff.partial_approval")
    [approved] = history(in_review, "wagtail.workflow.approve")
    assert (partial.user, approved.user) == (reviewer, second_reviewer)
    assert partial.pk < approved.pk
    assert status_of(in_review) == "published"


def test_the_relay_loop_keeps_going_through_a_failing_pass_until_stopped(
    api, in_review, reviewer, monkeypatch, caplog
):
    decide(api, reviewer, in_review)
    passes = []
    relay_loop = follow_up_decisions.Relay(interval=0.01)

    def one_pass(now, stopping):
        passes.append(now)
        try:
            if len(passes) == 1:
                raise ConnectionError("the database went away")
            return follow_up_due_decisions(now=now, stopping=stopping)
        finally:
            if len(passes) == 3:
                relay_loop.stop()  # as SIGTERM does (whatever the pass did: no test that spins forever)

    monkeypatch.setattr(follow_up_decisions, "follow_up_due_decisions", one_pass)
    monkeypatch.setattr(follow_up_decisions, "close_old_connections", lambda: None)  # the test's own

    relay_loop.run()

    assert len(passes) == 3
    assert "The relay could not look for decisions to follow up" in caplog.text
    assert status_of(in_review) == "published"


def test_the_command_follows_up_once_and_says_how_many(api, in_review, reviewer, capsys):
    decide(api, reviewer, in_review)

    call_command("follow_up_decisions", once=True)

    assert "Followed up 1 decision(s)." in capsys.readouterr().out
    assert status_of(in_review) == "published"


def test_a_stopping_relay_finishes_the_follow_up_under_way_and_leaves_the_rest(
    api, draft, creative, reviewer
):
    posts = [draft(title=f"Post {n}") for n in range(3)]
    for post in posts:
        submit(api, creative, post)
        decide(api, reviewer, post)
    asked = iter([False, True])  # the stop arrives during the first follow-up

    assert follow_up_due_decisions(now=timezone.now(), stopping=lambda: next(asked)) == 1

    assert [status_of(post) for post in posts] == ["published", "in_review", "in_review"]
    assert waiting_for_the_relay().count() == 2


@pytest.mark.parametrize("interval", ["0", "-1", "nan", "inf", "soon"])
def test_the_command_refuses_an_interval_that_would_poll_non_stop_or_never(interval):
    with pytest.raises(CommandError, match="--interval"):
        call_command("follow_up_decisions", "--interval", interval, "--no-reload")
