"""The editor as a creative uses it, in Chromium: the brand kit beside the caption, a suggestion
that reads cleanly in one click, alt text offered from the chosen image, previews of the post's
own platforms only, and Submit for approval in view."""

import re

import pytest
from playwright.sync_api import Page, expect

from brands.factories import brand_image
from brands.models import BannedPhrase

from .test_browser_drafting import PHONE, SCREENSHOTS, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

DESK = {"width": 1440, "height": 900}


@pytest.fixture
def creative_in_browser(page: Page, live_server, creative, brand_a):
    creative.set_password("pw")
    creative.save()
    BannedPhrase.objects.create(
        kit=brand_a.kit, phrase="world's best", suggestion="our favourite", severity="block"
    )
    picture = brand_image(brand_a, title="latte-final-v2")
    picture.description = "A rosetta poured into a flat white"
    picture.save()
    page.set_viewport_size(DESK)
    log_in(page, live_server.url, "creative", "pw")
    page.goto(f"{live_server.url}/admin/snippets/posts/post/add/")
    return page


def test_a_creative_writes_with_the_kit_beside_them_and_one_click_fixes(creative_in_browser: Page):
    page = creative_in_browser
    caption = page.locator("#id_caption")
    kit = page.locator(".signoff-caption-kit__kit")

    # On a desktop the kit is a column to the caption's right, level with it.
    caption_box, kit_box = caption.bounding_box(), kit.bounding_box()
    assert kit_box["x"] >= caption_box["x"] + caption_box["width"]
    assert abs(kit_box["y"] - caption_box["y"]) < 80

    # A suggestion applied in one click reads as a sentence: "Our favourite", not "The our favourite".
    caption.fill("The world's best coffee is back. #AcmeCoffee")
    use = page.get_by_role("button", name="Use “Our favourite”")
    expect(use).to_be_visible()
    use.click()
    expect(caption).to_have_value("Our favourite coffee is back. #AcmeCoffee")

    # Submit for approval is a button of its own, in view beside Save draft.
    expect(page.locator("footer [data-signoff-submit]")).to_be_visible()
    expect(page.locator("footer [data-signoff-submit]")).to_have_text(re.compile("Submit for approval"))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "editor-kit-beside-caption.png")

    # On a phone the kit comes after the caption.
    page.set_viewport_size(PHONE)
    caption_box, kit_box = caption.bounding_box(), kit.bounding_box()
    assert kit_box["y"] > caption_box["y"] + caption_box["height"]


def test_alt_text_comes_from_the_image_and_a_typed_one_is_kept(creative_in_browser: Page):
    page = creative_in_browser
    page.get_by_role("button", name="Add image").click()
    page.get_by_role("button", name="Choose an image").click()
    modal = page.locator(".modal-dialog")
    modal.get_by_role("link", name="latte-final-v2").click()
    expect(modal).to_be_hidden()

    alt = page.locator("#id_media-0-alt_text")
    expect(alt).to_have_value("A rosetta poured into a flat white")  # the description, to confirm

    # Alt text typed before the image is chosen stays as the creative wrote it.
    page.get_by_role("button", name="Add image").click()
    typed = page.locator("#id_media-1-alt_text")
    typed.fill("Our Shoreditch barista's rosetta")
    page.locator("#id_media-1-image-chooser").get_by_role("button", name="Choose an image").click()
    modal.get_by_role("link", name="latte-final-v2").click()
    expect(modal).to_be_hidden()
    expect(page.locator("#id_media-1-image-chooser")).to_contain_text("latte-final-v2")
    page.wait_for_timeout(500)  # the image's alt text has been asked for and answered
    expect(typed).to_have_value("Our Shoreditch barista's rosetta")


def test_previews_are_offered_for_the_posts_own_platforms_as_they_change(creative_in_browser: Page):
    page = creative_in_browser
    page.get_by_label("Instagram", exact=True).check()
    page.get_by_label("X", exact=True).check()
    page.get_by_role("button", name="Toggle preview").click()
    mode = page.locator("#id_preview_mode")

    def offered():
        return mode.evaluate(
            "select => Array.from(select.options).filter(o => !o.disabled).map(o => o.value)"
        )

    assert offered() == ["instagram_feed", "x"]

    page.get_by_label("Instagram", exact=True).uncheck()
    page.get_by_label("LinkedIn", exact=True).check()
    assert offered() == ["x", "linkedin"]
    expect(mode).to_have_value("x")  # the Instagram mock-up it showed is no longer offered
