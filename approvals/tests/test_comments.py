"""Review comments: reviewers comment on words of the caption, on an image or on the whole post;
the author replies and resolves, in the editor's comments panel (htmx, or plain posts) and the API.

Every URL is also tried from the wrong side: people of another brand and client users get 404
(client users, who never get into the admin, are sent to its login).
"""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import ModelLogEntry

from approvals.comment_views import caption_index
from approvals.comments import add_comment, reply, resolve
from approvals.models import ReviewComment
from brands.factories import UserFactory, brand_image, membership
from brands.models import BrandRole
from cms.posts.factories import add_media

from .helpers import decide, edit_url, submit

pytestmark = pytest.mark.django_db

CAPTION = "Our 🔥 roast is cheap today. #AcmeCoffee"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def post(draft):
    return draft(caption=CAPTION)


@pytest.fixture
def reviewer_b(brand_b):
    user = UserFactory(username="reviewer_b")
    membership(user, brand_b, BrandRole.REVIEWER)
    return user


def with_images(post, *images):
    add_media(post, images)
    post.save_revision(user=post.created_by)
    return post


def comments_url(post) -> str:
    return reverse("review_comments:comments", args=[post.pk])


def action_url(comment, action) -> str:
    return reverse(f"review_comments:{action}", args=[comment.pk])


def thread_of(post) -> ReviewComment:
    return ReviewComment.objects.get(post=post, parent=None)


# Starting threads ----------------------------------------------------------------------------------


def test_a_reviewer_comments_on_words_of_the_caption_after_an_emoji(login, reviewer, post):
    # The panel's script sends code points: "🔥" is one, so "cheap" is 15–20 (in the textarea, 16–21).
    response = login(reviewer).post(
        comments_url(post),
        {"target": "caption", "span_start": 15, "span_end": 20, "quote": "cheap", "body": "Say great value."},
        **HTMX,
    )

    assert response.status_code == 200
    comment = thread_of(post)
    assert (comment.anchor, comment.span_start, comment.span_end, comment.quote) == (
        "caption",
        15,
        20,
        "cheap",
    )
    assert comment.revision == post.latest_revision
    assert comment.author == reviewer
    assert "Comment added." in response.text
    assert "Say great value." in response.text
    assert '<q class="signoff-thread__quote">cheap</q>' in response.text


def test_a_span_ending_on_an_emoji_quotes_it_whole(reviewer, post):
    comment = add_comment(
        post=post, user=reviewer, body="Too hot?", anchor="caption", span_start=4, span_end=5
    )

    assert comment.quote == "🔥"


def test_a_caption_saved_from_a_form_has_crlf_line_breaks_the_browser_does_not_count():
    caption = "Line one\r\nLine two"
    # The textarea shows "Line one\nLine two": "two" starts at 14 there, at 15 in the stored caption.
    assert caption[caption_index(caption, 14) : caption_index(caption, 17)] == "two"
    assert caption_index(caption, 8) == 8  # the line break itself starts at "\r"


def test_a_selection_across_a_line_break_is_quoted_as_stored(login, reviewer, draft):
    post = draft(caption="Line one\r\nLine two")  # typed in a browser; kept with LF (cms.posts.content)

    login(reviewer).post(
        comments_url(post),
        {"target": "caption", "span_start": 5, "span_end": 13, "quote": "one\nLine", "body": "Join these."},
        **HTMX,
    )

    assert thread_of(post).quote == "one\nLine"


def test_a_reviewer_comments_on_one_of_the_posts_images(login, reviewer, post, brand_a):
    latte, beans = brand_image(brand_a, title="Latte art"), brand_image(brand_a, title="Beans")
    with_images(post, latte, beans)

    response = login(reviewer).post(
        comments_url(post), {"target": f"image-{beans.pk}", "body": "Too dark."}, **HTMX
    )

    comment = thread_of(post)
    assert (comment.anchor, comment.image) == ("image", beans)
    assert 'class="signoff-thread__thumb"' in response.text
    assert "Image 2: Beans" in response.text  # the choices list the post's images in order


def test_a_lead_comments_on_the_whole_post(login, lead, post):
    response = login(lead).post(
        comments_url(post), {"target": "post", "body": "Post this on Friday instead?"}, **HTMX
    )

    assert thread_of(post).anchor == "post"
    assert "On the whole post" in response.text


