"""Brand-scoped e-mails about reviews. Each function is called inside the workflow's transaction
and only enqueues a background task once that transaction commits; nothing is sent in the request.

(Interface fixed first so the workflow and the turnaround watcher can call it; the sending is
being built.)"""

from wagtail.models import TaskState

from .models import ReviewDecision


def notify_review_requested(task_state: TaskState) -> None:
    """A tier started on a post: tell the people who may decide it."""


def notify_decision(decision: ReviewDecision) -> None:
    """Someone approved or requested changes: tell the post's author (and submitter)."""


def notify_reminder(task_state: TaskState) -> None:
    """Half of the tier's turnaround target has passed: remind the people who may decide it."""


def notify_escalation(task_state: TaskState) -> None:
    """The tier is overdue: tell the brand's account leads."""
