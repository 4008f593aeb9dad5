"""The review inbox: every tier awaiting the current user across their brands, soonest due first.

A fixed number of queries whatever the number of items: every awaiting tier is read as plain
values with its brand's policy (two queries) and sorted in Python, as due times count the brand's
working hours, which SQL can't; then only the page shown is loaded in full (three queries).
"""

import heapq
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
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
from cms.posts.models import CheckedRevision, Post

from .selectors import brand_policy, reviews_awaiting, tier_due_at, tier_due_status

PAGE_SIZE = 25
THUMBNAIL_SPEC = "fill-96x96"


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
    return _MergedByDue([_due_in_turn(group, brands) for group in groups.values()], len(rows))


def _due_in_turn(rows, brands):
    for pk, started_at, tier, object_id, brand_id, revision_id in rows:
        brand = brands[brand_id]
        yield _Awaiting(
            task_state_id=pk,
            post_id=int(object_id),
            latest_revision_id=revision_id,
            brand=brand,
            due_at=tier_due_at(brand_policy(brand), tier, started_at),
        )


class _MergedByDue(Sequence):
    """Groups already in due order, merged as far as they are read."""

    def __init__(self, groups, length: int):
        self._merged = heapq.merge(*groups, key=lambda row: (row.due_at, row.task_state_id))
        self._read: list[_Awaiting] = []
        self._length = length

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