def test_the_comment_is_bound_to_the_latest_revision_not_the_posts_row(reviewer, draft):
    post = draft(caption="Old words")
    post.caption = "New words here"
    post.save_revision(user=post.created_by)  # the row keeps "Old words" until it is published

    comment = add_comment(post=post, user=reviewer, body="Nice", anchor="caption", span_start=4, span_end=9)

    assert comment.quote == "words"
    assert comment.revision == post.latest_revision


# Clear errors that lose nothing typed ---------------------------------------------------------------


def test_a_span_outside_the_caption_is_refused_and_the_comment_is_kept(login, reviewer, post):
    response = login(reviewer).post(
        comments_url(post),
        {"target": "caption", "span_start": 30, "span_end": 300, "quote": "", "body": "My careful words"},
        **HTMX,
    )

    assert response.status_code == 200
    assert "is outside the caption, which has 39 characters" in response.text
    assert "My careful words</textarea>" in response.text
    assert not ReviewComment.objects.exists()


def test_an_empty_selection_is_refused(reviewer, post):
    with pytest.raises(Exception, match="Select at least one word"):
        add_comment(post=post, user=reviewer, body="Hm", anchor="caption", span_start=3, span_end=3)


def test_an_empty_comment_is_refused_and_the_selection_is_kept(login, reviewer, post):
    response = login(reviewer).post(
        comments_url(post),
        {"target": "caption", "span_start": 15, "span_end": 20, "quote": "cheap", "body": "   "},
        **HTMX,
    )

    assert "Write a comment first" in response.text
    assert "Selected: <q>cheap</q>" in response.text
    assert '<option value="caption" selected>' in response.text
    assert not ReviewComment.objects.exists()


def test_a_selection_of_a_caption_that_changed_since_is_refused(login, reviewer, post):
    response = login(reviewer).post(
        comments_url(post),
        {"target": "caption", "span_start": 15, "span_end": 20, "quote": "great", "body": "Hm"},
        **HTMX,
    )

    assert "The caption changed since you selected the words" in response.text
    assert not ReviewComment.objects.exists()


def test_an_image_that_is_not_in_the_post_is_refused(login, reviewer, post, brand_a, brand_b):
    in_post = brand_image(brand_a, title="Latte art")
    with_images(post, in_post)
    same_brand_not_in_post = brand_image(brand_a, title="Beans")
    foreign = brand_image(brand_b, title="Borealis summit")

    for image in [same_brand_not_in_post, foreign]:
        response = login(reviewer).post(
            comments_url(post), {"target": f"image-{image.pk}", "body": "Crop it"}, **HTMX
        )

        assert "That image is not one of this post" in response.text
        assert "Crop it</textarea>" in response.text
    assert not ReviewComment.objects.exists()


def test_without_javascript_an_error_shows_the_panel_on_its_own_page(login, reviewer, post):
    response = login(reviewer).post(
        comments_url(post), {"target": "post", "body": "", "next": edit_url(post)}
    )

    assert response.status_code == 200
    assert "Write a comment first" in response.text
    assert 'id="signoff-comments-form"' in response.text  # the form the panel posts through
    assert f'href="{edit_url(post)}"' in response.text


def test_without_javascript_a_comment_goes_back_to_the_editor(login, reviewer, post):
    response = login(reviewer).post(
        comments_url(post), {"target": "post", "body": "Lovely.", "next": edit_url(post)}
    )

    assert response.status_code == 302
    assert response["Location"] == edit_url(post) + "#signoff-comments"
    assert thread_of(post).body == "Lovely."


def test_without_javascript_replying_and_resolving_go_back_to_the_editor(login, reviewer, creative, post):
    comment = add_comment(post=post, user=reviewer, body="Hm", anchor="post")
    author = login(creative)

    replied = author.post(
        action_url(comment, "reply"), {f"reply-{comment.pk}": "On it", "next": edit_url(post)}
    )
    resolved = author.post(action_url(comment, "resolve"), {"next": edit_url(post)})

    assert replied.status_code == resolved.status_code == 302
    assert resolved["Location"] == edit_url(post) + "#signoff-comments"
    comment.refresh_from_db()
    assert comment.resolved_at is not None and comment.replies.get().body == "On it"


def test_the_panel_has_a_page_of_its_own(login, reviewer, post):
    add_comment(post=post, user=reviewer, body="Lovely light.", anchor="post")

    response = login(reviewer).get(comments_url(post))

    assert response.status_code == 200
    assert "Lovely light." in response.text
    assert 'id="signoff-comments-form"' in response.text


def test_the_next_address_must_be_ours(login, reviewer, post):
    response = login(reviewer).post(
        comments_url(post), {"target": "post", "body": "Lovely.", "next": "https://evil.example/"}
    )

    assert response["Location"] == edit_url(post) + "#signoff-comments"


