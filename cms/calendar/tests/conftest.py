"""Posts in each state the calendar shows, brought there through the real services."""

import pytest

from approvals.services import approve_task, submit_post
from brands.factories import BrandFactory, membership
from brands.models import BrandRole
from cms.posts.factories import PostFactory, add_media, publish_directly


@pytest.fixture
def brand_tokyo(client_a):
    """A second brand of the same client, on Tokyo time."""
    return BrandFactory(client=client_a, name="Acme Tokyo", slug="acme-tokyo", time_zone="Asia/Tokyo")


@pytest.fixture
def planner(brand_a, brand_tokyo):
    """A creative on brand A and on Acme Tokyo."""
    from brands.factories import UserFactory

    user = UserFactory(username="planner")
    membership(user, brand_a, BrandRole.CREATIVE)
    membership(user, brand_tokyo, BrandRole.CREATIVE)
    return user


def dated_draft(brand, by, at, *, images=(), **fields):
    """A draft with its first revision, its images in it as the editor saves them."""
    post = PostFactory(brand=brand, created_by=by, go_live_at=at, **fields)
    add_media(post, list(images))
    post.save_revision(user=by)
    return post


def in_review(brand, by, at, **fields):
    post = dated_draft(brand, by, at, **fields)
    submit_post(post=post, user=by)
    return post


def scheduled(brand, by, reviewer, at, **fields):
    """Submitted by `by`, approved by `reviewer` (the senior tier, all the default policy asks
    for): scheduled to go out at `at`."""
    post = in_review(brand, by, at, **fields)
    approve_task(task_state=post.current_workflow_task_state, user=reviewer)
    return post


def published(brand, at, **fields):
    post = PostFactory(brand=brand, go_live_at=None, **fields)
    publish_directly(post)
    post.refresh_from_db()
    type(post).objects.filter(pk=post.pk).update(first_published_at=at)
    return post
