"""One person approves one tier of a review: a lead who is also a reviewer of the brand can
approve the senior tier or the lead tier of a post's content, never both."""

import pytest
from django.urls import reverse

from approvals.models import ReviewDecision, ReviewTier
from brands.factories import UserFactory, membership
from brands.models import BrandRole

from .helpers import current_task_state, current_tier, decide, edit_url, status_of, submit
from .test_decisions_from_the_post_page import decision_form

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def second_lead(brand_a):
    user = UserFactory(username="lead2")
    membership(user, brand_a, BrandRole.LEAD)
    return user


@pytest.fixture
def at_the_lead_tier(api, in_review, lead, policy):
    """A post whose senior tier the lead approved, now waiting on the lead tier."""
    policy(lead_review="always")
    assert decide(api, lead, in_review).status_code == 200
    assert current_tier(in_review) == ReviewTier.LEAD
    return in_review


def test_the_lead_who_approved_the_senior_tier_cannot_approve_the_lead_tier_too(
    api, lead, second_lead, at_the_lead_tier
):
    post = at_the_lead_tier

    response = decide(api, lead, post)

    assert response.status_code == 403
    body = response.json()
    assert body["reason"] == "approved_another_tier"
    assert "You approved the Senior review of this version" in body["detail"]
    assert ReviewDecision.objects.filter(user=lead).count() == 1
    assert current_tier(post) == ReviewTier.LEAD
    assert decide(api, second_lead, post).status_code == 200
    assert status_of(post) == "published"


def test_the_inbox_says_why(login, lead, at_the_lead_tier):
    url = reverse("approvals_inbox_approve", args=[current_task_state(at_the_lead_tier).pk])

    response = login(lead).post(url, **HTMX)

    assert "You approved the Senior review of this version" in response.content.decode()
    assert current_tier(at_the_lead_tier) == ReviewTier.LEAD


def test_the_post_page_says_why(login, lead, at_the_lead_tier):
    post = at_the_lead_tier

    response = login(lead).post(edit_url(post), decision_form(post), follow=True)

    assert "You approved the Senior review of this version" in response.content.decode()
    assert current_tier(post) == ReviewTier.LEAD


def test_the_lead_may_still_request_changes(api, lead, at_the_lead_tier):
    response = decide(api, lead, at_the_lead_tier, "request-changes", reason="tone", comment="Warmer.")

    assert response.status_code == 200
    assert status_of(at_the_lead_tier) == "changes_requested"


def test_an_approval_of_content_that_changed_since_covers_nothing(
    api, creative, reviewer, lead, second_lead, at_the_lead_tier
):
    """The lead's senior approval was of words since rewritten and approved again by a reviewer:
    the lead's approval of the lead tier is the only one of theirs on the content going out."""
    post = at_the_lead_tier
    decide(api, second_lead, post, "request-changes", reason="tone", comment="Warmer.")
    api(creative).patch(f"/api/v1/posts/{post.pk}/", {"caption": "Warmer words."}, format="json")
    submit(api, creative, post)
    assert current_tier(post) == ReviewTier.SENIOR
    assert decide(api, reviewer, post).status_code == 200

    assert decide(api, lead, post).status_code == 200
    assert status_of(post) == "published"
