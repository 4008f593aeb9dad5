"""Reads for the client portal, every one scoped to the client user.

Which posts a client sees, and as what (`portal_posts`, `client_view_of`), the reviews awaiting
them (`queue_page`), the calendar, the archive and the post's history as a client may read it.
A view never looks a post, review, revision or image up anywhere else, so anything outside the
client's brands is simply not found: the same 404 as an id that does not exist.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page, Paginator
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    TextChoices,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Now
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from wagtail.images import get_image_model
from wagtail.models import Revision, TaskState, WorkflowState

from approvals.inbox import revision_thumbnails
from approvals.models import ReviewDecision, ReviewTask, ReviewTier
from approvals.publishing import done_on
from approvals.selectors import (
    brand_policy,
    reviews_awaiting,
    reviews_decidable_by,
    tier_due_at,
    tier_due_status,
)
from approvals.tiers import tier_applies
from brands.checks.platforms import PLATFORM_SPECS
from brands.models import Brand, BrandKit
from brands.selectors import brands_of_client_user
from cms.calendar.grid import Calendar, lay_out, period_of
from cms.ids import as_id
from cms.posts.models import Post, PostFormat, client_title
from cms.posts.previews import PREVIEW_MODES
from cms.posts.selectors import content_going_out, going_out_at, may_go_out_between, scheduled_for

from .models import PortalBranding

PAGE_SIZE = 25
# The list thumbnails (the review inbox's size, so both share renditions).
THUMBNAIL_SPEC = "fill-96x96"
# Images on the post page: big enough for any screen, not the multi-megabyte original.
IMAGE_SPEC = "max-1600x1600"
LOGO_SPEC = "height-96"
HEX_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")


class PortalStatus(TextChoices):
    """Where a post stands, as the client sees it (the calendar's colours, the labels)."""

    AWAITING = "awaiting", "Awaiting your approval"
    WITH_AGENCY = "with_agency", "With the agency"
    SCHEDULED = "scheduled", "Scheduled"
    # Every tier approved a post with no time (or one passed): it is being published, which the
    # relay does within seconds of the last decision. Shown like published.
    GOING_OUT = "going_out", "Going out now"
    PUBLISHED = "published", "Published"


HIDDEN = "hidden"


# Brands and branding ------------------------------------------------------------------------------


def portal_brands(user) -> QuerySet[Brand]:
    """The client's brands, by name (the first is the default), with their approval policies."""
    return brands_of_client_user(user).select_related("approval_policy").order_by("name", "pk")


def choose_brand(brands: list[Brand], wanted: str | None, remembered) -> Brand | None:
    """The brand asked for (None when it is not one of `brands`), else the one remembered in the
    session if it still is, else the first."""
    if wanted is not None:
        return next((brand for brand in brands if str(brand.pk) == wanted), None)
    return next((brand for brand in brands if brand.pk == remembered), brands[0] if brands else None)


@dataclass(frozen=True)
class Branding:
    agency_name: str
    logo: object | None  # a rendition
    accent: str
    accent_ink: str  # text on the accent colour
    accent_text: str  # the accent, or ink where the accent is too light to read on white


def portal_branding() -> Branding:
    """The agency's branding for the portal, its logo included, in one query.

    Like PortalBranding.load, without creating the row: the defaults stand in until an admin
    saves the setting. The accent goes into a style attribute, so only a #RRGGBB value passes.
    """
    setting = PortalBranding.objects.select_related("logo").first() or PortalBranding()
    accent = setting.accent_colour if HEX_COLOUR.match(setting.accent_colour or "") else "#0f766e"
    logo = None
    if setting.logo is not None:
        try:
            logo = setting.logo.get_rendition(LOGO_SPEC)
        except Exception:  # a missing file must not take the portal down; the name stands in
            logo = None
    ink = "#111111" if _luminance(accent) > 0.4 else "#ffffff"
    return Branding(
        agency_name=setting.agency_name or "Signoff",
        logo=logo,
        accent=accent,
        accent_ink=ink,
        accent_text=accent if _contrast_on_white(accent) >= 4.5 else "#1d2129",
    )


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast_on_white(hex_colour: str) -> float:
    return 1.05 / (_luminance(hex_colour) + 0.05)


# Posts as the client sees them --------------------------------------------------------------------


def _post_content_type():
    return ContentType.objects.get_for_model(Post)  # cached by Django after the first call


def _client_view_annotations() -> dict:
    """How a client sees each post, as annotations (so lists filter and order in SQL):

    - `portal_status`: awaiting (the client tier is deciding now), scheduled, going out now (every
      tier approved it and it is being published), published, with the agency (it reached the
      client tier in its current round and went back, or the brand shows clients drafts early),
      or hidden;
    - `calendar_at`: the day it goes or went out: the scheduled revision's time, the first
      publication of a live post, else the planned time of the draft;
    - `client_revision_id`: the revision the client last reviewed in the current round.
    """
    content_type = _post_content_type()
    object_id = Cast(OuterRef("pk"), CharField())
    open_rounds = [WorkflowState.STATUS_IN_PROGRESS, WorkflowState.STATUS_NEEDS_CHANGES]
    in_workflow = WorkflowState.objects.filter(
        base_content_type=content_type, object_id=object_id, status__in=open_rounds
    )
    # Found through the post's own workflow states. The task is compared as an expression (+ 0)
    # so that SQLite, which keeps no statistics unless ANALYZEd, doesn't walk every post's
    # client-tier visits by the task's index instead, for each post.
    client_task = ReviewTask.objects.filter(tier=ReviewTier.CLIENT).values("pk")
    client_tier = (
        TaskState.objects.annotate(task_ref=ExpressionWrapper(F("task_id") + 0, output_field=IntegerField()))
        .filter(
            workflow_state__base_content_type=content_type,
            workflow_state__object_id=object_id,
            workflow_state__status__in=open_rounds,
            task_ref__in=client_task,
        )
        .exclude(status=TaskState.STATUS_SKIPPED)
    )
    client_decisions = ReviewDecision.objects.annotate(
        task_ref=ExpressionWrapper(F("task_state__task_id") + 0, output_field=IntegerField())
    ).filter(
        task_state__workflow_state__base_content_type=content_type,
        task_state__workflow_state__object_id=object_id,
        task_state__workflow_state__status__in=open_rounds,
        task_ref__in=client_task,
    )
    return {
        "at_client_tier": Exists(
            client_tier.filter(
                status=TaskState.STATUS_IN_PROGRESS,
                workflow_state__status=WorkflowState.STATUS_IN_PROGRESS,
            )
        ),
        "seen_by_client": Exists(client_tier),
        # The client approved and the workflow is moving on to publish or schedule it (on the
        # relay, a moment): for them it is done.
        "approved_moving_on": Exists(
            client_tier.filter(
                status=TaskState.STATUS_APPROVED,
                workflow_state__status=WorkflowState.STATUS_IN_PROGRESS,
                workflow_state__current_task_state=F("pk"),
            )
        ),
        # What they decided on, else what the tier started with.
        "client_revision_id": Coalesce(
            Subquery(client_decisions.order_by("-created_at", "-pk").values("revision_id")[:1]),
            Subquery(client_tier.order_by("-started_at", "-pk").values("revision_id")[:1]),
        ),
        "in_workflow": Exists(in_workflow),
        "scheduled_for": scheduled_for(),
        "drafts_early": Coalesce(
            F("brand__approval_policy__show_client_drafts_early"), Value(False), output_field=BooleanField()
        ),
    }


def portal_posts(user, brand: Brand | None = None, *, going_out_between=None) -> QuerySet[Post]:
    """The posts a client user may see, of all their client's brands or of one of them, each
    annotated with `portal_status` and `calendar_at` (see _client_view_annotations); with
    `going_out_between=(start, end)`, only those whose `calendar_at` falls in that range.

    Posts that have not reached the client tier stay hidden unless the brand's policy shows
    clients drafts early; then they show, read-only, as "with the agency".
    """
    posts = Post.objects.filter(brand__in=brands_of_client_user(user))
    if brand is not None:
        posts = posts.filter(brand=brand)
    if going_out_between is not None:
        # Plain columns first, so the annotations are worked out only for posts near the range
        # (a brand may have hundreds in flight).
        posts = may_go_out_between(posts, *going_out_between)
    posts = (
        posts.annotate(**_client_view_annotations())
        .annotate(
            portal_status=Case(
                When(at_client_tier=True, then=Value(PortalStatus.AWAITING.value)),
                When(scheduled_for__isnull=False, then=Value(PortalStatus.SCHEDULED.value)),
                When(live=True, then=Value(PortalStatus.PUBLISHED.value)),
                When(
                    Q(go_live_at__isnull=True) | Q(go_live_at__lte=Now()),
                    approved_moving_on=True,
                    then=Value(PortalStatus.GOING_OUT.value),
                ),
                When(approved_moving_on=True, then=Value(PortalStatus.SCHEDULED.value)),
                When(seen_by_client=True, then=Value(PortalStatus.WITH_AGENCY.value)),
                When(in_workflow=True, drafts_early=True, then=Value(PortalStatus.WITH_AGENCY.value)),
                default=Value(HIDDEN),
                output_field=CharField(),
            ),
            calendar_at=going_out_at(),
        )
        .exclude(portal_status=HIDDEN)
        .select_related("brand__approval_policy")
    )
    if going_out_between is not None:
        posts = posts.filter(calendar_at__gte=going_out_between[0], calendar_at__lt=going_out_between[1])
    return posts


def get_portal_post(user, pk: int) -> Post | None:
    return portal_posts(user).filter(pk=pk).first()


def client_view_of(post: Post) -> Post:
    """The content the client sees of a post from portal_posts: what they are asked to approve
    (the latest revision), what goes out next, what went out, or, for a post back with the
    agency, the version they last reviewed (the agency's rework stays theirs until it returns; what
    they just approved, until it is scheduled)."""
    revision_id = _shown_revision_id(post)
    shown = Revision.objects.get(pk=revision_id).as_object() if revision_id else content_going_out(post)
    for name in ("portal_status", "calendar_at", "drafts_early"):
        setattr(shown, name, getattr(post, name))
    return shown


def _shown_revision_id(post: Post) -> int | None:
    """The revision client_view_of shows of a post from portal_posts; None when it shows what
    goes out next (content_going_out)."""
    status = post.portal_status
    if status == PortalStatus.AWAITING or (status == PortalStatus.WITH_AGENCY and post.drafts_early):
        return post.latest_revision_id
    if status == PortalStatus.WITH_AGENCY or post.approved_moving_on:
        return post.client_revision_id
    return None


def client_title_of(revision: Revision) -> str:
    """The post's name as the client knows it, from one of its revisions (see client_title)."""
    content = revision.content
    return client_title(content.get("caption") or "", content.get("format") or PostFormat.FEED)


def brand_time(moment: datetime, brand: Brand) -> str:
    """A time as the client plans it: in the brand's own time zone ("Sat 12 Dec 2026, 17:30 GMT")."""
    local = timezone.localtime(moment, brand.tz)
    return f"{local:%a} {local.day} {local:%b %Y, %H:%M} {local.tzname()}"


@dataclass(frozen=True)
class ApprovalOutcome:
    """What the client's approval of a post will do, said before they approve."""

    finishes: bool  # no agency tier comes after theirs: approving publishes or schedules it
    goes_out_at: datetime | None  # when it is scheduled for; None: as soon as it is approved


def approval_outcome(
    post: Post, review: TaskState, revision_id: int, *, now: datetime | None = None
) -> ApprovalOutcome:
    """What approving `review` does to `post`, the content the client is asked to approve (its
    revision `revision_id`): it goes out at once when it has no time or its time has passed, else
    it is scheduled — unless another tier that applies to it has not approved this very version
    (the agency changed it after approving it, so its approval lapsed, or a later tier)."""
    now = now or timezone.now()
    workflow_state = review.workflow_state
    revision = Revision.objects.filter(pk=revision_id).first()
    done = set(done_on(workflow_state, revision).values_list("task_id", flat=True)) if revision else set()
    others = ReviewTask.objects.filter(
        workflow_tasks__workflow=workflow_state.workflow_id, active=True
    ).exclude(pk__in={review.task_id, *done})
    finishes = not any(tier_applies(tier, post)[0] for tier in others.values_list("tier", flat=True))
    goes_out_at = post.go_live_at if post.go_live_at and post.go_live_at > now else None
    return ApprovalOutcome(finishes=finishes, goes_out_at=goes_out_at)


def preview_modes_for(post: Post) -> list[tuple[str, str]]:
    """The mock-ups of the post's own platforms (a story on Instagram shows as a story)."""
    codes = {platform.pk for platform in post.platforms.all()}
    labels = dict(Post.preview_modes)
    modes = []
    for mode, (code, post_format) in PREVIEW_MODES.items():
        if code not in codes:
            continue
        if code == "instagram" and (post_format == "story") != (post.format == PostFormat.STORY):
            continue
        modes.append((mode, labels[mode]))
    return modes or [(post.default_preview_mode, labels[post.default_preview_mode])]


@dataclass(frozen=True)
class PostImage:
    image_id: int
    alt: str
    rendition: object | None


def images_of(post: Post) -> list[PostImage]:
    """The post's images in order, each with a large rendition, in two queries."""
    media = sorted(
        (item for item in post.media.all() if item.image_id), key=lambda item: item.sort_order or 0
    )
    images = get_image_model().objects.prefetch_renditions(IMAGE_SPEC).in_bulk([m.image_id for m in media])
    shown = []
    for item in media:
        image = images.get(item.image_id)
        if image is None:
            continue
        try:
            rendition = image.get_rendition(IMAGE_SPEC)
        except Exception:  # a missing file: say so with the alt text rather than fail the page
            rendition = None
        shown.append(PostImage(image.pk, item.alt_text or image.title, rendition))
    return shown


def image_of(post: Post, image_id: int):
    """One of the images of the content the client sees (see client_view_of), or the brand's
    logo (the mock-ups' avatar); None for any other."""
    if not any(item.image_id == image_id for item in post.media.all()):
        logo_id = BrandKit.objects.filter(brand_id=post.brand_id).values_list("logo_id", flat=True).first()
        if logo_id is None or logo_id != image_id:
            return None
    return get_image_model().objects.filter(pk=image_id).first()


def shown_rendition(image, filter_spec: str):
    """The image at a size a portal page has shown it (the page made that rendition), or None:
    a client can't have the server render an image at any size they like."""
    if not image.renditions.filter(filter_spec=filter_spec).exists():
        return None
    try:
        return image.get_rendition(filter_spec)
    except Exception:  # a missing or damaged file: nothing to send
        return None


# The queue: reviews awaiting the client -----------------------------------------------------------


def client_reviews(user) -> QuerySet[TaskState]:
    """Client-tier reviews this client user may decide on, of any status (so a decision made
    meanwhile answers "already decided by …", as in the API, and anything else is not found)."""
    return reviews_decidable_by(user).filter(task__reviewtask__tier=ReviewTier.CLIENT)


def awaiting_client(user, brand: Brand) -> QuerySet[TaskState]:
    """The client-tier reviews awaiting the user on the brand's posts, oldest first: within one
    brand and one tier that is also soonest due first, so SQL can page it. (reviews_awaiting
    keeps to the client's own brands.)"""
    posts = Post.objects.filter(brand=brand).annotate(object_id=Cast("pk", CharField()))
    return (
        reviews_awaiting(user)
        .filter(
            task__reviewtask__tier=ReviewTier.CLIENT, workflow_state__object_id__in=posts.values("object_id")
        )
        .order_by("started_at", "pk")
    )


def awaiting_review_of(user, post: Post) -> TaskState | None:
    """The client-tier review of this post awaiting the user, if any."""
    return (
        awaiting_client(user, post.brand)
        .filter(workflow_state__object_id=str(post.pk))
        .select_related("workflow_state")
        .first()
    )


@dataclass
class QueueItem:
    """One post awaiting the client, described by the revision they are asked to approve."""

    task_state: TaskState
    post_id: int
    revision: Revision
    due_at: datetime
    due_status: str  # on_time, due_soon, overdue
    waiting: timedelta
    thumbnail: object | None

    @property
    def title(self) -> str:
        """The name the client knows it by (never the agency's internal title)."""
        return client_title_of(self.revision)

    @property
    def platform_names(self) -> list[str]:
        codes = self.revision.content.get("platforms") or []
        return [PLATFORM_SPECS[code].name for code in codes if code in PLATFORM_SPECS]

    @property
    def scheduled_at(self) -> datetime | None:
        value = self.revision.content.get("go_live_at")
        return parse_datetime(value) if value else None


def queue_page(user, brand: Brand, page_number=1, *, now: datetime | None = None, per_page=PAGE_SIZE) -> Page:
    """One page of the posts awaiting the client user on the brand, soonest due first; its
    object_list holds QueueItems. Four queries whatever the number of posts (a count, the page
    of reviews, their revisions, their thumbnails), once the thumbnails exist."""
    now = now or timezone.now()
    post = Post.objects.filter(pk=Cast(OuterRef("workflow_state__object_id"), IntegerField()))
    states = (
        awaiting_client(user, brand)
        .select_related("workflow_state")
        .annotate(post_revision_id=Subquery(post.values("latest_revision_id")[:1]))
    )
    page = Paginator(states, per_page).get_page(page_number)
    rows = list(page.object_list)
    revisions = Revision.objects.in_bulk({state.post_revision_id for state in rows})
    thumbnails = revision_thumbnails(revisions.values())
    policy = brand_policy(brand)
    page.object_list = [
        QueueItem(
            task_state=state,
            post_id=int(state.workflow_state.object_id),
            revision=revisions[state.post_revision_id],
            due_at=tier_due_at(policy, ReviewTier.CLIENT, state.started_at),
            due_status=tier_due_status(policy, ReviewTier.CLIENT, state.started_at, now),
            waiting=now - state.started_at,
            thumbnail=thumbnails.get(state.post_revision_id),
        )
        for state in rows
    ]
    return page


# Lists: upcoming and the archive ------------------------------------------------------------------


def upcoming_posts(user, brand: Brand) -> QuerySet[Post]:
    """What is still to go out: awaiting the client, with the agency, scheduled; soonest first,
    posts without a date last."""
    return (
        portal_posts(user, brand)
        .filter(
            portal_status__in=[
                PortalStatus.AWAITING,
                PortalStatus.WITH_AGENCY,
                PortalStatus.SCHEDULED,
                PortalStatus.GOING_OUT,
            ]
        )
        .order_by(F("calendar_at").asc(nulls_last=True), "pk")
    )


def archive_thumbnails(entries) -> None:
    """Give each archive entry (of a page of them) `thumbnail`: its first image as sent, at the
    list's thumbnail size, or None. Two queries for the page, whatever its length."""
    Image = get_image_model()
    first_images = {
        entry.pk: next((item.get("image") for item in entry.media if item.get("image")), None)
        for entry in entries
    }
    images = Image.objects.filter(pk__in={pk for pk in first_images.values() if pk}).prefetch_renditions(
        THUMBNAIL_SPEC
    )
    by_id = {image.pk: image for image in images}
    for entry in entries:
        image = by_id.get(first_images[entry.pk])
        try:
            entry.thumbnail = image.get_rendition(THUMBNAIL_SPEC) if image else None
        except Exception:  # a missing file: the row shows without a picture
            entry.thumbnail = None


def list_page(posts: QuerySet[Post], page_number, *, per_page=PAGE_SIZE) -> Page:
    """A page of posts with their platforms, and the name (`post.shown_title`, see client_title)
    and a thumbnail (`post.thumbnail`) of the first image of what the client is shown of each
    (client_view_of): a post back with the agency shows the
    version the client reviewed, not the agency's rework."""
    Image = get_image_model()
    posts = posts.prefetch_related(
        "platforms", Prefetch("media__image", queryset=Image.objects.prefetch_renditions(THUMBNAIL_SPEC))
    )
    page = Paginator(posts, per_page).get_page(page_number)
    rows = list(page.object_list)
    shown_revisions = _shown_revision_ids(rows)
    revisions = Revision.objects.in_bulk(set(shown_revisions.values()))
    thumbnails = revision_thumbnails(revisions.values())
    for post in rows:
        post.thumbnail = None
        post.shown_title = post.client_title
        if post.pk in shown_revisions:
            post.thumbnail = thumbnails.get(shown_revisions[post.pk])
            if shown_revisions[post.pk] in revisions:
                post.shown_title = client_title_of(revisions[shown_revisions[post.pk]])
            continue
        media = [item for item in post.media.all() if item.image_id]
        if media:
            try:
                post.thumbnail = media[0].image.get_rendition(THUMBNAIL_SPEC)
            except Exception:  # a missing file: the row shows without a picture
                post.thumbnail = None
    page.object_list = rows
    return page


def _shown_revision_ids(posts: list[Post]) -> dict[int, int]:
    """{post id: the revision shown of it} for the posts not shown as the post itself: those
    client_view_of shows a revision of, and those going out as a scheduled revision. One query."""
    shown = {post.pk: _shown_revision_id(post) for post in posts}
    going_out = [str(post.pk) for post in posts if shown[post.pk] is None and post.scheduled_for]
    if going_out:
        scheduled = Revision.objects.filter(
            base_content_type=_post_content_type(), object_id__in=going_out, approved_go_live_at__isnull=False
        ).order_by("pk")  # the first, as Post.scheduled_revision takes it
        for object_id, revision_id in scheduled.values_list("object_id", "pk"):
            shown[int(object_id)] = shown[int(object_id)] or revision_id
    return {post_id: revision_id for post_id, revision_id in shown.items() if revision_id}


# The calendar -----------------------------------------------------------------------------------


def calendar_for(user, brand: Brand, view: str, anchor: date | None = None, *, now=None) -> Calendar:
    """The brand's month or week around `anchor`, each post on its day in the brand's time zone.
    One query: only the range shown is read."""
    tz = brand.tz
    today = (now or timezone.now()).astimezone(tz).date()
    anchor = anchor or today
    period = period_of(view, anchor)
    posts = portal_posts(user, brand, going_out_between=period.moments(tz)).order_by("calendar_at", "pk")
    return lay_out(
        period, posts, day_of=lambda post: post.calendar_at.astimezone(tz).date(), today=today, anchor=anchor
    )


# The post's history, as the client may read it -----------------------------------------------------


@dataclass(frozen=True)
class HistoryStep:
    at: datetime
    kind: str  # sent, approved, changes_requested, agency_approved, published
    who: str = ""
    reason: str = ""
    comment: str = ""


def client_history(post: Post) -> list[HistoryStep]:
    """What the client may know of the post's way through the tiers, oldest first: the client
    tier's visits and decisions with names and comments, and the agency's tiers only as
    "approved by the agency" — never who, never their comments or their requests for changes.
    Two queries."""
    states = (
        TaskState.objects.filter(
            workflow_state__base_content_type=_post_content_type(),
            workflow_state__object_id=str(post.pk),
            task__reviewtask__isnull=False,
        )
        .exclude(status=TaskState.STATUS_SKIPPED)
        .select_related("task__reviewtask")
        .prefetch_related(
            Prefetch("review_decisions", queryset=ReviewDecision.objects.select_related("user"))
        )
    )
    steps = []
    for state in states:
        if state.task.reviewtask.tier != ReviewTier.CLIENT:
            if state.status == TaskState.STATUS_APPROVED and state.finished_at:
                steps.append(HistoryStep(state.finished_at, "agency_approved"))
            continue
        steps.append(HistoryStep(state.started_at, "sent"))
        for decision in state.review_decisions.all():
            steps.append(
                HistoryStep(
                    decision.created_at,
                    decision.outcome,
                    who=decision.user.get_full_name() or decision.user.username,
                    reason=decision.get_reason_display() if decision.reason else "",
                    comment=decision.comment,
                )
            )
    if post.live and post.first_published_at:
        steps.append(HistoryStep(post.first_published_at, "published"))
    steps.sort(key=lambda step: step.at)
    return steps


def revision_of(post: Post, revision_id) -> Revision | None:
    """A revision of this post, or None (for an id of another post, or none at all)."""
    try:
        revision_id = int(revision_id)
    except (TypeError, ValueError):
        return None
    return Revision.objects.filter(
        pk=revision_id, base_content_type=_post_content_type(), object_id=str(post.pk)
    ).first()


# Decisions ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChosenReview:
    """A review the client picked and the revision they saw (the decision is refused if the post
    changed since: approvals.services.ChangedSinceSeen)."""

    task_state: TaskState
    seen: Revision


def chosen_reviews(user, values: list[str]) -> list[ChosenReview] | None:
    """The reviews picked in the queue ("<task state id>:<revision id>" each), or None when any
    is malformed or not this client's to decide (the caller answers 404). Two queries."""
    pairs = []
    for value in values:
        state_id, _, revision_id = value.partition(":")
        state_id, revision_id = as_id(state_id), as_id(revision_id)
        if state_id is None or revision_id is None:
            return None
        pairs.append((state_id, revision_id))
    states = client_reviews(user).select_related("workflow_state").in_bulk([pair[0] for pair in pairs])
    revisions = Revision.objects.filter(base_content_type=_post_content_type()).in_bulk(
        [pair[1] for pair in pairs]
    )
    chosen = []
    for state_id, revision_id in pairs:
        state, seen = states.get(state_id), revisions.get(revision_id)
        if state is None or seen is None or seen.object_id != state.workflow_state.object_id:
            return None
        chosen.append(ChosenReview(state, seen))
    return chosen


def review_of_post(user, post: Post, task_state_id) -> TaskState | None:
    """A client-tier review of this post that the user may decide on (any status), or None."""
    try:
        task_state_id = int(task_state_id)
    except (TypeError, ValueError):
        return None
    return (
        client_reviews(user)
        .filter(pk=task_state_id, workflow_state__object_id=str(post.pk))
        .select_related("workflow_state")
        .first()
    )
