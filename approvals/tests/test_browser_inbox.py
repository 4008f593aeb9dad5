"""A senior works through the review inbox in a real browser: by keyboard at a desk, by thumb on a
phone, and takes a decision back."""

import re

import pytest
from playwright.sync_api import Page, expect
from wagtail.models import TaskState

from cms.posts.tests.test_browser_drafting import PHONE, SCREENSHOTS, log_in

from .helpers import current_task_state, status_of, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

DESK = {"width": 1440, "height": 900}


@pytest.fixture
def queue(api, draft, creative, reviewer):
    """Three clean posts awaiting the reviewer, oldest (soonest due) first."""
    reviewer.set_password("pw")
    reviewer.save()
    posts = [
        draft(title=title, caption=f"{caption} #MondayMotivation")
        for title, caption in [
            ("First in line", "Fresh start."),
            ("Second in line", "Another fresh start."),
            ("Third in line", "One more fresh start."),
        ]
    ]
    for post in posts:
        assert submit(api, creative, post).status_code == 200
    return posts


def pane_shows(page: Page, title: str):
    """The pane shows this review, settled (a key may decide on it now)."""
    expect(page.locator("#inbox-pane[data-inbox-ready] .inbox-pane__title")).to_have_text(title)


def test_a_senior_moves_approves_and_sends_back_by_keyboard(page: Page, live_server, queue):
    first, second, third = queue
    first_review = current_task_state(first).pk
    page.set_viewport_size(DESK)
    log_in(page, live_server.url, "reviewer", "pw")
    page.get_by_role("link", name="Review inbox").first.click()

    # The first review, beside the queue: its caption and the way it will look, before any key.
    pane_shows(page, "First in line")
    expect(page.locator(".inbox-caption")).to_contain_text("Fresh start. #MondayMotivation")
    expect(page.locator(".inbox-row--current")).to_contain_text("First in line")
    expect(page.locator(".inbox-row--current [data-inbox-link]")).to_be_focused()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "review-inbox-1440.png")

    # j and k (and the arrows) move through the queue, and the pane follows.
    page.keyboard.press("j")
    pane_shows(page, "Second in line")
    page.keyboard.press("ArrowUp")
    pane_shows(page, "First in line")

    # a approves what the pane shows and moves on; the row says so, the focus stays in the queue.
    page.keyboard.press("a")
    pane_shows(page, "Second in line")
    expect(page.locator(f"#inbox-row-{first_review}")).to_contain_text("✓ Approved")
    expect(page.locator("#inbox-toast")).to_contain_text("Approved “First in line”.")
    expect(page.locator(".inbox-row--current [data-inbox-link]")).to_be_focused()
    expect(page.locator("#inbox-count")).to_have_text("2 awaiting you")
    assert status_of(first) != "in_review"

    # r asks for the reason first, in a small form; Ctrl+Enter sends it and the next one shows.
    page.keyboard.press("r")
    reason = page.get_by_label("Reason")
    expect(reason).to_be_focused()
    reason.select_option("copy")
    page.keyboard.press("Tab")
    page.keyboard.type("“Fresh start” twice in one week: say something new.")
    page.screenshot(path=SCREENSHOTS / "review-inbox-request-changes.png")
    page.keyboard.press("Control+Enter")
    pane_shows(page, "Third in line")
    expect(page.locator("#inbox-toast")).to_contain_text(
        "Changes requested on “Second in line” (Copy error)."
    )
    expect(page.locator(".inbox-row--current")).to_contain_text("Third in line")
    assert status_of(second) == "changes_requested"
    assert status_of(third) == "in_review"

    # Reloaded, the queue holds what is left, and the page is the review it was on.
    page.reload()
    pane_shows(page, "Third in line")
    expect(page.locator("[data-inbox-link]")).to_have_count(1)


def test_u_and_the_toasts_undo_take_a_decision_back(page: Page, live_server, queue, settings, relay):
    settings.SIGNOFF_UNDO_SECONDS = 30
    first, second, _ = queue
    first_review = current_task_state(first).pk
    log_in(page, live_server.url, "reviewer", "pw")
    page.goto(f"{live_server.url}/admin/reviews/")
    pane_shows(page, "First in line")

    page.keyboard.press("a")
    pane_shows(page, "Second in line")
    expect(page.locator("#inbox-toast")).to_contain_text("Undo")

    page.keyboard.press("u")  # back to the review it took, as it was
    pane_shows(page, "First in line")
    expect(page.locator("#inbox-toast")).to_contain_text(
        "Undone: “First in line” awaits your decision again."
    )
    expect(page.locator(f"#inbox-row-{first_review} [data-inbox-link]")).to_be_focused()
    assert current_task_state(first).status == TaskState.STATUS_IN_PROGRESS

    page.keyboard.press("a")  # decided again, then undone with the button
    pane_shows(page, "Second in line")
    page.locator("#inbox-toast").get_by_role("button", name="Undo").click()
    pane_shows(page, "First in line")
    assert current_task_state(first).status == TaskState.STATUS_IN_PROGRESS
    assert status_of(second) == "in_review"


