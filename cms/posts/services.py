"""Writes of posts. The admin does these through Wagtail's views; the API and scripts call here."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from wagtail.log_actions import log
from wagtail.permissions import policy_registry

from brands.models import Brand, Platform

from .models import FindingOverride, Post, PostMedia

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


def _media_for(brand: Brand, media: list[dict]) -> list[PostMedia]:
    """The post's images in order, each with its alt text; only images of the post's own brand
    (an id of any other, or of none, is refused the same way: it says nothing about them)."""
    from wagtail.images import get_image_model

    ids = [item["image_id"] for item in media]
    images = get_image_model().objects.filter(pk__in=ids, collection_id=brand.collection_id).in_bulk()
    errors = []
    for item in media:
        image_id = item["image_id"]
        if image_id not in images:
            errors.append(f"Image {image_id} is not one of {brand}’s images.")
        elif not (item.get("alt_text") or "").strip():
            errors.append(f"Describe image {image_id} in its alt text, for people who cannot see it.")
    if errors:
        raise ValidationError({"media": errors})
    return [
        PostMedia(image=images[item["image_id"]], alt_text=item["alt_text"].strip(), sort_order=order)
        for order, item in enumerate(media)
    ]


def _default_title(caption: str) -> str:
    words = caption.split()
    return " ".join(words[:8])[:80] or "Untitled post"


@transaction.atomic
def create_post(
    *, user, brand: Brand, platforms: list[Platform], media: list[dict] | None = None, **fields
) -> Post:
    """Create a draft post for one of the user's brands and record its first revision; `media`
    are its images in order, [{image_id, alt_text}], from the brand's own collection."""
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
    if media:
        post.media = _media_for(brand, media)
    post.save()
    post.save_revision(user=user, log_action=True)
    return post


@transaction.atomic
def update_post(
    *, user, post: Post, platforms: list[Platform] | None = None, media: list[dict] | None = None, **changes
) -> Post:
    """Change a post's draft as a new revision: its latest version with `changes` applied (a live
    post's row keeps its live content; Post.save). `media`, when given, replaces its images."""
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
    # A revision's JSON keeps times to the millisecond: the row's own record of who made the post,
    # when and for which brand stays exactly as it is.
    draft.created_at, draft.created_by_id, draft.brand_id = (
        current.created_at,
        current.created_by_id,
        current.brand_id,
    )
    for name, value in changes.items():
        setattr(draft, name, value)
    draft.full_clean(exclude=["platforms"])
    if platforms is not None:
        if not platforms:
            raise ValidationError({"platforms": "Choose at least one platform."})
        draft.platforms.set(platforms)
    if media is not None:
        draft.media = _media_for(draft.brand, media)
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
        data={
            "reason": reason,
            "rules": sorted({finding.rule for finding in findings}),
            # What exactly was overridden, as the lead saw it: the history says it word for word.
            "findings": [finding.message for finding in findings],
        },
    )
    return override
