"""A fingerprint of a post revision's content: what an approval is bound to.

Content is compared in one canonical form (content_parts), so the same post saved from the
editor in the brand's time zone and from the API in UTC is the same content, and so are captions
that differ only in their line endings and times that differ only in their seconds
(cms.posts.content: the form Post keeps content in; revisions stored before it did keep theirs).
"""

import datetime
import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.dateparse import parse_datetime

from cms.posts.content import to_the_minute, with_lf_line_endings

# What goes out, and nothing that changes on its own (ids, timestamps, live flags, locks).
CONTENT_KEYS = [
    "brand",
    "caption",
    "platforms",
    "format",
    "intent",
    "cta_label",
    "cta_url",
    "campaign",
    "sponsored",
    "go_live_at",
]
CHILD_KEYS = {
    "media": ["image", "alt_text"],
    "poll_options": ["label"],
    "caption_variants": ["platform", "caption"],
}


def content_hash(revision) -> str:
    return hash_content(revision.content)


def hash_content(content: dict) -> str:
    """The fingerprint of a revision's content (Revision.content)."""
    encoded = json.dumps(content_parts(content), sort_keys=True, ensure_ascii=False, default=str).encode()
    return hashlib.sha256(encoded).hexdigest()


def content_parts(content: dict) -> dict:
    """A revision's content (Revision.content) reduced to what goes out, each part in one
    canonical form: {part: value} for the CONTENT_KEYS and the CHILD_KEYS relations."""
    parts = {key: content.get(key) for key in CONTENT_KEYS}
    for relation, keys in CHILD_KEYS.items():
        rows = content.get(relation) or []
        parts[relation] = [
            {key: row.get(key) for key in keys}
            for row in sorted(rows, key=lambda row: row.get("sort_order") or 0)
        ]
    if isinstance(parts["platforms"], list):
        parts["platforms"] = sorted(parts["platforms"])
    parts["go_live_at"] = _in_utc_to_the_minute(parts["go_live_at"])
    parts["caption"] = with_lf_line_endings(parts["caption"])
    for variant in parts["caption_variants"]:
        variant["caption"] = with_lf_line_endings(variant["caption"])
    return parts


def _in_utc_to_the_minute(value):
    moment = parse_datetime(value) if isinstance(value, str) else value
    if isinstance(moment, datetime.datetime) and moment.tzinfo is not None:
        return to_the_minute(moment.astimezone(datetime.UTC)).isoformat()
    return value


def content_of_object(post) -> dict:
    """An unsaved post's content as a revision of it would hold it (Revision.content)."""
    return json.loads(json.dumps(post.serializable_data(), cls=DjangoJSONEncoder))


def same_draft(content: dict, other: dict) -> bool:
    """Whether two versions of a post (Revision.content) are the same draft: the same content
    and the same internal title."""
    return content_parts(content) == content_parts(other) and content.get("title") == other.get("title")
