"""Reads of posts, scoped to the user by the same policy the admin uses."""

from django.db.models import QuerySet

from brands.scoping import scoped_queryset
from brands.selectors import brands_of_client_user

from .models import Post, PostStatus


def posts_visible_to(user) -> QuerySet[Post]:
    """The posts of the user's brands, with their status, ready to list."""
    return (
        scoped_queryset(user, Post)
        .with_status()
        .select_related("brand")
        .prefetch_related("platforms", "media__image")
    )


# Until the client approval tier exists, clients see what the agency has approved for going out.
CLIENT_VISIBLE_STATUSES = [PostStatus.SCHEDULED, PostStatus.PUBLISHED]


def posts_for_client(user) -> QuerySet[Post]:
    """Posts a client user may see: their own client's brands, approved ones only."""
    return (
        Post.objects.with_status()
        .filter(brand__in=brands_of_client_user(user), status_code__in=CLIENT_VISIBLE_STATUSES)
        .select_related("brand")
        .prefetch_related("platforms")
    )


def content_going_out(post: Post) -> Post:
    """What a post will look like when it next goes out: its scheduled revision when it has one
    (a live post can have newer, approved content waiting for its time), else the post itself."""
    revision = post.scheduled_revision
    if revision is None:
        return post
    scheduled = revision.as_object()
    scheduled.go_live_at = revision.approved_go_live_at
    scheduled.status_code = post.status
    return scheduled
