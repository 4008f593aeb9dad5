"""The mail server down (unreachable, refusing, or taking the connection and saying nothing):
reviews go on as usual, and every e-mail goes out once it is back, once, by the worker's retries.

Only the mail server is stood in for (approvals/tests/mail_server.py); Django's SMTP backend,
the task worker, the relay and the database are the real ones.
"""

import datetime as dt

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from approvals import notifications
from approvals.models import ReviewDecision
from approvals.portal.digest import send_due_digests
from approvals.portal.models import ClientDigestItem
from approvals.portal.tests.helpers import at_client_tier, client_signs_off
from cms.posts.models import PostStatus

from .helpers import clock_at, decide, status_of, submit
from .mail_server import ACCEPTING, DOWN, HANGING, REFUSING, MailServer

pytestmark = pytest.mark.django_db


@pytest.fixture
def mail_server(settings):
    server = MailServer()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_TIMEOUT = 1
    yield server
    server.stop()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def retries_waiting() -> set[tuple]:
    """(kind, recipient, attempt) of each e-mail the worker will try again."""
    waiting = DBTaskResult.objects.filter(
        task_path="approvals.notifications.send_notification_to", status="READY"
    )
    return {(kind, user, attempt) for kind, _, user, attempt in (r.args_kwargs["args"] for r in waiting)}


def back_after_its_retry_is_due(mail_server, run_worker) -> None:
    """The mail server comes back; the worker's next run after the retry's time sends."""
    mail_server.set(ACCEPTING)
    with clock_at(timezone.now() + notifications.FIRST_RETRY_AFTER + dt.timedelta(seconds=30)):
        run_worker()


@pytest.mark.parametrize("failure", [DOWN, REFUSING, HANGING])
@pytest.mark.usefixtures("database_tasks")
def test_with_the_mail_server_down_reviews_go_on_and_the_emails_follow_once_it_is_back(
    failure, mail_server, relay, run_worker, api, draft, creative, reviewer, committed
):
    post = draft(title="Autumn blend launch")
    mail_server.set(failure)
    with committed():
        assert submit(api, creative, post).status_code == 200
    run_worker()  # the review request can't go out: tried again later

    assert mail_server.messages == []
    assert mail_server.attempts == (0 if failure == DOWN else 1)
    assert retries_waiting() == {(notifications.REVIEW_REQUESTED, reviewer.pk, 2)}

    back_after_its_retry_is_due(mail_server, run_worker)
    [request] = mail_server.to(reviewer.email)
    assert request["Subject"] == "[Acme Coffee] Review requested: Autumn blend launch"
    assert retries_waiting() == set()

    mail_server.set(failure)
    with committed():
        response = decide(api, reviewer, post, comment="Lovely.")
    with committed():
        relay()
    run_worker()  # the author's news can't go out

    # The reviewer got the usual answer, and the decision took effect all the same.
    assert response.status_code == 200 and response.json()["outcome"] == "approved"
    assert ReviewDecision.objects.get(user=reviewer).followed_up_at is not None
    assert status_of(post) == PostStatus.PUBLISHED
    assert mail_server.to(creative.email) == []
    assert retries_waiting() == {(notifications.DECISION, creative.pk, 2)}

    back_after_its_retry_is_due(mail_server, run_worker)
    [news] = mail_server.to(creative.email)
    assert news["Subject"] == "[Acme Coffee] Approved and published: Autumn blend launch"
    assert len(mail_server.messages) == 2  # each once
    assert retries_waiting() == set()


def test_a_clients_digest_waits_for_the_mail_server(
    mail_server, brand_a, creative, reviewer, client_of_a, committed, settings
):
    mail_server.set(DOWN)
    client_signs_off(brand_a)
    with committed():
        at_client_tier(brand_a, creative, reviewer, caption="Our autumn sale starts Friday\nMore words.")
    window = dt.timedelta(minutes=settings.SIGNOFF_CLIENT_DIGEST_MINUTES)

    assert send_due_digests(now=timezone.now() + window) == 0
    assert ClientDigestItem.objects.filter(user=client_of_a, done_at__isnull=True).count() == 1

    mail_server.set(ACCEPTING)
    assert send_due_digests(now=timezone.now() + window + dt.timedelta(minutes=2)) == 1

    [digest] = mail_server.to(client_of_a.email)
    assert digest["Subject"] == "[Acme Coffee] Waiting for your approval: Our autumn sale starts Friday"
    assert not ClientDigestItem.objects.filter(done_at__isnull=True).exists()