# Replying and resolving --------------------------------------------------------------------------


def test_the_author_replies_and_resolves(login, reviewer, creative, post):
    comment = add_comment(
        post=post, user=reviewer, body="Say great value.", anchor="caption", span_start=15, span_end=20
    )
    author = login(creative)

    response = author.post(action_url(comment, "reply"), {f"reply-{comment.pk}": "Done, thanks!"}, **HTMX)

    assert "Reply added." in response.text
    assert "Done, thanks!" in response.text
    (answer,) = comment.replies.all()
    assert (answer.author, answer.body) == (creative, "Done, thanks!")

    response = author.post(action_url(comment, "resolve"), **HTMX)

    comment.refresh_from_db()
    assert comment.resolved_by == creative and comment.resolved_at is not None
    assert "Open comments (0)" in response.text
    assert "<summary>Resolved (1)</summary>" in response.text


def test_a_reply_typed_before_resolving_is_added_first(login, reviewer, creative, post):
    comment = add_comment(post=post, user=reviewer, body="Typo in roast?", anchor="post")

    login(creative).post(action_url(comment, "resolve"), {f"reply-{comment.pk}": "Fixed."}, **HTMX)

    comment.refresh_from_db()
    assert comment.resolved_at is not None
    assert [answer.body for answer in comment.replies.all()] == ["Fixed."]


def test_a_reply_to_a_reply_joins_its_thread(reviewer, creative, post):
    comment = add_comment(post=post, user=reviewer, body="Hm", anchor="post")
    first = reply(comment=comment, user=creative, body="Which part?")

    second = reply(comment=first, user=reviewer, body="The roast.")

    assert second.parent == comment


def test_an_empty_reply_is_refused_and_other_boxes_keep_their_text(login, reviewer, creative, post):
    one = add_comment(post=post, user=reviewer, body="One", anchor="post")
    two = add_comment(post=post, user=reviewer, body="Two", anchor="post")

    response = login(creative).post(
        action_url(one, "reply"), {f"reply-{one.pk}": " ", f"reply-{two.pk}": "Half-written"}, **HTMX
    )

    assert "Write a comment first" in response.text
    assert "Half-written</textarea>" in response.text
    assert not one.replies.exists()


def test_a_resolved_thread_can_be_reopened(login, reviewer, creative, post):
    comment = add_comment(post=post, user=reviewer, body="Hm", anchor="post")
    resolve(comment=comment, user=creative)

    response = login(reviewer).post(action_url(comment, "reopen"), **HTMX)

    comment.refresh_from_db()
    assert comment.resolved_at is None
    assert "Open comments (1)" in response.text


def test_a_creative_of_the_brand_replies_but_does_not_start_threads(login, reviewer, post, brand_a):
    other_creative = UserFactory(username="creative2")
    membership(other_creative, brand_a, BrandRole.CREATIVE)
    comment = add_comment(post=post, user=reviewer, body="Hm", anchor="post")
    client = login(other_creative)

    assert (
        client.post(action_url(comment, "reply"), {f"reply-{comment.pk}": "On it"}, **HTMX).status_code == 200
    )
    assert client.post(comments_url(post), {"target": "post", "body": "Me too"}, **HTMX).status_code == 403
    assert ReviewComment.objects.count() == 2


# From the wrong side ------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["reviewer_b", "outsider", "lead_b"])
def test_people_of_another_brand_get_404_everywhere(request, login, reviewer, post, who):
    comment = add_comment(post=post, user=reviewer, body="Internal note", anchor="post")
    client = login(request.getfixturevalue(who))

    answers = [
        client.get(comments_url(post), **HTMX),
        client.get(comments_url(post)),
        client.post(comments_url(post), {"target": "post", "body": "Sneaky"}, **HTMX),
        client.post(action_url(comment, "reply"), {f"reply-{comment.pk}": "Sneaky"}, **HTMX),
        client.post(action_url(comment, "resolve"), **HTMX),
        client.post(action_url(comment, "reopen"), **HTMX),
        client.get(edit_url(post)),
    ]

    assert [answer.status_code for answer in answers] == [404] * len(answers)
    assert ReviewComment.objects.count() == 1
    assert thread_of(post).resolved_at is None


