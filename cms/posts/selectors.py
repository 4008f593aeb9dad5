"""Reads of posts, scoped to the user by the same policy the admin uses."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, CharField, F, IntegerField, OuterRef, Q, QuerySet, Subquery, When
from django.db.models.functions import Cast, Coalesce
from wagtail.models import Revision

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


# When a post goes (or went) out, for calendars ------------------------------------------------------


def scheduled_for() -> Subquery:
    """The time the post's scheduled revision goes out (None when nothing is scheduled), to
    annotate as `scheduled_for`."""
    scheduled = Revision.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Post),
        object_id=Cast(OuterRef("pk"), CharField()),
        approved_go_live_at__isnull=False,
    )
    return Subquery(scheduled.order_by("-created_at").values("approved_go_live_at")[:1])


def going_out_at() -> Case:
    """The day a post goes or went out, on a queryset annotated with `scheduled_for`: the
    scheduled revision's time, the first publication of a live post, else the planned time of
    the draft (None: no date yet)."""
    return Case(
        When(scheduled_for__isnull=False, then=F("scheduled_for")),
        When(live=True, then=Coalesce("first_published_at", "go_live_at")),
        default=F("go_live_at"),
    )


def may_go_out_between(posts: QuerySet[Post], start, end) -> QuerySet[Post]:
    """The posts whose going_out_at may fall in [start, end), by plain columns: going_out_at is
    one of these three times. Filter on going_out_at itself too; this only keeps the annotations
    from being worked out for every post."""
    scheduled_then = Revision.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Post),
        approved_go_live_at__gte=start,
        approved_go_live_at__lt=end,
    ).annotate(post_id=Cast("object_id", IntegerField()))
    return posts.filter(
        Q(go_live_at__gte=start, go_live_at__lt=end)
        | Q(first_published_at__gte=start, first_published_at__lt=end)
        | Q(pk__in=scheduled_then.values("post_id"))
    )
