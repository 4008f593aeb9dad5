"""The post editor's query budget: the edit and new-post pages read a fixed number of rows,
whatever the post's history or the number of posts around it (issue 14, item 8)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from approvals.services import submit_post
from cms.posts.factories import PostFactory

pytestmark = pytest.mark.django_db

# On the demo at the time of writing: 52 (a draft, its author), 64 (in review, its reviewer), 30 (new post).
# Before the edit view read its post and workflow once: 76 and about 100.
EDIT_BUDGET = 66
NEW_POST_BUDGET = 35


def queries_for(client, url) -> tuple[int, str]:
    client.get(url)  # warm: caches, renditions and the editing session made on first sight
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.text


def drafted(brand, by, title="Draft"):
    post = PostFactory(brand=brand, created_by=by, title=title)
    post.save_revision(user=by)
    return post


def grow(brand, by, post, *, revisions=15, others=25):
    """Give `post` a longer history and put many more posts beside it."""
    for n in range(revisions):
        post.caption = f"Edit {n} #AcmeCoffee"
        post.save_revision(user=by)
    for n in range(others):
        other = drafted(brand, by, title=f"Other {n}")
        if n % 2:
            submit_post(post=other, user=by)


def test_the_edit_page_of_a_draft_takes_the_same_queries_however_long_its_history(login, creative, brand_a):
    post = drafted(brand_a, creative)
    grow(
        brand_a, creative, post, revisions=1, others=1
    )  # (Wagtail reads one row more from a 2nd revision on)
    client = login(creative)
    url = reverse("wagtailsnippets_posts_post:edit", args=[post.pk])
    one, _ = queries_for(client, url)

    grow(brand_a, creative, post)
    many, page = queries_for(client, url)

    assert many == one <= EDIT_BUDGET
    assert "Edit 14 #AcmeCoffee" in page  # the latest version, as before


def test_the_reviewers_edit_page_takes_the_same_queries_and_still_offers_the_decision(
    login, creative, reviewer, brand_a
):
    post = drafted(brand_a, creative, title="Awaiting review")
    submit_post(post=post, user=creative)
    client = login(reviewer)
    url = reverse("wagtailsnippets_posts_post:edit", args=[post.pk])
    one, _ = queries_for(client, url)

    grow(brand_a, creative, drafted(brand_a, creative, title="Another"), revisions=5)
    many, page = queries_for(client, url)

    assert many == one <= EDIT_BUDGET
    assert "Approve" in page and "Request changes" in page


def test_the_authors_page_of_a_post_in_review_offers_no_decision(login, creative, brand_a):
    post = drafted(brand_a, creative, title="Mine in review")
    submit_post(post=post, user=creative)

    _, page = queries_for(login(creative), reverse("wagtailsnippets_posts_post:edit", args=[post.pk]))

    assert "Request changes" not in page  # the four-eyes rule, read from the state read once


def test_the_new_post_page_takes_the_same_queries_for_1_and_many_posts(login, creative, brand_a):
    drafted(brand_a, creative)
    client = login(creative)
    url = reverse("wagtailsnippets_posts_post:add")
    one, _ = queries_for(client, url)

    grow(brand_a, creative, drafted(brand_a, creative, title="Another"), revisions=2)
    many, _ = queries_for(client, url)

    assert many == one <= NEW_POST_BUDGET


def test_the_revert_page_still_shows_the_version_to_go_back_to(login, creative, brand_a):
    # The revert view is Wagtail's RevisionsRevertMixin on top of the edit view: reading the post
    # once must still read the chosen revision, not the latest.
    post = drafted(brand_a, creative)
    post.caption = "The old words #AcmeCoffee"
    old = post.save_revision(user=creative)
    post.caption = "The new words #AcmeCoffee"
    post.save_revision(user=creative)

    url = reverse("wagtailsnippets_posts_post:revisions_revert", args=[post.pk, old.pk])
    page = login(creative).get(url).text

    assert "The old words" in page and "The new words" not in page