def test_a_client_user_never_reaches_the_comments(login, reviewer, post, client_of_a):
    comment = add_comment(post=post, user=reviewer, body="Internal note", anchor="post")
    client = login(client_of_a)

    answers = [
        client.get(comments_url(post), **HTMX),
        client.post(comments_url(post), {"target": "post", "body": "Sneaky"}, **HTMX),
        client.post(action_url(comment, "reply"), {f"reply-{comment.pk}": "Sneaky"}, **HTMX),
        client.post(action_url(comment, "resolve"), **HTMX),
        client.post(action_url(comment, "reopen"), **HTMX),
    ]

    # No admin access at all: Wagtail sends them to its login.
    assert all(answer.status_code == 302 and "/admin/login/" in answer["Location"] for answer in answers)
    assert ReviewComment.objects.count() == 1


@pytest.mark.parametrize("who", ["reviewer_b", "outsider", "client_of_a"])
def test_the_api_answers_404_to_anyone_outside_the_brand(request, api, reviewer, post, who):
    comment = add_comment(post=post, user=reviewer, body="Internal note", anchor="post")
    client = api(request.getfixturevalue(who))

    answers = [
        client.get(f"/api/v1/posts/{post.pk}/comments/"),
        client.post(f"/api/v1/posts/{post.pk}/comments/", {"body": "Sneaky"}, format="json"),
        client.post(f"/api/v1/comments/{comment.pk}/replies/", {"body": "Sneaky"}, format="json"),
        client.post(f"/api/v1/comments/{comment.pk}/resolve/"),
        client.post(f"/api/v1/comments/{comment.pk}/reopen/"),
    ]

    assert [answer.status_code for answer in answers] == [404] * len(answers)
    assert ReviewComment.objects.count() == 1


# The panel in the editor ----------------------------------------------------------------------------


def test_the_author_sees_the_changes_requested_and_the_open_comments_in_the_editor(
    api, login, creative, reviewer, post
):
    reviewer.first_name, reviewer.last_name = "Rita", "Reviewer"
    reviewer.save()
    add_comment(
        post=post, user=reviewer, body="Say great value.", anchor="caption", span_start=15, span_end=20
    )
    assert submit(api, creative, post).status_code == 200
    decide(api, reviewer, post, "request-changes", reason="tone", comment="Too salesy; warmer please.")

    response = login(creative).get(edit_url(post))

    assert response.status_code == 200
    text = response.text
    assert "Changes requested: Tone of voice" in text
    assert "Too salesy; warmer please." in text
    assert "Rita Reviewer" in text
    assert "Say great value." in text
    # The panel comes first in the form, before the brand and the caption.
    assert text.index('id="signoff-comments"') < text.index('name="brand"') < text.index('name="caption"')
    assert 'id="signoff-comments-form"' in text
    assert "data-comment-on-selection" not in text  # creatives don't start threads


def test_a_reviewer_gets_the_new_comment_box_in_the_editor(login, reviewer, post):
    text = login(reviewer).get(edit_url(post)).text

    assert "data-comment-on-selection" in text
    assert 'form="signoff-comments-form"' in text


def test_a_creative_drafting_without_comments_is_not_shown_an_empty_panel(login, creative, post):
    assert 'id="signoff-comments"' not in login(creative).get(edit_url(post)).text


def test_the_add_form_has_no_comments_panel(login, reviewer, creative, brand_a):
    response = login(creative).get(reverse("wagtailsnippets_posts_post:add"))

    assert 'id="signoff-comments"' not in response.text


def test_times_show_in_the_brands_time_zone(login, reviewer, creative, post, brand_a):
    brand_a.time_zone = "America/New_York"
    brand_a.save()
    comment = add_comment(post=post, user=reviewer, body="Hm", anchor="post")
    ReviewComment.objects.filter(pk=comment.pk).update(
        created_at=dt.datetime(2025, 1, 15, 17, 30, tzinfo=dt.UTC)
    )

    response = login(creative).get(comments_url(post), **HTMX)

    assert "Wed 15 Jan, 12:30 EST" in response.text


# The post's history ---------------------------------------------------------------------------------


def test_comments_replies_and_resolving_are_in_the_posts_history(login, reviewer, creative, post):
    comment = add_comment(
        post=post, user=reviewer, body="Say great value.", anchor="caption", span_start=15, span_end=20
    )
    reply(comment=comment, user=creative, body="Done")
    resolve(comment=comment, user=creative)

    entries = ModelLogEntry.objects.filter(object_id=str(post.pk), action__startswith="signoff.comment")
    assert [(entry.action, entry.user) for entry in entries.order_by("timestamp", "pk")] == [
        ("signoff.comment_added", reviewer),
        ("signoff.comment_added", creative),
        ("signoff.comment_resolved", creative),
    ]
    assert entries.first().data == {"comment": comment.pk, "on": "caption", "excerpt": "Say great value."}

    history = login(creative).get(reverse("wagtailsnippets_posts_post:history", args=[post.pk])).text
    assert "Review comment on the caption" in history
    assert "Replied to a review comment" in history
    assert "Review comment resolved" in history


