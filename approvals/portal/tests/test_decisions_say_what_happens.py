"""Portal decisions say what will happen: before approving, whether the post goes out at once or is
scheduled (in the brand's time zone); after, that it was published, is going out now, or is
scheduled — in the confirmation, the page and the platform mock-up. The decision sits in a bar
that a phone keeps on screen (test_browser_portal.py looks at it)."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from approvals.tests.helpers import current_task_state, status_of
from cms.posts.models import Post

from .helpers import at_client_tier, client_signs_off

pytestmark = pytest.mark.django_db

JULY_4TH = dt.datetime(2031, 7, 4, 13, 30, tzinfo=dt.UTC)  # 09:30 in New York


@pytest.fixture
def new_york(brand_a):
    brand_a.time_zone = "America/New_York"
    brand_a.save()
    client_signs_off(brand_a)
    return brand_a


@pytest.fixture
def awaiting(new_york, creative, reviewer):
    """`awaiting(go_live_at=…)`: a post of brand A waiting on the client."""
    return lambda **fields: at_client_tier(
        new_york, creative, reviewer, caption="Independence roast\nOn the bar from Friday.", **fields
    )


def decision_data(post, **extra) -> dict:
    post = Post.objects.get(pk=post.pk)
    return {"task_state": current_task_state(post).pk, "revision": post.latest_revision_id, **extra}


def approve(client, post, **kwargs):
    return client.post(reverse("portal:post-approve", args=[post.pk]), decision_data(post), **kwargs)


def preview(client, post, mode="facebook") -> str:
    return client.get(reverse("portal:post-preview", args=[post.pk, mode])).text


# Before approving --------------------------------------------------------------------------------


def test_a_post_with_no_date_says_it_goes_out_as_soon_as_it_is_approved(login, client_of_a, awaiting):
    post = awaiting()

    page = login(client_of_a).get(reverse("portal:post-detail", args=[post.pk])).text

    assert "Goes out as soon as you approve." in page
    assert 'id="decide-bar"' in page
    assert 'form="approve-form"' in page  # the bar's Approve submits the form with the comment
    assert 'href="#changes-reason"' in page  # and Request changes opens the form for it


def test_a_post_with_a_date_says_when_in_the_brands_time_zone(login, client_of_a, awaiting):
    post = awaiting(go_live_at=JULY_4TH)

    page = login(client_of_a).get(reverse("portal:post-detail", args=[post.pk])).text

    assert "Scheduled for" in page and "Fri 4 Jul 2031, 09:30 EDT" in page
    assert "Goes out as soon as you approve" not in page


def test_a_date_already_passed_goes_out_at_once_and_says_so(login, client_of_a, awaiting):
    post = awaiting(go_live_at=timezone.now() - dt.timedelta(hours=1))

    page = login(client_of_a).get(reverse("portal:post-detail", args=[post.pk])).text

    assert "Goes out as soon as you approve." in page


def test_a_post_the_agency_changed_after_approving_it_says_it_goes_back_to_them(
    login, client_of_a, awaiting, creative
):
    post = awaiting()
    edited = Post.objects.get(pk=post.pk)
    edited.caption = "Independence roast\nOn the bar from Thursday."
    edited.save()
    edited.save_revision(user=creative)  # the senior's approval no longer covers it
    client = login(client_of_a)

    page = client.get(reverse("portal:post-detail", args=[post.pk])).text
    decided = approve(client, post, follow=True)

    assert "Goes back to your agency for a final check once you approve." in page
    assert "Goes out as soon as you approve" not in page
    assert "Approved. Your agency takes it from here. Thank you!" in decided.text
    assert status_of(post) == "in_review"


# After approving --------------------------------------------------------------------------------


def test_approving_a_post_with_no_date_says_published_and_the_mock_up_agrees(login, client_of_a, awaiting):
    post = awaiting()
    client = login(client_of_a)
    assert "Draft" in preview(client, post)

    response = approve(client, post, follow=True)

    assert status_of(post) == "published"
    assert "Approved and published. Thank you!" in response.text
    assert "scheduled" not in response.text.lower()
    mock_up = preview(client, post)
    assert "Published" in mock_up and "Draft" not in mock_up


def test_approving_a_post_with_a_date_says_when_it_is_scheduled_for(login, client_of_a, awaiting):
    post = awaiting(go_live_at=JULY_4TH)
    client = login(client_of_a)

    response = approve(client, post, follow=True)

    assert status_of(post) == "scheduled"
    assert "Approved and scheduled for Fri 4 Jul 2031, 09:30 EDT. Thank you!" in response.text
    assert "Published" not in preview(client, post)


def test_while_the_relay_publishes_it_the_page_and_mock_up_say_going_out_and_look_again(
    login, client_of_a, awaiting, settings
):
    post = awaiting()
    settings.SIGNOFF_FOLLOW_UP_AT_ONCE = False  # as in production: the relay moves it on
    client = login(client_of_a)

    decided = approve(client, post, HTTP_HX_REQUEST="true")

    assert "<html" not in decided.text
    assert "Approved. It is going out now. Thank you!" in decided.text
    assert 'id="preview-frame"' in decided.text and 'hx-swap-oob="true"' in decided.text  # mock-up reloads
    assert "was=going_out" in decided.text  # the panel looks again shortly
    assert "Going out now" in preview(client, post)

    call_command("follow_up_decisions", once=True, verbosity=0)  # the relay publishes it
    again = client.get(
        reverse("portal:post-detail", args=[post.pk]),
        {"was": "going_out", "poll": "1"},
        HTTP_HX_REQUEST="true",
    )

    assert status_of(post) == "published"
    assert "<html" not in again.text and "Published" in again.text
    assert "was=going_out" not in again.text  # done looking
    assert 'id="preview-frame"' in again.text  # the mock-up now says Published
    assert "Published" in preview(client, post)


def test_looking_again_stops_after_a_while(login, client_of_a, awaiting, settings):
    post = awaiting()
    settings.SIGNOFF_FOLLOW_UP_AT_ONCE = False
    client = login(client_of_a)
    approve(client, post)

    page = client.get(
        reverse("portal:post-detail", args=[post.pk]),
        {"was": "going_out", "poll": "30"},
        HTTP_HX_REQUEST="true",
    )

    assert "It is going out now" in page.text and "was=going_out" not in page.text


# From the wrong side ----------------------------------------------------------------------------


def test_another_clients_post_is_not_found_by_its_decision_panel(login, client_of_b, awaiting):
    post = awaiting()
    client = login(client_of_b)

    for query in ({}, {"was": "going_out", "poll": "1"}):
        response = client.get(reverse("portal:post-detail", args=[post.pk]), query, HTTP_HX_REQUEST="true")
        assert response.status_code == 404
    assert client.get(reverse("portal:post-preview", args=[post.pk, "facebook"])).status_code == 404
    assert approve(client, post).status_code == 404
    assert status_of(post) == "in_review"


def test_agency_staff_get_no_decision_bar(login, reviewer, awaiting):
    post = awaiting()

    response = login(reviewer).get(reverse("portal:post-detail", args=[post.pk]))

    assert response.status_code in (403, 404)
