"""Background work on RQ that never fails a request because Redis is away.

With SIGNOFF_TASKS_BACKEND=rq, tasks are queued on Redis from inside requests: Wagtail's search
index after a post or image is saved, the e-mails of a password reset or a new portal link, a
review's notifications. Were Redis down, each of those requests would answer 500, and the work
would be lost. Here a task Redis can't take is queued in the database instead (the `fallback`
backend, django-tasks' database queue), and `manage.py db_worker --backend fallback` runs it:
nothing is lost, nothing fails, and once Redis is back new work goes to RQ again.
"""

import logging
import time

import redis
from django_tasks_rq import RQBackend

from .task_fallback import FALLBACK

logger = logging.getLogger(__name__)

# After Redis fails, this process sends tasks straight to the database for a while rather than
# wait on Redis for each (a Redis that stops answering costs its timeout, settings.RQ_QUEUES).
RETRY_REDIS_AFTER_SECONDS = 30


class RQWithDatabaseFallback(RQBackend):
    redis_away_until = 0.0  # time.monotonic(); per process

    def enqueue(self, task, args, kwargs):
        if time.monotonic() >= self.redis_away_until:
            try:
                return super().enqueue(task, args, kwargs)
            except redis.exceptions.RedisError as error:  # refused, timed out, read-only, full
                type(self).redis_away_until = time.monotonic() + RETRY_REDIS_AFTER_SECONDS
                logger.warning(
                    "Redis could not take task %s (%s); tasks wait in the database for "
                    "`db_worker --backend %s` for the next %s s",
                    task.module_path,
                    error,
                    FALLBACK,
                    RETRY_REDIS_AFTER_SECONDS,
                )
        return task.using(backend=FALLBACK).enqueue(*args, **kwargs)
