"""The turnaround watcher: a reminder when half of a tier's target has passed, an escalation to
the brand's account leads once it is overdue, each sent once and recorded in the post's history.

It runs on the task worker (`manage.py db_worker`): every run scans once and queues the next run
SIGNOFF_TURNAROUND_INTERVAL seconds later; `manage.py watch_turnaround` queues the first (and
`--once` scans right away, for operators and for cron where the task backend can't defer).
"""

import enum
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult
from wagtail.log_actions import log
from wagtail.models import TaskState

from cms.archive.delivering import send_due_deliveries
from cms.posts.models import Post
from integrations.events import send_due_events

from . import notifications
from .models import TurnaroundNotice
from .portal.digest import send_due_digests
from .publishing import publish_due_revisions
from .selectors import due_at, reminder_at, working_hours_of
from .turnaround import is_working_time

logger = logging.getLogger(__name__)


@dataclass
class Sent:
    reminders: int = 0
    escalations: int = 0


def send_turnaround_notices(*, now: datetime) -> Sent:
    """Send the reminders and escalations that are due at `now`, each once per tier visit.

    Only in the brand's working hours: a reminder whose time passed at 17:58 waits for the next
    morning rather than waking anyone at 3 a.m. Two queries however many reviews are open,
    plus a few for each notice actually sent.
    """
    sent = Sent()
    for task_state in _open_reviews():
        try:
            _send_due_notices(task_state, now, sent)
        except Exception:
            # One post's trouble (say, working hours saved around the policy form's checks) must
            # not hold up every other brand's reminders; its notice is retried on the next scan.
            logger.exception("Turnaround check failed for task state %s", task_state.pk)
    return sent


def _send_due_notices(task_state: TaskState, now: datetime, sent: Sent) -> None:
    post = task_state.post
    if not is_working_time(now, working_hours_of(post)):
        return
    due = due_at(task_state, post)
    if not task_state.reminded and now >= reminder_at(task_state, post):
        sent.reminders += _send_once(
            task_state, post, TurnaroundNotice.Kind.REMINDER, due, notifications.notify_reminder
        )
    # Both go out when a tier is found overdue before its reminder (the worker was stopped, or a
    # zero-hour target): the deciders and the leads each hear about it.
    if now >= due:
        sent.escalations += _send_once(
            task_state, post, TurnaroundNotice.Kind.ESCALATION, due, notifications.notify_escalation
        )


def _open_reviews() -> list[TaskState]:
    """The tiers in progress on posts that have not been escalated yet, each with its `post`
    (brand and approval policy loaded) and whether its reminder went out (`reminded`)."""
    notices = TurnaroundNotice.objects.filter(task_state=OuterRef("pk"))
    task_states = list(
        TaskState.objects.filter(
            status=TaskState.STATUS_IN_PROGRESS,
            task__reviewtask__isnull=False,
            workflow_state__base_content_type__app_label="posts",
            workflow_state__base_content_type__model="post",
        )
        .annotate(
            reminded=Exists(notices.filter(kind=TurnaroundNotice.Kind.REMINDER)),
            escalated=Exists(notices.filter(kind=TurnaroundNotice.Kind.ESCALATION)),
        )
        .filter(escalated=False)
        .select_related("task__reviewtask", "workflow_state")
        .order_by("started_at", "pk")
    )
    # A task state reaches its post through a generic relation, which select_related can't follow.
    posts = Post.objects.select_related("brand__approval_policy").in_bulk(
        {int(task_state.workflow_state.object_id) for task_state in task_states}
    )
    for task_state in task_states:
        task_state.post = posts.get(int(task_state.workflow_state.object_id))
    return [task_state for task_state in task_states if task_state.post is not None]


def _send_once(task_state: TaskState, post: Post, kind: str, due: datetime, notify) -> int:
    """Record the notice, log it and notify, all or nothing. The unique (task state, kind) row is
    what makes it once, even with two workers scanning at the same moment."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                TurnaroundNotice.objects.create(task_state=task_state, kind=kind)
        except IntegrityError:
            return 0  # someone else sent it
        tier = task_state.task.reviewtask
        log(
            instance=post,
            action=f"signoff.{'reminder_sent' if kind == TurnaroundNotice.Kind.REMINDER else 'escalated'}",
            revision=task_state.revision,
            data={
                "tier": tier.get_tier_display(),
                "task_state": task_state.pk,
                "due_at": due.astimezone(post.brand.tz).isoformat(),
                "time_zone": post.brand.time_zone,
            },
        )
        notify(task_state)
    return 1


# Running it periodically on the task worker -------------------------------------------------------


class Queued(enum.Enum):
    QUEUED = "queued"
    ALREADY_QUEUED = "already queued"
    CANNOT_DEFER = "cannot defer"


@task()
def watch_turnaround() -> dict:
    """One scan, then the next one queued: the chain keeps itself going on the worker."""
    try:
        return scan(now=timezone.now())
    finally:
        keep_watching(after=timedelta(seconds=settings.SIGNOFF_TURNAROUND_INTERVAL))


def scan(*, now) -> dict:
    """Everything the watcher does each run: reminders and escalations. It is also the safety net
    of publishing (scheduled posts whose own task was lost go out, deliveries whose task was lost
    or whose sender died are sent) and of clients' digest e-mails (any whose window has passed
    goes out; a failed one is tried again). Run by the chained task (database backend) or by
    `manage.py watch_turnaround --once` / `--every N` (cron, or beside RQ workers)."""
    sent = send_turnaround_notices(now=now)
    published = _catching_up("publishing due posts", publish_due_revisions, now=now)
    delivered = _catching_up("sending due deliveries", send_due_deliveries, now=now)
    webhook_events = _catching_up("sending due webhook events", send_due_events, now=now)
    digests = _catching_up("sending client digests", send_due_digests, now=now)
    return {
        "reminders": sent.reminders,
        "escalations": sent.escalations,
        "published": published,
        "deliveries": delivered,
        "webhook_events": webhook_events,
        "client_digests": digests,
    }


def _catching_up(what: str, step, **kwargs) -> int:
    try:
        return step(**kwargs)
    except Exception:  # logged; the next run tries again, and the reminders still went out
        logger.exception("The watcher failed %s", what)
        return 0


def keep_watching(*, after: timedelta | None = None) -> Queued:
    """Queue a watcher run (`after` from now, or right away) unless one is already waiting.

    One waiting run at a time, however often this is called (each run, each `scripts/run`
    start), so runs never pile up. The check and the enqueue happen under a lock: SQLite's
    IMMEDIATE transactions (cms/settings/base.py) and an advisory lock on PostgreSQL.
    """
    backend = watch_turnaround.get_backend()
    if not isinstance(backend, DatabaseBackend):
        # E.g. the immediate backend in tests, which would run the next scan at once, forever.
        return Queued.CANNOT_DEFER
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [watch_turnaround.module_path])
        # Waiting: not yet started, whether its time has come or not (a stopped worker's run
        # is still waiting when the worker comes back). The running one is not waiting.
        waiting = DBTaskResult.objects.filter(
            status=TaskResultStatus.READY, task_path=watch_turnaround.module_path, backend_name=backend.alias
        )
        if waiting.exists():
            return Queued.ALREADY_QUEUED
        run = watch_turnaround if after is None else watch_turnaround.using(run_after=timezone.now() + after)
        run.enqueue()
    return Queued.QUEUED
