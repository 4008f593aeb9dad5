"""Content hashes now see equal content as equal (approvals.hashing.content_parts): a caption's
line endings (CRLF from the browser, LF from the API) and a go-live time's seconds (the editor
keeps minutes, the API may send seconds) no longer change a post's fingerprint. Decisions keep
matching the revisions they approved: each stored hash that is the earlier fingerprint of its
revision becomes the new one. Hashes of other content are left as they are. (Both fingerprints
are frozen here.)"""

import datetime
import hashlib
import json

from django.db import migrations
from django.utils.dateparse import parse_datetime

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


def _lf(text):
    return text.replace("\r\n", "\n").replace("\r", "\n") if isinstance(text, str) else text


def _parts(content, *, equal_content_equal):
    data = {key: content.get(key) for key in CONTENT_KEYS}
    for relation, keys in CHILD_KEYS.items():
        rows = content.get(relation) or []
        data[relation] = [
            {key: row.get(key) for key in keys} for row in sorted(rows, key=lambda row: row.get("sort_order") or 0)
        ]
    if isinstance(data["platforms"], list):
        data["platforms"] = sorted(data["platforms"])
    moment = parse_datetime(data["go_live_at"]) if isinstance(data["go_live_at"], str) else None
    if moment is not None and moment.tzinfo is not None:
        moment = moment.astimezone(datetime.UTC)
        if equal_content_equal:
            moment = moment.replace(second=0, microsecond=0)
        data["go_live_at"] = moment.isoformat()
    if equal_content_equal:
        data["caption"] = _lf(data["caption"])
        for variant in data["caption_variants"]:
            variant["caption"] = _lf(variant["caption"])
    return data


def _hash(content, *, equal_content_equal):
    parts = _parts(content, equal_content_equal=equal_content_equal)
    encoded = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str).encode()
    return hashlib.sha256(encoded).hexdigest()


def fingerprint_before(content):
    """A revision's fingerprint as 0007 left it."""
    return _hash(content, equal_content_equal=False)


def fingerprint_now(content):
    return _hash(content, equal_content_equal=True)


def rehash(apps, schema_editor):
    ReviewDecision = apps.get_model("approvals", "ReviewDecision")
    for decision in ReviewDecision.objects.select_related("revision").iterator():
        content = decision.revision.content
        if decision.content_hash == fingerprint_before(content):
            new = fingerprint_now(content)
            if new != decision.content_hash:
                ReviewDecision.objects.filter(pk=decision.pk).update(content_hash=new)


class Migration(migrations.Migration):
    dependencies = [("approvals", "0008_follow_up_due_at")]

    operations = [migrations.RunPython(rehash, migrations.RunPython.noop)]
