"""A client in a real browser approves a post from the review e-mail in two clicks: the e-mail's
button (a magic link: signed in, on the post) and Approve."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Browser, expect

from approvals.models import ApprovalPolicy
from approvals.tests.helpers import decide, status_of, submit
from cms.posts.factories import PostFactory

SCREENSHOTS = Path(settings.BASE_DIR) / "test-results" / "screenshots"

# The live server commits for real, so the test database is emptied afterwards; serialized_rollback
# puts back what the migrations created for the browser tests that come after.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_client_approves_from_the_email_in_two_clicks(
    browser: Browser, live_server, settings, api, creative, reviewer, client_of_a, brand_a
):
    settings.WAGTAILADMIN_BASE_URL = live_server.url  # the e-mail's links point at this server
    ApprovalPolicy.objects.filter(brand=brand_a).update(client_approval_required=True)
    post = PostFactory(
        brand=brand_a,
        created_by=creative,
        title="Acme cold brew season",
        go_live_at=(timezone.now() + dt.timedelta(days=3)).replace(microsecond=0),
    )
    post.save_revision(user=creative)
    assert submit(api, creative, post).status_code == 200
    assert decide(api, reviewer, post).status_code == 200
    (message,) = [message for message in mail.outbox if message.to == [client_of_a.email]]
    (button,) = [link for link in re.findall(r"https?://\S+", message.body) if "/portal/link/" in link]

    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(button)  # first click: the e-mail’s button
    expect(page.get_by_role("heading", name="Acme cold brew season")).to_be_visible()
    approve = page.get_by_role("button", name="Approve", exact=True)
    approve.click()  # second click

    expect(approve).to_have_count(0)  # the decision is taken: nothing left to approve
    expect(page.locator("#decision")).to_contain_text("Approved")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "portal-approved-from-email-phone.png", full_page=True)
    assert status_of(post) == "scheduled"
