"""No admin page logs a console error: the main pages of the agency's admin, opened in Chromium as
a junior, a senior and a lead, each with a post in review to show."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from approvals.tests.helpers import submit
from brands.factories import brand_image
from cms.posts.factories import PostFactory, add_media
from cms.posts.tests.test_browser_drafting import SCREENSHOTS, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

DESK = {"width": 1440, "height": 900}


@pytest.fixture
def post_in_review(api, creative, brand_a):
    post = PostFactory(brand=brand_a, created_by=creative, platforms=["instagram", "facebook"])
    add_media(post, [brand_image(brand_a, title="Latte art")])
    post.save_revision(user=creative)
    assert submit(api, creative, post).status_code == 200
    return post


def main_pages(post) -> dict[str, str]:
    return {
        "dashboard": "/admin/",
        "posts": reverse("wagtailsnippets_posts_post:list"),
        "new post": reverse("wagtailsnippets_posts_post:add"),
        "edit post": reverse("wagtailsnippets_posts_post:edit", args=[post.pk]),
        "history": reverse("wagtailsnippets_posts_post:history", args=[post.pk]),
        "inbox": reverse("approvals_inbox"),
        "calendar": reverse("agency_calendar"),
        "publishing": reverse("archive_publishing"),
        "images": reverse("wagtailimages:index"),
        "account": reverse("wagtailadmin_account"),
    }


@pytest.mark.parametrize("role", ["creative", "reviewer", "lead"])
def test_no_main_admin_page_logs_a_console_error(page: Page, live_server, request, role, post_in_review):
    user = request.getfixturevalue(role)
    user.set_password("pw")
    user.save()
    errors = []
    page.on(
        "console",
        lambda message: errors.append(f"{page.url}: {message.text}") if message.type == "error" else None,
    )
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    page.set_viewport_size(DESK)
    log_in(page, live_server.url, user.username, "pw")

    for name, path in main_pages(post_in_review).items():
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None and response.status < 400, f"{name}: {response and response.status}"
        page.wait_for_load_state("networkidle")
        if name == "edit post" and role == "creative":
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=SCREENSHOTS / "editor-kit-beside-caption-1440.png")

    assert errors == [], "\n".join(errors)
