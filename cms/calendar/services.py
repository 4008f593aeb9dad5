"""Moving a post to another day from the agency calendar.

A move is an edit of the post's time, made through the same service as every other edit
(cms.posts.services.update_post), so the workflow's rules apply as to any edit: a draft just
moves; a post in review gets a new revision, which its earlier approvals don't cover
(WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT, approvals.tiers.tier_to_start); a scheduled post is
withdrawn from the schedule, edited and submitted again (approvals.services), as in the editor,
and goes through the tiers its brand's policy asks for. There is no other way round the tiers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from approvals.moving_on import move_decided_workflow_on
from approvals.services import submit_post, withdraw_from_schedule
from cms.posts.models import Post, PostStatus
from cms.posts.services import update_post

from .selectors import MOVABLE, calendar_posts


class CannotMove(Exception):
    """The post can't go to that day; the message says why."""


@dataclass(frozen=True)
class Moved:
    post: Post
    was: str  # its status before the move
    at: datetime  # its new time, in its brand's time zone

    @property
    def back_in_review(self) -> bool:
        return self.was in {PostStatus.IN_REVIEW, PostStatus.SCHEDULED}


@transaction.atomic
def move_post_to_day(*, user, post: Post, day: date, now: datetime | None = None) -> Moved:
    """Move the post to `day`, at the same time of day in its brand's time zone.

    Refused (CannotMove) for a post that has gone out, one without a date, a day already past
    and the day it is on; the edit's and the submission's own refusals (another brand, a lock,
    blocking findings: PermissionDenied, BlockingFindings) pass through. All or nothing: a
    scheduled post whose new version can't be submitted stays scheduled as it was.
    """
    # An approval a moment ago may still wait for the relay to schedule the post: move the
    # workflow on first, so the post is moved as what it now is.
    move_decided_workflow_on(post.current_workflow_state)
    post = calendar_posts(user).get(pk=post.pk)
    status = post.status_code
    title = f"“{post.title}”"
    if post.live or status not in MOVABLE:
        raise CannotMove(f"{title} has gone out already, so it stays on the day it went out.")
    if post.going_out is None:
        raise CannotMove(f"{title} has no date yet: give it one in the editor.")
    tz = post.brand.tz
    current = post.going_out.astimezone(tz)
    if day == current.date():
        raise CannotMove(f"{title} is on {_day(current)} already.")
    at = datetime.combine(day, current.time(), tzinfo=tz)
    if at <= (now or timezone.now()):
        raise CannotMove(f"{_day(at)} at {at:%H:%M} has passed: pick a later day for {title}.")
    if status == PostStatus.SCHEDULED:
        # The editor's way with a scheduled post: Wagtail locks it while it is scheduled, so it is
        # withdrawn first, then edited, then submitted for approval again.
        withdraw_from_schedule(
            post=post, user=user, reason=f"Moved from {_day(current)} to {_day(at)} on the calendar."
        )
    update_post(user=user, post=Post.objects.get(pk=post.pk), go_live_at=at)
    if status == PostStatus.SCHEDULED:
        submit_post(post=Post.objects.get(pk=post.pk), user=user)
    return Moved(post=Post.objects.get(pk=post.pk), was=status, at=at)


def _day(moment) -> str:
    return f"{moment:%a} {moment.day} {moment:%b}"
