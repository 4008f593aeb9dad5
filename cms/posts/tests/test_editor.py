"""Drafting a post in the Wagtail editor, as a creative would."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from brands.factories import brand_image
from cms.posts.factories import PostFactory, publish_directly
from cms.posts.models import CAPTION_MAX_LENGTH, Post

pytestmark = pytest.mark.django_db

ADD_URL = "wagtailsnippets_posts_post:add"


def post_form(brand, *, media=(), poll_options=(), **fields):
    data = {
        "brand": brand.pk,
        "title": "Monday latte",
        "caption": "Start the week with a flat white ☕️ #AcmeCoffee",
        "platforms": ["instagram", "x"],
        "format": "feed",
        "intent": "know",
        "cta_label": "",
        "cta_url": "",
        "campaign": "Autumn",
        "go_live_at": "",
        **fields,
    }
    inlines = {"media": media, "poll_options": poll_options, "caption_variants": ()}
    for prefix, rows in inlines.items():
        data.update({f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": "0"})
        for index, row in enumerate(rows):
            for key, value in {**row, "ORDER": index + 1, "id": "", "DELETE": ""}.items():
                data[f"{prefix}-{index}-{key}"] = value
    return data


def test_a_creative_drafts_a_post_with_a_brand_image(login, creative, brand_a):
    image = brand_image(brand_a, title="Latte art")

    response = login(creative).post(
        reverse(ADD_URL), post_form(brand_a, media=[{"image": image.pk, "alt_text": "Latte art in a cup"}])
    )

    assert response.status_code == 302
    post = Post.objects.with_status().get(title="Monday latte")
    assert post.status == "draft"
    assert not post.live
    assert post.created_by == creative
    assert [media.image for media in post.media.all()] == [image]
    assert set(post.platforms.values_list("code", flat=True)) == {"instagram", "x"}
    assert post.latest_revision is not None


def test_an_image_of_another_brand_is_refused_and_nothing_is_lost(login, admin_user, brand_a, brand_b):
    foreign = brand_image(brand_b, title="Borealis summit")

    response = login(admin_user).post(
        reverse(ADD_URL),
        post_form(
            brand_a, caption="Keep this caption", media=[{"image": foreign.pk, "alt_text": "Mountain"}]
        ),
    )

    assert response.status_code == 200
    assert "is not in the Acme Coffee collection" in response.text
    assert "Keep this caption" in response.text
    assert not Post.objects.exists()


def test_a_huge_caption_gets_a_clear_message_and_is_kept(login, creative, brand_a):
    caption = "Too long. " * (CAPTION_MAX_LENGTH // 10 + 1)

    response = login(creative).post(reverse(ADD_URL), post_form(brand_a, caption=caption))

    assert response.status_code == 200
    assert "Captions can be at most 10,000 characters" in response.text
    assert caption[:200] in response.text
    assert not Post.objects.exists()


def test_a_poll_needs_two_to_four_options(login, creative, brand_a):
    client = login(creative)

    refused = client.post(
        reverse(ADD_URL), post_form(brand_a, format="poll", poll_options=[{"label": "Yes"}])
    )
    assert refused.status_code == 200
    assert "A poll needs 2 to 4 options; it has 1." in refused.text

    accepted = client.post(
        reverse(ADD_URL), post_form(brand_a, format="poll", poll_options=[{"label": "Yes"}, {"label": "No"}])
    )
    assert accepted.status_code == 302


def test_a_post_needs_a_platform(login, creative, brand_a):
    response = login(creative).post(reverse(ADD_URL), post_form(brand_a, platforms=[]))

    assert response.status_code == 200
    assert "This field is required" in response.text


def test_a_creative_cannot_publish_from_the_editor(login, creative, brand_a):
    response = login(creative).post(reverse(ADD_URL), post_form(brand_a, **{"action-publish": "publish"}))

    post = Post.objects.get(title="Monday latte")
    assert response.status_code in (302, 403)
    assert not post.live


def test_the_listing_filters_by_brand_status_platform_intent_format_and_date(
    login, admin_user, brand_a, brand_b
):
    soon = timezone.now() + dt.timedelta(days=3)
    PostFactory(brand=brand_a, title="Acme reel", format="reel", intent="buy", platforms=["tiktok"])
    PostFactory(brand=brand_b, title="Borealis poll", format="poll", intent="know", platforms=["x"])
    live = PostFactory(brand=brand_a, title="Acme live", platforms=["facebook"])
    publish_directly(live)
    dated = PostFactory(brand=brand_a, title="Acme dated")
    Post.objects.filter(pk=dated.pk).update(go_live_at=soon)
    client = login(admin_user)
    listing = reverse("wagtailsnippets_posts_post:list")

    def titles(**params):
        text = client.get(listing, params).text
        return {title for title in ["Acme reel", "Borealis poll", "Acme live", "Acme dated"] if title in text}

    assert titles(brand=brand_b.pk) == {"Borealis poll"}
    assert titles(status="published") == {"Acme live"}
    assert titles(platform="tiktok") == {"Acme reel"}
    assert titles(intent="buy") == {"Acme reel"}
    assert titles(format="poll") == {"Borealis poll"}
    day = timezone.localdate(soon).isoformat()
    assert titles(scheduled_from=day, scheduled_to=day) == {"Acme dated"}
    assert titles(q="reel") == {"Acme reel"}


@pytest.mark.parametrize("rows", [1, 50])
def test_the_listing_query_count_does_not_grow_with_posts(
    login, creative, brand_a, rows, django_assert_num_queries
):
    for index in range(rows):
        PostFactory(brand=brand_a, title=f"Post {index}", platforms=["instagram", "x"])
    client = login(creative)
    client.get(reverse("wagtailsnippets_posts_post:list"))  # warm caches (content types, site)

    # The same number for 1 and for 50 posts: nothing is fetched per row.
    with django_assert_num_queries(LISTING_QUERIES):
        response = client.get(reverse("wagtailsnippets_posts_post:list"))
    assert response.status_code == 200
    assert response.text.count("Post ") >= rows


LISTING_QUERIES = 14


def test_the_editor_shows_the_brand_kit_of_the_users_brands_only(login, creative, brand_a, brand_b):
    from brands.models import BannedPhrase, HashtagRule, PaletteColour

    PaletteColour.objects.create(kit=brand_a.kit, name="Espresso", hex="#3B2A20")
    HashtagRule.objects.create(kit=brand_a.kit, hashtag="#AcmeCoffee", kind="required")
    BannedPhrase.objects.create(kit=brand_a.kit, phrase="cheap", suggestion="great value")
    PaletteColour.objects.create(kit=brand_b.kit, name="Glacier", hex="#A0D8EF")

    response = login(creative).get(reverse(ADD_URL))

    assert "Acme Coffee" in response.text
    assert "Espresso" in response.text and "#3B2A20" in response.text
    assert "Always use: #AcmeCoffee" in response.text
    assert "say “great value”" in response.text
    assert "Glacier" not in response.text


def test_the_listing_shows_the_scheduled_time_in_the_brands_time_zone(login, creative, brand_a):
    brand_a.time_zone = "America/New_York"
    brand_a.save()
    PostFactory(brand=brand_a, title="NY launch", go_live_at=dt.datetime(2031, 3, 4, 14, 30, tzinfo=dt.UTC))

    response = login(creative).get(reverse("wagtailsnippets_posts_post:list"))

    assert "Tue 4 Mar, 09:30 EST" in response.text
