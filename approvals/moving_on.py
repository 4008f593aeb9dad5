"""What follows a decision: the history entry, then the workflow moving on (the next tier
starts, or the post is published or scheduled), Wagtail's signals and the e-mails.

The reviewer's request only records the decision and closes the tier, exactly once
(approvals.services). The decision row is its own outbox: it commits with `followed_up_at`
empty, and the relay (`manage.py follow_up_decisions`, a loop started beside the task worker)
follows up every such decision within a second or so, then sets it. So a decision is never left
without its follow-up, even if the relay is stopped mid-way, and the click costs a few light
statements however long the workflow's next step takes. Until the relay runs the tier reads as
decided and the post waits, "moving on"; an action that must see where the decision leads
(resubmitting, withdrawing) moves the workflow on itself first.

Where no relay runs (the tests, seeding the demo), decisions are followed up at once, inside
the decision's transaction: SIGNOFF_FOLLOW_UP_AT_ONCE, or `decisions_followed_up_inline()`.
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Min, Q
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.log_actions import registry as log_registry
from wagtail.models import TaskState, WorkflowState
from wagtail.signals import task_approved, task_rejected

from integrations import events
from integrations.models import EventType

from .models import ReviewDecision
from .notifications import notify_decision
from .publishing import move_on_after

logger = logging.getLogger(__name__)

# A follow-up that failed is tried again after this, doubling with each failure up to the most.
FIRST_RETRY_AFTER = timedelta(seconds=10)
LONGEST_RETRY_AFTER = timedelta(hours=1)

_inline: ContextVar[bool] = ContextVar("signoff_follow_up_inline", default=False)


@contextmanager
def decisions_followed_up_inline() -> Iterator[None]:
    """Follow up each decision inside it at once, e.g. while seeding the demo, which walks
    posts through tier after tier before any relay runs."""
    token = _inline.set(True)
    try:
        yield
    finally:
        _inline.reset(token)


def follow_up(decision: ReviewDecision) -> None:
    """Called inside the decision's transaction: nothing to do, as the relay follows the
    decision up once it commits, unless decisions are followed up at once here."""
    if _inline.get() or settings.SIGNOFF_FOLLOW_UP_AT_ONCE:
        _follow_up(decision)


# The relay ----------------------------------------------------------------------------------------


def follow_up_due_decisions(*, now: datetime, limit: int = 100, stopping=lambda: False) -> int:
    """One pass of the relay: follow up the decisions waiting for it, oldest first (a failed one
    once its retry is due), until `stopping()`; returns how many were followed up."""
    due = (
        ReviewDecision.objects.filter(followed_up_at__isnull=True)
        .filter(Q(follow_up_due_at__isnull=True) | Q(follow_up_due_at__lte=now))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    done = 0
    for decision_id in list(due[:limit]):
        if stopping():
            break
        done += follow_up_decision(decision_id)
    return done


def follow_up_decision(decision_id: int) -> bool:
    """Follow up one decision, once, whether or not several relays run: False if another relay
    has it or had it, or if it failed (logged, and retried later, backing off)."""
    try:
        with transaction.atomic():
            decision = (
                ReviewDecision.objects.select_for_update(of=("self",), skip_locked=True)
                .select_related("task_state__task__reviewtask", "task_state__workflow_state", "user")
                .filter(pk=decision_id, followed_up_at__isnull=True)
                .first()
            )
            if decision is None:
                return False
            _follow_up(decision)
    except Exception:
        logger.exception("Could not follow up decision %s; it will be tried again", decision_id)
        _retry_later(decision_id)
        return False
    return True


# A decision waiting longer than this for its follow-up means the relay is down or failing.
RELAY_BEHIND_AFTER = timedelta(minutes=2)


@dataclass(frozen=True)
class RelayBacklog:
    waiting: int  # decisions not yet followed up
    behind: bool  # one has waited longer than RELAY_BEHIND_AFTER


def relay_backlog(*, now: datetime) -> RelayBacklog:
    """What /healthz reports, so an uptime check notices a relay that stopped or keeps failing."""
    waiting = ReviewDecision.objects.filter(followed_up_at__isnull=True).aggregate(
        count=Count("pk"), oldest=Min("created_at")
    )
    oldest = waiting["oldest"]
    return RelayBacklog(waiting["count"], oldest is not None and oldest < now - RELAY_BEHIND_AFTER)


def _retry_later(decision_id: int) -> None:
    before = ReviewDecision.objects.filter(pk=decision_id).values_list("follow_up_failures", flat=True)
    failures = min((before.first() or 0) + 1, 10_000)  # the column is a small integer
    wait = min(FIRST_RETRY_AFTER * 2 ** min(failures - 1, 16), LONGEST_RETRY_AFTER)  # no overflow
    ReviewDecision.objects.filter(pk=decision_id).update(
        follow_up_failures=failures, follow_up_due_at=timezone.now() + wait
    )


def _follow_up(decision: ReviewDecision) -> None:
    """Log the decision in the post's history and, if it closed the tier, move the workflow on;
    then mark it followed up (in the caller's transaction: all or nothing).

    Every decision that is kept either closed its tier or is an approval towards a tier that
    needs more (approvals.services rolls back any other); the one that closed it is the one by
    the person the tier's task state names as finishing it (cancelling a workflow later only
    touches tiers still in progress).
    """
    if _closed_its_tier(decision):
        move_workflow_on(decision)
    else:
        _log_partial_approval(decision)
    ReviewDecision.objects.filter(pk=decision.pk).update(followed_up_at=timezone.now())


def _closed_its_tier(decision: ReviewDecision) -> bool:
    task_state = decision.task_state
    decided = task_state.status in (TaskState.STATUS_APPROVED, TaskState.STATUS_REJECTED)
    return decided and task_state.finished_by_id == decision.user_id


def _log_partial_approval(decision: ReviewDecision) -> None:
    """An approval towards a tier that needs more than one: how many it makes, of how many."""
    post = decision.task_state.workflow_state.content_object
    approvals = decision.task_state.review_decisions.filter(
        outcome=ReviewDecision.Outcome.APPROVED, pk__lte=decision.pk
    ).count()
    log(
        instance=post,
        action="signoff.partial_approval",
        user=decision.user,
        revision=decision.revision,
        timestamp=decision.created_at,
        data={
            "tier": decision.task_state.task.reviewtask.get_tier_display(),
            "approvals": approvals,
            "needed": decision.approvals_needed,
            "comment": decision.comment,
        },
    )


def move_workflow_on(decision: ReviewDecision) -> bool:
    """Log the decision that closed its tier and move the workflow on, once: a second call (a
    request that had to move it on first, a retried follow-up) finds it moved and does nothing.

    A workflow cancelled while the decision waited for its follow-up stays cancelled, but the
    decision still gets its history entry and its e-mail."""
    with transaction.atomic():
        workflow_state = (
            WorkflowState.objects.select_for_update(of=("self",))
            .filter(pk=decision.task_state.workflow_state_id)
            .first()
        )
        if workflow_state is None or workflow_state.current_task_state_id != decision.task_state_id:
            return False  # moved on already
        task_state = workflow_state.current_task_state
        user = decision.user
        approved = task_state.status == TaskState.STATUS_APPROVED
        if workflow_state.status == WorkflowState.STATUS_IN_PROGRESS:
            _log_decision(task_state, decision, approved)
            move_on_after(workflow_state, decision)
            if not approved:
                _emit_changes_requested(workflow_state, task_state, decision)
        elif (
            workflow_state.status == WorkflowState.STATUS_CANCELLED
            and not _decision_entries(task_state).exists()
        ):
            _log_decision(task_state, decision, approved)
        else:
            return False  # moved on already
        signal = task_approved if approved else task_rejected
        signal.send(sender=task_state.specific.__class__, instance=task_state.specific, user=user)
        notify_decision(decision)
    return True


def _emit_changes_requested(workflow_state: WorkflowState, task_state: TaskState, decision: ReviewDecision):
    """The post.changes_requested webhook event: here, when the decision takes effect (not when
    it is made, as it may still be undone until then)."""
    events.emit(
        EventType.POST_CHANGES_REQUESTED,
        post=workflow_state.content_object,
        actor=decision.user,
        data={
            "tier": task_state.task.specific.tier,
            "reason": decision.reason,
            "comment": decision.comment,
            "revision": decision.revision_id,
        },
    )


def _log_decision(task_state: TaskState, decision: ReviewDecision, approved: bool) -> None:
    """Wagtail's history entry for the decision that closed the tier, dated when the reviewer
    decided, not when the relay got to it (it may have been down for a while)."""
    task_state.log_state_change_action(decision.user, "approve" if approved else "reject")
    _decision_entries(task_state).update(timestamp=decision.created_at)


def _decision_entries(task_state: TaskState):
    """The post's history entries for the decision that closed `task_state`."""
    return log_registry.get_logs_for_instance(task_state.workflow_state.content_object).filter(
        action__in=["wagtail.workflow.approve", "wagtail.workflow.reject"],
        data__workflow__task_state_id=task_state.pk,
    )


def move_decided_workflow_on(workflow_state: WorkflowState | None) -> None:
    """Move the workflow on now if its current tier is decided and waits for the relay, for an
    action that must see where the decision leads: resubmitting after changes were requested,
    withdrawing a post just approved. (The relay then finds it moved on.)"""
    if workflow_state is None or workflow_state.status != WorkflowState.STATUS_IN_PROGRESS:
        return
    decisions = ReviewDecision.objects.filter(task_state=workflow_state.current_task_state_id)
    for decision in decisions.select_related("task_state", "user").order_by("pk"):
        if _closed_its_tier(decision):
            move_workflow_on(decision)
