"""Background work on RQ that never fails a request because Redis is away.

With SIGNOFF_TASKS_BACKEND=rq, tasks are queued on Redis from inside requests: Wagtail's search
index after a post or image is saved, the e-mails of a password reset or a new portal link, a
review's notifications. Were Redis down, each of those requests would answer 500, and the work
would be lost. Here a task Redis can't take is queued in the database instead (the `fallback`
backend, django-tasks' database queue), and `manage.py db_worker --backend fallback` runs it:
nothing is lost, nothing fails, and once Redis is back new work goes to RQ again.
"""

import logging

import redis
from django_tasks_rq import RQBackend

logger = logging.getLogger(__name__)

FALLBACK = "fallback"  # the alias of the database backend in settings.TASKS


class RQWithDatabaseFallback(RQBackend):
    def enqueue(self, task, args, kwargs):
        try:
            return super().enqueue(task, args, kwargs)
        except redis.exceptions.RedisError as error:  # refused, timed out, read-only, out of memory
            logger.warning(
                "Redis could not take task %s (%s); queued in the database for `db_worker --backend %s`",
                task.module_path,
                error,
                FALLBACK,
            )
            return task.using(backend=FALLBACK).enqueue(*args, **kwargs)
