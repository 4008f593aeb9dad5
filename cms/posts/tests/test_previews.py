"""The per-platform preview mock-ups, as a creative sees them in the editor and a client in the portal."""

import datetime as dt
import html
import re

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.test.utils.form_data import querydict_from_html

from brands.factories import brand_image
from brands.models import PaletteColour
from cms.posts.factories import PostFactory, add_media
from cms.posts.models import Post
from cms.posts.previews import build_mockup, caption_length

MODES = [mode for mode, _ in Post.preview_modes]
# How each mode crops media: (platform, width / height).
EXPECTED_RATIOS = {
    "instagram_feed": 4 / 5,
    "instagram_story": 9 / 16,
    "facebook": 4 / 5,
    "x": 16 / 9,
    "linkedin": 1 / 1,
    "tiktok": 9 / 16,
}
# Who the post is from, as each platform shows it: a Facebook Page shows its name, not its handle.
SHOWN_AS = dict.fromkeys(MODES, "acmecoffee") | {"facebook": "Acme Coffee"}
# Exactly 2,200 characters (Instagram's limit): emoji with variation selectors, a ZWJ family, flags.
EMOJI_CAPTION = "Good morning ☕️🔥 " * 128 + "👨‍👩‍👧‍👦 🇬🇧 🏳️‍🌈 #coffee!"

pytestmark = pytest.mark.django_db


def text_of(response_or_html) -> str:
    """The page as a reader sees it: tags stripped, entities decoded."""
    content = getattr(response_or_html, "content", response_or_html)
    if isinstance(content, bytes):
        content = content.decode()
    return html.unescape(re.sub(r"<[^>]+>", "", content))


def render_mode(post, mode: str) -> str:
    """The mode's template with only what the portal will pass: mockup, object, request."""
    request = RequestFactory().get("/")
    context = {"mockup": build_mockup(post, mode), "object": post, "request": request}
    return render_to_string(f"previews/{mode}.html", context, request=request)


def admin_preview(client, post, mode, **changes):
    """Preview `post` in the editor: post the edit form (with `changes`), then load the mode."""
    edit = client.get(reverse("wagtailsnippets_posts_post:edit", args=[post.pk]))
    assert edit.status_code == 200
    data = querydict_from_html(edit.content.decode(), form_id="w-editor-form")
    for field, value in changes.items():
        data[field] = value
    url = reverse("wagtailsnippets_posts_post:preview_on_edit", args=[post.pk])
    state = client.post(url, data)
    assert state.json() == {"is_valid": True, "is_available": True}
    return client.get(url, {"mode": mode})


@pytest.fixture
def post_with_images(brand_a):
    def make(count, *, caption=None, width=1600, height=1200):
        post = PostFactory(brand=brand_a, platforms=["instagram", "facebook", "x", "linkedin", "tiktok"])
        if caption is not None:
            post.caption = caption
            post.save()
        images = [
            brand_image(brand_a, title=f"Latte art {n}", width=width, height=height) for n in range(count)
        ]
        add_media(post, images, alt_text="Latte art")
        return post

    return make


# Through the real editor preview ---------------------------------------------------------------


@pytest.mark.parametrize("image_count", [0, 1, 4])
@pytest.mark.parametrize("mode", MODES)
def test_a_creative_previews_every_mode_in_the_editor(login, creative, post_with_images, mode, image_count):
    post = post_with_images(image_count)

    response = admin_preview(login(creative), post, mode)

    assert response.status_code == 200
    page = text_of(response)
    assert "Fresh roast, fresh start." in page
    assert SHOWN_AS[mode] in page
    assert "Caption" in page and f"/ {build_mockup(post, mode)['counter'].limit:,}" in page
    assert response.content.decode().count('alt="Latte art') == image_count


def test_the_editor_preview_shows_the_unsaved_caption(login, creative, post_with_images):
    post = post_with_images(1)

    response = admin_preview(login(creative), post, "x", caption="Not saved yet #draft")

    assert "Not saved yet #draft" in text_of(response)
    post.refresh_from_db()
    assert post.caption != "Not saved yet #draft"


def test_a_new_post_previews_before_it_is_saved(login, creative, brand_a):
    client = login(creative)
    image = brand_image(brand_a, title="Cold brew", width=1600, height=1200)
    new = client.get(reverse("wagtailsnippets_posts_post:add"))
    data = querydict_from_html(new.content.decode(), form_id="w-editor-form")
    data.update({"title": "New", "caption": "First draft #hello", "platforms": "instagram"})
    data.update({"media-TOTAL_FORMS": "1", "media-0-image": image.pk, "media-0-alt_text": "Cold brew"})
    data["media-0-ORDER"] = "1"
    url = reverse("wagtailsnippets_posts_post:preview_on_add")

    assert client.post(url, data).json()["is_valid"]
    response = client.get(url, {"mode": "instagram_feed"})

    assert response.status_code == 200
    assert "First draft #hello" in text_of(response)
    assert 'alt="Cold brew"' in response.content.decode()
    assert not Post.objects.exists()


