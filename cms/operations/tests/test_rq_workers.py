"""Background work on Redis with RQ workers, by configuration alone (SIGNOFF_TASKS_BACKEND=rq):
tasks the app queues run on `manage.py rqworker`; an approved post is published, and handed to its
channels, exactly once however many workers and copies of the job there are; the relay follows a
decision up and what follows runs on the workers; a worker or relay killed mid-way (SIGKILL) and
started again loses nothing and does nothing twice. The turnaround watcher runs as its own
process (`watch_turnaround --every`), since RQ doesn't keep the watcher's chain going.

Each test runs a fresh installation in real processes: a copy of a database migrated once per
session (SQLite, or the PostgreSQL server of DATABASE_URL when that is one), its own Redis
database, and a webhook receiver on this machine that the deliveries are sent to over HTTP.
"""

import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis
from django.conf import settings

from cms.archive.tests.receiver import Receiver

ROOT = Path(settings.BASE_DIR)
DATABASE_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRES = DATABASE_URL.startswith("postgres")
# Under pytest-xdist each worker gets its own databases, so one's flush never empties another's queue.
XDIST_NUMBER = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)


def _redis_url() -> str:
    parts = urlsplit(os.environ.get("SIGNOFF_TEST_REDIS_URL", "redis://127.0.0.1:6379/14"))
    number = (int(parts.path.lstrip("/") or 0) - XDIST_NUMBER) % 16
    return urlunsplit(parts._replace(path=f"/{number}"))


REDIS_URL = _redis_url()
# As docs/deploy.md runs it.
RQ_WORKER = ["rqworker", "default", "--with-scheduler", "--job-class", "django_tasks_rq.backend.Job"]
PLATFORMS = ["facebook", "x", "linkedin"]


def redis_is_up() -> bool:
    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except redis.exceptions.RedisError:
        return False


pytestmark = pytest.mark.skipif(not redis_is_up(), reason=f"no Redis at {REDIS_URL}")


def environment(database_url: str) -> dict:
    return {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
        "DATABASE_URL": database_url,
        "SIGNOFF_TASKS_BACKEND": "rq",
        "REDIS_URL": REDIS_URL,
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
        "SIGNOFF_UNDO_SECONDS": "0",  # the relay follows a decision up at once
        "PYTHONUNBUFFERED": "1",
    }


