"""A fingerprint of a post revision's content: what an approval is bound to."""

import hashlib
import json

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
    data = {key: content.get(key) for key in CONTENT_KEYS}
    for relation, keys in CHILD_KEYS.items():
        rows = content.get(relation) or []
        data[relation] = [
            {key: row.get(key) for key in keys}
            for row in sorted(rows, key=lambda row: row.get("sort_order") or 0)
        ]
    if isinstance(data["platforms"], list):
        data["platforms"] = sorted(data["platforms"])
    encoded = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode()
    return hashlib.sha256(encoded).hexdigest()