def test_a_creative_of_another_brand_cannot_preview_the_post(login, outsider, post_with_images):
    post = post_with_images(1)
    url = reverse("wagtailsnippets_posts_post:preview_on_edit", args=[post.pk])

    response = login(outsider).get(url, {"mode": "instagram_feed"})

    assert response.status_code in (403, 404)
    assert "Fresh roast" not in response.content.decode()


@pytest.mark.parametrize("mode", MODES)
def test_a_2200_character_emoji_caption_renders_in_every_mode(login, creative, post_with_images, mode):
    post = post_with_images(4, caption=EMOJI_CAPTION)

    response = admin_preview(login(creative), post, mode)

    assert len(EMOJI_CAPTION) == 2200
    assert response.status_code == 200
    page = text_of(response)
    assert "Good morning ☕️🔥" in page
    assert "👨‍👩‍👧‍👦 🇬🇧 🏳️‍🌈 #coffee!" in page  # whole, though folded under "more" where the platform folds
    assert build_mockup(post, mode)["counter"].label in page


# The caption ------------------------------------------------------------------------------------


def test_a_long_caption_folds_under_more_and_keeps_all_its_text(post_with_images):
    post = post_with_images(1, caption="Slow mornings, good coffee. " * 10 + "#SlowCoffee")

    page = render_mode(post, "instagram_feed")

    visible, _, folded = page.partition("<details")
    assert "… more" in text_of(folded)
    assert "#SlowCoffee" not in text_of(visible)
    assert "#SlowCoffee" in text_of(folded)


def test_a_short_caption_shows_in_full_without_more(post_with_images):
    post = post_with_images(1, caption="Short and sweet #coffee")

    for mode in MODES:
        page = render_mode(post, mode)
        assert "<details" not in page
        assert "Short and sweet #coffee" in text_of(page)


@pytest.mark.parametrize(
    ("mode", "label"),
    [("facebook", "… See more"), ("linkedin", "…see more"), ("tiktok", "… more")],
)
def test_each_platform_says_more_its_own_way(post_with_images, mode, label):
    post = post_with_images(0, caption="A long story about our beans and the farm they come from. " * 12)

    assert label in text_of(render_mode(post, mode))


def test_x_never_folds_a_caption(post_with_images):
    post = post_with_images(0, caption="word " * 100)

    assert "<details" not in render_mode(post, "x")


def test_truncation_never_splits_an_emoji(post_with_images):
    post = post_with_images(0, caption="☕" * 120 + "👨‍👩‍👧‍👦" * 10)

    visible = build_mockup(post, "instagram_feed")["caption"]["visible"]

    assert not "".join(segment.text for segment in visible).endswith("\u200d")
    assert "".join(segment.text for segment in visible).endswith(("☕", "👦"))


def test_hashtags_mentions_and_links_are_styled(post_with_images):
    post = post_with_images(0, caption="Thanks @beanfarm! #FreshRoast https://acme.example.com/beans")

    page = render_mode(post, "facebook")

    assert '<span class="pv-mention">@beanfarm</span>' in page
    assert '<span class="pv-hashtag">#FreshRoast</span>' in page
    assert 'href="https://acme.example.com/beans"' in page


def test_instagram_does_not_link_urls_in_captions(post_with_images):
    post = post_with_images(0, caption="Order at https://acme.example.com/order")

    page = render_mode(post, "instagram_feed")

    assert "https://acme.example.com/order" in text_of(page)
    assert 'href="https://acme.example.com/order"' not in page


def test_a_script_in_the_caption_is_shown_as_text(login, creative, post_with_images):
    caption = "<script>alert('hi')</script> #oops <b>bold</b>"
    post = post_with_images(0)

    for mode in MODES:
        response = admin_preview(login(creative), post, mode, caption=caption)
        content = response.content.decode()
        assert "<script>alert" not in content
        assert "&lt;script&gt;alert(&#x27;hi&#x27;)&lt;/script&gt;" in content
        assert "<b>bold</b>" not in content


# Counting ---------------------------------------------------------------------------------------


def test_x_counts_every_url_as_23(post_with_images):
    long_url = "https://acme.example.com/" + "a" * 80
    post = post_with_images(0, caption=f"Read this {long_url}")

    counter = build_mockup(post, "x")["counter"]

    assert counter.count == len("Read this ") + 23
    assert f"{counter.count} / 280" in text_of(render_mode(post, "x"))


