"""A client in a real browser approves a post from their review e-mail in two clicks: the post's
link in the e-mail (a magic link: signed in, on the post) and Approve."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Browser, expect

from approvals.models import ApprovalPolicy
from approvals.portal.digest import send_due_digests
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
        title="Cold brew (internal v2)",
        caption="Acme cold brew season is here. Slow-steeped for 18 hours.",
        go_live_at=(timezone.now() + dt.timedelta(days=3)).replace(microsecond=0),
    )
    post.save_revision(user=creative)
    assert submit(api, creative, post).status_code == 200
    assert decide(api, reviewer, post).status_code == 200
    send_due_digests(now=timezone.now() + dt.timedelta(minutes=15))  # the client's digest
    (message,) = [message for message in mail.outbox if message.to == [client_of_a.email]]
    links = [link for link in re.findall(r"https?://\S+", message.body) if "/portal/link/" in link]
    (to_post,) = [link for link in links if f"posts%2F{post.pk}%2F" in link]

    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(to_post)  # first click: the post's link in the e-mail
    expect(page.get_by_role("heading", name="Acme cold brew season is here")).to_be_visible()
    approve = page.get_by_role("button", name="Approve", exact=True)
    approve.click()  # second click

    expect(approve).to_have_count(0)  # the decision is taken: nothing left to approve
    expect(page.locator("#decision")).to_contain_text("Approved")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "portal-approved-from-email-phone.png", full_page=True)
    assert status_of(post) == "scheduled"
