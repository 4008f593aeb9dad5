"""A client in a real browser: asks for changes on a post, which the agency then reads in the
post's history; and the calendar and a post page, on a phone and on a desktop."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from brands.factories import brand_image
from cms.posts.factories import add_media

from .helpers import at_client_tier, client_signs_off, published, scheduled

SCREENSHOTS = Path(settings.BASE_DIR) / "test-results" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

# The live server runs the real database transactions, so the test database is emptied after
# the test; serialized_rollback puts back what the migrations created (platforms, role groups,
# Wagtail's root collection, the agency workflow) for the browser tests that come after.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def portal_sign_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/portal/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("pw")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Awaiting your approval")).to_be_visible()


def admin_sign_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("pw")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{base_url}/admin/")


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / name, full_page=True)


def fits_the_screen(page: Page) -> bool:
    """Nothing wider than the viewport: no sideways scrolling on a phone."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_client_requests_changes_and_the_agency_reads_them_in_the_history(
    browser: Browser, live_server, client_of_a, brand_a, creative, reviewer
):
    client_signs_off(brand_a)
    post = at_client_tier(
        brand_a,
        creative,
        reviewer,
        title="Acme pumpkin latte",
        caption="Pumpkin spice is back. #AcmeCoffee",
        go_live_at=timezone.now() + dt.timedelta(days=3),
    )
    base_url = live_server.url

    page = browser.new_page(viewport=PHONE)
    portal_sign_in(page, base_url, "client_a")
    # Clients know it by its caption, not the agency's title.
    page.get_by_role("link", name="Pumpkin spice is back").click()
    expect(page.get_by_role("heading", name="Pumpkin spice is back")).to_be_visible()
    expect(page.frame_locator("iframe.portal-preview").get_by_text("Pumpkin spice is back.")).to_be_visible()

    page.get_by_role("link", name="Request changes").click()  # in the decision bar: opens the form
    page.get_by_label("What is it about?").select_option(label="Visual")
    page.get_by_label("What needs to change").fill("Please use the photo with the orange mug.")
    page.get_by_role("button", name="Send back with my comments").click()

    decision = page.locator("#decision")
    expect(decision).to_contain_text("your agency has your request for changes")
    expect(decision).to_contain_text("Changes requested by")
    expect(decision).to_contain_text("Please use the photo with the orange mug.")
    expect(page.locator(".portal-status")).to_have_text("With the agency")
    screenshot(page, "portal-client-requested-changes-phone.png")
    page.close()

    # The agency: the post's history in the admin shows the client's decision and words.
    agency = browser.new_page(viewport=DESKTOP)
    admin_sign_in(agency, base_url, "creative")
    agency.goto(base_url + reverse("wagtailsnippets_posts_post:history", args=[post.pk]))
    history = agency.get_by_role("table")
    expect(history).to_contain_text("Please use the photo with the orange mug.")
    expect(history).to_contain_text(client_of_a.get_full_name() or client_of_a.username)
    screenshot(agency, "portal-agency-sees-client-changes-in-history.png")
    agency.close()