def test_an_approval_of_a_post_changed_since_it_was_shown_is_refused_and_said(
    page: Page, live_server, api, creative, queue
):
    """The inbox loads the next review while the reviewer reads, and shows it at once after a
    decision; if its post changes meanwhile, approving what was shown is refused, and said."""
    first, second, third = queue
    second_review = current_task_state(second).pk
    log_in(page, live_server.url, "reviewer", "pw")
    with page.expect_response(re.compile(rf"/admin/reviews/{second_review}/$")):  # loaded ahead
        page.goto(f"{live_server.url}/admin/reviews/")
    pane_shows(page, "First in line")
    edited = api(creative).patch(
        f"/api/v1/posts/{second.pk}/", {"caption": "New words nobody has read."}, format="json"
    )
    assert edited.status_code == 200

    page.keyboard.press("a")
    pane_shows(page, "Second in line")
    expect(page.locator(".inbox-caption")).not_to_contain_text("New words")  # as loaded before the edit
    page.keyboard.press("a")
    pane_shows(page, "Third in line")

    toast = page.locator("#inbox-toast")
    expect(toast).to_contain_text("Not approved.")
    expect(toast).to_contain_text("has changed since you opened it")
    assert status_of(second) == "in_review"
    expect(page.locator(f"#inbox-row-{second_review} [data-inbox-link]")).to_be_visible()  # back in the queue
    toast.get_by_role("button", name="Show it").click()
    pane_shows(page, "Second in line")
    expect(page.locator(".inbox-caption")).to_contain_text("New words nobody has read.")


def test_on_a_phone_the_post_comes_first_with_its_decisions_at_hand(page: Page, live_server, queue):
    first, second, _ = queue
    page.set_viewport_size(PHONE)
    log_in(page, live_server.url, "reviewer", "pw")
    page.goto(f"{live_server.url}/admin/reviews/")
    pane_shows(page, "First in line")

    pane = page.locator("#inbox-pane").bounding_box()
    rows = page.locator("#inbox-queue").bounding_box()
    assert pane["y"] < rows["y"]  # the post, then the queue: stacked, one column
    assert abs(pane["x"] - rows["x"]) < 2 and pane["width"] <= PHONE["width"]
    # Approve and Request changes are on screen without scrolling, side by side, at the bottom.
    approve = page.locator("#inbox-approve").bounding_box()
    changes = page.locator("#inbox-changes-toggle").bounding_box()
    for button in (approve, changes):
        assert 0 <= button["y"] and button["y"] + button["height"] <= PHONE["height"]
        assert button["x"] >= 0 and button["x"] + button["width"] <= PHONE["width"]
    assert approve["y"] > PHONE["height"] / 2
    wide = page.evaluate(
        "Math.max(document.documentElement.scrollWidth, document.querySelector('#main').scrollWidth)"
    )
    assert wide <= PHONE["width"]  # nothing off the side of the screen
    page.screenshot(path=SCREENSHOTS / "review-inbox-390.png")

    first_review = current_task_state(first).pk
    page.locator("#inbox-approve").click()
    pane_shows(page, "Second in line")
    expect(page.locator(f"#inbox-row-{first_review}")).to_contain_text("✓ Approved")  # the answer came
    assert status_of(first) != "in_review"
    page.screenshot(path=SCREENSHOTS / "review-inbox-390-decided.png")


def test_o_opens_the_post(page: Page, live_server, api, draft, creative, reviewer):
    reviewer.set_password("pw")
    reviewer.save()
    post = draft(title="Open me")
    assert submit(api, creative, post).status_code == 200

    log_in(page, live_server.url, "reviewer", "pw")
    page.goto(f"{live_server.url}/admin/reviews/")
    pane_shows(page, "Open me")
    page.keyboard.press("o")

    expect(page).to_have_url(re.compile(rf"/admin/snippets/posts/post/edit/{post.pk}/$"))
