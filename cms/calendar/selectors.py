"""Reads for the agency calendar: the posts of the user's brands on a month, a week or a list,
each on its day and at its time in its own brand's time zone, with its status, a thumbnail and
whether (and with what consequence) the user may move it to another day.

A fixed number of queries whatever the number of posts: the posts of the range shown with their
brands and policies, then their platforms, media, images and thumbnails (once those exist).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.permissions import policy_registry

from approvals.selectors import brand_policy
from approvals.tiers import tiers_the_policy_asks_for
from brands.models import Brand, Platform
from brands.scoping import scoped_queryset
from cms.calendar.grid import MONTH, WEEK, Calendar, lay_out, period_of
from cms.posts.models import Post, PostStatus
from cms.posts.selectors import going_out_at, may_go_out_between, scheduled_for

LIST = "list"
VIEWS = [MONTH, WEEK, LIST]
# The review inbox's and the portal's thumbnail size, so all three share renditions.
THUMBNAIL_SPEC = "fill-96x96"
# The statuses a post can be in (PostQuerySet.with_status), in the order a post goes through them.
STATUSES = [
    PostStatus.DRAFT,
    PostStatus.IN_REVIEW,
    PostStatus.CHANGES_REQUESTED,
    PostStatus.SCHEDULED,
    PostStatus.PUBLISHED,
]
# Posts that may move to another day: those not out yet. Moving one in review or scheduled sends
# it back through the tiers (cms.calendar.services), so the user is told before (`move_note`).
MOVABLE = {PostStatus.DRAFT, PostStatus.CHANGES_REQUESTED, PostStatus.IN_REVIEW, PostStatus.SCHEDULED}
BACK_THROUGH_THE_TIERS = {PostStatus.IN_REVIEW, PostStatus.SCHEDULED}
# How many posts a day of the month view shows; the rest are "+N more", a click from its week.
# (At agency scale a busy day holds dozens: reading and drawing them all made the month slow,
# and a cell of forty posts is not a glance.)
MONTH_DAY_LIMIT = 4
# The same for a day of the week view; its "+N more" opens the list on that day.
WEEK_DAY_LIMIT = 8
DAY_LIMITS = {MONTH: MONTH_DAY_LIMIT, WEEK: WEEK_DAY_LIMIT}
# The list view (a month, day by day) shows this many posts a page.
LIST_PAGE_SIZE = 25


@dataclass(frozen=True)
class CalendarFilters:
    """What the calendar shows of the user's brands' posts (empty: everything)."""

    brand: Brand | None = None
    platform: Platform | None = None
    status: str = ""
    campaign: str = ""
    intent: str = ""

    def apply(self, posts: QuerySet[Post]) -> QuerySet[Post]:
        if self.brand is not None:
            posts = posts.filter(brand=self.brand)
        if self.platform is not None:
            posts = posts.filter(platforms=self.platform)
        if self.status:
            posts = posts.filter(status_code=self.status)
        if self.campaign:
            posts = posts.filter(campaign=self.campaign)
        if self.intent:
            posts = posts.filter(intent=self.intent)
        return posts

    @property
    def any(self) -> bool:
        return any([self.brand, self.platform, self.status, self.campaign, self.intent])


@dataclass
class CalendarEntry:
    """One post on the calendar."""

    post: Post
    at: datetime  # when it goes (or went) out, in its brand's time zone
    status: str
    thumbnail: object | None  # a rendition of its first image
    may_move: bool
    move_note: str  # what moving it does, said before the move; empty where it only moves

    @property
    def status_label(self) -> str:
        return PostStatus(self.status).label

    @property
    def day_iso(self) -> str:
        # Worked out here: a template's date filter would show the time in the user's time zone.
        return self.at.date().isoformat()

    @property
    def time_label(self) -> str:
        return f"{self.at:%H:%M}"

    @property
    def zone(self) -> str:
        return self.at.tzname() or ""


def calendar_posts(user) -> QuerySet[Post]:
    """The posts of the user's brands (the admin's scoping), each annotated with its
    `status_code` and `going_out` (when it goes or went out; None: no date yet)."""
    return (
        scoped_queryset(user, Post)
        .with_status()
        .annotate(scheduled_for=scheduled_for())
        .annotate(going_out=going_out_at())
        .select_related("brand__approval_policy")
    )


def campaigns_of(user) -> list[str]:
    """The campaigns of the user's brands' posts, by name."""
    return list(
        scoped_queryset(user, Post)
        .exclude(campaign="")
        .order_by("campaign")
        .values_list("campaign", flat=True)
        .distinct()
    )


def undated_count(user, filters: CalendarFilters) -> int:
    """How many of the posts the filters let through have no date yet (so no day to show on)."""
    undated = calendar_posts(user).filter(going_out__isnull=True).exclude(status_code=PostStatus.PUBLISHED)
    return filters.apply(undated).count()


def agency_calendar(
    user,
    view: str,
    anchor: date | None = None,
    *,
    filters: CalendarFilters | None = None,
    now=None,
    page: str | int | None = None,
) -> Calendar:
    """The month, week or list (a month, day by day) around `anchor` (default: today, in the
    user's time zone) of the user's brands' posts, each a CalendarEntry on its day in its brand's
    time zone, in the order they go out.

    The work is bounded whatever the number of posts: a day of the month or of the week shows its
    first few (DAY_LIMITS) and says how many more; the list shows one page of LIST_PAGE_SIZE
    posts (`page`; without one, the page holding `anchor`'s posts). Only those posts are read in
    full; the rest are counted from one narrow query."""
    filters = filters or CalendarFilters()
    today = timezone.localdate(now or timezone.now())
    anchor = anchor or today
    period = period_of(WEEK if view == WEEK else MONTH, anchor)
    # A day lasts from UTC+14 to UTC-12 around the world: read a day either side, then place
    # each post by its own brand's clock (lay_out leaves out what falls off the grid).
    start = datetime.combine(period.start - timedelta(days=1), time.min, tzinfo=UTC)
    end = datetime.combine(period.end + timedelta(days=1), time.min, tzinfo=UTC)
    posts = filters.apply(calendar_posts(user).filter(going_out__gte=start, going_out__lt=end)).order_by(
        "going_out", "pk"
    )
    posts = may_go_out_between(posts, start, end)
    more: dict[date, int] = {}
    listed = None
    if view in DAY_LIMITS:
        shown, more = _first_of_each_day(posts, DAY_LIMITS[view])
        posts = posts.filter(pk__in=shown)
    elif view == LIST:
        listed = _list_page(posts, period, anchor, page)
        posts = posts.filter(pk__in=list(listed.object_list))
    posts = posts.prefetch_related(
        "platforms",
        Prefetch("media__image", queryset=get_image_model().objects.prefetch_renditions(THUMBNAIL_SPEC)),
    )
    entries = [_entry(user, post) for post in posts]
    calendar = lay_out(
        replace(period, view=LIST) if view == LIST else period,
        entries,
        day_of=lambda entry: entry.at.date(),
        today=today,
        anchor=anchor,
    )
    for day in calendar.days:
        day.more = more.get(day.day, 0)
    calendar.page = listed
    return calendar


def _list_page(posts: QuerySet[Post], period, anchor: date, number: str | int | None) -> Page:
    """The page of the list to show: the ids of its posts (of the days of the month, by each
    post's brand's clock), from one narrow query. Page `number` if given (a bad or out-of-range one
    gives the nearest page), else the page holding the first post on or after `anchor` (so
    "Today" and a week's "+N more" open the list where they point)."""
    in_month = []
    for pk, going_out, zone in posts.values_list("pk", "going_out", "brand__time_zone"):
        day = going_out.astimezone(ZoneInfo(zone)).date()
        if period.first <= day < period.stop:
            in_month.append((pk, day))
    paginator = Paginator(in_month, LIST_PAGE_SIZE)
    if number is None or number == "":
        at = next((index for index, (_, day) in enumerate(in_month) if day >= anchor), len(in_month) - 1)
        number = max(at, 0) // LIST_PAGE_SIZE + 1
    listed = paginator.get_page(number)
    listed.object_list = [pk for pk, _ in listed.object_list]
    return listed


def _first_of_each_day(posts: QuerySet[Post], limit: int) -> tuple[list[int], dict[date, int]]:
    """The ids of the first `limit` posts of each day (by each post's brand's clock), and how many
    more each day has, from one narrow query (ids, times and time zones only)."""
    shown, counts = [], {}
    for pk, going_out, zone in posts.values_list("pk", "going_out", "brand__time_zone"):
        day = going_out.astimezone(ZoneInfo(zone)).date()
        counts[day] = counts.get(day, 0) + 1
        if counts[day] <= limit:
            shown.append(pk)
    return shown, {day: count - limit for day, count in counts.items() if count > limit}


def entry_of(user, post: Post) -> CalendarEntry | None:
    """The calendar's entry for one post of calendar_posts (None: it has no date yet)."""
    return _entry(user, post) if post.going_out is not None else None


def _entry(user, post: Post) -> CalendarEntry:
    status = post.status_code
    may_move = (
        status in MOVABLE
        and not post.live  # a post that has gone out stays where it went out
        and not (post.locked and post.locked_by_id != user.pk)
        and policy_registry.get_by_type(Post).user_has_permission_for_instance(user, "change", post)
    )
    return CalendarEntry(
        post=post,
        at=post.going_out.astimezone(post.brand.tz),
        status=status,
        thumbnail=_thumbnail(post),
        may_move=may_move,
        move_note=move_note(post, status) if may_move else "",
    )


def _thumbnail(post: Post):
    media = [item for item in post.media.all() if item.image_id]
    if not media:
        return None
    try:
        return media[0].image.get_rendition(THUMBNAIL_SPEC)
    except Exception:  # a missing or damaged file: the post shows without a picture
        return None


def move_note(post: Post, status: str) -> str:
    """What moving the post to another day does besides moving it, for the user to read before
    they move it; empty for a draft, which simply moves."""
    if status not in BACK_THROUGH_THE_TIERS:
        return ""
    tiers = tiers_the_policy_asks_for(brand_policy(post.brand))
    if status == PostStatus.SCHEDULED:
        return (
            f"“{post.title}” is approved and scheduled. Moving it takes it off the schedule and "
            f"sends it back through {tiers}, as the approval policy of {post.brand} requires: it "
            "goes out on the new day only once they approve it again."
        )
    return (
        f"“{post.title}” is in review. Moving it saves a new version, so approvals it has had "
        f"stop counting and it goes back through {tiers}, as the approval policy of {post.brand} "
        "requires."
    )
