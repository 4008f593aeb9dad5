"""The review inbox: every tier awaiting the current user across their brands, soonest due first.

A fixed number of queries whatever the number of items: every awaiting tier is read as plain
values with its brand's policy (two queries) and sorted in Python, as due times count the brand's
working hours, which SQL can't; then only the page shown is loaded in full (three queries).
"""

import heapq
import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.paginator import Page, Paginator
from django.db.models import IntegerField, OuterRef, Subquery
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from wagtail.images import get_image_model
from wagtail.models import Revision, TaskState

from brands.checks.platforms import PLATFORM_SPECS
from brands.models import Brand
from cms.posts.checking import checked_revisions
from cms.posts.models import CheckedRevision, FindingOverride, Post

from .selectors import brand_policy, reviews_awaiting, tier_due_at, tier_due_status

logger = logging.getLogger(__name__)

PAGE_SIZE = 25
THUMBNAIL_SPEC = "fill-96x96"
CAPTION_EXCERPT_LENGTH = 110


@dataclass
class InboxItem:
    """One tier awaiting the user, described by the revision under review (not the live row)."""

    task_state: TaskState
    post_id: int
    brand: Brand
    revision: Revision
    due_at: datetime
    due_status: str  # on_time, due_soon, overdue
    waiting: timedelta
    checked: CheckedRevision
    thumbnail: object | None  # a rendition of the first image

    @property
    def title(self) -> str:
        return self.revision.content.get("title") or self.revision.object_str

    @property
    def platform_codes(self) -> list[str]:
        return list(self.revision.content.get("platforms") or [])

    @property
    def platform_names(self) -> list[str]:
        return [PLATFORM_SPECS[code].name for code in self.platform_codes if code in PLATFORM_SPECS]

    @property
    def scheduled_at(self) -> datetime | None:
        value = self.revision.content.get("go_live_at")
        return parse_datetime(value) if value else None

    @property
    def caption_excerpt(self) -> str:
        """The caption's start, on one line, as the queue shows it."""
        caption = " ".join((self.revision.content.get("caption") or "").split())
        return (
            caption if len(caption) <= CAPTION_EXCERPT_LENGTH else caption[: CAPTION_EXCERPT_LENGTH - 1] + "…"
        )

    @property
    def findings_count(self) -> int:
        return self.checked.count

    @property
    def tier(self) -> str:
        return self.task_state.task.reviewtask.tier


@dataclass
class _Awaiting:
    """The little the inbox needs to order every awaiting tier by due time."""

    task_state_id: int
    post_id: int
    latest_revision_id: int
    brand: Brand
    due_at: datetime


def inbox_page(user, page_number=1, *, now: datetime | None = None, per_page: int = PAGE_SIZE) -> Page:
    """One page of the user's inbox, soonest due first; its object_list holds InboxItems."""
    now = now or timezone.now()
    page = Paginator(awaiting_by_due(user, now), per_page).get_page(page_number)
    page.object_list = inbox_rows(page.object_list, now)
    return page


def inbox_items(user, task_state_ids: list[int], *, now: datetime | None = None) -> list[InboxItem]:
    """The inbox rows for these task states (ignoring any not awaiting the user)."""
    now = now or timezone.now()
    return inbox_rows(awaiting_by_due(user, now, only=task_state_ids), now)


def awaiting_ids(user) -> set[int]:
    """The task states awaiting the user, in no order: what is left after a decision."""
    return set(reviews_awaiting(user).values_list("pk", flat=True))