def test_x_counts_emoji_and_wide_characters_as_two():
    assert caption_length("☕️", "x") == 2
    assert caption_length("👨‍👩‍👧‍👦", "x") == 2  # one family, however many code points
    assert caption_length("🇬🇧🇫🇷", "x") == 4
    assert caption_length("日本", "x") == 4
    assert caption_length("café", "x") == 4


def test_x_marks_the_part_past_280_like_its_composer(post_with_images):
    post = post_with_images(0, caption="a" * 270 + " " + "☕" * 10)  # 271 + 10 × 2 = 291

    page = render_mode(post, "x")

    assert "291 / 280 — 11 over" in text_of(page)
    assert re.search(r'<mark class="pv-overflow"[^>]*>☕☕☕☕☕☕</mark>', page)


def test_x_marks_nothing_when_the_caption_fits(post_with_images):
    post = post_with_images(0, caption="a" * 270 + " " + "☕" * 4)  # 279

    assert "pv-overflow" not in render_mode(post, "x")


def test_an_over_limit_caption_shows_how_far_over_in_red(post_with_images):
    post = post_with_images(0, caption="x" * 2214)

    page = render_mode(post, "instagram_feed")

    assert "2,214 / 2,200 — 14 over" in text_of(page)
    assert "pv-counter--over" in page


def test_a_caption_within_the_limit_is_not_marked_over(post_with_images):
    post = post_with_images(0, caption="x" * 2200)

    page = render_mode(post, "instagram_feed")

    assert "2,200 / 2,200" in text_of(page)
    assert "2,200 / 2,200 —" not in text_of(page)
    assert "pv-counter--over" not in page


def test_x_uses_its_own_caption_variant(post_with_images):
    post = post_with_images(0, caption="The long Instagram version " * 20)
    post.caption_variants.create(platform_id="x", caption="Short for X #coffee")

    mockup = build_mockup(post, "x")

    assert mockup["caption"]["text"] == "Short for X #coffee"
    assert mockup["counter"].count == 19


# Media ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_images_are_cropped_to_the_platforms_ratio(post_with_images, mode):
    post = post_with_images(2, width=1600, height=1200)

    media = build_mockup(post, mode)["media"]

    assert len(media) == 2
    for item in media:
        assert item.width / item.height == pytest.approx(EXPECTED_RATIOS[mode], rel=0.01)
        assert f'width="{item.width}" height="{item.height}"' in render_mode(post, mode)


def test_a_four_image_post_shows_the_carousel_indicator(post_with_images):
    post = post_with_images(4)

    page = render_mode(post, "instagram_feed")

    assert page.count('class="pv-dots__dot') == 4
    assert "1/4" in text_of(page)
    assert "4/4" in text_of(page)


def test_a_single_image_has_no_carousel_indicator(post_with_images):
    post = post_with_images(1)

    page = render_mode(post, "instagram_feed")

    assert "pv-dots" not in page
    assert "1/1" not in text_of(page)


def test_x_shows_at_most_four_images_and_says_so(post_with_images):
    post = post_with_images(5)

    mockup = build_mockup(post, "x")

    assert mockup["media_count"] == 4
    assert "1 more image not shown: X takes at most 4." in text_of(render_mode(post, "x"))


def test_a_missing_image_file_shows_a_placeholder_with_its_alt_text(post_with_images):
    post = post_with_images(2)
    broken = post.media.first().image
    broken.file.storage.delete(broken.file.name)

    page = render_mode(post, "instagram_feed")

    assert 'class="pv-placeholder" role="img" aria-label="Latte art 1"' in page
    assert 'alt="Latte art 2"' in page


def test_a_corrupt_image_file_shows_a_placeholder(post_with_images):
    post = post_with_images(1)
    image = post.media.first().image
    with image.file.storage.open(image.file.name, "wb") as file:
        file.write(b"\x89PNG\r\n\x1a\n not really a png")

    page = render_mode(post, "tiktok")

    assert 'aria-label="Latte art 1"' in page


def test_the_number_of_queries_does_not_grow_with_images(post_with_images):
    queries = {}
    for count in (1, 4):
        post = post_with_images(count)
        build_mockup(post, "instagram_feed")  # the first preview makes the renditions
        fresh = Post.objects.get(pk=post.pk)
        with CaptureQueriesContext(connection) as captured:
            build_mockup(fresh, "instagram_feed")
        queries[count] = len(captured)

    assert queries[1] == queries[4] <= 9  # 9th: the post's platforms, for the checker's findings


# Brand and time ---------------------------------------------------------------------------------


