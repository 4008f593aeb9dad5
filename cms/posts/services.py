"""Writes of posts. The admin does these through Wagtail's views; the API and scripts call here."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from wagtail.log_actions import log
from wagtail.permissions import policy_registry

from brands.models import Brand, Platform

from .models import FindingOverride, Post

EDITABLE_FIELDS = {
    "title",
    "caption",
    "format",
    "intent",
    "cta_label",
    "cta_url",
    "campaign",
    "sponsored",
    "go_live_at",
}


def _policy():
    return policy_registry.get_by_type(Post)


def _default_title(caption: str) -> str:
    words = caption.split()
    return " ".join(words[:8])[:80] or "Untitled post"


@transaction.atomic
def create_post(*, user, brand: Brand, platforms: list[Platform], **fields) -> Post:
    """Create a draft post for one of the user's brands and record its first revision."""
    if not _policy().user_has_permission_for_instance(user, "add", Post(brand=brand)):
        raise PermissionDenied(f"You cannot create posts for {brand}.")
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"Unknown post fields: {', '.join(sorted(unknown))}")
    post = Post(brand=brand, created_by=user, live=False, **fields)
    if not post.title:
        post.title = _default_title(post.caption)
    post.full_clean(exclude=["platforms"])
    if not platforms:
        raise ValidationError({"platforms": "Choose at least one platform."})
    post.platforms.set(platforms)  # in memory until the post is saved (modelcluster)
    post.save()
    post.save_revision(user=user, log_action=True)
    return post


@transaction.atomic
def update_post(*, user, post: Post, platforms: list[Platform] | None = None, **changes) -> Post:
    """Change a post's draft as a new revision: its latest version with `changes` applied (a live
    post's row keeps its live content; Post.save)."""
    if not _policy().user_has_permission_for_instance(user, "change", post):
        raise PermissionDenied("You cannot change this post.")
    lock = post.get_lock()
    if lock and lock.for_user(user):
        raise PermissionDenied(lock.get_message(user))
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"Unknown post fields: {', '.join(sorted(unknown))}")
    # Start from the post as it is now, under its lock: not the copy the caller loaded, which a
    # publish or another edit may have overtaken.
    current = Post.objects.select_for_update().get(pk=post.pk)
    draft = current.get_latest_revision_as_object()
    for name, value in changes.items():
        setattr(draft, name, value)
    draft.full_clean(exclude=["platforms"])
    if platforms is not None:
        if not platforms:
            raise ValidationError({"platforms": "Choose at least one platform."})
        draft.platforms.set(platforms)
    draft.save()
    draft.save_revision(user=user, log_action=True)
    return draft


@transaction.atomic
def record_finding_override(*, post: Post, user, reason: str, findings: list) -> FindingOverride:
    """Record that a lead overrode blocking findings, in the post's history too."""
    override = FindingOverride.objects.create(
        post=post, user=user, reason=reason, findings=[finding.as_dict() for finding in findings]
    )
    log(
        instance=post,
        action="signoff.override_findings",
        user=user,
        data={"reason": reason, "rules": sorted({finding.rule for finding in findings})},
    )
    return override