def awaiting_by_due(user, now: datetime, only=None) -> Sequence[_Awaiting]:
    """Every tier awaiting the user, soonest due first: a sequence whose length is known at once
    and whose due times are worked out only as far as it is read (a busy reviewer may have
    hundreds). Two queries: every awaiting tier as plain values, and their brands' policies."""
    post = Post.objects.filter(pk=Cast(OuterRef("workflow_state__object_id"), IntegerField()))
    states = reviews_awaiting(user).annotate(
        post_brand_id=Subquery(post.values("brand_id")[:1]),
        post_revision_id=Subquery(post.values("latest_revision_id")[:1]),
    )
    if only is not None:
        states = states.filter(pk__in=only)
    rows = list(
        states.order_by("started_at", "pk").values_list(
            "pk",
            "started_at",
            "task__reviewtask__tier",
            "workflow_state__object_id",
            "post_brand_id",
            "post_revision_id",
        )
    )
    brands = Brand.objects.select_related("approval_policy").in_bulk({row[4] for row in rows})
    # Within one brand and tier, a tier that started later is never due earlier: each group is
    # already in due order, and merging the groups orders the whole list.
    groups = defaultdict(list)
    for row in rows:
        groups[(row[4], row[2])].append(row)
    return _MergedByDue([_due_in_turn(group, brands) for group in groups.values()], rows, brands)


def _awaiting(row, brands) -> _Awaiting:
    pk, started_at, tier, object_id, brand_id, revision_id = row
    brand = brands[brand_id]
    return _Awaiting(
        task_state_id=pk,
        post_id=int(object_id),
        latest_revision_id=revision_id,
        brand=brand,
        due_at=tier_due_at(brand_policy(brand), tier, started_at),
    )


def _due_in_turn(rows, brands):
    for row in rows:
        yield _awaiting(row, brands)


class _MergedByDue(Sequence):
    """Groups already in due order, merged as far as they are read; `get(pk)` finds one."""

    def __init__(self, groups, rows, brands):
        self._merged = heapq.merge(*groups, key=lambda row: (row.due_at, row.task_state_id))
        self._read: list[_Awaiting] = []
        self._length = len(rows)
        self._rows = {row[0]: row for row in rows}
        self._brands = brands

    def get(self, task_state_id) -> _Awaiting | None:
        """The tier `task_state_id` if it awaits the user, without ordering the rest."""
        row = self._rows.get(task_state_id)
        return _awaiting(row, self._brands) if row is not None else None

    def __len__(self):
        return self._length

    def __getitem__(self, index):
        stop = (
            (index.stop if index.stop is not None else self._length)
            if isinstance(index, slice)
            else index + 1
        )
        while len(self._read) < min(stop, self._length):
            self._read.append(next(self._merged))
        return self._read[index]


def inbox_rows(awaiting: list[_Awaiting], now: datetime) -> list[InboxItem]:
    """InboxItems for these awaiting tiers: their task states, revisions, findings, thumbnails."""
    if not awaiting:
        return []
    states = TaskState.objects.select_related("task__reviewtask", "workflow_state__requested_by").in_bulk(
        [row.task_state_id for row in awaiting]
    )
    revisions = Revision.objects.select_related("checked").in_bulk(
        {row.latest_revision_id for row in awaiting}
    )
    missing = [revision for revision in revisions.values() if not hasattr(revision, "checked")]
    checked = {
        revision.pk: revision.checked for revision in revisions.values() if hasattr(revision, "checked")
    }
    checked.update(checked_revisions(missing))  # saved during review: checked on first sight
    thumbnails = revision_thumbnails(revisions.values())
    items = []
    for row in awaiting:
        state = states[row.task_state_id]
        items.append(
            InboxItem(
                task_state=state,
                post_id=row.post_id,
                brand=row.brand,
                revision=revisions[row.latest_revision_id],
                due_at=row.due_at,
                due_status=tier_due_status(
                    brand_policy(row.brand), state.task.reviewtask.tier, state.started_at, now
                ),
                waiting=now - state.started_at,
                checked=checked[row.latest_revision_id],
                thumbnail=thumbnails.get(row.latest_revision_id),
            )
        )
    return items


def _first_image_id(revision: Revision) -> int | None:
    media = sorted(revision.content.get("media") or [], key=lambda item: item.get("sort_order") or 0)
    return media[0].get("image") if media else None