def test_the_avatar_falls_back_to_initials_on_the_first_palette_colour(post_with_images, brand_a):
    PaletteColour.objects.create(kit=brand_a.kit, name="Roast", hex="#6B3E26", sort_order=0)
    post = post_with_images(0)

    page = render_mode(post, "x")

    assert 'style="background: #6B3E26; color: #FFFFFF">AC</span>' in page


def test_the_avatar_is_the_kit_logo(post_with_images, brand_a):
    brand_a.kit.logo = brand_image(brand_a, title="Logo", width=400, height=400)
    brand_a.kit.save()
    post = post_with_images(0)

    avatar = build_mockup(post, "instagram_feed")["avatar"]

    assert "fill-160x160" in avatar.url
    assert f'<img src="{avatar.url}" alt="">' in render_mode(post, "instagram_feed")


def test_the_handle_is_the_brands_handle_on_that_platform(post_with_images, brand_a):
    brand_a.platforms.filter(platform_id="x").update(handle="AcmeCoffeeUK")
    post = post_with_images(0)

    assert "@AcmeCoffeeUK" in text_of(render_mode(post, "x"))
    assert "@AcmeCoffeeUK" not in text_of(render_mode(post, "instagram_feed"))


def test_the_scheduled_time_shows_in_the_brands_time_zone(post_with_images, brand_a):
    brand_a.time_zone = "America/New_York"
    brand_a.save()
    post = post_with_images(0)
    post.go_live_at = dt.datetime(2026, 3, 4, 14, 30, tzinfo=dt.UTC)
    post.save()

    page = text_of(render_mode(post, "x"))

    assert "Wed 4 Mar 2026, 09:30 EST" in page
    assert "4 Mar" in page


def test_an_unscheduled_post_says_draft(post_with_images):
    post = post_with_images(0)

    assert "Draft" in text_of(render_mode(post, "facebook"))


def test_the_mockup_is_reusable_as_a_partial(post_with_images):
    post = post_with_images(1)
    request = RequestFactory().get("/")
    context = {"mockup": build_mockup(post, "tiktok"), "object": post, "request": request}

    fragment = render_to_string("previews/tiktok.html#mockup", context, request=request)

    assert fragment.lstrip().startswith('<article class="pv-phone')
    assert "<html" not in fragment
    assert "Fresh roast, fresh start." in text_of(fragment)


def test_an_unknown_mode_is_not_found(login, creative, post_with_images):
    post = post_with_images(0)

    response = admin_preview(login(creative), post, "myspace")

    assert response.status_code == 404


# The preview states what the checker finds (issue 13) ---------------------------------------------


def test_an_instagram_post_without_an_image_says_what_the_checker_blocks(post_with_images):
    from cms.posts.checking import content_of, findings_for

    post = post_with_images(0)

    page = text_of(render_mode(post, "instagram_feed"))

    findings = findings_for(content_of(post), post.brand)
    (missing,) = [f for f in findings if f.rule == "image_missing" and f.platform == "instagram"]
    assert missing.severity == "block"
    assert missing.message.startswith("No image yet: Instagram feed posts need at least one.")
    assert missing.message in page


@pytest.mark.parametrize("mode", MODES)
def test_every_requirement_a_preview_states_is_a_finding_of_the_checker(post_with_images, mode):
    from cms.posts.checking import content_of, findings_for

    post = post_with_images(1, caption="x" * 3000 + " " + " ".join(f"#t{n}" for n in range(31)))
    post.media.update(alt_text="")

    mockup = build_mockup(post, mode)
    findings = findings_for(content_of(post), post.brand)

    assert mockup["requirements"]
    page = text_of(render_mode(post, mode))
    for requirement in mockup["requirements"]:
        assert requirement in findings
        assert requirement.message in page


def test_an_image_without_alt_text_is_named_in_the_preview(post_with_images):
    post = post_with_images(1)
    post.media.update(alt_text="")

    page = text_of(render_mode(post, "facebook"))

    assert "Image 1 has no alt text." in page


def test_a_reply_without_an_image_claims_no_requirement(post_with_images):
    post = post_with_images(0, caption="@sam Thanks!")
    post.format = "reply"
    post.save()

    page = text_of(render_mode(post, "instagram_feed"))

    assert "need at least one" not in page
    assert build_mockup(post, "instagram_feed")["requirements"] == []


def test_a_platform_the_post_does_not_go_to_states_no_findings(brand_a):
    post = PostFactory(brand=brand_a, platforms=["facebook"])

    mockup = build_mockup(post, "instagram_feed")
    page = text_of(render_mode(post, "instagram_feed"))

    assert mockup["requirements"] == []
    assert "not going to Instagram" in page
