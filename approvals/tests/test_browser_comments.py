"""A reviewer comments on words of a caption in a real browser; the author sees it and resolves it."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from approvals.comments import add_comment
from approvals.models import ReviewComment
from approvals.services import request_changes, submit_post
from brands.factories import brand_image
from cms.posts.factories import PostFactory, add_media
from cms.posts.models import Post
from cms.posts.tests.test_browser_drafting import log_in

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
CAPTION = "Our 🔥 roast is cheap today. Grab one on the way in! #AcmeCoffee"

# As in the drafting test: the live server runs real transactions, so the test database is emptied
# afterwards and serialized_rollback puts back what the migrations created.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_reviewer_comments_on_a_caption_span_and_the_author_resolves_it(
    page: Page, live_server, creative, reviewer, brand_a
):
    reviewer.first_name, reviewer.last_name = "Rita", "Reviewer"
    reviewer.save()
    post = PostFactory(brand=brand_a, created_by=creative, title="Monday roast", caption=CAPTION)
    latte = brand_image(brand_a, title="Latte art", colour=(150, 100, 60))
    add_media(post, [latte])
    post.save_revision(user=creative)
    submit_post(post=post, user=creative)
    revision_before = Post.objects.get(pk=post.pk).latest_revision_id
    base_url = live_server.url
    edit = f"{base_url}/admin/snippets/posts/post/edit/{post.pk}/"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    # The reviewer selects "cheap" with the keyboard: the emoji before it is one arrow press.
    log_in(page, base_url, "reviewer", "pw")
    page.goto(edit)
    panel = page.locator("#signoff-comments")
    expect(panel).to_contain_text("No open comments.")
    caption = page.locator("#id_caption")
    caption.focus()
    page.keyboard.press("Control+Home")
    start = CAPTION.index("cheap")  # 15 code points in; the textarea counts 16 UTF-16 units
    for _ in range(start):
        page.keyboard.press("ArrowRight")
    for _ in range(len("cheap")):
        page.keyboard.press("Shift+ArrowRight")
    expect(caption).to_have_js_property("selectionStart", start + 1)

    page.keyboard.press("Control+Alt+KeyM")  # "Comment on selection", without leaving the caption
    expect(panel.locator("[data-selection-quote]")).to_have_text("Selected: cheap")
    body = panel.get_by_label("Comment", exact=True)
    expect(body).to_be_focused()
    page.keyboard.type("Say “great value” — cheap sounds off-brand.")
    page.screenshot(path=SCREENSHOTS / "comments-reviewer-selecting.png", full_page=True)
    page.keyboard.press("Control+Enter")  # sends it, like the Add comment button

    thread = panel.locator(".signoff-thread").first
    expect(thread).to_contain_text("cheap")
    expect(thread).to_contain_text("Say “great value”")
    expect(thread).to_be_focused()  # the keyboard stays where the user was
    expect(panel.get_by_role("status")).to_have_text("Comment added.")
    page.wait_for_timeout(1500)  # give Wagtail's autosave its chance: a comment must not save the post
    panel.screenshot(path=SCREENSHOTS / "comments-reviewer-added.png")

    comment = ReviewComment.objects.get(post=post)
    assert (comment.span_start, comment.span_end, comment.quote) == (start, start + 5, "cheap")
    assert Post.objects.get(pk=post.pk).latest_revision_id == revision_before

    # The reviewer also says something about the photo, then sends the post back; the author opens it.
    add_comment(post=post, user=reviewer, body="Crop tighter on the cup.", anchor="image", image_id=latte.pk)
    task_state = Post.objects.get(pk=post.pk).current_workflow_task_state
    request_changes(task_state=task_state, user=reviewer, reason="tone", comment="Warmer, less salesy.")
    page.context.clear_cookies()
    log_in(page, base_url, "creative", "pw")
    page.goto(edit)
    panel = page.locator("#signoff-comments")
    expect(panel).to_contain_text("Changes requested: Tone of voice")
    expect(panel).to_contain_text("Warmer, less salesy.")
    expect(panel).to_contain_text("Rita Reviewer")
    expect(panel.locator(".signoff-thread").first).to_contain_text("Say “great value”")
    expect(panel.locator(".signoff-thread").nth(1).get_by_role("img", name="Latte art")).to_be_visible()
    expect(panel.get_by_role("button", name="Comment on selection")).to_have_count(0)
    page.screenshot(path=SCREENSHOTS / "comments-author-sees-them.png")

    first = panel.locator(".signoff-thread").first
    first.get_by_label(re.compile("^Reply to")).fill("Changed to “great value”, thanks!")
    first.get_by_role("button", name="Resolve").focus()
    page.keyboard.press("Enter")

    expect(panel.get_by_role("status")).to_have_text("Comment resolved.")
    expect(panel).to_contain_text("Open comments (1)")
    resolved = panel.locator("details.signoff-comments__resolved")
    expect(resolved.locator("summary")).to_have_text("Resolved (1)")
    resolved.locator("summary").click()
    expect(resolved).to_contain_text("Changed to “great value”, thanks!")
    panel.screenshot(path=SCREENSHOTS / "comments-author-resolved.png")

    comment.refresh_from_db()
    assert comment.resolved_by == creative


def test_without_javascript_the_panel_still_works(browser, live_server, creative, reviewer, brand_a):
    post = PostFactory(brand=brand_a, created_by=creative, title="Monday roast", caption=CAPTION)
    post.save_revision(user=creative)
    base_url = live_server.url
    edit = f"{base_url}/admin/snippets/posts/post/edit/{post.pk}/"
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    log_in(page, base_url, "reviewer", "pw")
    page.goto(edit)
    panel = page.locator("#signoff-comments")
    expect(panel.get_by_role("button", name="Comment on selection")).to_be_hidden()  # it needs JavaScript

    # Nothing written: the panel comes back on a page of its own saying so.
    panel.get_by_role("button", name="Add comment").click()
    expect(page.locator(".error-message")).to_contain_text("Write a comment first")
    page.screenshot(path=SCREENSHOTS / "comments-no-js-error.png")

    page.get_by_label("Comment", exact=True).fill("Post this on Friday instead?")
    page.get_by_role("button", name="Add comment").click()

    expect(page).to_have_url(edit + "#signoff-comments")
    expect(page.locator(".messages")).to_contain_text("Comment added.")
    expect(page.locator("#signoff-comments .signoff-thread")).to_contain_text("Post this on Friday instead?")
    assert ReviewComment.objects.get(post=post).anchor == "post"
    context.close()
