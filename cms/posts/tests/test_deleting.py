"""Deleting posts: a post that ever went for approval is the record of what was reviewed, decided
and sent out, so nobody deletes it by any door (the admin's delete, its bulk delete, the API).
A draft that never went for approval can still be deleted, after Wagtail's confirmation."""

import pytest
from django.urls import reverse
from wagtail.models import TaskState, WorkflowState

from approvals.models import ReviewDecision
from approvals.tests.helpers import decide, submit
from brands.factories import UserFactory
from cms.posts.factories import PostFactory
from cms.posts.models import Post

pytestmark = pytest.mark.django_db


def delete_url(post) -> str:
    return reverse("wagtailsnippets_posts_post:delete", args=[post.pk])


def bulk_delete_url(*posts) -> str:
    ids = "&".join(f"id={post.pk}" for post in posts)
    return reverse("wagtail_bulk_action", args=["posts", "post", "delete"]) + f"?{ids}"


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin", is_superuser=True, is_staff=True)


@pytest.fixture
def never_submitted(brand_a, creative):
    post = PostFactory(brand=brand_a, created_by=creative, title="Scrapped idea")
    post.save_revision(user=creative)
    return post


@pytest.fixture
def submitted(api, brand_a, creative):
    post = PostFactory(brand=brand_a, created_by=creative, title="Went for approval")
    post.save_revision(user=creative)
    assert submit(api, creative, post).status_code == 200
    return post


@pytest.fixture
def decided(api, submitted, reviewer):
    """Submitted and sent back with a request for changes: a decision on the record."""
    response = decide(api, reviewer, submitted, "request-changes", reason="tone", comment="Warmer.")
    assert response.status_code == 200
    return submitted


def record_of(post) -> tuple[int, int, int]:
    workflow_states = WorkflowState.objects.filter(object_id=str(post.pk))
    return (
        workflow_states.count(),
        TaskState.objects.filter(workflow_state__in=workflow_states).count(),
        ReviewDecision.objects.filter(task_state__workflow_state__in=workflow_states).count(),
    )


@pytest.mark.parametrize("who", ["lead", "creative", "admin_user"])
def test_nobody_deletes_a_post_that_went_for_approval_in_the_admin(request, login, decided, who):
    user = request.getfixturevalue(who)
    record = record_of(decided)
    client = login(user)

    page = client.get(delete_url(decided))
    response = client.post(delete_url(decided))

    assert page.status_code in (302, 403)
    assert response.status_code in (302, 403)
    assert Post.objects.filter(pk=decided.pk).exists()
    assert record_of(decided) == record


@pytest.mark.parametrize("who", ["lead", "creative", "admin_user"])
def test_nobody_bulk_deletes_a_post_that_went_for_approval(request, login, submitted, never_submitted, who):
    user = request.getfixturevalue(who)
    record = record_of(submitted)

    login(user).post(bulk_delete_url(submitted, never_submitted))

    assert Post.objects.filter(pk=submitted.pk).exists()
    assert record_of(submitted) == record


def test_a_post_withdrawn_from_its_workflow_still_cannot_be_deleted(login, lead, admin_user, submitted):
    Post.objects.get(pk=submitted.pk).current_workflow_state.cancel(user=admin_user)

    login(lead).post(delete_url(submitted))

    assert Post.objects.filter(pk=submitted.pk).exists()


def test_the_api_deletes_no_post(api, lead, submitted, never_submitted):
    for post in (submitted, never_submitted):
        response = api(lead).delete(f"/api/v1/posts/{post.pk}/")

        assert response.status_code == 405
        assert Post.objects.filter(pk=post.pk).exists()


def test_the_editor_offers_no_delete_for_a_post_that_went_for_approval(login, lead, submitted):
    html = login(lead).get(reverse("wagtailsnippets_posts_post:edit", args=[submitted.pk])).text

    assert delete_url(submitted) not in html


def test_the_listing_offers_no_delete_for_a_post_that_went_for_approval(
    login, lead, submitted, never_submitted
):
    html = login(lead).get(reverse("wagtailsnippets_posts_post:list")).text

    assert delete_url(submitted) not in html
    assert delete_url(never_submitted) in html


def test_a_lead_deletes_a_draft_that_never_went_for_approval_after_confirming(login, lead, never_submitted):
    client = login(lead)

    confirmation = client.get(delete_url(never_submitted))
    assert confirmation.status_code == 200
    assert "Are you sure" in confirmation.text
    assert Post.objects.filter(pk=never_submitted.pk).exists()  # asking deletes nothing

    client.post(delete_url(never_submitted))

    assert not Post.objects.filter(pk=never_submitted.pk).exists()


def test_a_lead_bulk_deletes_drafts_that_never_went_for_approval(login, lead, never_submitted):
    login(lead).post(bulk_delete_url(never_submitted))

    assert not Post.objects.filter(pk=never_submitted.pk).exists()


def test_a_creative_deletes_no_post_at_all(login, creative, never_submitted):
    """Deleting is the brand's leads' (brands.roles.POST_ROLES_FOR_ACTION)."""
    login(creative).post(delete_url(never_submitted))

    assert Post.objects.filter(pk=never_submitted.pk).exists()


def test_a_lead_of_another_brand_deletes_no_draft_of_this_one(login, lead_b, never_submitted):
    client = login(lead_b)

    assert client.post(delete_url(never_submitted)).status_code == 404
    client.post(bulk_delete_url(never_submitted))

    assert Post.objects.filter(pk=never_submitted.pk).exists()
