"""Pulling an approved, scheduled post before it goes out."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from .helpers import approved_and_live, clock_at, current_tier, decide, edit_url, status_of, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def scheduled(draft, api, reviewer):
    post = draft(title="Black Friday teaser", go_live_at=timezone.now() + dt.timedelta(days=3))
    approved_and_live(api, post, reviewer)
    assert status_of(post) == "scheduled"
    return post


def withdraw_url(post):
    return reverse("approvals_withdraw", args=[post.pk])


def test_a_lead_withdraws_a_scheduled_post_with_a_reason(login, lead, scheduled):
    client = login(lead)
    assert "Withdraw from schedule" in client.get(edit_url(scheduled)).content.decode()

    response = client.post(
        withdraw_url(scheduled), {"reason": "The client paused the campaign."}, follow=True
    )

    assert "will not go out" in response.content.decode()
    assert status_of(scheduled) == "draft"
    entry = ModelLogEntry.objects.get(object_id=str(scheduled.pk), action="signoff.withdrawn")
    assert entry.user == lead
    assert entry.data["reason"] == "The client paused the campaign."
    history = client.get(reverse("wagtailsnippets_posts_post:history", args=[scheduled.pk])).content.decode()
    assert "Withdrawn from the schedule: The client paused the campaign." in history


def test_a_withdrawn_post_does_not_go_out_when_its_time_comes(
    login, api, draft, reviewer, creative, scheduled
):
    kept = draft(title="Kept", go_live_at=timezone.now() + dt.timedelta(days=3))
    approved_and_live(api, kept, reviewer)
    login(creative).post(withdraw_url(scheduled), {"reason": "Wrong product shot."})

    # Their time comes.
    with clock_at(timezone.now() + dt.timedelta(days=3, minutes=1)):
        call_command("publish_scheduled")

    assert status_of(kept) == "published"
    assert status_of(scheduled) == "draft"


def test_to_go_out_again_it_goes_through_the_tiers_anew(login, api, creative, reviewer, scheduled):
    login(creative).post(withdraw_url(scheduled), {"reason": "Wrong product shot."})

    assert submit(api, creative, scheduled).status_code == 200

    assert current_tier(scheduled) == "senior"


def test_a_reason_is_required_and_nothing_changes_without_one(login, lead, scheduled):
    response = login(lead).post(withdraw_url(scheduled), {"reason": "   "})

    assert response.status_code == 200
    assert "Say why the post is withdrawn" in response.content.decode()
    assert status_of(scheduled) == "scheduled"


def test_a_post_that_is_not_scheduled_has_nothing_to_withdraw(login, lead, draft):
    post = draft()
    client = login(lead)

    assert "Withdraw from schedule" not in client.get(edit_url(post)).content.decode()
    assert "nothing to withdraw" in client.get(withdraw_url(post)).content.decode()
    response = client.post(withdraw_url(post), {"reason": "Just in case"}, follow=True)
    assert "This post is not scheduled to go out." in response.content.decode()


def test_other_brands_and_clients_cannot_withdraw(login, outsider, lead_b, client, client_of_a, scheduled):
    for user in (outsider, lead_b):
        assert login(user).post(withdraw_url(scheduled), {"reason": "Sabotage"}).status_code == 404
    client.force_login(client_of_a)
    assert client.post(withdraw_url(scheduled), {"reason": "Stop"}).status_code == 302  # to the admin login
    assert status_of(scheduled) == "scheduled"


def test_submitting_changes_to_a_scheduled_post_takes_the_old_version_off_the_schedule(
    api, creative, reviewer, scheduled
):
    # (The editor refuses to save a scheduled post: Wagtail locks it until it is withdrawn. Other
    # paths, such as the API, save new versions of it.)
    scheduled.caption = "A better caption. #MondayMotivation"
    scheduled.save_revision(user=creative)
    assert status_of(scheduled) == "scheduled"  # a saved draft alone changes nothing yet

    assert submit(api, creative, scheduled).status_code == 200

    assert status_of(scheduled) == "in_review"
    assert not scheduled.revisions.filter(approved_go_live_at__isnull=False).exists()
    entry = ModelLogEntry.objects.get(object_id=str(scheduled.pk), action="signoff.withdrawn")
    assert "Changes submitted for approval" in entry.data["reason"]

    assert decide(api, reviewer, scheduled).status_code == 200  # the new words, approved
    assert status_of(scheduled) == "scheduled"
    (going_out,) = scheduled.revisions.filter(approved_go_live_at__isnull=False)
    assert going_out.content["caption"] == "A better caption. #MondayMotivation"
