"""A junior starts writing a caption like one the brand published before, and the editor shows it."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from cms.archive.factories import archived
from cms.posts.tests.test_browser_drafting import log_in

SCREENSHOTS = Path(settings.BASE_DIR) / "test-results" / "screenshots"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ARCHIVED = "Our Ethiopia Yirgacheffe is back for autumn: peach, jasmine and honey, roasted a shade lighter. #AcmeCoffee"


def test_a_junior_typing_a_caption_like_an_archived_one_sees_it(page: Page, live_server, creative, brand_a):
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    creative.set_password("pw")
    creative.save()
    entries = archived(brand_a, ARCHIVED, platforms=("instagram", "facebook"))
    archived(
        brand_a, "Cupping day at the roastery: Colombia Huila tasted of red apple and toffee. #AcmeCoffee"
    )
    base_url = live_server.url

    log_in(page, base_url, "creative", "pw")
    page.goto(f"{base_url}/admin/snippets/posts/post/add/")
    panel = page.locator(".signoff-similar")
    expect(panel).to_contain_text("Start writing the caption")

    page.locator("#id_caption").press_sequentially("Ethiopia Yirgacheffe is back for", delay=20)

    listed = panel.locator("[data-archive-entry]")
    expect(listed).to_have_count(1)
    expect(listed.first).to_contain_text("Our Ethiopia Yirgacheffe is back for autumn")
    expect(listed.first).to_contain_text("Instagram, Facebook")
    panel.scroll_into_view_if_needed()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "junior-similar-past-posts.png", full_page=False)

    link = listed.first.get_by_role("link")
    assert link.get_attribute("href") in {f"/admin/archive/entries/{entry.pk}/" for entry in entries}