def revision_thumbnails(revisions) -> dict[int, object]:
    """A thumbnail rendition of each revision's first image, in one query once they exist."""
    image_ids = {revision.pk: _first_image_id(revision) for revision in revisions}
    wanted = {image_id for image_id in image_ids.values() if image_id}
    if not wanted:
        return {}
    Rendition = get_image_model().get_rendition_model()
    renditions = {
        rendition.image_id: rendition
        for rendition in Rendition.objects.filter(image_id__in=wanted, filter_spec=THUMBNAIL_SPEC)
    }
    for image in get_image_model().objects.filter(pk__in=wanted - set(renditions)):
        renditions[image.pk] = image.get_rendition(THUMBNAIL_SPEC)  # first sight only
    return {
        revision_id: renditions[image_id]
        for revision_id, image_id in image_ids.items()
        if image_id in renditions
    }


# One review, in full: the inbox's right-hand pane ------------------------------------------------

PANE_IMAGE_SPEC = "max-480x480"
SEVERITY_ORDER = {"block": 0, "warn": 1, "info": 2}


@dataclass(frozen=True)
class NumberedFinding:
    """A finding as the pane lists it: numbered, so its marks in the caption can point at it."""

    number: int
    rule: str
    severity: str
    message: str
    suggestion: str | None = None
    platform: str | None = None
    image_index: int | None = None
    start: int | None = None  # its span in the caption it is about (the platform's own, if any)
    end: int | None = None


@dataclass(frozen=True)
class CaptionPiece:
    """A run of caption text, and the finding it is marked with (None: not marked)."""

    text: str
    finding: NumberedFinding | None = None


@dataclass(frozen=True)
class CaptionShown:
    """One caption of the post (the main one, or a platform's own), with its findings marked."""

    label: str
    pieces: list[CaptionPiece]


@dataclass(frozen=True)
class PaneImage:
    position: int
    image: object
    alt_text: str
    rendition: object | None
    findings: list[NumberedFinding]


@dataclass
class ReviewDetail:
    """Everything the pane shows of one review: the row's facts, and the content under review
    (the post as in its latest revision, which a decision binds to)."""

    item: InboxItem
    content: Post
    findings: list[NumberedFinding]
    captions: list[CaptionShown]
    images: list[PaneImage]
    preview_modes: list[tuple[str, str]]
    since: object | None  # approvals.since_last_seen.SinceLastSeen, None: the tier's first look
    # Leads' overrides of blocking findings on the post: who, when, why, and exactly which.
    overrides: list = field(default_factory=list)

    @property
    def blocking(self) -> list[NumberedFinding]:
        return [finding for finding in self.findings if finding.severity == "block"]


def review_detail(
    user, task_state_id: int, *, now: datetime | None = None, awaiting: _MergedByDue | None = None
) -> ReviewDetail | None:
    """The review `task_state_id` as the pane shows it, if it awaits `user` (else None); from
    `awaiting` (awaiting_by_due) when the caller has read it already.

    A fixed number of queries, however long the caption, however many images or findings."""
    from approvals.portal.selectors import preview_modes_for

    from .since_last_seen import since_last_seen

    now = now or timezone.now()
    if awaiting is None:
        awaiting = awaiting_by_due(user, now, only=[task_state_id])
    row = awaiting.get(task_state_id)
    if row is None:
        return None
    [item] = inbox_rows([row], now)
    # The post as this revision holds it. Not Revision.as_object(), which checks each child's
    # foreign keys (two queries an image): the pane reads the images itself, in one query.
    content = Post.from_serializable_data(item.revision.content, check_fks=False)
    content.pk, content.brand = item.post_id, item.brand
    findings = numbered_findings(item.checked.findings)
    variants = {variant.platform_id: variant.caption for variant in content.caption_variants.all()}
    captions = [
        CaptionShown("Caption", marked_caption(content.caption, _about_caption(findings, None, variants)))
    ]
    for code, text in variants.items():
        name = PLATFORM_SPECS[code].name if code in PLATFORM_SPECS else code
        captions.append(
            CaptionShown(f"Caption on {name}", marked_caption(text, _about_caption(findings, code, variants)))
        )
    since = since_last_seen(item.task_state, item.revision)
    images = _pane_images(content, findings, since)
    return ReviewDetail(
        item=item,
        content=content,
        findings=findings,
        captions=captions,
        images=images,
        preview_modes=preview_modes_for(content),
        since=since,
        overrides=overrides_of(item.post_id),
    )


