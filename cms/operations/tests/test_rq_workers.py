"""Background work on Redis with RQ workers, by configuration alone (SIGNOFF_TASKS_BACKEND=rq):
a task queued by the app runs on `manage.py rqworker`, and the turnaround watcher runs as its own
process (`watch_turnaround --every`), since RQ doesn't keep the watcher's chain going."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import redis
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
REDIS_URL = os.environ.get("SIGNOFF_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


def redis_is_up() -> bool:
    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except redis.exceptions.RedisError:
        return False


pytestmark = pytest.mark.skipif(not redis_is_up(), reason=f"no Redis at {REDIS_URL}")


@pytest.fixture
def installation(tmp_path):
    """A fresh install configured for RQ (its own SQLite file, its own Redis database)."""
    redis.Redis.from_url(REDIS_URL).flushdb()
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "SIGNOFF_TASKS_BACKEND": "rq",
        "REDIS_URL": REDIS_URL,
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
    }

    def manage(*args, timeout=180):
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        return result

    manage("migrate", "--noinput", "-v0")
    yield manage
    redis.Redis.from_url(REDIS_URL).flushdb()


def test_a_task_the_app_queues_runs_on_an_rq_worker(installation):
    installation(
        "shell",
        "-c",
        "from django.contrib.auth.models import User; "
        "User.objects.create_user('jo', 'jo@agency.example', 'a-long-passphrase'); "
        "from cms.sign_in import send_admin_password_reset; "
        "send_admin_password_reset.enqueue('jo@agency.example')",
    )
    assert redis.Redis.from_url(REDIS_URL).llen("rq:queue:default") == 1  # queued on Redis, not run

    worker = installation("rqworker", "default", "--burst", "--job-class", "django_tasks_rq.backend.Job")

    assert "To: jo@agency.example" in worker.stdout + worker.stderr, worker.stderr[-3000:]
    assert redis.Redis.from_url(REDIS_URL).llen("rq:queue:default") == 0


def test_the_watcher_refuses_to_chain_itself_on_rq_and_scans_on_its_own_instead(installation):
    result = subprocess.run(
        [sys.executable, "manage.py", "watch_turnaround"],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
            "SIGNOFF_TASKS_BACKEND": "rq",
            "REDIS_URL": REDIS_URL,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0 and "--once" in result.stderr

    once = installation("watch_turnaround", "--once")
    assert once.stdout.startswith("Sent 0 reminder(s)")
