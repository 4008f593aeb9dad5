"""Who wrote the content under review, judged by the content itself.

The four-eyes rule keeps a reviewer from approving their own words. Who saved the latest
revision says little: anyone can save a post again unchanged, or change only its internal
title, and the last save is then theirs while the words are someone else's. So each part of the
content (the caption, the images, the platforms, each other part that goes out) is credited to
whoever introduced its current value since the post was last approved, i.e. since the version
that went out or was scheduled; parts unchanged since then were approved already.
"""

from django.db.models import Q

from .hashing import CHILD_KEYS, CONTENT_KEYS, content_parts

PART_NAMES = {
    "brand": "brand",
    "caption": "caption",
    "platforms": "platforms",
    "format": "format",
    "intent": "intent",
    "cta_label": "call to action",
    "cta_url": "call to action link",
    "campaign": "campaign",
    "sponsored": "sponsored flag",
    "go_live_at": "scheduled time",
    "media": "images",
    "poll_options": "poll options",
    "caption_variants": "per-platform captions",
}


def parts_written_by(user_id: int, *, post, revision) -> list[str]:
    """The parts of `revision`'s content (a revision of `post`) that `user_id` introduced since
    the post was last approved, by their names (empty: none of it is theirs)."""
    earlier = post.revisions.filter(created_at__lte=revision.created_at).exclude(pk=revision.pk)
    last_approved = _approved(post, earlier).order_by("-created_at", "-pk").first()
    if last_approved is not None:
        earlier = earlier.filter(created_at__gt=last_approved.created_at)
    versions = [
        (author, content_parts(content))
        for author, content in earlier.order_by("created_at", "pk").values_list("user_id", "content")
    ]
    versions.append((revision.user_id, content_parts(revision.content)))
    baseline = content_parts(last_approved.content) if last_approved else None
    current = versions[-1][1]
    written = []
    for part in [*CONTENT_KEYS, *CHILD_KEYS]:
        if baseline is not None and baseline[part] == current[part]:
            continue  # as approved before
        introduced_by = None
        for author, parts in reversed(versions):
            if parts[part] != current[part]:
                break
            introduced_by = author
        if introduced_by == user_id:
            written.append(PART_NAMES[part])
    return written


def _approved(post, revisions):
    """Those of `revisions` that a finished workflow let out: the live one, a scheduled one."""
    return revisions.filter(Q(approved_go_live_at__isnull=False) | Q(pk=post.live_revision_id or 0))


def describe(parts: list[str]) -> str:
    """ "the caption", "the caption and images", "the caption, images and platforms"."""
    if len(parts) == 1:
        return f"the {parts[0]}"
    return "the " + ", ".join(parts[:-1]) + f" and {parts[-1]}"