def overrides_of(post_id: int) -> list:
    """The leads' overrides of blocking findings on a post, oldest first, in one query."""
    overrides = FindingOverride.objects.filter(post_id=post_id).select_related("user")
    return list(overrides.order_by("created_at", "pk"))


def numbered_findings(findings: list[dict]) -> list[NumberedFinding]:
    """The checker's findings (as kept on the revision), most serious first, numbered."""
    ordered = sorted(findings, key=lambda finding: SEVERITY_ORDER.get(finding.get("severity"), 3))
    return [
        NumberedFinding(
            number=number,
            rule=finding.get("rule", ""),
            severity=finding.get("severity", "info"),
            message=finding.get("message", ""),
            suggestion=finding.get("suggestion"),
            platform=finding.get("platform"),
            image_index=finding.get("image_index"),
            start=finding.get("start"),
            end=finding.get("end"),
        )
        for number, finding in enumerate(ordered, start=1)
    ]


def _about_caption(findings, platform: str | None, variants: dict) -> list[NumberedFinding]:
    """The findings on a span of one caption: the main caption's are those of no platform or of
    a platform without a caption of its own (the checker reads the main caption for it)."""
    spanned = [finding for finding in findings if finding.start is not None and finding.end is not None]
    if platform is None:
        return [
            finding for finding in spanned if finding.platform is None or finding.platform not in variants
        ]
    return [finding for finding in spanned if finding.platform == platform]


def marked_caption(text: str, findings: list[NumberedFinding]) -> list[CaptionPiece]:
    """The caption cut into pieces, each finding's span marked (overlapping spans: the first
    one, by position, is marked; every finding is listed anyway)."""
    pieces, position = [], 0
    for finding in sorted(findings, key=lambda finding: (finding.start, finding.end)):
        start, end = max(finding.start, 0), min(finding.end, len(text))
        if start < position or start >= end:
            continue
        if start > position:
            pieces.append(CaptionPiece(text[position:start]))
        pieces.append(CaptionPiece(text[start:end], finding))
        position = end
    if position < len(text):
        pieces.append(CaptionPiece(text[position:]))
    return pieces


def _pane_images(content: Post, findings: list[NumberedFinding], since) -> list[PaneImage]:
    """The post's images in order, each with a rendition to show and its findings, plus the
    images of the version the tier saw before (filled into `since`): two queries, and the
    renditions made on first sight."""
    media = sorted(
        (item for item in content.media.all() if item.image_id), key=lambda item: item.sort_order or 0
    )
    changed_images = []
    if since is not None:
        for change in since.changes:
            changed_images += [*change.images_before, *change.images_after]
    wanted = {item.image_id for item in media} | {ref.image_id for ref in changed_images}
    images = (
        get_image_model().objects.filter(pk__in=wanted).prefetch_renditions(PANE_IMAGE_SPEC, THUMBNAIL_SPEC)
    )
    found = {image.pk: image for image in images}
    for ref in changed_images:
        ref.image = found.get(ref.image_id)
    shown = []
    for index, item in enumerate(media):
        image = found.get(item.image_id)
        if image is None:
            continue
        shown.append(
            PaneImage(
                position=index + 1,
                image=image,
                alt_text=item.alt_text,
                rendition=_rendition(image, PANE_IMAGE_SPEC),
                findings=[finding for finding in findings if finding.image_index == index],
            )
        )
    return shown


def _rendition(image, filter_spec: str):
    try:
        return image.get_rendition(filter_spec)
    except Exception:  # a missing or unreadable file: the pane says so instead of failing
        logger.warning("No %s rendition for image %s", filter_spec, image.pk, exc_info=True)
        return None
