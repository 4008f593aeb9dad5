"""The post editor as a creative meets it: the brand kit beside the caption, Submit for approval
as a button of its own, previews of the post's own platforms, alt text offered from the image."""

import json
import re

import pytest
from django.urls import reverse
from wagtail.models import Workflow

from brands.factories import brand_image
from cms.posts.factories import PostFactory
from cms.posts.models import Post, PostFormat
from cms.posts.tests.test_editor import post_form

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def workflow(db):
    return Workflow.objects.get(name="Agency approval")


def footer_of(html: str) -> str:
    return html.split('class="footer', 1)[1]


def test_the_brand_kit_sits_beside_the_caption(login, creative, brand_a):
    post = PostFactory(brand=brand_a)

    html = login(creative).get(reverse("wagtailsnippets_posts_post:edit", args=[post.pk])).text

    side_by_side = html.split('class="signoff-caption-kit"', 1)[1]
    writing, kit = side_by_side.split('class="signoff-caption-kit__kit"', 1)
    assert 'id="id_caption"' in writing and "signoff-checks" in writing
    assert "signoff-kit__brand" in kit and 'id="id_caption"' not in kit
    # Nowhere else: the kit is not above the caption any more.
    assert html.count("signoff-kit__brand") == 1


@pytest.mark.parametrize("view", ["add", "edit"])
def test_submit_for_approval_is_a_button_of_its_own(login, creative, brand_a, view):
    args = [PostFactory(brand=brand_a).pk] if view == "edit" else []

    html = login(creative).get(reverse(f"wagtailsnippets_posts_post:{view}", args=args)).text

    footer = footer_of(html)
    button = re.search(r"<button[^>]*data-signoff-submit[^>]*>", footer)
    assert button and 'name="action-submit"' in button.group() and 'class="button ' in button.group()
    assert "Submit for approval" in footer
    # Not also inside Save's dropdown.
    assert footer.count('name="action-submit"') == 1


def test_submit_for_approval_from_its_button_submits(login, creative, brand_a):
    post = PostFactory(brand=brand_a, caption="Fresh roast. #AcmeCoffee")

    response = login(creative).post(
        reverse("wagtailsnippets_posts_post:edit", args=[post.pk]),
        post_form(
            brand_a,
            caption="Fresh roast. #AcmeCoffee",
            platforms=["facebook"],
            **{"action-submit": "Submit for approval"},
        ),
    )

    assert response.status_code == 302
    assert Post.objects.with_status().get(pk=post.pk).status == "in_review"


def test_a_post_in_review_offers_no_submit_button(login, creative, brand_a, api):
    post = PostFactory(brand=brand_a)
    post.save_revision(user=creative)
    assert api(creative).post(f"/api/v1/posts/{post.pk}/submit/").status_code == 200

    html = login(creative).get(reverse("wagtailsnippets_posts_post:edit", args=[post.pk])).text

    assert "data-signoff-submit" not in html


def test_the_reviewer_sees_their_decisions_not_a_submit_button(login, creative, reviewer, brand_a, api):
    post = PostFactory(brand=brand_a)
    post.save_revision(user=creative)
    assert api(creative).post(f"/api/v1/posts/{post.pk}/submit/").status_code == 200

    html = login(reviewer).get(reverse("wagtailsnippets_posts_post:edit", args=[post.pk])).text

    assert "data-signoff-submit" not in html
    assert "Approve" in footer_of(html)


@pytest.mark.parametrize(
    "platforms, post_format, mode",
    [
        (["x", "linkedin"], PostFormat.FEED, "x"),
        (["facebook"], PostFormat.FEED, "facebook"),
        (["instagram", "facebook"], PostFormat.STORY, "instagram_story"),
        (["instagram"], PostFormat.FEED, "instagram_feed"),
        (["tiktok"], PostFormat.REEL, "tiktok"),
    ],
)
def test_the_preview_opens_on_one_of_the_posts_own_platforms(brand_a, platforms, post_format, mode):
    post = PostFactory(brand=brand_a, platforms=platforms, format=post_format)

    assert Post.objects.get(pk=post.pk).default_preview_mode == mode


def test_the_editor_knows_which_platform_each_preview_shows(login, creative, brand_a):
    post = PostFactory(brand=brand_a, platforms=["instagram", "x"])

    html = login(creative).get(reverse("wagtailsnippets_posts_post:edit", args=[post.pk])).text

    data = re.search(r'<script id="signoff-preview-modes" type="application/json">(.*?)</script>', html, re.S)
    modes = json.loads(data.group(1))
    assert modes["linkedin"] == {"platform": "linkedin", "format": "feed"}
    assert modes["instagram_story"] == {"platform": "instagram", "format": "story"}


# Alt text from the image ------------------------------------------------------------------------------


def alt_text_url(image) -> str:
    return reverse("posts_image_alt_text", args=[image.pk])


def test_an_image_offers_its_description_as_alt_text(login, creative, brand_a):
    image = brand_image(brand_a, title="latte-art-final-v2")
    image.description = "A flat white with a fern drawn in the foam"
    image.save()

    response = login(creative).get(alt_text_url(image))

    assert response.json() == {"alt_text": "A flat white with a fern drawn in the foam"}


def test_an_image_without_a_description_offers_its_title(login, creative, brand_a):
    image = brand_image(brand_a, title="Roastery at dawn")

    assert login(creative).get(alt_text_url(image)).json() == {"alt_text": "Roastery at dawn"}


def test_another_brands_image_is_not_found(login, creative, brand_b):
    image = brand_image(brand_b, title="Their secret launch")

    response = login(creative).get(alt_text_url(image))

    assert response.status_code == 404
    assert "secret" not in response.content.decode()


def test_a_client_gets_no_alt_text(login, client_of_a, brand_a):
    image = brand_image(brand_a, title="Roastery at dawn")

    response = login(client_of_a).get(alt_text_url(image))

    assert response.status_code in (302, 403)
    assert "Roastery" not in response.content.decode()


def test_the_editor_knows_where_to_ask_for_alt_text(login, creative, brand_a):
    html = login(creative).get(reverse("wagtailsnippets_posts_post:add")).text

    assert f'data-image-alt-text-url="{reverse("posts_image_alt_text", args=[0])}"' in html


@pytest.mark.parametrize("view", ["add", "edit"])
def test_the_editor_has_no_autosave_to_disagree_with_its_saved_state(login, creative, brand_a, view):
    # Posts don't autosave (NoAutosaveMixin): no "Saved" indicator, no autosave controller on the
    # form, so no "Autosave is paused" bar can contradict what the header says.
    args = [PostFactory(brand=brand_a).pk] if view == "edit" else []

    html = login(creative).get(reverse(f"wagtailsnippets_posts_post:{view}", args=args)).text

    assert "w-autosave-indicator" not in html
    assert 'data-controller="w-autosave' not in html and " w-autosave " not in html
