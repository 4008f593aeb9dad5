"""“How have we said it before?” and the near-duplicate candidates: the archive's similarity
reads (PostgreSQL trigrams; the rare-word fallback elsewhere), on the real database."""

from datetime import timedelta

import pytest
from django.utils import timezone

from brands.factories import BrandFactory
from cms.archive.factories import archived
from cms.archive.selectors import near_duplicate_candidates, similar_archived_posts

pytestmark = pytest.mark.django_db

ORIGINAL = "Our Ethiopia Yirgacheffe is back for autumn: peach, jasmine and honey, roasted a shade lighter. #AcmeCoffee"
# Alike in part, each less than the original; the last says something else altogether.
OTHERS = [
    "Our Ethiopia Yirgacheffe is back for spring: peach, jasmine and honey, roasted lighter than ever. #AcmeCoffee",
    "Ethiopia Yirgacheffe is back: jasmine, peach and honey notes, roasted a shade lighter this autumn. #AcmeCoffee",
    "Our Ethiopia Guji is back for autumn: blueberry, jasmine and honey, roasted a shade darker. #AcmeCoffee",
    "Our Kenya Nyeri is back for autumn: blackcurrant and honey, roasted a shade lighter. #AcmeCoffee",
    "Our Rwanda Nyamasheke is back for autumn: plum and honey, roasted a shade lighter. #AcmeCoffee",
    "Our Colombia Huila is back for winter: red apple and toffee, roasted a shade darker. #AcmeCoffee",
    "Brew guide: fifteen grams of Kenya Nyeri for your V60, water just off the boil. #AcmeCoffee",
]


def test_the_near_identical_post_comes_first_and_only_five_posts_of_the_brand(brand_a, brand_b):
    now = timezone.now()
    for days, caption in enumerate(OTHERS, start=1):
        archived(brand_a, caption, published_at=now - timedelta(days=days))
    [original] = archived(brand_a, ORIGINAL, published_at=now - timedelta(days=400))
    archived(brand_b, ORIGINAL.replace("#AcmeCoffee", "#Borealis"))  # the other brand's: never shown

    draft = ORIGINAL.replace("a shade lighter", "a touch lighter")
    similar = similar_archived_posts(brand=brand_a, caption=draft)

    assert len(similar) == 5
    assert similar[0].entry == original
    assert {item.entry.brand_id for item in similar} == {brand_a.pk}
    assert [item.score for item in similar] == sorted((item.score for item in similar), reverse=True)


def test_a_post_that_went_out_on_several_platforms_is_listed_once_with_its_latest_entry(brand_a):
    first, second = archived(brand_a, ORIGINAL, platforms=("facebook", "instagram"))
    similar = similar_archived_posts(brand=brand_a, caption=ORIGINAL)
    assert len(similar) == 1
    assert similar[0].entry == max(first, second, key=lambda entry: (entry.published_at, entry.pk))
    assert sorted(similar[0].platforms) == ["Facebook", "Instagram"]


def test_a_short_draft_finds_the_posts_it_starts_to_repeat(brand_a):
    [original] = archived(brand_a, ORIGINAL)
    archived(brand_a, OTHERS[-1])
    similar = similar_archived_posts(brand=brand_a, caption="Ethiopia Yirgacheffe is back")
    assert similar and similar[0].entry == original


def test_nothing_for_an_empty_or_wordless_draft_nor_for_the_post_itself(brand_a):
    [original] = archived(brand_a, ORIGINAL)
    assert similar_archived_posts(brand=brand_a, caption="") == []
    assert similar_archived_posts(brand=brand_a, caption="🔥🔥 #AcmeCoffee !!") == []
    assert similar_archived_posts(brand=brand_a, caption=ORIGINAL, exclude_post_id=original.post_id) == []


def test_hostile_drafts_are_answered(brand_a):
    archived(brand_a, ORIGINAL)
    for draft in ["'\"%_\\ OR 1=1 --", "a" * 10_000, "Yirgacheffe " * 2_000, "☕️🍑" * 500, "%% %s %(x)s"]:
        similar_archived_posts(brand=brand_a, caption=draft)
        near_duplicate_candidates(brand=brand_a, caption=draft, now=timezone.now())


def test_near_duplicate_candidates_are_recent_own_posts_and_any_other_clients(brand_a, brand_b):
    now = timezone.now()
    archived(brand_a, ORIGINAL, published_at=now - timedelta(days=10), platforms=("instagram",))
    archived(brand_a, ORIGINAL + " Old", published_at=now - timedelta(days=200))
    archived(brand_b, ORIGINAL.replace("#AcmeCoffee", "#Borealis"), published_at=now - timedelta(days=900))
    sister = BrandFactory(client=brand_a.client, name="Acme Tea", slug="acme-tea")
    archived(sister, ORIGINAL.replace("#AcmeCoffee", "#AcmeTea"))

    candidates = near_duplicate_candidates(brand=brand_a, caption=ORIGINAL, now=now)

    own = [candidate for candidate in candidates if candidate.same_brand]
    others = [candidate for candidate in candidates if not candidate.same_brand]
    assert [(candidate.caption, candidate.platform) for candidate in own] == [(ORIGINAL, "Instagram")]
    assert len(others) == 1
    assert "#Borealis" in others[0].caption
    assert others[0].published_at is None and others[0].platform == ""
