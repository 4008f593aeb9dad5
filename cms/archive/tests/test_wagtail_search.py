"""The archive through Wagtail's search backend (SIGNOFF_ARCHIVE_SEARCH="wagtail"): every way an
entry is written leaves it searchable (publishing, the bulk seeders, `update_index`), nothing is
indexed on the default setting, and indexing never writes to an entry itself. The search's own
behaviour is tested through both engines in test_search.py and test_api.py."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from wagtail.search.models import IndexEntry

from cms.archive.delivering import record_manual_post
from cms.archive.demo import seed_demo_history
from cms.archive.models import ArchiveEntry, Delivery
from cms.archive.seeding import seed_archive
from cms.archive.selectors import search_archive

from .test_delivering import CAPTION
from .test_delivering import publish as publish_post  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def indexed_entries() -> set[int]:
    content_type = ContentType.objects.get_for_model(ArchiveEntry)
    return {
        int(pk)
        for pk in IndexEntry.objects.filter(content_type=content_type).values_list("object_id", flat=True)
    }


def test_a_published_post_is_searchable_as_soon_as_it_is_archived(
    settings, request, creative, lead, client_of_a, django_capture_on_commit_callbacks
):
    settings.SIGNOFF_ARCHIVE_SEARCH = "wagtail"
    publish = request.getfixturevalue("publish_post")
    delivery = Delivery.objects.get(post=publish())

    with django_capture_on_commit_callbacks() as committed:
        entry = record_manual_post(delivery=delivery, user=creative, live_url="https://facebook.example/p/1")
        assert indexed_entries() == set()  # not before the entry is committed
    for callback in committed:
        callback()

    assert indexed_entries() == {entry.pk}
    for user in (lead, client_of_a):
        assert list(search_archive(user=user, query="slow coffee")) == [entry]
    # Indexing wrote Wagtail's rows only: the entry is as it was archived (on PostgreSQL its
    # trigger would have refused any UPDATE of it).
    assert ArchiveEntry.objects.get(pk=entry.pk).caption == CAPTION


def test_seeded_history_is_indexed_in_bulk(settings, brand_a, creative, reviewer, lead):
    settings.SIGNOFF_ARCHIVE_SEARCH = "wagtail"

    assert seed_archive(brand=brand_a, count=40, seed=1) == 40

    seeded = set(ArchiveEntry.objects.values_list("pk", flat=True))
    assert indexed_entries() == seeded
    entry = ArchiveEntry.objects.order_by("-published_at").first()
    word = max(entry.caption.split(), key=len).strip(".,:;!?")
    assert entry in search_archive(user=lead, query=word, order="newest")


def test_the_demo_history_is_indexed(settings, brand_a, creative, reviewer, lead):
    from django.utils import timezone

    settings.SIGNOFF_ARCHIVE_SEARCH = "wagtail"
    created = seed_demo_history(brand=brand_a, first_published_title=None, lead=lead, now=timezone.now())

    assert created["archive entries"] > 0
    assert indexed_entries() == set(ArchiveEntry.objects.values_list("pk", flat=True))


def test_on_the_default_setting_nothing_is_indexed_not_even_by_update_index(archived, brand_a, lead):
    entry = archived(brand_a, caption="Winter blend is back")
    seed_archive(brand=brand_a, count=5, seed=1)

    call_command("update_index", verbosity=0)

    assert indexed_entries() == set()
    assert list(search_archive(user=lead, query="winter")) == [entry]


def test_update_index_fills_the_index_after_switching(settings, archived, brand_a, lead):
    entry = archived(brand_a, caption="Winter blend is back")  # archived on the default setting
    settings.SIGNOFF_ARCHIVE_SEARCH = "wagtail"
    assert list(search_archive(user=lead, query="winter")) == []

    call_command("update_index", verbosity=0)

    assert list(search_archive(user=lead, query="winter")) == [entry]
