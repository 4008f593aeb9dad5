"""Content hashes now read a post's go-live time in UTC (approvals.hashing.content_parts), so the
same time saved from the editor in a brand's time zone and from the API in UTC is the same
content. Decisions keep matching the revisions they approved: each stored hash that is the old
fingerprint of its revision becomes the new one. (Both fingerprints are frozen here.)"""

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


def _parts(content, *, utc):
    data = {key: content.get(key) for key in CONTENT_KEYS}
    for relation, keys in CHILD_KEYS.items():
        rows = content.get(relation) or []
        data[relation] = [
            {key: row.get(key) for key in keys} for row in sorted(rows, key=lambda row: row.get("sort_order") or 0)
        ]
    if isinstance(data["platforms"], list):
        data["platforms"] = sorted(data["platforms"])
    if utc and isinstance(data["go_live_at"], str):
        moment = parse_datetime(data["go_live_at"])
        if moment is not None and moment.tzinfo is not None:
            data["go_live_at"] = moment.astimezone(datetime.UTC).isoformat()
    return data


def _hash(content, *, utc):
    encoded = json.dumps(_parts(content, utc=utc), sort_keys=True, ensure_ascii=False, default=str).encode()
    return hashlib.sha256(encoded).hexdigest()


def rehash(apps, schema_editor):
    ReviewDecision = apps.get_model("approvals", "ReviewDecision")
    for decision in ReviewDecision.objects.select_related("revision").iterator():
        content = decision.revision.content
        if decision.content_hash == _hash(content, utc=False):
            new = _hash(content, utc=True)
            if new != decision.content_hash:
                ReviewDecision.objects.filter(pk=decision.pk).update(content_hash=new)


class Migration(migrations.Migration):
    dependencies = [("approvals", "0006_decision_follow_up_outbox")]

    operations = [migrations.RunPython(rehash, migrations.RunPython.noop)]
