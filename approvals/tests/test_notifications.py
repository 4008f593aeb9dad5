"""Review e-mails: to the post's brand's own people only, after the commit, from a background task,
with text and HTML parts and links that work from an inbox; muted people get none; a failed send
is retried and then given up, on the record.

Tests run the immediate task backend: a task runs as soon as it is enqueued, which here is when
the transaction commits (`django_capture_on_commit_callbacks(execute=True)` stands in for it).
"""

import datetime as dt
import logging
import re
import smtplib
from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from approvals import notifications
from approvals.models import NotificationPreference, ReviewDecision
from approvals.notifications import (
    notifications_suppressed,
    notify_escalation,
    notify_reminder,
    send_notifications,
)
from approvals.portal.digest import send_due_digests
from brands.factories import UserFactory, membership
from brands.models import BrandRole

from .helpers import current_task_state, decide, in_three_days, submit

pytestmark = pytest.mark.django_db

BASE_URL = "https://signoff.example"


@pytest.fixture(autouse=True)
def base_url(settings):
    settings.WAGTAILADMIN_BASE_URL = BASE_URL


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed():` — what happens inside commits at the end, and its tasks run then."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def addressees() -> set[str]:
    return {address for message in mail.outbox for address in message.to}


def only_email_to(user):
    messages = [message for message in mail.outbox if message.to == [user.email]]
    assert len(messages) == 1, [message.to for message in mail.outbox]
    return messages[0]


def html_of(message) -> str:
    (html, mimetype), *_ = message.alternatives
    assert mimetype == "text/html"
    return html


def links_in(text: str) -> list[str]:
    return re.findall(r"https?://[^\s\"<>]+", text)


# Who hears about a review -------------------------------------------------------------------------


def test_a_submission_emails_only_the_reviewers_of_the_posts_brand(
    api, draft, creative, reviewer, lead, lead_b, brand_b, admin_user, committed
):
    reviewer_b = UserFactory(username="reviewer_b")
    membership(reviewer_b, brand_b, BrandRole.REVIEWER)
    moderator = UserFactory(username="moderator")  # in a Wagtail group, on no brand
    moderator.groups.add(Group.objects.get_or_create(name="Moderators")[0])
    post = draft(title="Autumn blend launch")

    with committed():
        assert submit(api, creative, post).status_code == 200

    # Reviewers and leads both decide the senior tier; the author is never asked about their own post.
    assert addressees() == {reviewer.email, lead.email}
    message = only_email_to(reviewer)
    assert message.subject == "[Acme Coffee] Review requested: Autumn blend launch"


def test_nothing_is_sent_before_the_transaction_commits(api, draft, creative, reviewer, committed):
    post = draft()

    with committed():
        assert submit(api, creative, post).status_code == 200
        assert mail.outbox == []  # the request is over, but its transaction has not committed yet

    assert addressees() == {reviewer.email}


def test_the_lead_tier_emails_only_that_brands_leads(
    api, draft, creative, reviewer, lead, lead_b, policy, committed
):
    policy(lead_review="always")
    post = draft()
    assert submit(api, creative, post).status_code == 200

    with committed():
        assert decide(api, reviewer, post).status_code == 200

    assert addressees() == {lead.email}
    assert only_email_to(lead).subject.startswith("[Acme Coffee] Review requested:")


def test_the_client_tier_emails_only_that_clients_users_with_a_portal_link(
    api, draft, creative, reviewer, client_of_a, client_of_b, policy, committed
):
    policy(client_approval_required=True)
    post = draft()
    assert submit(api, creative, post).status_code == 200

    with committed():
        assert decide(api, reviewer, post).status_code == 200
    assert mail.outbox == []  # gathered into the client's digest (approvals/portal/tests/test_digest.py)
    send_due_digests(now=timezone.now() + dt.timedelta(minutes=15))

    assert addressees() == {client_of_a.email}
    message = only_email_to(client_of_a)
    # Magic links that sign the client in and land on the post, or on everything awaiting them
    # (approvals/portal/tests/test_access.py).
    to_post, to_all = links_in(message.body)
    assert to_post.startswith(f"{BASE_URL}/portal/link/")
    assert to_post.endswith(f"?next=%2Fportal%2Fposts%2F{post.pk}%2F")
    assert to_all.endswith("?next=%2Fportal%2F")
    assert "/admin/" not in message.body + html_of(message)  # clients never see the Wagtail admin


def test_muted_inactive_and_addressless_people_get_nothing(
    api, draft, creative, reviewer, lead, brand_a, committed
):
    NotificationPreference.objects.create(user=reviewer, email_muted=True)
    inactive = UserFactory(username="gone", is_active=False)
    membership(inactive, brand_a, BrandRole.REVIEWER)
    addressless = UserFactory(username="nomail", email="")
    membership(addressless, brand_a, BrandRole.REVIEWER)
    unmuted = UserFactory(username="unmuted")
    membership(unmuted, brand_a, BrandRole.REVIEWER)
    NotificationPreference.objects.create(user=unmuted, email_muted=False)

    with committed():
        assert submit(api, creative, draft()).status_code == 200

    assert addressees() == {lead.email, unmuted.email}


def test_the_submitter_is_not_asked_to_review_a_post_they_submitted(
    api, draft, creative, reviewer, lead, committed
):
    post = draft()

    with committed():
        assert submit(api, lead, post).status_code == 200  # the lead submits the creative's post

    assert addressees() == {reviewer.email}


def test_a_review_decided_before_its_email_goes_out_asks_nobody(
    api, draft, creative, reviewer, django_capture_on_commit_callbacks
):
    post = draft()
    with django_capture_on_commit_callbacks() as pending:
        assert submit(api, creative, post).status_code == 200
    assert decide(api, reviewer, post).status_code == 200

    for callback in pending:  # the worker gets to the request only now
        callback()

    assert mail.outbox == []


# What the author hears ----------------------------------------------------------------------------


def test_the_author_hears_of_changes_requested_with_the_reason_and_comment(
    api, draft, creative, reviewer, committed
):
    post = draft(title="Autumn blend launch")
    assert submit(api, creative, post).status_code == 200

    with committed():
        response = decide(
            api, reviewer, post, "request-changes", reason="tone", comment="Warmer, please & less salesy."
        )
        assert response.status_code == 200

    message = only_email_to(creative)
    assert message.subject == "[Acme Coffee] Changes requested: Autumn blend launch"
    assert "Tone of voice" in message.body
    assert "Warmer, please & less salesy." in message.body  # plain text: not HTML-escaped
    assert "Warmer, please &amp; less salesy." in html_of(message)
    assert addressees() == {creative.email}


def test_the_author_and_the_submitter_both_hear_once_each(api, draft, creative, reviewer, lead, committed):
    post = draft()
    assert submit(api, lead, post).status_code == 200

    with committed():
        assert (
            decide(api, reviewer, post, "request-changes", reason="copy", comment="Typo.").status_code == 200
        )

    assert sorted(message.to[0] for message in mail.outbox) == sorted([creative.email, lead.email])


def test_the_author_hears_of_the_final_approval_and_when_it_goes_out(
    api, draft, creative, reviewer, brand_a, committed
):
    brand_a.time_zone = "America/New_York"
    brand_a.save()
    go_live_at = dt.datetime(2031, 7, 4, 13, 30, tzinfo=dt.UTC)
    post = draft(title="Independence roast", go_live_at=go_live_at)
    assert submit(api, creative, post).status_code == 200

    with committed():
        assert decide(api, reviewer, post).status_code == 200

    message = only_email_to(creative)
    assert message.subject == "[Acme Coffee] Approved and scheduled: Independence roast"
    assert "Fri 4 Jul 2031, 09:30 EDT" in message.body  # in the brand's own time zone


def test_an_approval_that_publishes_says_so(api, draft, creative, reviewer, committed):
    post = draft(title="Now")
    assert submit(api, creative, post).status_code == 200

    with committed():
        assert decide(api, reviewer, post).status_code == 200

    assert only_email_to(creative).subject == "[Acme Coffee] Approved and published: Now"


def test_an_approval_that_leaves_the_post_in_review_tells_the_author_nothing(
    api, draft, creative, reviewer, second_reviewer, lead, policy, committed
):
    policy(senior_approvals_required=2)
    post = draft()
    assert submit(api, creative, post).status_code == 200

    with committed():
        assert decide(api, reviewer, post).status_code == 200  # one of two approvals

    assert mail.outbox == []


# Reminders and escalation -----------------------------------------------------------------------


def test_a_reminder_skips_whoever_already_approved(
    api, draft, creative, reviewer, second_reviewer, lead, policy, committed
):
    policy(senior_approvals_required=2)
    post = draft(title="Slow one")
    assert submit(api, creative, post).status_code == 200
    assert decide(api, reviewer, post).status_code == 200

    with committed():
        notify_reminder(current_task_state(post))

    assert addressees() == {second_reviewer.email, lead.email}
    assert only_email_to(lead).subject == "[Acme Coffee] Reminder: Slow one is waiting for review"


def test_an_escalation_goes_to_the_brands_leads(api, draft, creative, reviewer, lead, lead_b, committed):
    post = draft(title="Late one")
    assert submit(api, creative, post).status_code == 200

    with committed():
        notify_escalation(current_task_state(post))

    assert addressees() == {lead.email}
    assert only_email_to(lead).subject == "[Acme Coffee] Overdue: Senior review of Late one"


# The e-mails themselves ---------------------------------------------------------------------------


def test_each_email_has_text_and_html_parts_with_absolute_links_and_a_footer(
    api, draft, creative, reviewer, brand_a, committed
):
    brand_a.name = "Kiln & Kettle"
    brand_a.save()
    post = draft(title="Roast day", go_live_at=in_three_days())

    with committed():
        assert submit(api, creative, post).status_code == 200

    message = only_email_to(reviewer)
    html = html_of(message)
    assert message.subject == "[Kiln & Kettle] Review requested: Roast day"
    assert "Brand: Kiln & Kettle" in message.body
    assert "Kiln &amp; Kettle" in html
    for part in (message.body, html):
        assert "Senior review" in part
        assert "Roast day" in part
        assert "You get this because you review Kiln & Kettle" in part.replace("&amp;", "&")
    edit_link = f"{BASE_URL}/admin/snippets/posts/post/edit/{post.pk}/"
    settings_link = f"{BASE_URL}/admin/account/#tab-notifications"
    assert {edit_link, settings_link} <= set(links_in(message.body))
    assert f'href="{edit_link}"' in html
    assert f'href="{settings_link}"' in html
    assert all(link.startswith(BASE_URL) for link in links_in(message.body) + links_in(html))


# Retries ------------------------------------------------------------------------------------------


def test_a_failed_send_is_logged_and_retried(api, draft, creative, reviewer, committed, caplog):
    real_send = EmailBackend.send_messages
    calls = []

    def fail_once(backend, messages):
        calls.append(messages)
        if len(calls) == 1:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return real_send(backend, messages)

    with mock.patch.object(EmailBackend, "send_messages", fail_once), committed():
        assert submit(api, creative, draft()).status_code == 200

    assert len(calls) == 2
    assert addressees() == {reviewer.email}
    [warning] = [r for r in caplog.records if r.name == "approvals.notifications"]
    assert warning.levelno == logging.WARNING
    assert "attempt 1 of 5" in warning.getMessage()


def test_sending_gives_up_after_five_attempts_and_logs_an_error(
    api, draft, creative, reviewer, committed, caplog
):
    with (
        mock.patch.object(EmailBackend, "send_messages", side_effect=smtplib.SMTPException("down")) as send,
        committed(),
    ):
        assert submit(api, creative, draft()).status_code == 200

    assert send.call_count == notifications.MAX_ATTEMPTS == 5
    assert mail.outbox == []
    records = [r for r in caplog.records if r.name == "approvals.notifications"]
    assert [r.levelno for r in records] == [logging.WARNING] * 4 + [logging.ERROR]
    assert "Gave up" in records[-1].getMessage()


def test_with_the_database_backend_a_retry_waits_its_turn(api, draft, creative, reviewer):
    post = draft()
    assert submit(api, creative, post).status_code == 200
    task_state = current_task_state(post)

    with (
        override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}),
        mock.patch.object(EmailBackend, "send_messages", side_effect=ConnectionRefusedError),
    ):
        send_notifications.call(notifications.REVIEW_REQUESTED, task_state.pk)

    retry = DBTaskResult.objects.get()
    assert retry.task_path == "approvals.notifications.send_notification_to"
    assert retry.args_kwargs["args"] == [notifications.REVIEW_REQUESTED, task_state.pk, reviewer.pk, 2]
    assert retry.run_after == pytest.approx(
        timezone.now() + dt.timedelta(minutes=1), abs=dt.timedelta(seconds=30)
    )


# Wagtail's own e-mails, the mute switch, the demo ------------------------------------------------


def test_wagtails_own_workflow_emails_are_not_sent_for_posts(
    api, draft, creative, reviewer, admin_user, committed, settings
):
    settings.WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS = True  # Wagtail's default
    first, second = draft(), draft()

    for action in [
        lambda: submit(api, creative, first),
        lambda: decide(api, reviewer, first),
        lambda: submit(api, creative, second),
        lambda: decide(api, reviewer, second, "request-changes", reason="tone", comment="No."),
    ]:
        with committed():
            assert action().status_code == 200

    # Ours: two review requests, the approval and the request for changes. None of Wagtail's.
    assert [(message.to[0], message.subject.split(":")[0]) for message in mail.outbox] == [
        (reviewer.email, "[Acme Coffee] Review requested"),
        (creative.email, "[Acme Coffee] Approved and published"),
        (reviewer.email, "[Acme Coffee] Review requested"),
        (creative.email, "[Acme Coffee] Changes requested"),
    ]


def test_people_mute_review_emails_in_their_account_settings(
    api, login, draft, creative, reviewer, committed
):
    client = login(reviewer)
    assert "Mute review e-mails" in client.get("/admin/account/").content.decode()

    response = client.post(
        "/admin/account/",
        {
            "name_email-first_name": reviewer.first_name,
            "name_email-last_name": "Reviewer",
            "name_email-email": reviewer.email,
            "theme-theme": "system",
            "theme-density": "default",
            "theme-contrast": "system",
            "review_emails-email_muted": "on",
        },
    )

    assert response.status_code == 302
    assert NotificationPreference.objects.get(user=reviewer).email_muted
    with committed():
        assert submit(api, creative, draft()).status_code == 200
    assert mail.outbox == []


def test_nothing_is_sent_about_what_happens_with_notifications_suppressed(
    api, draft, creative, reviewer, committed
):
    post = draft()
    with committed(), notifications_suppressed():
        assert submit(api, creative, post).status_code == 200
        assert decide(api, reviewer, post).status_code == 200

    assert mail.outbox == []
    assert ReviewDecision.objects.count() == 1


def test_clients_never_see_the_agencys_brand_check_findings(
    api, draft, creative, reviewer, lead, client_of_a, policy, committed
):
    policy(client_approval_required=True, lead_review="always")
    post = draft()
    assert submit(api, creative, post).status_code == 200

    with committed():
        assert decide(api, reviewer, post).status_code == 200  # the lead tier is asked
    assert "Brand-check findings" in only_email_to(lead).body
    mail.outbox.clear()
    with committed():
        assert decide(api, lead, post).status_code == 200  # the client tier is asked
    send_due_digests(now=timezone.now() + dt.timedelta(minutes=15))

    message = only_email_to(client_of_a)
    assert "Brand-check findings" not in message.body + html_of(message)


def test_a_reminder_describes_the_post_as_it_is_now(api, draft, creative, reviewer, policy, committed):
    post = draft(title="Old title")
    assert submit(api, creative, post).status_code == 200
    post.title = "New title"
    post.save_revision(user=creative)  # edited while the tier waits

    with committed():
        notify_reminder(current_task_state(post))

    assert only_email_to(reviewer).subject == "[Acme Coffee] Reminder: New title is waiting for review"


def test_an_author_who_left_the_brand_hears_no_more_about_its_posts(
    api, draft, creative, reviewer, committed
):
    post = draft(title="Orphan")
    assert submit(api, creative, post).status_code == 200
    creative.brand_memberships.all().delete()

    with committed():
        assert (
            decide(api, reviewer, post, "request-changes", reason="tone", comment="Warmer.").status_code
            == 200
        )

    assert addressees() == set()
