"""Undoing a decision in the few seconds before it takes effect (the decision waits in its
outbox row; the relay follows it up once the window has passed)."""

import datetime as dt

import pytest
from django.utils import timezone
from wagtail.models import ModelLogEntry, TaskState

from approvals.models import ReviewDecision, ReviewTier
from approvals.moving_on import follow_up_due_decisions
from approvals.services import TooLateToUndo, undo_decision

from .helpers import current_task_state, current_tier, decide, status_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def undo_window(settings, relay):
    """Decisions wait 30 seconds for the relay, as the product waits its few seconds."""
    settings.SIGNOFF_UNDO_SECONDS = 30


def test_an_approval_undone_within_the_window_leaves_the_post_as_it_was(
    api, reviewer, in_review, undo_window, relay
):
    task_state = current_task_state(in_review)
    decision_id = decide(api, reviewer, in_review).json()["id"]
    relay()  # the window has not passed: nothing moves
    assert status_of(in_review) == "in_review"

    undo_decision(decision_id=decision_id, user=reviewer)

    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_IN_PROGRESS and task_state.finished_by is None
    assert not ReviewDecision.objects.exists()
    assert not ModelLogEntry.objects.filter(action="wagtail.workflow.approve").exists()
    assert decide(api, reviewer, in_review).status_code == 200  # and may decide again


def test_once_the_window_has_passed_the_relay_moves_the_post_on_and_undo_is_too_late(
    api, reviewer, in_review, undo_window
):
    decision_id = decide(api, reviewer, in_review).json()["id"]

    follow_up_due_decisions(now=timezone.now() + dt.timedelta(seconds=31))

    assert status_of(in_review) == "published"
    with pytest.raises(TooLateToUndo):
        undo_decision(decision_id=decision_id, user=reviewer)


def test_a_request_for_changes_can_be_undone_too(api, reviewer, in_review, undo_window):
    decision_id = decide(
        api, reviewer, in_review, "request-changes", reason="tone", comment="Warmer."
    ).json()["id"]

    undo_decision(decision_id=decision_id, user=reviewer)

    assert current_tier(in_review) == ReviewTier.SENIOR
    assert current_task_state(in_review).status == TaskState.STATUS_IN_PROGRESS


def test_nobody_undoes_someone_elses_decision(api, reviewer, lead, in_review, undo_window):
    decision_id = decide(api, reviewer, in_review).json()["id"]

    with pytest.raises(ReviewDecision.DoesNotExist):
        undo_decision(decision_id=decision_id, user=lead)
    assert ReviewDecision.objects.filter(pk=decision_id).exists()


def test_the_api_undoes_within_the_window_and_says_when_it_is_too_late(
    api, reviewer, lead, in_review, undo_window
):
    decision_id = decide(api, reviewer, in_review).json()["id"]
    url = f"/api/v1/decisions/{decision_id}/undo/"

    assert api(lead).post(url).status_code == 404  # not theirs
    assert api(reviewer).post(url).status_code == 204
    assert api(reviewer).post(url).status_code == 404  # gone

    decision_id = decide(api, reviewer, in_review).json()["id"]
    follow_up_due_decisions(now=timezone.now() + dt.timedelta(seconds=31))
    response = api(reviewer).post(f"/api/v1/decisions/{decision_id}/undo/")
    assert response.status_code == 409
    assert "Too late" in response.json()["detail"]
