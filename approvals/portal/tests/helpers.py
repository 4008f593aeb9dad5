"""Posts in the states the portal shows, brought there through the real workflow services."""

import datetime as dt

from django.utils import timezone

from approvals.models import ApprovalPolicy, ReviewTier
from approvals.services import approve_task, submit_post
from brands.checks.platforms import PLATFORM_SPECS
from brands.factories import brand_image
from cms.posts.factories import PostFactory, add_media, publish_directly


def client_signs_off(brand, *, drafts_early=False) -> None:
    """The brand's policy: the client approves every post (and sees drafts early, if asked)."""
    ApprovalPolicy.objects.filter(brand=brand).update(
        client_approval_required=True, show_client_drafts_early=drafts_early
    )


def named(fields: dict) -> dict:
    """The fields with a caption that begins with the title, unless one is given: clients know a
    post by its caption's first line (cms.posts.models.client_title), so the portal's pages
    name it by its title in these tests too. Tests about the names themselves give both."""
    if "title" in fields and "caption" not in fields:
        fields["caption"] = f"{fields['title']}\nFresh roast, fresh start. #MondayMotivation"
    return fields


def draft(brand, creative, **fields):
    """A draft by the creative, with its first revision (and an image where a platform won't
    publish without one, so the checker lets it go for approval)."""
    post = PostFactory(brand=brand, created_by=creative, **named(fields))
    if any(PLATFORM_SPECS[code].media_formats & {post.format} for code in fields.get("platforms", ())):
        add_media(post, [brand_image(brand, title=f"{post.title} picture")])
    post.save_revision(user=creative)
    return post


def in_agency_review(brand, creative, **fields):
    """Submitted: waiting on the agency's senior tier."""
    post = draft(brand, creative, **fields)
    submit_post(post=post, user=creative)
    return post


def at_client_tier(brand, creative, reviewer, **fields):
    """Approved by the agency and waiting on the client tier (the brand must sign off)."""
    post = in_agency_review(brand, creative, **fields)
    approve_task(task_state=post.current_workflow_task_state, user=reviewer, comment="Fine by me.")
    post.refresh_from_db()
    task_state = post.current_workflow_task_state
    assert task_state is not None and task_state.task.specific.tier == ReviewTier.CLIENT
    return post


def scheduled(brand, title, *, at=None, **fields):
    """Published straight to the schedule (outside the workflow: for lists and calendars)."""
    post = PostFactory(
        brand=brand,
        go_live_at=at or timezone.now() + dt.timedelta(days=2),
        **named({"title": title, **fields}),
    )
    publish_directly(post)
    return post


def published(brand, title, **fields):
    post = PostFactory(brand=brand, **named({"title": title, **fields}))
    publish_directly(post)
    post.refresh_from_db()
    return post


def went_out(post, *, at=None):
    """A published post's deliveries done and archived (as when its webhook answered or someone
    recorded its link): what the portal's archive lists. Returns the archive entries."""
    from cms.archive.delivering import archive_delivery
    from cms.archive.models import Delivery

    return [
        archive_delivery(delivery, published_at=at or timezone.now())
        for delivery in Delivery.objects.filter(post=post, revision_id=post.live_revision_id)
    ]
