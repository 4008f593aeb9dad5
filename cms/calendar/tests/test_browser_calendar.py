"""A creative on two brands plans their week on the agency calendar in a real browser: the week
across both brands by keyboard, a draft dragged to another day, a scheduled post that asks first,
and the page at desktop and phone sizes."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from brands.factories import brand_image
from cms.posts.models import Post
from cms.posts.tests.test_browser_drafting import PHONE, SCREENSHOTS, log_in

from .conftest import dated_draft, scheduled

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_creative_plans_the_week_across_two_brands_and_drags_a_draft_to_another_day(
    page: Page, live_server, planner, reviewer, brand_a, brand_tokyo
):
    planner.set_password("pw")
    planner.save()
    today = timezone.localdate()
    monday = today + dt.timedelta(days=7 - today.weekday())  # next week: every day is still to come
    london, tokyo = brand_a.tz, brand_tokyo.tz

    def at(day: int, hour: int, tz):
        return dt.datetime.combine(monday + dt.timedelta(days=day), dt.time(hour, 0), tzinfo=tz)

    latte = brand_image(brand_a, title="Latte art", colour=(150, 90, 50))
    draft = dated_draft(brand_a, planner, at(1, 10, london), title="Latte art Tuesday", images=[latte])
    matcha = brand_image(brand_tokyo, title="Matcha", colour=(90, 150, 60))
    dated_draft(brand_tokyo, planner, at(2, 9, tokyo), title="Matcha morning", images=[matcha])
    launch = scheduled(brand_a, planner, reviewer, at(3, 12, london), title="Autumn blend launch")
    base_url = live_server.url

    log_in(page, base_url, "planner", "pw")
    page.set_viewport_size({"width": 1440, "height": 900})
    page.get_by_role("link", name="Calendar").first.click()
    expect(page.get_by_role("heading", name=re.compile(r"^\w+ \d{4}$"))).to_be_visible()
    # Keys: w for the week, n for the next one.
    page.keyboard.press("w")
    expect(page.get_by_role("heading", name=re.compile("^Week of"))).to_be_visible()
    page.keyboard.press("n")
    expect(page.get_by_role("heading", name=f"Week of {monday.day} {monday:%B %Y}")).to_be_visible()

    def cell(day: int):
        return page.locator(f'td[data-day="{monday + dt.timedelta(days=day):%Y-%m-%d}"]')

    expect(cell(1)).to_contain_text("Latte art Tuesday")
    expect(cell(1)).to_contain_text("10:00 GMT" if not at(1, 10, london).dst() else "10:00 BST")
    expect(cell(2)).to_contain_text("Matcha morning")
    expect(cell(2)).to_contain_text("09:00 JST")
    expect(cell(2)).to_contain_text("Acme Tokyo")
    expect(cell(3)).to_contain_text("Autumn blend launch")
    expect(cell(1).locator("img.cal-entry__thumb")).to_have_js_property("complete", True)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "agency-calendar-week.png", full_page=True)

    # A scheduled post asks before it moves, and stays put when told to.
    cell(3).locator(".cal-entry", has_text="Autumn blend launch").drag_to(cell(4))
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("takes it off the schedule and sends it back through senior review")
    page.screenshot(path=SCREENSHOTS / "agency-calendar-confirm.png")
    dialog.get_by_role("button", name="Keep it where it is").click()
    expect(dialog).to_be_hidden()
    assert Post.objects.get(pk=launch.pk).scheduled_revision.approved_go_live_at == at(3, 12, london)

    # A draft moves on the drop, keeping its time.
    cell(1).locator(".cal-entry", has_text="Latte art Tuesday").drag_to(cell(4))
    expect(page.locator(".messages")).to_contain_text("Moved “Latte art Tuesday” to")
    expect(cell(4)).to_contain_text("Latte art Tuesday")
    expect(cell(4).locator("img.cal-entry__thumb")).to_have_js_property("complete", True)
    expect(cell(1)).not_to_contain_text("Latte art Tuesday")
    assert Post.objects.get(pk=draft.pk).go_live_at == at(4, 10, london)
    page.screenshot(path=SCREENSHOTS / "agency-calendar-moved.png", full_page=True)

    page.set_viewport_size(PHONE)
    page.reload()
    expect(page.get_by_role("link", name="Matcha morning", exact=True)).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "agency-calendar-week-phone.png", full_page=True)
