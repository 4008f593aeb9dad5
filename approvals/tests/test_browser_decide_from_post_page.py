"""A senior decides from the post page, where every review e-mail leads, in a real browser."""

import re

import pytest
from playwright.sync_api import Page, expect

from approvals.models import ReviewDecision
from cms.posts.models import Post
from cms.posts.services import update_post
from cms.posts.tests.test_browser_drafting import SCREENSHOTS, log_in

from .helpers import edit_url, status_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def senior(reviewer):
    reviewer.set_password("pw")
    reviewer.save()
    return reviewer


def open_from_the_email(page: Page, base_url: str, post) -> None:
    log_in(page, base_url, "reviewer", "pw")
    page.goto(base_url + edit_url(post))  # the review e-mail's "Review the post"
    expect(page.locator("#id_title")).to_have_value(post.title)


def test_a_senior_approves_from_the_post_page_in_one_click(page: Page, live_server, senior, in_review):
    open_from_the_email(page, live_server.url, in_review)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "post-page-decider.png", full_page=True)

    page.locator("footer").get_by_role("button", name="Approve", exact=True).click()

    expect(page.locator(".messages")).to_contain_text(f"Approved “{in_review.title}”")
    page.screenshot(path=SCREENSHOTS / "post-page-approved.png", full_page=True)
    assert ReviewDecision.objects.get().user == senior
    assert status_of(in_review) != "in_review"


def test_enter_in_a_one_line_field_never_decides(page: Page, live_server, senior, in_review):
    open_from_the_email(page, live_server.url, in_review)
    posted = []
    page.on("request", lambda request: posted.append(request.url) if request.method == "POST" else None)

    for field in ("#id_title", "#id_campaign", "#id_cta_label"):
        page.locator(field).click()
        page.keyboard.press("Enter")
    page.wait_for_timeout(1500)  # time for a submission to start, if one were going to

    assert not [url for url in posted if url.endswith(edit_url(in_review))]
    expect(page).to_have_url(re.compile(re.escape(edit_url(in_review)) + "$"))
    assert not ReviewDecision.objects.exists()
    assert status_of(in_review) == "in_review"
    # The buttons still work by click.
    page.locator("footer").get_by_role("button", name="Approve", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Approved")


def test_a_post_saved_after_the_page_was_opened_is_not_approved_unseen(
    page: Page, live_server, senior, creative, in_review
):
    open_from_the_email(page, live_server.url, in_review)
    update_post(
        user=creative, post=Post.objects.get(pk=in_review.pk), caption="Newer words #MondayMotivation"
    )

    page.locator("footer").get_by_role("button", name="Approve", exact=True).click()

    expect(page.locator(".messages")).to_contain_text(
        "has changed since you opened it: review the new version"
    )
    expect(page.locator("#id_caption")).to_have_value("Newer words #MondayMotivation")
    page.screenshot(path=SCREENSHOTS / "post-page-changed-since-opened.png", full_page=True)
    assert not ReviewDecision.objects.exists()
    assert status_of(in_review) == "in_review"