@pytest.mark.parametrize("device, viewport", [("phone", PHONE), ("desktop", DESKTOP)])
def test_the_calendar_and_a_post_page_read_well_on_a_phone_and_a_desktop(
    browser: Browser, live_server, client_of_a, brand_a, creative, reviewer, device, viewport
):
    client_signs_off(brand_a)
    today = timezone.now().astimezone(brand_a.tz).date()
    soon = dt.datetime.combine(today + dt.timedelta(days=1), dt.time(9, 30), tzinfo=brand_a.tz)
    picture = brand_image(brand_a, title="Acme latte art", colour=(170, 110, 60))
    awaiting = at_client_tier(
        brand_a,
        creative,
        reviewer,
        title="Acme latte art (draft 2)",
        caption="Acme latte art week! Latte art at every Acme café ☕ Show us yours with #AcmeCoffee",
        platforms=["instagram", "facebook"],
        go_live_at=soon,
    )
    add_media(awaiting, [picture], alt_text="A rosetta poured into a flat white")
    awaiting.save_revision(user=creative)  # the revision the client reviews carries the image
    scheduled(brand_a, "Acme opening hours", at=soon + dt.timedelta(hours=3))
    published(brand_a, "Acme welcome post")
    base_url = live_server.url

    page = browser.new_page(viewport=viewport)
    portal_sign_in(page, base_url, "client_a")

    page.get_by_role("link", name="Calendar").click()
    expect(page.get_by_role("navigation", name="Calendar view")).to_be_visible()
    # Tomorrow may fall in next month or next week (as from a Sunday): open the calendar on its
    # day, as "Next" would; Week then keeps that day.
    page.goto(f"{base_url}/portal/calendar/?date={soon:%Y-%m-%d}")
    calendar = page.get_by_role("table")
    expect(calendar.get_by_role("link", name=re.compile("Acme latte art week"))).to_be_visible()
    expect(calendar.get_by_role("link", name=re.compile("Acme opening hours"))).to_be_visible()
    expect(page.get_by_role("list", name="Colours")).to_contain_text("Awaiting your approval")
    assert fits_the_screen(page)
    screenshot(page, f"portal-calendar-{device}.png")

    page.get_by_role("navigation", name="Calendar view").get_by_role("link", name="Week").click()
    expect(page.get_by_role("heading", name=re.compile("^Week of"))).to_be_visible()
    assert fits_the_screen(page)
    screenshot(page, f"portal-calendar-week-{device}.png")

    calendar = page.get_by_role("table")
    calendar.get_by_role("link", name=re.compile("Acme latte art week")).click()
    expect(page.get_by_role("heading", name="Acme latte art week!")).to_be_visible()
    expect(page.get_by_role("link", name="Facebook")).to_be_visible()
    expect(
        page.frame_locator("iframe.portal-preview").get_by_role("img", name=re.compile("rosetta"))
    ).to_be_visible()
    expect(page.get_by_role("button", name="Approve")).to_be_visible()
    images = page.get_by_role("region", name="Images")
    expect(images.get_by_role("img", name="A rosetta poured into a flat white 1")).to_be_visible()
    assert fits_the_screen(page)
    screenshot(page, f"portal-post-{device}.png")

    # The Facebook mock-up: a plain link, a new page.
    page.get_by_role("link", name="Facebook").click()
    expect(page).to_have_url(re.compile(r"\?mode=facebook$"))
    expect(
        page.frame_locator("iframe.portal-preview").get_by_text("Latte art at every Acme café")
    ).to_be_visible()
    page.close()


def test_on_a_phone_the_decision_is_on_screen_says_what_happens_and_confirms(
    browser: Browser, live_server, client_of_a, brand_a, creative, reviewer
):
    client_signs_off(brand_a)
    post = at_client_tier(  # with an image, as Instagram needs one
        brand_a,
        creative,
        reviewer,
        title="Acme beans v3 (internal)",
        caption="Fresh beans every Monday. Roasted in small batches, on the bar by nine. #AcmeCoffee",
        platforms=["instagram", "facebook"],
    )
    base_url = live_server.url

    page = browser.new_page(viewport=PHONE)
    portal_sign_in(page, base_url, "client_a")
    page.goto(base_url + reverse("portal:post-detail", args=[post.pk]))
    expect(
        page.frame_locator("iframe.portal-preview").get_by_role("img", name=re.compile("A photo"))
    ).to_be_visible()

    bar = page.locator("#decide-bar")
    approve = bar.get_by_role("button", name="Approve")
    # Without scrolling: the bar sits in the first screenful, whatever the page holds above it.
    for control in (approve, bar.get_by_role("link", name="Request changes")):
        box = control.bounding_box()
        assert box is not None and 0 <= box["y"] and box["y"] + box["height"] <= PHONE["height"]
    expect(bar).to_contain_text("Goes out as soon as you approve.")
    assert "internal" not in page.title() and "internal" not in page.locator("h1").inner_text()
    assert fits_the_screen(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "portal-post-decision-bar-phone.png")  # the screen as seen

    approve.click()

    expect(bar).to_contain_text("Approved and published. Thank you!")
    box = bar.bounding_box()
    assert box is not None and box["y"] + box["height"] <= PHONE["height"]  # the confirmation is on screen
    expect(page.locator("#post-status")).to_contain_text("Published")
    expect(page.frame_locator("iframe.portal-preview").get_by_text(re.compile("^Published"))).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "portal-post-approved-phone.png")
    page.close()
