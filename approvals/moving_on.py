"""What follows a decision, on the task worker: the history entry, then the workflow moving on
(the next tier starts, or the post is published or scheduled), Wagtail's signals and the e-mails.

The reviewer's request only records the decision and closes the tier, exactly once
(approvals.services), and queues `follow_up_decision` in the same transaction: with the
database task backend the task's row commits with the decision or not at all, so a decision is
never left without its follow-up. That keeps the click to a handful of statements however long
the workflow's next step takes (starting the next tier, publishing). Until the worker runs (a
second or so) the tier reads as decided and the post waits, "moving on"; an action that must
see where the decision leads (resubmitting, withdrawing) moves the workflow on itself first.

If a follow-up is ever lost (a worker killed mid-task), the turnaround watcher finds the
workflow whose current tier is decided but which has not moved, and moves it on
(`resume_stalled_workflows`).
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F
from django_tasks import task
from wagtail.log_actions import log
from wagtail.log_actions import registry as log_registry
from wagtail.models import TaskState, WorkflowState
from wagtail.signals import task_approved, task_rejected

from .models import ReviewDecision
from .notifications import notify_decision

logger = logging.getLogger(__name__)

# How long a decided tier may wait for its follow-up before the watcher takes it over.
STALLED_AFTER = timedelta(minutes=2)

_inline: ContextVar[bool] = ContextVar("signoff_follow_up_inline", default=False)


@contextmanager
def decisions_followed_up_inline() -> Iterator[None]:
    """Follow up each decision inside it at once, e.g. while seeding the demo, which walks
    posts through tier after tier before any worker runs."""
    token = _inline.set(True)
    try:
        yield
    finally:
        _inline.reset(token)


def follow_up(decision: ReviewDecision, *, approvals: int = 0, needed: int = 0) -> None:
    """Queue the decision's follow-up (called inside the decision's transaction). An approval
    short of the `needed` count leaves the tier open: it is only logged."""
    if _inline.get():
        follow_up_decision.call(decision.pk, approvals, needed)
    else:
        follow_up_decision.enqueue(decision.pk, approvals, needed)


@task()
def follow_up_decision(decision_id: int, approvals: int, needed: int) -> None:
    """Log the decision in the post's history and, if it closed the tier, move the workflow on."""
    decision = ReviewDecision.objects.select_related("task_state__task__reviewtask", "user").get(
        pk=decision_id
    )
    with transaction.atomic():  # all or nothing, also where tests run it inside the decision's own
        if approvals < needed:
            _log_partial_approval(decision, approvals, needed)
        else:
            move_workflow_on(decision)


def _log_partial_approval(decision: ReviewDecision, approvals: int, needed: int) -> None:
    post = decision.task_state.workflow_state.content_object
    log(
        instance=post,
        action="signoff.partial_approval",
        user=decision.user,
        revision=decision.revision,
        timestamp=decision.created_at,
        data={
            "tier": decision.task_state.task.reviewtask.get_tier_display(),
            "approvals": approvals,
            "needed": needed,
            "comment": decision.comment,
        },
    )


def move_workflow_on(decision: ReviewDecision) -> bool:
    """Log the decision that closed its tier and move the workflow on, once: a second call (a
    retried task, the watcher's sweep) finds the workflow already moved and does nothing.

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
            workflow_state.update(user=user)
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


def _log_decision(task_state: TaskState, decision: ReviewDecision, approved: bool) -> None:
    """Wagtail's history entry for the decision that closed the tier, dated when the reviewer
    decided, not when the worker got to it (it may have been down for a while)."""
    task_state.log_state_change_action(decision.user, "approve" if approved else "reject")
    _decision_entries(task_state).update(timestamp=decision.created_at)


def _decision_entries(task_state: TaskState):
    """The post's history entries for the decision that closed `task_state`."""
    return log_registry.get_logs_for_instance(task_state.workflow_state.content_object).filter(
        action__in=["wagtail.workflow.approve", "wagtail.workflow.reject"],
        data__workflow__task_state_id=task_state.pk,
    )


def move_decided_workflow_on(workflow_state: WorkflowState | None) -> None:
    """Move the workflow on now if its current tier is decided and waits for the worker, for an
    action that must see where the decision leads: resubmitting after changes were requested,
    withdrawing a post just approved."""
    if workflow_state is None or workflow_state.status != WorkflowState.STATUS_IN_PROGRESS:
        return
    for decision in _closing_decisions([workflow_state.current_task_state_id]):
        move_workflow_on(decision)


def _closing_decisions(task_states) -> list[ReviewDecision]:
    """The decisions that closed these task states (by the person who closed them)."""
    return list(
        ReviewDecision.objects.filter(
            task_state__in=task_states,
            task_state__status__in=[TaskState.STATUS_APPROVED, TaskState.STATUS_REJECTED],
            user=F("task_state__finished_by"),
        )
        .select_related("task_state", "user")
        .order_by("pk")
    )


def resume_stalled_workflows(*, now: datetime) -> int:
    """Move on the workflows whose current tier was decided a while ago but which never moved
    (their follow-up was lost); returns how many moved."""
    stalled = WorkflowState.objects.filter(
        status=WorkflowState.STATUS_IN_PROGRESS,
        current_task_state__status__in=[TaskState.STATUS_APPROVED, TaskState.STATUS_REJECTED],
        current_task_state__finished_at__lt=now - STALLED_AFTER,
    )
    moved = 0
    for decision in _closing_decisions(stalled.values("current_task_state")):
        try:
            moved += move_workflow_on(decision)
        except Exception:
            logger.exception("Could not move on the workflow after decision %s", decision.pk)
    return moved
