"""The review inbox's pane: everything a decision needs, on the inbox's own page, for the people
who may decide and nobody else."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from approvals.comments import add_comment
from brands.factories import brand_image
from brands.models import BannedPhrase
from cms.posts.factories import add_media
from cms.posts.models import CaptionVariant

from .helpers import current_task_state, decide, submit

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def review_url(post) -> str:
    return reverse("approvals_inbox_review", args=[current_task_state(post).pk])


@pytest.fixture
def submitted(draft, api, creative):
    def _submitted(**fields):
        post = draft(**fields)
        assert submit(api, creative, post).status_code == 200
        return post

    return _submitted


@pytest.fixture
def warn_on_coffee(brand_a):
    return BannedPhrase.objects.create(kit=brand_a.kit, phrase="coffee", suggestion="brew", severity="warn")


def test_the_caption_shows_with_its_findings_marked_and_listed(login, reviewer, submitted, warn_on_coffee):
    post = submitted(caption="Fresh coffee for Monday. #MondayMotivation")

    html = login(reviewer).get(review_url(post), **HTMX).content.decode()

    assert '<mark class="inbox-mark inbox-mark--warn"' in html
    assert ">coffee<sup" in html.replace("Coffee", "coffee")  # the span itself is marked
    assert 'id="inbox-finding-1"' in html and "brew" in html  # listed, with the suggestion
    assert "Fresh " in html and " for Monday." in html


def test_a_platforms_own_caption_shows_beside_the_main_one(login, reviewer, draft, api, creative):
    post = draft(caption="The main words.")
    post.platforms.set(["facebook", "linkedin"])
    CaptionVariant.objects.create(post=post, platform_id="linkedin", caption="Words for LinkedIn only.")
    post.save_revision(user=creative)
    assert submit(api, creative, post).status_code == 200

    html = login(reviewer).get(review_url(post), **HTMX).content.decode()

    assert "The main words." in html
    assert "Caption on LinkedIn" in html and "Words for LinkedIn only." in html


def test_the_images_show_in_order_with_their_alt_text(login, reviewer, draft, api, creative, brand_a):
    post = draft()
    add_media(
        post, [brand_image(brand_a, title="First"), brand_image(brand_a, title="Second")], alt_text="Beans"
    )
    post.save_revision(user=creative)
    assert submit(api, creative, post).status_code == 200

    html = login(reviewer).get(review_url(post), **HTMX).content.decode()

    assert "Images (2)" in html
    assert html.index("Alt text: Beans 1") < html.index("Alt text: Beans 2")
    assert html.count(".max-480x480.") == 2  # each shown, sized for the pane


def test_the_mock_ups_are_those_of_the_posts_own_platforms(login, reviewer, draft, api, creative):
    post = draft()
    post.platforms.set(["facebook", "x"])
    post.save_revision(user=creative)
    assert submit(api, creative, post).status_code == 200
    client = login(reviewer)

    html = client.get(review_url(post), **HTMX).content.decode()

    revision = post.latest_revision_id
    task_state = current_task_state(post).pk
    for mode in ("facebook", "x"):
        url = reverse("approvals_inbox_preview", args=[task_state, revision, mode])
        assert f'data-src="{url}"' in html
        frame = client.get(url)
        assert frame.status_code == 200 and frame["X-Frame-Options"] == "SAMEORIGIN"
    assert "linkedin/" not in html and "instagram_feed/" not in html


def test_the_comments_show_and_can_be_added_without_leaving_the_inbox(login, reviewer, submitted):
    post = submitted()
    add_comment(post=post, user=reviewer, body="Is the second line too long?")
    client = login(reviewer)

    html = client.get(review_url(post)).content.decode()

    assert "Is the second line too long?" in html
    assert 'id="signoff-comments-form"' in html
    assert f'name="next" value="{review_url(post)}"' in html  # without JavaScript, back here
    response = client.post(
        reverse("review_comments:comments", args=[post.pk]),
        {"target": "post", "body": "And the hashtag?", "next": review_url(post)},
    )
    assert response.status_code == 302 and response["Location"].startswith(review_url(post))


def test_what_changed_since_the_tier_last_saw_it_is_shown_word_by_word(
    login, api, reviewer, creative, submitted
):
    post = submitted(caption="Our autumn blend is here.")
    decide(api, reviewer, post, "request-changes", reason="copy", comment="Say which blend.")
    api(creative).patch(
        f"/api/v1/posts/{post.pk}/", {"caption": "Our Kiln autumn blend is here."}, format="json"
    )
    assert submit(api, creative, post).status_code == 200

    html = login(reviewer).get(review_url(post), **HTMX).content.decode()

    assert "What changed since Senior review last saw it" in html
    assert "Changes requested by you" in html and "Say which blend." in html
    assert re.search(r"<ins>\s*Kiln\s*</ins>", html)


def test_a_post_sent_back_unchanged_says_so(login, api, reviewer, creative, submitted):
    post = submitted()
    decide(api, reviewer, post, "request-changes", reason="other", comment="Check the date.")
    assert submit(api, creative, post).status_code == 200

    html = login(reviewer).get(review_url(post), **HTMX).content.decode()

    assert "Unchanged since Senior review last saw it" in html


def test_a_tiers_first_look_shows_no_comparison(login, reviewer, submitted):
    html = login(reviewer).get(review_url(submitted()), **HTMX).content.decode()

    assert "last saw it" not in html


def test_a_review_decided_meanwhile_says_by_whom(login, api, reviewer, lead, submitted):
    post = submitted()
    url = review_url(post)
    decide(api, lead, post)

    html = login(reviewer).get(url, **HTMX).content.decode()

    assert "No longer awaiting you" in html and "Already decided by" in html
    assert 'id="inbox-approve"' not in html


def test_the_empty_inbox_says_so(login, reviewer):
    html = login(reviewer).get("/admin/reviews/").content.decode()

    assert "Nothing awaits your review" in html


# Who may look --------------------------------------------------------------------------------------


def test_another_brands_reviewer_and_the_author_get_404_for_the_pane_and_the_mock_ups(
    login, outsider, creative, submitted
):
    post = submitted()
    preview = reverse(
        "approvals_inbox_preview", args=[current_task_state(post).pk, post.latest_revision_id, "facebook"]
    )

    for user in (outsider, creative):
        client = login(user)
        assert client.get(review_url(post), **HTMX).status_code == 404
        assert client.get(review_url(post)).status_code == 404
        assert client.get(preview).status_code == 404


def test_a_mock_up_of_another_posts_revision_is_not_found(
    login, reviewer, submitted, draft, brand_b, outsider
):
    mine = submitted()
    theirs = draft(brand=brand_b, by=outsider)

    response = login(reviewer).get(
        reverse(
            "approvals_inbox_preview",
            args=[current_task_state(mine).pk, theirs.latest_revision_id, "facebook"],
        )
    )

    assert response.status_code == 404


def test_client_users_never_reach_the_pane(client, client_of_a, submitted):
    post = submitted()
    client.force_login(client_of_a)

    assert client.get(review_url(post), **HTMX).status_code in (302, 403)


# Its cost -------------------------------------------------------------------------------------------


def _pane_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, **HTMX).status_code == 200
    return len(queries)


def test_the_panes_queries_do_not_grow_with_images_comments_or_findings(
    login, reviewer, draft, api, creative, brand_a, warn_on_coffee
):
    client = login(reviewer)

    def reviewed(images: int, comments: int, caption: str):
        post = draft(caption=caption)
        add_media(
            post, [brand_image(brand_a, title=f"Image {n}", width=600, height=600) for n in range(images)]
        )
        post.save_revision(user=creative)
        assert submit(api, creative, post).status_code == 200
        for n in range(comments):
            add_comment(post=post, user=reviewer, body=f"Comment {n}")
        url = review_url(post)
        client.get(url, **HTMX)  # renditions made on first sight
        return url

    small = _pane_queries(client, reviewed(1, 1, "Fresh coffee."))
    large = _pane_queries(client, reviewed(4, 6, "Coffee, coffee, coffee and more coffee."))
    assert large == small
