# The approval workflow's fixtures: posts are published through it.
import itertools
from datetime import UTC, datetime

import pytest

from approvals.tests.conftest import draft, policy, relay  # noqa: F401
from cms.archive.models import ArchiveApprover, ArchiveEntry, Channel
from cms.posts.factories import PostFactory

_sequence = itertools.count(1)


@pytest.fixture(params=["database", "wagtail"])
def each_search_engine(request, settings):
    """The test once through the database's own full-text index and once through Wagtail's search
    backend (entries indexed as they are written). Use with `pytest.mark.usefixtures`."""
    settings.SIGNOFF_ARCHIVE_SEARCH = request.param
    return request.param


@pytest.fixture
def archived(db, django_capture_on_commit_callbacks):
    """`archived(brand, caption=..., **fields)`: an archive entry as publishing writes it (one
    post, or `post=`, its revision and the brand's channel), with its approvers
    (`approved_by=[(user, tier)]`)."""

    def _archive(
        brand, *, caption="Fresh roast, fresh start.", approved_by=(), platform="facebook", **fields
    ):
        post = fields.pop("post", None) or PostFactory(
            brand=brand, caption=caption, title=fields.pop("title", f"Post {next(_sequence)}")
        )
        revision = post.save_revision()
        channel, _ = Channel.objects.get_or_create(brand=brand, platform_id=platform)
        values = {
            "format": "feed",
            "intent": "know",
            "published_at": datetime(2026, 6, 1, 12, tzinfo=UTC),
            "content_hash": "0" * 64,
            "hashtags": sorted({word[1:].lower() for word in caption.split() if word.startswith("#")}),
            "approvals": [
                {
                    "kind": "approval",
                    "tier": tier,
                    "user": user.pk,
                    "name": user.username,
                    "at": "2026-06-01T10:00:00+00:00",
                }
                for user, tier in approved_by
            ],
        }
        values.update(fields)
        # As if committed: what follows an archived entry's commit (its indexing, through
        # Wagtail's search backend) happens.
        with django_capture_on_commit_callbacks(execute=True):
            entry = ArchiveEntry.objects.create(
                post=post,
                revision=revision,
                channel=channel,
                brand=brand,
                platform_id=platform,
                title=post.title,
                caption=caption,
                **values,
            )
        ArchiveApprover.objects.bulk_create(
            [ArchiveApprover(entry=entry, user=user, tier=tier) for user, tier in approved_by]
        )
        return entry

    return _archive
