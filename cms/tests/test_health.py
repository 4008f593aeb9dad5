"""/healthz: what load balancers and uptime checks ask."""

import datetime as dt
from unittest import mock

from django.core.management import call_command
from django.db import OperationalError
from django.utils import timezone

from approvals.models import ReviewDecision
from approvals.services import approve_task, submit_post
from cms.posts.factories import PostFactory


def test_it_answers_ok_when_the_database_answers(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert "no-cache" in response["Cache-Control"]


def test_it_answers_503_when_the_database_fails(client, db):
    with mock.patch("django.db.connection.cursor", side_effect=OperationalError("connection refused")):
        response = client.get("/healthz")

    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert response.json() == {"status": "error", "database": "OperationalError"}


def test_it_says_when_the_relay_falls_behind_on_review_decisions(
    client, brand_a, creative, reviewer, settings
):
    """A decision waiting minutes to move on means the relay (follow_up_decisions) is down or
    failing: an uptime check can alert on it, while the web app stays in the load balancer."""
    settings.SIGNOFF_FOLLOW_UP_AT_ONCE = False  # as in production: the relay follows decisions up
    post = PostFactory(brand=brand_a, created_by=creative)
    post.save_revision(user=creative)
    submit_post(post=post, user=creative)
    approve_task(task_state=post.current_workflow_task_state, user=reviewer)

    assert client.get("/healthz").json() == {
        "status": "ok",
        "database": "ok",
        "relay": "ok",  # a decision a moment old is the relay's next one
        "decisions_waiting": 1,
    }

    ReviewDecision.objects.update(created_at=timezone.now() - dt.timedelta(minutes=3))
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["relay"] == "behind"

    call_command("follow_up_decisions", once=True, verbosity=0)

    assert client.get("/healthz").json()["relay"] == "ok"
    assert client.get("/healthz").json()["decisions_waiting"] == 0


def test_it_still_answers_ok_when_the_relays_backlog_cannot_be_read(client, db):
    """E.g. new code before `migrate`: the web app serves; only the relay's state is unknown."""
    with mock.patch("cms.views.relay_backlog", side_effect=OperationalError("no such column")):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "relay": "unknown"}


def test_on_rq_it_says_how_many_tasks_wait_in_the_database_for_redis(client, db, settings):
    from cms.sign_in import send_admin_password_reset

    assert "tasks_waiting_in_fallback" not in client.get("/healthz").json()  # no fallback queue here
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend"},
        "fallback": {"BACKEND": "django_tasks_db.DatabaseBackend"},
    }
    send_admin_password_reset.using(backend="fallback").enqueue("jo@agency.example")

    assert client.get("/healthz").json()["tasks_waiting_in_fallback"] == 1
