"""`manage.py seed_archive --brand SLUG --count N`: realistic archived history in bulk."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from brands.factories import brand_image
from brands.models import HashtagRule
from cms.archive.models import ArchiveApprover, ArchiveEntry, ArchiveEntryIsImmutable
from cms.archive.seeding import seed_archive
from cms.posts.models import Post, PostStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(creative, reviewer, lead):
    return {"creative": creative, "reviewer": reviewer, "lead": lead}


def test_it_writes_the_entries_with_their_posts_revisions_and_approvers(brand_a, team):
    HashtagRule.objects.create(kit=brand_a.kit, hashtag="#AcmeCoffee", kind="required")
    image = brand_image(brand_a, title="Latte art")

    assert seed_archive(brand=brand_a, count=120, seed=1) == 120

    entries = ArchiveEntry.objects.filter(brand=brand_a)
    assert entries.count() == 120
    assert len(set(entries.values_list("caption", flat=True))) > 40  # varied, not one caption
    assert all("#AcmeCoffee" in caption for caption in entries.values_list("caption", flat=True))
    assert all("acmecoffee" in hashtags for hashtags in entries.values_list("hashtags", flat=True))
    assert entries.values("platform").distinct().count() > 1
    assert entries.values("intent").distinct().count() > 1 and entries.values("format").distinct().count() > 1
    first, last = entries.order_by("published_at").first(), entries.order_by("published_at").last()
    assert (last.published_at - first.published_at).days > 365
    assert set(entries.values_list("author_id", flat=True)) == {team["creative"].pk}
    assert {step["user"] for entry in entries for step in entry.approvals} <= {
        team["reviewer"].pk,
        team["lead"].pk,
    }
    assert (
        ArchiveApprover.objects.filter(entry__brand=brand_a, user=team["reviewer"], tier="senior").count()
        == 120
    )
    assert all(entry.media == [{"image": image.pk, "alt_text": image.title}] for entry in entries)

    post = entries.first().post
    entry = entries.first()
    assert post.latest_revision == entry.revision == post.live_revision
    assert Post.objects.with_status().get(pk=post.pk).status_code == PostStatus.PUBLISHED
    assert entry.revision.as_object().caption == entry.caption
    assert list(post.media.values_list("image_id", flat=True)) == [image.pk]
    # One post can go out on several platforms: entries of a post share its caption and revision.
    assert entries.values("post").distinct().count() < 120


def test_the_command_writes_count_entries_and_says_so(brand_a, team):
    output = io.StringIO()
    call_command("seed_archive", brand=brand_a.slug, count=30, stdout=output)
    assert ArchiveEntry.objects.filter(brand=brand_a).count() == 30
    assert "Archived 30 entries for Acme Coffee" in output.getvalue()


def test_the_command_refuses_an_unknown_brand_and_names_the_known_ones(brand_a, brand_b):
    with pytest.raises(
        CommandError, match="No brand with the slug “kiln-coffee”. Brands: acme-coffee, borealis-bikes."
    ):
        call_command("seed_archive", brand="kiln-coffee", count=10)
    with pytest.raises(CommandError, match="at least 1"):
        call_command("seed_archive", brand=brand_a.slug, count=0)
    assert not ArchiveEntry.objects.exists()


def test_a_brand_without_members_or_pictures_still_gets_its_history(brand_b):
    assert seed_archive(brand=brand_b, count=10) == 10
    assert all(entry.author_id is None and entry.approvals == [] for entry in ArchiveEntry.objects.all())


def test_seeded_entries_stay_immutable(brand_a, team):
    seed_archive(brand=brand_a, count=5)
    entry = ArchiveEntry.objects.filter(brand=brand_a).first()
    entry.caption = "Rewritten history"
    with pytest.raises(ArchiveEntryIsImmutable):
        entry.save()
    with pytest.raises(ArchiveEntryIsImmutable):
        entry.delete()
    if connection.vendor == "postgresql":  # the database itself refuses, whatever the code does
        with pytest.raises(DatabaseError), transaction.atomic():
            ArchiveEntry.objects.filter(pk=entry.pk).update(caption="Rewritten history")
        with pytest.raises(DatabaseError), transaction.atomic():
            ArchiveApprover.objects.filter(entry=entry).delete()
    assert ArchiveEntry.objects.get(pk=entry.pk).caption != "Rewritten history"


def test_new_ids_follow_the_seeded_ones(brand_a, team):
    """Ids were given up front: rows made the ordinary way afterwards must not collide."""
    from cms.archive.factories import archived

    seed_archive(brand=brand_a, count=5)
    archived(brand_a, "An ordinary post published after the seed, in the ordinary way.")
    assert ArchiveEntry.objects.filter(brand=brand_a).count() == 6
