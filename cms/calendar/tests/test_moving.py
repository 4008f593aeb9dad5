"""Moving a post to another day from the calendar: a draft moves; a post in review or scheduled
goes back through the tiers its brand's policy asks for, and is told so first; nobody moves
another brand's posts."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import ModelLogEntry

from approvals.models import ApprovalPolicy
from approvals.services import approve_task
from approvals.tests.helpers import current_tier, status_of
from brands.models import BannedPhrase
from cms.posts.models import Post

from .conftest import dated_draft, in_review, published, scheduled

pytestmark = pytest.mark.django_db

UTC = dt.UTC
CALENDAR = reverse("agency_calendar")


def move_url(post) -> str:
    return reverse("agency_calendar_move", args=[post.pk])


def go_live_at(post):
    return Post.objects.get(pk=post.pk).go_live_at


def scheduled_at(post):
    revision = Post.objects.get(pk=post.pk).scheduled_revision
    return revision.approved_go_live_at if revision else None


def test_a_draft_moves_to_another_day_at_the_same_time_in_its_brands_time_zone(login, creative, brand_a):
    # 09:00 in London in winter (GMT) ...
    post = dated_draft(brand_a, creative, dt.datetime(2031, 3, 20, 9, 0, tzinfo=UTC), title="Spring menu")
    client = login(creative)
    back = f"{CALENDAR}?view=week&date=2031-03-20"

    response = client.post(move_url(post), {"date": "2031-04-03", "next": back})

    # ... is 09:00 in London in summer (BST): 08:00 UTC.
    assert response.status_code == 302 and response.url == back
    assert go_live_at(post) == dt.datetime(2031, 4, 3, 8, 0, tzinfo=UTC)
    latest = Post.objects.get(pk=post.pk).latest_revision
    assert latest.user == creative and latest.content["go_live_at"].startswith("2031-04-03T08:00")
    assert status_of(post) == "draft"
    message = list(client.get(back).context["messages"])[0].message
    assert message == "Moved “Spring menu” to Thu 3 Apr, 09:00 BST."


def test_a_post_in_review_goes_back_through_the_tiers_its_approvals_covered(
    login, creative, reviewer, lead, brand_a
):
    # Every post goes to a lead after the senior: this one is with the lead, approved by a senior.
    ApprovalPolicy.objects.filter(brand=brand_a).update(lead_review="always")
    post = in_review(brand_a, creative, dt.datetime(2031, 3, 20, 9, 0, tzinfo=UTC), title="Big launch")
    approve_task(task_state=Post.objects.get(pk=post.pk).current_workflow_task_state, user=reviewer)
    assert current_tier(post) == "lead"
    client = login(creative)

    # Posted without the confirmation the form and the drag send: the page says what it does.
    asked = client.post(move_url(post), {"date": "2031-03-27"})
    assert asked.status_code == 200
    assert "approvals it has had stop counting" in asked.text and "senior review" in asked.text
    assert go_live_at(post) == dt.datetime(2031, 3, 20, 9, 0, tzinfo=UTC)

    response = client.post(move_url(post), {"date": "2031-03-27", "confirm": "True"})

    assert response.status_code == 302
    assert go_live_at(post) == dt.datetime(2031, 3, 27, 9, 0, tzinfo=UTC)
    assert ModelLogEntry.objects.filter(object_id=str(post.pk), action="signoff.reapproval_required").exists()
    # The lead approves the new date; the senior's approval of the old one doesn't count: the
    # post goes back to the senior tier instead of being scheduled.
    approve_task(task_state=Post.objects.get(pk=post.pk).current_workflow_task_state, user=lead)
    assert status_of(post) == "in_review" and current_tier(post) == "senior"
    assert scheduled_at(post) is None


def test_a_scheduled_post_comes_off_the_schedule_and_goes_through_the_tiers_again(
    login, creative, reviewer, brand_a
):
    ApprovalPolicy.objects.filter(brand=brand_a).update(client_approval_required=True)
    post = in_review(brand_a, creative, dt.datetime(2031, 3, 20, 9, 0, tzinfo=UTC), title="Open day")
    ApprovalPolicy.objects.filter(brand=brand_a).update(client_approval_required=False)
    approve_task(task_state=Post.objects.get(pk=post.pk).current_workflow_task_state, user=reviewer)
    assert status_of(post) == "scheduled"
    ApprovalPolicy.objects.filter(brand=brand_a).update(client_approval_required=True)
    client = login(creative)

    form = client.get(move_url(post))
    assert "takes it off the schedule" in form.text and "the client’s approval" not in form.text
    assert "the client&#x27;s approval" in form.text and "Move and send for approval" in form.text

    response = client.post(move_url(post), {"date": "2031-03-25", "confirm": "True", "next": CALENDAR})

    assert response.status_code == 302
    assert scheduled_at(post) is None  # the old date no longer goes out
    assert status_of(post) == "in_review" and current_tier(post) == "senior"
    assert go_live_at(post) == dt.datetime(2031, 3, 25, 9, 0, tzinfo=UTC)
    assert ModelLogEntry.objects.filter(object_id=str(post.pk), action="signoff.withdrawn").exists()
    message = list(client.get(CALENDAR).context["messages"])[0].message
    assert "off the schedule and back in review" in message
    # And on through every tier the policy now asks for: the client's too.
    approve_task(task_state=Post.objects.get(pk=post.pk).current_workflow_task_state, user=reviewer)
    assert current_tier(post) == "client"


def test_a_scheduled_post_whose_new_version_cant_be_submitted_stays_scheduled_as_it_was(
    login, creative, reviewer, brand_a
):
    at = dt.datetime(2031, 3, 20, 9, 0, tzinfo=UTC)
    post = scheduled(brand_a, creative, reviewer, at, title="Roast day", caption="Our roast day is here.")
    BannedPhrase.objects.create(
        kit=brand_a.kit, phrase="roast day", suggestion="roastery day", severity="block"
    )
    revisions = Post.objects.get(pk=post.pk).revisions.count()

    response = login(creative).post(move_url(post), {"date": "2031-03-25", "confirm": "True"})

    assert response.status_code == 200
    assert "Fix the blocking findings before submitting" in response.text
    assert scheduled_at(post) == at and go_live_at(post) == at and status_of(post) == "scheduled"
    assert Post.objects.get(pk=post.pk).revisions.count() == revisions


def test_a_post_that_has_gone_out_doesnt_move(login, creative, brand_a):
    post = published(brand_a, dt.datetime(2031, 3, 20, 9, 0, tzinfo=UTC), title="Out already")

    response = login(creative).post(move_url(post), {"date": "2031-03-25", "confirm": "True"})

    assert response.status_code == 200 and "has gone out already" in response.text
    assert Post.objects.get(pk=post.pk).first_published_at == dt.datetime(2031, 3, 20, 9, 0, tzinfo=UTC)


def test_a_day_that_has_passed_or_the_same_day_is_refused_with_a_reason(login, creative, brand_a):
    at = dt.datetime(2031, 3, 20, 9, 0, tzinfo=UTC)
    post = dated_draft(brand_a, creative, at, title="Next spring")
    client = login(creative)

    past = client.post(move_url(post), {"date": "2020-03-25"})
    same = client.post(move_url(post), {"date": "2031-03-20"})
    typo = client.post(move_url(post), {"date": "25/03/2031x"})

    assert "Wed 25 Mar at 09:00 has passed: pick a later day" in past.text
    assert "is on Thu 20 Mar already" in same.text
    assert "Enter a date such as" in typo.text
    assert go_live_at(post) == at
    assert Post.objects.get(pk=post.pk).revisions.count() == 1


def test_a_post_locked_by_someone_else_is_not_moved(login, creative, reviewer, brand_a):
    at = dt.datetime(2031, 3, 20, 9, 0, tzinfo=UTC)
    post = dated_draft(brand_a, creative, at, title="Being edited")
    Post.objects.filter(pk=post.pk).update(locked=True, locked_by=reviewer, locked_at=dt.datetime.now(UTC))

    response = login(creative).post(move_url(post), {"date": "2031-03-25"})

    assert response.status_code == 200 and "locked" in response.text.lower()
    assert go_live_at(post) == at


def test_a_staff_user_of_brand_a_can_neither_see_nor_move_brand_bs_posts(login, creative, outsider, brand_b):
    at = dt.datetime(2031, 3, 20, 9, 0, tzinfo=UTC)
    post = dated_draft(brand_b, outsider, at, title="Borealis plan")
    client = login(creative)

    assert client.get(move_url(post)).status_code == 404
    assert client.post(move_url(post), {"date": "2031-03-25"}).status_code == 404
    assert go_live_at(post) == at and Post.objects.get(pk=post.pk).revisions.count() == 1


def test_a_client_cannot_move_posts(login, client_of_a, creative, brand_a):
    at = dt.datetime(2031, 3, 20, 9, 0, tzinfo=UTC)
    post = dated_draft(brand_a, creative, at, title="Acme plan")

    response = login(client_of_a).post(move_url(post), {"date": "2031-03-25"})

    assert response.status_code in (302, 403)
    assert go_live_at(post) == at


def test_after_a_move_it_goes_back_only_to_a_page_of_this_site(login, creative, brand_a):
    post = dated_draft(brand_a, creative, dt.datetime(2031, 3, 20, 9, 0, tzinfo=UTC))

    response = login(creative).post(move_url(post), {"date": "2031-03-25", "next": "https://evil.example/"})

    assert response.status_code == 302 and response.url == CALENDAR


def test_a_moved_draft_keeps_everything_but_its_day(login, creative, brand_a):
    from brands.factories import brand_image

    picture = brand_image(brand_a, title="Roaster")
    post = dated_draft(
        brand_a,
        creative,
        dt.datetime(2031, 3, 20, 9, 0, tzinfo=UTC),
        title="Meet the roaster",
        images=[picture],
    )
    before = Post.objects.get(pk=post.pk)

    login(creative).post(move_url(post), {"date": "2031-03-21"})

    after = Post.objects.get(pk=post.pk)
    assert (after.title, after.caption, after.campaign) == (before.title, before.caption, before.campaign)
    assert [item.image_id for item in after.media.all()] == [picture.pk]
    assert [platform.pk for platform in after.platforms.all()] == ["facebook"]


def test_the_move_form_works_without_javascript(login, creative, brand_a):
    post = dated_draft(brand_a, creative, dt.datetime(2031, 3, 20, 9, 0, tzinfo=UTC), title="No script")
    client = login(creative)

    form = client.get(move_url(post), {"next": f"{CALENDAR}?view=list"})

    assert 'value="2031-03-20"' in form.text and "09:00 GMT" in form.text
    assert f'value="{CALENDAR}?view=list"' in form.text
    assert "send for approval" not in form.text  # a draft just moves


def test_a_post_approved_a_moment_ago_is_moved_as_the_scheduled_post_it_becomes(
    login, creative, reviewer, brand_a, settings
):
    settings.SIGNOFF_FOLLOW_UP_AT_ONCE = False  # the relay hasn't followed the approval up yet
    at = dt.datetime(2031, 3, 20, 9, 0, tzinfo=UTC)
    post = in_review(brand_a, creative, at, title="Just approved")
    approve_task(task_state=Post.objects.get(pk=post.pk).current_workflow_task_state, user=reviewer)
    assert status_of(post) == "in_review" and scheduled_at(post) is None

    response = login(creative).post(move_url(post), {"date": "2031-03-25", "confirm": "True"})

    assert response.status_code == 302
    call_command("follow_up_decisions", once=True, verbosity=0)  # the relay comes round
    # Not scheduled at the old time behind the mover's back: back in review for the new day.
    assert scheduled_at(post) is None
    assert status_of(post) == "in_review" and current_tier(post) == "senior"
    assert go_live_at(post) == dt.datetime(2031, 3, 25, 9, 0, tzinfo=UTC)
