"""The database queue that takes the tasks Redis can't (cms.task_backends), apart from the RQ
backend itself so that reading it never imports RQ (which needs RQ_QUEUES configured)."""

from django.conf import settings
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

FALLBACK = "fallback"  # the alias of the database backend in settings.TASKS


def fallback_backlog() -> int | None:
    """Tasks waiting in the database because Redis couldn't take them (None where there is no
    fallback queue): /healthz says it, so a backlog nobody runs is seen."""
    if FALLBACK not in settings.TASKS:
        return None
    return DBTaskResult.objects.filter(backend_name=FALLBACK, status=TaskResultStatus.READY).count()
