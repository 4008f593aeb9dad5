"""Reads of posts, scoped to the user by the same policy the admin uses."""

from django.db.models import QuerySet

from brands.scoping import scoped_queryset

from .models import Post


def posts_visible_to(user) -> QuerySet[Post]:
    """The posts of the user's brands, with their status, ready to list."""
    return (
        scoped_queryset(user, Post)
        .with_status()
        .select_related("brand")
        .prefetch_related("platforms", "media__image")
    )
