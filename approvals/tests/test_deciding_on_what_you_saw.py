"""A decision binds to the version the decider saw: the inbox, the post page, the portal and API
callers who send the `revision` they looked at are refused when the post changed since, with a
message about this post only, whatever revision id they send."""

import pytest
from django.urls import reverse

from approvals.models import ReviewDecision
from cms.posts.factories import PostFactory

from .helpers import current_task_state, status_of

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
SECRET = "Borealis e-bike launch, embargoed"


@pytest.fixture
def other_brands_revision(brand_b, outsider):
    """A revision of another client's post, whose title nobody on brand A may read."""
    post = PostFactory(brand=brand_b, created_by=outsider, title=SECRET)
    return post.save_revision(user=outsider)


# The out-of-date message names this post only ----------------------------------------------------


def test_the_inbox_never_names_another_brands_post_for_a_revision_id_it_was_sent(
    login, reviewer, in_review, other_brands_revision
):
    url = reverse("approvals_inbox_approve", args=[current_task_state(in_review).pk])

    response = login(reviewer).post(url, {"revision": other_brands_revision.pk}, **HTMX)

    page = response.content.decode()
    assert response.status_code == 200
    assert SECRET not in page
    assert f"“{in_review.title}” has changed since you opened it" in page
    assert not ReviewDecision.objects.exists()


def test_a_revision_id_that_does_not_exist_is_refused_plainly(login, reviewer, in_review):
    url = reverse("approvals_inbox_approve", args=[current_task_state(in_review).pk])

    response = login(reviewer).post(url, {"revision": 987654}, **HTMX)

    assert response.status_code == 200
    assert "has changed since you opened it" in response.content.decode()
    assert status_of(in_review) == "in_review"
