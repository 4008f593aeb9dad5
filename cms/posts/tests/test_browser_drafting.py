"""A junior drafts an Instagram post in a real browser and looks at it as followers will."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from brands.factories import brand_image

SCREENSHOTS = Path(settings.BASE_DIR) / "test-results" / "screenshots"
PHONE = {"width": 390, "height": 844}

# The live server runs the real database transactions, so the test database is emptied after
# the test; serialized_rollback puts back what the migrations created (platforms, role groups,
# Wagtail's root collection) for the browser tests that come after.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def log_in(page: Page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{base_url}/admin/")


def test_a_junior_drafts_an_instagram_post_and_previews_it(page: Page, live_server, creative, brand_a):
    creative.set_password("pw")
    creative.save()
    brand_image(brand_a, title="Latte art")
    caption = "Monday needs a flat white. Swirls by our Shoreditch baristas ☕ #AcmeCoffee"
    base_url = live_server.url

    log_in(page, base_url, "creative", "pw")

    # Posts → Add post
    page.goto(f"{base_url}/admin/snippets/posts/post/")
    page.get_by_role("link", name=re.compile(r"^Add post$")).first.click()
    expect(page).to_have_url(f"{base_url}/admin/snippets/posts/post/add/")

    expect(page.locator("#id_brand")).to_have_value(str(brand_a.pk))  # their only brand, picked for them
    page.locator("#id_title").fill("Monday latte art")
    page.locator("#id_caption").fill(caption)
    page.get_by_label("Instagram", exact=True).check()

    # Media → Add image → Choose an image → the brand's "Latte art"
    page.get_by_role("button", name="Add image").click()
    page.get_by_role("button", name="Choose an image").click()
    modal = page.locator(".modal-dialog")
    expect(modal.get_by_role("heading", name="Choose an image")).to_be_visible()
    modal.get_by_role("link", name="Latte art").click()
    expect(modal).to_be_hidden()
    expect(page.locator("#id_media-0-image-chooser")).to_contain_text("Latte art")
    page.locator("#id_media-0-alt_text").fill("A rosetta poured into a flat white")

    page.get_by_role("button", name="Save draft").click()

    expect(page.locator(".messages .success")).to_contain_text("Monday latte art")
    expect(page).to_have_url(re.compile(r"/admin/snippets/posts/post/edit/\d+/$"))

    # The preview side panel posts the form and renders the Instagram feed mock-up; its
    # "Preview in new tab" link opens the full page.
    page.get_by_role("button", name="Toggle preview").click()
    expect(page.locator("#id_preview_mode")).to_have_value("instagram_feed")
    with page.context.expect_page() as new_tab:
        page.get_by_role("link", name="Preview in new tab").click()
    preview = new_tab.value
    preview.set_viewport_size(PHONE)
    preview.wait_for_load_state("networkidle")

    # The screenshot first, so a failing assertion below still leaves a picture to look at.
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    preview.screenshot(path=SCREENSHOTS / "junior-instagram-preview.png", full_page=True)

    # As on Instagram itself, the feed shows the handle without the @.
    post = preview.get_by_role("article").filter(has_text="Monday needs a flat white")
    expect(post).to_be_visible()
    expect(post).to_contain_text(caption)
    expect(post).to_contain_text(re.compile(r"\bacmecoffee\b"))
    expect(post.get_by_role("img", name="A rosetta poured into a flat white")).to_be_visible()
    preview.close()

    # Back in the listing, the draft is there, for Instagram, as a draft.
    page.goto(f"{base_url}/admin/snippets/posts/post/")
    row = page.get_by_role("row").filter(has_text="Monday latte art")
    expect(row).to_contain_text("Acme Coffee")
    expect(row).to_contain_text("Instagram")
    expect(row).to_contain_text("Draft")
