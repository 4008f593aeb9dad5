"""A senior works through the review inbox by keyboard in a real browser."""

import re

import pytest
from playwright.sync_api import Page, expect

from cms.posts.tests.test_browser_drafting import SCREENSHOTS, log_in

from .helpers import status_of, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_senior_approves_and_sends_back_posts_by_keyboard(
    page: Page, live_server, api, draft, creative, reviewer
):
    reviewer.set_password("pw")
    reviewer.save()
    first = draft(title="First in line", caption="Fresh start. #MondayMotivation")
    second = draft(title="Second in line", caption="Another fresh start. #MondayMotivation")
    for post in (first, second):
        assert submit(api, creative, post).status_code == 200
    base_url = live_server.url

    log_in(page, base_url, "reviewer", "pw")
    page.get_by_role("link", name="Review inbox").first.click()
    expect(page).to_have_url(f"{base_url}/admin/reviews/")
    rows = page.locator("[data-inbox-row]")
    expect(rows).to_have_count(2)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "review-inbox.png", full_page=True)

    # The first row is current: "a" approves it in place.
    expect(rows.nth(0)).to_have_class(re.compile("inbox__row--current"))
    page.keyboard.press("a")
    expect(rows.nth(0)).to_contain_text("Approved")
    assert status_of(first) != "in_review"

    # "j" moves to the second, "r" opens the request-changes form with the reason focused.
    page.keyboard.press("j")
    expect(rows.nth(1)).to_have_class(re.compile("inbox__row--current"))
    page.keyboard.press("r")
    reason = rows.nth(1).get_by_label("Reason")
    expect(reason).to_be_focused()
    reason.select_option("copy")
    page.keyboard.press("Tab")
    page.keyboard.type("“Fresh start” twice in one week: say something new.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # Send back
    expect(rows.nth(1)).to_contain_text("Changes requested (Copy error)")
    page.screenshot(path=SCREENSHOTS / "review-inbox-decided.png", full_page=True)
    assert status_of(second) == "changes_requested"

    # Reloaded, the inbox is empty and says so.
    page.reload()
    expect(page.get_by_role("heading", name="Nothing awaits your review")).to_be_visible()


def test_o_opens_the_post(page: Page, live_server, api, draft, creative, reviewer):
    reviewer.set_password("pw")
    reviewer.save()
    post = draft(title="Open me")
    assert submit(api, creative, post).status_code == 200

    log_in(page, live_server.url, "reviewer", "pw")
    page.goto(f"{live_server.url}/admin/reviews/")
    page.keyboard.press("o")

    expect(page).to_have_url(re.compile(rf"/admin/snippets/posts/post/edit/{post.pk}/$"))