def test_resolving_twice_logs_once(reviewer, creative, post):
    comment = add_comment(post=post, user=reviewer, body="Hm", anchor="post")

    resolve(comment=comment, user=creative)
    resolve(comment=comment, user=reviewer)

    assert ModelLogEntry.objects.filter(action="signoff.comment_resolved").count() == 1


# Query budget ---------------------------------------------------------------------------------------


def test_the_panels_queries_do_not_grow_with_the_comments(login, reviewer, creative, post, brand_a):
    images = [brand_image(brand_a, title=f"Image {n}") for n in range(3)]
    with_images(post, *images)
    client = login(creative)

    def add_threads(count):
        for n in range(count):
            if n % 3 == 0:
                thread = add_comment(
                    post=post, user=reviewer, body=f"Image {n}", anchor="image", image_id=images[n % 2].pk
                )
            elif n % 3 == 1:
                thread = add_comment(
                    post=post, user=reviewer, body=f"Caption {n}", anchor="caption", span_start=0, span_end=3
                )
            else:
                thread = add_comment(post=post, user=reviewer, body=f"Post {n}", anchor="post")
            reply(comment=thread, user=creative, body=f"Reply {n}")
            if n % 4 == 1:
                resolve(comment=thread, user=creative)

    def queries() -> int:
        client.get(comments_url(post), **HTMX)  # the first look makes the thumbnails
        with CaptureQueriesContext(connection) as captured:
            response = client.get(comments_url(post), **HTMX)
        assert response.status_code == 200
        return len(captured)

    add_threads(1)  # one thread, on an image, with a reply
    with_one = queries()
    add_threads(49)
    with_fifty = queries()

    assert with_fifty == with_one
    # Reading the latest revision checks that its brand, platforms and images still exist: a few
    # queries per image of the post (three here), none per comment.
    assert with_one <= 30


# The API ---------------------------------------------------------------------------------------------


def test_the_api_lists_threads_and_starts_one_on_the_caption(api, reviewer, creative, post):
    response = api(reviewer).post(
        f"/api/v1/posts/{post.pk}/comments/",
        {"body": "Say great value.", "anchor": "caption", "span_start": 15, "span_end": 20},
        format="json",
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["anchor"], body["quote"], body["author"], body["replies"]) == (
        "caption",
        "cheap",
        "reviewer",
        [],
    )

    listing = api(creative).get(f"/api/v1/posts/{post.pk}/comments/").json()
    assert listing["count"] == 1 and listing["results"][0]["id"] == body["id"]


def test_the_api_replies_resolves_and_filters(api, reviewer, creative, post):
    comment = add_comment(post=post, user=reviewer, body="Hm", anchor="post")

    answer = api(creative).post(f"/api/v1/comments/{comment.pk}/replies/", {"body": "Fixed"}, format="json")
    resolved = api(creative).post(f"/api/v1/comments/{comment.pk}/resolve/")

    assert answer.status_code == 201 and answer.json()["body"] == "Fixed"
    assert resolved.status_code == 200
    assert resolved.json()["resolved_by"] == "creative"
    assert [item["body"] for item in resolved.json()["replies"]] == ["Fixed"]
    assert api(creative).get(f"/api/v1/posts/{post.pk}/comments/?resolved=false").json()["count"] == 0
    assert api(creative).get(f"/api/v1/posts/{post.pk}/comments/?resolved=true").json()["count"] == 1


def test_the_api_explains_bad_input(api, reviewer, creative, post):
    client = api(reviewer)
    url = f"/api/v1/posts/{post.pk}/comments/"

    out_of_range = client.post(
        url, {"body": "Hm", "anchor": "caption", "span_start": 5, "span_end": 99}, format="json"
    )
    empty = client.post(url, {"body": "", "anchor": "post"}, format="json")
    no_image = client.post(url, {"body": "Hm", "anchor": "image", "image": 999999}, format="json")
    by_creative = api(creative).post(url, {"body": "Hm"}, format="json")

    assert out_of_range.status_code == 400 and "outside the caption" in out_of_range.json()["span"][0]
    assert empty.status_code == 400 and "Write a comment first" in empty.json()["body"][0]
    assert no_image.status_code == 400 and "not one of this post's images" in no_image.json()["image"][0]
    assert by_creative.status_code == 403
