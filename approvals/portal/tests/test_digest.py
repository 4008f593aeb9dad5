"""One e-mail per client batch: a client's review requests and reminders are gathered into a digest,
sent once the window (SIGNOFF_CLIENT_DIGEST_MINUTES) from the first has passed, listing every post
awaiting them with one magic link that later digests reuse while it is valid. Staff e-mails are
not gathered. A failed send loses nothing: a later run sends it.

Tests run tasks at once (the immediate backend), which can't run the digest's own task later, so
each test runs `send_due_digests` itself at the moment it means, as the worker would.
"""

import datetime as dt
import logging
import re
import smtplib
from unittest import mock
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from approvals.models import NotificationPreference
from approvals.notifications import notify_reminder
from approvals.portal.digest import gather, send_due_digests
from approvals.portal.magic_links import revoke
from approvals.portal.models import ClientDigestItem, MagicLink
from approvals.services import approve_task, request_changes
from approvals.tests.helpers import current_task_state
from brands.factories import UserFactory, client_user, membership
from brands.models import BrandRole

from .helpers import at_client_tier, client_signs_off, in_agency_review

pytestmark = pytest.mark.django_db

BASE_URL = "https://signoff.example"
WINDOW = dt.timedelta(minutes=15)


@pytest.fixture(autouse=True)
def base_url(settings):
    settings.WAGTAILADMIN_BASE_URL = BASE_URL


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed():` — what happens inside commits at the end, and its tasks run then."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def sent_to_client(brand_a, creative, reviewer, client_of_a, committed):
    """`sent_to_client(n)`: n posts of brand A the agency approved, now awaiting the client."""
    client_signs_off(brand_a)

    def _send(count=1, **fields):
        posts = []
        for number in range(count):
            caption = fields.pop("caption", None) or f"Autumn post number {number + 1}\nMore words."
            with committed():
                posts.append(at_client_tier(brand_a, creative, reviewer, caption=caption, **fields))
        return posts

    return _send


def emails_to(user):
    return [message for message in mail.outbox if message.to == [user.email]]


def portal_links(text: str) -> list[str]:
    return re.findall(rf"{re.escape(BASE_URL)}/portal/link/[^\s\"<>]+", text.replace("&amp;", "&"))


def token_of(url: str) -> str:
    return urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]


def later(delta=WINDOW):
    return timezone.now() + delta


def test_a_client_with_ten_posts_awaiting_them_gets_one_email(sent_to_client, client_of_a, reviewer):
    posts = sent_to_client(10)
    assert emails_to(client_of_a) == []  # gathered, not sent one by one
    assert {message.to[0] for message in mail.outbox} <= {reviewer.email}  # staff: as before

    assert send_due_digests(now=later()) == 1

    (message,) = emails_to(client_of_a)
    assert message.subject == "[Acme Coffee] 10 posts are waiting for your approval"
    for number in range(1, 11):
        assert f"Autumn post number {number}\n" in message.body
    links = portal_links(message.body)
    # One link, to each post and to the whole list: the same token everywhere.
    assert len({token_of(link) for link in links}) == 1
    for post in posts:
        assert any(link.endswith(f"?next=%2Fportal%2Fposts%2F{post.pk}%2F") for link in links)
    assert MagicLink.objects.count() == 1
    html = message.alternatives[0][0]
    assert set(portal_links(html)) == set(links)
    assert "/admin/" not in message.body + html  # clients never see the Wagtail admin
    assert send_due_digests(now=later(WINDOW * 2)) == 0  # sent once


def test_nothing_goes_out_before_the_window_from_the_first_request_has_passed(
    sent_to_client, client_of_a, settings
):
    settings.SIGNOFF_CLIENT_DIGEST_MINUTES = 30
    sent_to_client(2)

    assert send_due_digests(now=later(dt.timedelta(minutes=29))) == 0
    assert emails_to(client_of_a) == []
    assert send_due_digests(now=later(dt.timedelta(minutes=30))) == 1
    (message,) = emails_to(client_of_a)
    assert "every 30 minutes" in message.body


def test_the_digest_names_posts_by_their_caption_never_by_the_internal_title(sent_to_client, client_of_a):
    sent_to_client(1, title="Flash sale (first draft)", caption="Our autumn sale starts Friday\n#ad")

    send_due_digests(now=later())

    (message,) = emails_to(client_of_a)
    assert message.subject == "[Acme Coffee] Waiting for your approval: Our autumn sale starts Friday"
    assert "first draft" not in message.body + message.alternatives[0][0]


def test_a_failed_send_loses_nothing_and_goes_out_on_a_later_run(sent_to_client, client_of_a, caplog):
    sent_to_client(3)

    with mock.patch.object(EmailBackend, "send_messages", side_effect=smtplib.SMTPServerDisconnected("down")):
        assert send_due_digests(now=later()) == 0
    assert emails_to(client_of_a) == []
    assert "attempt 1" in caplog.records[-1].getMessage()
    assert caplog.records[-1].levelno == logging.WARNING
    assert ClientDigestItem.objects.filter(done_at__isnull=True).count() == 3

    # Too soon for the retry: the next run leaves it; the run after its time sends it.
    assert send_due_digests(now=later(WINDOW + dt.timedelta(seconds=30))) == 0
    assert send_due_digests(now=later(WINDOW + dt.timedelta(minutes=2))) == 1

    (message,) = emails_to(client_of_a)
    assert message.subject == "[Acme Coffee] 3 posts are waiting for your approval"
    assert not ClientDigestItem.objects.filter(done_at__isnull=True).exists()


def test_the_turnaround_watchers_run_sends_due_digests(sent_to_client, client_of_a, capsys):
    sent_to_client(2)

    with mock.patch("django.utils.timezone.now", return_value=later()):
        call_command("watch_turnaround", once=True)

    assert "1 client digest(s)" in capsys.readouterr().out
    assert len(emails_to(client_of_a)) == 1


def test_with_the_database_backend_one_run_is_queued_for_the_end_of_the_window(
    sent_to_client, client_of_a, committed
):
    posts = sent_to_client(3)
    ClientDigestItem.objects.all().delete()

    # As the worker's notification task gathers them, with a task backend that runs tasks later.
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}), committed():
        for post in posts:
            gather(client_of_a, current_task_state(post), ClientDigestItem.Kind.REQUESTED)

    runs = DBTaskResult.objects.filter(task_path="approvals.portal.digest.send_client_digests")
    (run,) = runs  # the first request opened the window; the others joined it
    assert run.run_after == pytest.approx(later(), abs=dt.timedelta(seconds=30))


def test_the_next_digest_reuses_the_link_while_it_is_valid(sent_to_client, client_of_a):
    sent_to_client(1)
    send_due_digests(now=later())
    sent_to_client(1)
    send_due_digests(now=later(WINDOW * 3))

    first, second = emails_to(client_of_a)
    (token,) = {token_of(link) for link in portal_links(first.body)}
    assert {token_of(link) for link in portal_links(second.body)} == {token}
    assert second.subject == "[Acme Coffee] 2 posts are waiting for your approval"
    assert "Your agency has sent you 1 post to approve. 1 more is still waiting for you." in second.body
    assert MagicLink.objects.count() == 1


def test_a_revoked_link_is_never_sent_again(sent_to_client, client_of_a, lead):
    sent_to_client(1)
    send_due_digests(now=later())
    revoke(MagicLink.objects.get(), by=lead)
    sent_to_client(1)
    send_due_digests(now=later(WINDOW * 3))

    first, second = emails_to(client_of_a)
    assert {token_of(link) for link in portal_links(first.body)} != {
        token_of(link) for link in portal_links(second.body)
    }
    assert MagicLink.objects.count() == 2


def test_a_link_with_less_than_half_its_life_left_is_replaced(sent_to_client, client_of_a, settings):
    settings.SIGNOFF_MAGIC_LINK_DAYS = 4
    sent_to_client(1)
    send_due_digests(now=later())
    sent_to_client(1)
    send_due_digests(now=later(dt.timedelta(days=2, hours=1)))  # 1 day 23 hours left of 4 days

    first, second = emails_to(client_of_a)
    assert len({token_of(link) for link in portal_links(first.body + second.body)}) == 2


def test_the_link_signs_the_client_in_on_the_post_and_counts_its_uses(sent_to_client, client_of_a):
    (post,) = sent_to_client(1)
    send_due_digests(now=later())
    (message,) = emails_to(client_of_a)
    (to_post,) = [link for link in portal_links(message.body) if f"posts%2F{post.pk}" in link]

    for _ in range(2):
        browser = Client()
        landed = browser.get(to_post.removeprefix(BASE_URL))
        assert landed.status_code == 302
        assert landed["Location"] == f"/portal/posts/{post.pk}/"
        assert f"/portal/posts/{post.pk}/approve/" in browser.get(landed["Location"]).text

    link = MagicLink.objects.get()
    assert link.use_count == 2 and link.last_used_at is not None


def test_posts_decided_before_the_digest_goes_out_are_left_out(
    sent_to_client, client_of_a, client_a, brand_a
):
    first, second = sent_to_client(2)
    approve_task(task_state=current_task_state(first), user=client_of_a)

    send_due_digests(now=later())

    (message,) = emails_to(client_of_a)
    assert "Autumn post number 2" in message.body
    assert "Autumn post number 1" not in message.body
    assert message.subject == "[Acme Coffee] Waiting for your approval: Autumn post number 2"


def test_no_email_when_everything_was_decided_within_the_window(sent_to_client, client_of_a):
    (post,) = sent_to_client(1)
    request_changes(task_state=current_task_state(post), user=client_of_a, reason="tone", comment="Warmer.")

    assert send_due_digests(now=later()) == 0
    assert emails_to(client_of_a) == []
    assert not ClientDigestItem.objects.filter(done_at__isnull=True).exists()


def test_each_client_hears_only_of_their_own_brands_posts(
    sent_to_client, client_of_a, client_of_b, brand_a, brand_b, committed
):
    creative_b, reviewer_b = UserFactory(username="creative_b"), UserFactory(username="reviewer_b")
    membership(creative_b, brand_b, BrandRole.CREATIVE)
    membership(reviewer_b, brand_b, BrandRole.REVIEWER)
    client_signs_off(brand_b)
    sent_to_client(2)
    with committed():
        at_client_tier(brand_b, creative_b, reviewer_b, caption="Borealis trail day")

    send_due_digests(now=later())

    (to_a,) = emails_to(client_of_a)
    (to_b,) = emails_to(client_of_b)
    assert "Borealis" not in to_a.body and "Autumn post" in to_a.body
    assert "Autumn post" not in to_b.body and "Borealis trail day" in to_b.body
    link_a, link_b = MagicLink.objects.get(user=client_of_a), MagicLink.objects.get(user=client_of_b)
    assert (link_a.brand, link_b.brand) == (brand_a, brand_b)


def test_a_reminder_to_a_client_joins_their_digest(sent_to_client, client_of_a, committed):
    (post,) = sent_to_client(1)
    send_due_digests(now=later())
    mail.outbox.clear()

    with committed():
        notify_reminder(current_task_state(post))
    assert emails_to(client_of_a) == []
    send_due_digests(now=later(WINDOW * 3))

    (message,) = emails_to(client_of_a)
    assert message.subject == "[Acme Coffee] Still waiting for your approval: Autumn post number 1"
    assert "[Due soon] Autumn post number 1" in message.body


def test_muted_or_removed_clients_get_no_digest(sent_to_client, client_of_a, client_a):
    other = UserFactory(username="client_a2")
    client_user(other, client_a)
    sent_to_client(1)
    NotificationPreference.objects.create(user=client_of_a, email_muted=True)
    other.client_user.delete()

    assert send_due_digests(now=later()) == 0
    assert emails_to(client_of_a) == emails_to(other) == []
    assert not ClientDigestItem.objects.filter(done_at__isnull=True).exists()


def test_staff_still_get_one_email_per_review_request(brand_a, creative, reviewer, lead, committed):
    for number in range(3):
        with committed():
            in_agency_review(brand_a, creative, caption=f"Staff post {number}")

    assert len(emails_to(reviewer)) == 3
    assert not ClientDigestItem.objects.exists()
