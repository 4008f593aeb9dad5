"""Who wrote the content under review, judged by the content itself, piece by piece.

The four-eyes rule keeps a reviewer from approving their own words. Who saved the latest
revision says little: anyone can save a post again unchanged, or change only its internal
title, and the last save is then theirs while the words are someone else's. Nor is a whole
field one piece: a reviewer who adds one image to a creative's post is its author even after
the creative adds another, or rewrites the alt text of their own.

So the content is split into pieces (the caption, the scheduled time and each other field that
goes out; each platform; each image, its alt text and the images' order; each per-platform
caption; each poll option and their order), and every user who changed a piece to its current
value since the post was last approved (the version that went out or was scheduled) is an
author of it. A value put back (A→B→A) is written by everyone who set it. Pieces as approved
before are nobody's: they were approved already.
"""

from django.db.models import Q

from .hashing import CONTENT_KEYS, content_parts

FIELD_NAMES = {
    "brand": "brand",
    "caption": "caption",
    "format": "format",
    "intent": "intent",
    "cta_label": "call to action",
    "cta_url": "call to action link",
    "campaign": "campaign",
    "sponsored": "sponsored flag",
    "go_live_at": "scheduled time",
}
# The pieces of the parts that hold several, by kind (the first item of the piece's key).
PIECE_NAMES = {
    "platform": "platforms",
    "image": "images",
    "image order": "images",
    "alt text": "alt text",
    "caption for": "per-platform captions",
    "poll option": "poll options",
    "poll order": "poll options",
}
# In the order a message names them.
NAMES = list(dict.fromkeys([*FIELD_NAMES.values(), *PIECE_NAMES.values()]))


def pieces(content: dict) -> dict[tuple, object]:
    """A revision's content (Revision.content) as {piece: value}; a piece the content doesn't
    have (an image not in the post, say) is absent."""
    parts = content_parts(content)
    found: dict[tuple, object] = {(key,): parts[key] for key in CONTENT_KEYS if key != "platforms"}
    for code in parts["platforms"] or []:
        found[("platform", code)] = True
    media = parts["media"]
    found[("image order",)] = tuple(row["image"] for row in media)
    for row in media:  # the same image twice is two of it, each with its own alt text
        found[("image", row["image"])] = found.get(("image", row["image"]), 0) + 1
        found[("alt text", row["image"])] = (*found.get(("alt text", row["image"]), ()), row["alt_text"])
    options = parts["poll_options"]
    found[("poll order",)] = tuple(row["label"] for row in options)
    for row in options:
        found[("poll option", row["label"])] = found.get(("poll option", row["label"]), 0) + 1
    for row in parts["caption_variants"]:
        found[("caption for", row["platform"])] = row["caption"]
    return found


def authors(versions: list[tuple[int | None, dict]], *, baseline: dict | None) -> dict[tuple, set]:
    """{piece: the users who wrote its current value} for `versions`, (user id, pieces) oldest
    first, saved since the `baseline` pieces were approved (None: never approved, so the first
    version wrote all it has). Pieces as in the baseline have no authors."""
    current = versions[-1][1]
    keys = set(current).union(*(found for _, found in versions), baseline or ())
    written: dict[tuple, set] = {}
    for key in keys:
        now = current.get(key)
        before = baseline.get(key) if baseline is not None else None
        if baseline is not None and before == now:
            continue  # as approved before
        by = set()
        for user_id, found in versions:
            value = found.get(key)
            if value == now and before != now:
                by.add(user_id)
            before = value
        if by:
            written[key] = by
    return written


def parts_written_by(user_id: int, *, post, revision) -> list[str]:
    """The parts of `revision`'s content (a revision of `post`) of which `user_id` wrote some
    piece since the post was last approved, by their names (empty: none of it is theirs)."""
    earlier = post.revisions.filter(created_at__lte=revision.created_at).exclude(pk=revision.pk)
    last_approved = _approved(post, earlier).order_by("-created_at", "-pk").first()
    if last_approved is not None:
        earlier = earlier.filter(created_at__gt=last_approved.created_at)
    versions = [
        (author, pieces(content))
        for author, content in earlier.order_by("created_at", "pk").values_list("user_id", "content")
    ]
    versions.append((revision.user_id, pieces(revision.content)))
    baseline = pieces(last_approved.content) if last_approved else None
    theirs = {_name(key) for key, by in authors(versions, baseline=baseline).items() if user_id in by}
    return [name for name in NAMES if name in theirs]


def _name(key: tuple) -> str:
    kind = key[0]
    return FIELD_NAMES[kind] if len(key) == 1 and kind in FIELD_NAMES else PIECE_NAMES[kind]


def _approved(post, revisions):
    """Those of `revisions` that a finished workflow let out: the live one, a scheduled one."""
    return revisions.filter(Q(approved_go_live_at__isnull=False) | Q(pk=post.live_revision_id or 0))


def describe(parts: list[str]) -> str:
    """ "the caption", "the caption and images", "the caption, images and platforms"."""
    if len(parts) == 1:
        return f"the {parts[0]}"
    return "the " + ", ".join(parts[:-1]) + f" and {parts[-1]}"