class Installation:
    """One installation: `installation("migrate", ...)` runs a management command to the end;
    `start` runs one as a process of its own (a worker, the relay), `kill` ends it as a crash would."""

    def __init__(self, env: dict, folder: Path):
        self.env, self.folder, self.processes = env, folder, []

    def __call__(self, *args, timeout=120) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
        return result

    def start(self, *args) -> subprocess.Popen:
        log = self.folder / f"{args[0]}-{len(self.processes)}.log"
        with log.open("w") as output:  # the process keeps its own copy of the file open
            process = subprocess.Popen(
                [sys.executable, "manage.py", *args],
                cwd=ROOT,
                env=self.env,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        process.log = log
        self.processes.append(process)
        return process

    def kill(self, process: subprocess.Popen) -> None:
        """SIGKILL, the process and every process it started (an RQ worker's work horse, which
        RQ puts in a session of its own), as a crashed machine or container would: no clean-up runs."""
        for pid in [process.pid, *descendants(process.pid)]:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        process.wait(timeout=30)

    def output(self, process: subprocess.Popen) -> str:
        return process.log.read_text()

    def scene(self, *calls: str) -> dict:
        """Run calls into cms/operations/tests/scenes.py; what the last one printed."""
        code = "import cms.operations.tests.scenes as scenes; " + "; ".join(calls)
        lines = self("shell", "-c", code).stdout.splitlines()
        return json.loads([line for line in lines if line.startswith("{")][-1])

    def report(self, post_id: int) -> dict:
        return self.scene(f"scenes.report({post_id})")

    def end(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                self.kill(process)


def descendants(pid: int) -> list[int]:
    try:
        children = [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []
    return [grandchild for child in children for grandchild in [child, *descendants(child)]]


# Databases: migrated once per session, copied for each test --------------------------------------


def _postgres(name: str) -> str:
    return urlunsplit(urlsplit(DATABASE_URL)._replace(path=f"/{name}"))


def _postgres_name(kind: str) -> str:
    base = urlsplit(DATABASE_URL).path.lstrip("/") or "signoff"
    return f"test_{base}_rq_{kind}_{XDIST_NUMBER}"


def _on_postgres_server(*statements: str) -> None:
    import psycopg

    with psycopg.connect(_postgres("postgres"), autocommit=True) as server:
        for statement in statements:
            server.execute(statement)


@pytest.fixture(scope="session")
def migrated(tmp_path_factory):
    """A database migrated once per session (migrating takes a quarter of a minute)."""
    if ON_POSTGRES:
        name = _postgres_name("template")
        _on_postgres_server(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')
        Installation(environment(_postgres(name)), ROOT)("migrate", "--noinput", "-v0", timeout=300)
        yield name
        _on_postgres_server(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        path = tmp_path_factory.mktemp("rq") / "migrated.sqlite3"
        Installation(environment(f"sqlite:///{path}"), ROOT)("migrate", "--noinput", "-v0", timeout=300)
        database = sqlite3.connect(path)
        database.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # everything in the file itself
        database.close()
        yield path


@pytest.fixture
def installation(migrated, tmp_path):
    """A fresh install configured for RQ: a copy of the migrated database, its own Redis database."""
    redis.Redis.from_url(REDIS_URL).flushdb()
    if ON_POSTGRES:
        name = _postgres_name("test")
        _on_postgres_server(
            f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
            f'CREATE DATABASE "{name}" TEMPLATE "{migrated}"',
        )
        database_url = _postgres(name)
    else:
        shutil.copy(migrated, tmp_path / "db.sqlite3")
        database_url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    installation = Installation(environment(database_url), tmp_path)
    installation.env["MEDIA_ROOT"] = str(tmp_path / "media")
    yield installation
    installation.end()
    redis.Redis.from_url(REDIS_URL).flushdb()
    if ON_POSTGRES:
        _on_postgres_server(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def receiver():
    receiver = Receiver()
    yield receiver
    receiver.stop()


def queued() -> int:
    return redis.Redis.from_url(REDIS_URL).llen("rq:queue:default")


# Tasks, the watcher ------------------------------------------------------------------------------


def test_a_task_the_app_queues_runs_on_an_rq_worker(installation):
    installation(
        "shell",
        "-c",
        "from django.contrib.auth.models import User; "
        "User.objects.create_user('jo', 'jo@agency.example', 'a-long-passphrase'); "
        "from cms.sign_in import send_admin_password_reset; "
        "send_admin_password_reset.enqueue('jo@agency.example')",
    )
    assert queued() == 1  # queued on Redis, not run

    worker = installation(*RQ_WORKER, "--burst")

    assert "To: jo@agency.example" in worker.stdout + worker.stderr, worker.stderr[-3000:]
    assert queued() == 0


def test_with_redis_away_requests_answer_as_usual_and_their_tasks_wait_in_the_database(installation):
    installation.env["REDIS_URL"] = "redis://127.0.0.1:9/0"  # nothing listens there

    away = installation.scene("scenes.saved_and_asked_with_redis_away()")

    assert away["status"] == 302  # the reset form's usual answer, not a 500
    assert "cms.sign_in.send_admin_password_reset" in away["waiting"]
    assert "modelsearch.tasks.insert_or_update_object_task" in away["waiting"]  # the post's index
    worker = installation("db_worker", "--backend", "fallback", "--queue-name", "*", "--batch")
    assert "To: jo@agency.example" in worker.stdout + worker.stderr, worker.stderr[-3000:]


def test_a_redis_that_stops_answering_holds_a_task_for_seconds_then_not_at_all(installation):
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)  # takes connections (the kernel does), never answers
    installation.env["REDIS_URL"] = f"redis://127.0.0.1:{silent.getsockname()[1]}/0"
    try:
        enqueued = installation.scene("scenes.enqueued_twice_with_redis_silent()")
    finally:
        silent.close()

    first, second = enqueued["seconds"]
    assert first < 5 and second < 0.5, enqueued  # a timeout once, then straight to the database
    assert enqueued["waiting"] == 2


def test_the_watcher_refuses_to_chain_itself_on_rq_and_scans_on_its_own_instead(installation):
    result = subprocess.run(
        [sys.executable, "manage.py", "watch_turnaround"],
        cwd=ROOT,
        env=installation.env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0 and "--once" in result.stderr

    once = installation("watch_turnaround", "--once")
    assert once.stdout.startswith("Sent 0 reminder(s)")


# Publishing and the relay ------------------------------------------------------------------------


def test_an_approved_post_due_now_is_published_once_by_two_rq_workers_with_its_job_queued_twice(
    installation, receiver
):
    post = installation.scene(
        f"scenes.approved_and_due_now({receiver.url!r}, {PLATFORMS!r})", "scenes.enqueue_publishing(2)"
    )["post"]

    workers = [
        installation.start(*RQ_WORKER, "--burst") for _ in range(2)
    ]  # at once, until the queue is empty
    for worker in workers:
        assert worker.wait(timeout=120) == 0, installation.output(worker)[-3000:]

    state = installation.report(post)
    assert state["live"] and state["history"]["wagtail.publish.scheduled"] == 1
    assert state["deliveries"] == {code: ["delivered", 1, 1] for code in PLATFORMS}
    assert state["archived"] == sorted(PLATFORMS)  # one archive entry per channel
    assert sorted(payload["platform"] for payload in receiver.payloads()) == sorted(PLATFORMS)


def test_the_relay_follows_a_decision_up_and_what_follows_runs_on_an_rq_worker(installation, receiver):
    post = installation.scene(f"scenes.approved_waiting_for_the_relay({receiver.url!r}, {PLATFORMS[:2]!r})")[
        "post"
    ]

    relay = installation("follow_up_decisions", "--once")
    assert relay.stdout.strip() == "Followed up 1 decision(s)."
    worker = installation(*RQ_WORKER, "--burst")

    state = installation.report(post)
    assert state["live"] and state["decisions_waiting"] == 0
    assert state["history"]["wagtail.workflow.approve"] == 1
    assert state["archived"] == sorted(PLATFORMS[:2])
    assert len(receiver.requests) == 2
    # The author's e-mail went out from the worker (the console backend prints it).
    assert "Subject: [Acme Coffee] Approved and published: Autumn blend launch" in worker.stdout
    assert installation("follow_up_decisions", "--once").stdout.strip() == "Followed up 0 decision(s)."


def test_a_worker_killed_mid_delivery_loses_nothing_and_does_nothing_twice_once_restarted(
    installation, receiver
):
    lease = 5
    installation.env["SIGNOFF_DELIVERY_LEASE_SECONDS"] = str(lease)
    post = installation.scene(
        f"scenes.approved_and_due_now({receiver.url!r}, {PLATFORMS[:2]!r})", "scenes.enqueue_publishing(1)"
    )["post"]
    release = receiver.stall = threading.Event()  # the first delivery's receiver takes its time

    worker = installation.start(*RQ_WORKER)  # as deployed: runs until stopped
    assert receiver.stalled.wait(timeout=60), installation.output(worker)[-3000:]
    held_since = time.monotonic()
    installation.kill(worker)  # mid-delivery: the receiver has the post, the worker never hears back
    release.set()
    held = receiver.payloads()[0]["platform"]
    [other] = set(PLATFORMS[:2]) - {held}

    installation(*RQ_WORKER, "--burst")  # started again: the delivery still queued goes out
    state = installation.report(post)
    assert state["live"]
    assert state["deliveries"] == {held: ["sending", 1, 1], other: ["delivered", 1, 1]}
    assert state["archived"] == [other]

    # The killed worker's delivery is sent again once its lease is out, by the scheduler process's
    # scan, with the same idempotency key: the receiver posts it once.
    time.sleep(max(0.0, held_since + lease + 1 - time.monotonic()))
    installation("watch_turnaround", "--once")

    state = installation.report(post)
    assert state["deliveries"] == {held: ["delivered", 2, 2], other: ["delivered", 1, 1]}
    assert state["archived"] == sorted(PLATFORMS[:2])
    keys = receiver.keys()
    assert len(keys) == 3 and keys[0] == keys[2] and len(set(keys)) == 2
    assert state["history"]["wagtail.publish.scheduled"] == 1


def test_a_relay_killed_mid_follow_up_loses_nothing_and_does_nothing_twice_once_restarted(
    installation, receiver
):
    post = installation.scene(f"scenes.approved_waiting_for_the_relay({receiver.url!r}, ['facebook'])")[
        "post"
    ]

    with holding(installation, post) as relay_is_waiting:
        relay = installation.start("follow_up_decisions", "--no-reload")
        relay_is_waiting(relay)
        installation.kill(relay)

    state = installation.report(post)
    assert not state["live"] and state["decisions_waiting"] == 1  # nothing of it stayed
    assert "wagtail.workflow.approve" not in state["history"]

    assert installation("follow_up_decisions", "--once").stdout.strip() == "Followed up 1 decision(s)."
    installation(*RQ_WORKER, "--burst")

    state = installation.report(post)
    assert state["live"] and state["decisions_waiting"] == 0
    assert state["history"]["wagtail.workflow.approve"] == 1
    assert state["archived"] == ["facebook"] and len(receiver.requests) == 1


@contextmanager
def holding(installation: Installation, post_id: int):
    """Keep the relay inside its follow-up until it is killed. On PostgreSQL: hold the post's row,
    which publishing locks after the decision's history entry is written, so the relay dies
    mid-transaction. On SQLite (one writer at a time): hold the write lock, so it dies waiting to
    begin. Yields a function that waits until the relay is stuck there."""
    database_url = installation.env["DATABASE_URL"]
    if ON_POSTGRES:
        import psycopg

        name = urlsplit(database_url).path.lstrip("/")
        holder = psycopg.connect(database_url)
        holder.execute("SELECT 1 FROM posts_post WHERE id = %s FOR UPDATE", [post_id])

        def waiting(relay):
            with psycopg.connect(database_url, autocommit=True) as watcher:
                for _ in range(600):
                    blocked = "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'"
                    if watcher.execute(blocked, [name]).fetchone()[0]:
                        return
                    assert relay.poll() is None, installation.output(relay)[-3000:]
                    time.sleep(0.1)
            pytest.fail("the relay never reached the post")

        try:
            yield waiting
        finally:
            holder.rollback()
            holder.close()
            # The killed relay's session ends once it has no lock to wait on; until then it holds
            # the decision (FOR UPDATE SKIP LOCKED), and a relay started now would pass it by.
            with psycopg.connect(database_url, autocommit=True) as watcher:
                others = (
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()"
                )
                for _ in range(300):
                    if not watcher.execute(others, [name]).fetchone()[0]:
                        break
                    time.sleep(0.1)
    else:
        path = database_url.removeprefix("sqlite:///")
        holder = sqlite3.connect(path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")

        def waiting(relay):
            # It has opened the database (its look for decisions due) and waits on the lock.
            for _ in range(600):
                if any(
                    os.readlink(fd).endswith("db.sqlite3")
                    for fd in Path(f"/proc/{relay.pid}/fd").iterdir()
                    if fd.is_symlink()
                ):
                    time.sleep(1)
                    return
                assert relay.poll() is None, installation.output(relay)[-3000:]
                time.sleep(0.1)
            pytest.fail("the relay never opened the database")

        try:
            yield waiting
        finally:
            holder.execute("ROLLBACK")
            holder.close()
