"""Archived posts for tests: a post, its revision and one entry per platform, as if published."""

from datetime import datetime

from django.utils import timezone

from cms.posts.factories import PostFactory

from .delivering import HASHTAG, channels_for
from .models import ArchiveEntry


def archived(
    brand, caption: str, *, platforms=("facebook",), published_at: datetime | None = None, author=None
) -> list[ArchiveEntry]:
    """One post of `brand` that went out with `caption` on each of `platforms` at `published_at`."""
    published_at = published_at or timezone.now()
    post = PostFactory(brand=brand, caption=caption, platforms=list(platforms), created_by=author)
    revision = post.save_revision(user=author)
    entries = []
    for channel in channels_for(brand, platforms):
        entries.append(
            ArchiveEntry.objects.create(
                post=post,
                revision=revision,
                channel=channel,
                brand=brand,
                platform_id=channel.platform_id,
                title=post.title,
                caption=caption,
                format=post.format,
                intent=post.intent,
                hashtags=sorted({tag.lower() for tag in HASHTAG.findall(caption)}),
                author=author,
                content_hash="0" * 64,
                published_at=published_at,
            )
        )
    return entries
