"""Clients know a post by its caption's first line, never by the agency's internal title ("(first
draft)", "v2") — on every portal page and in every message the portal shows them."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from approvals.tests.helpers import current_task_state
from cms.posts.models import Post, PostFormat, client_title

from .helpers import at_client_tier, client_signs_off, published, scheduled, went_out

pytestmark = pytest.mark.django_db

INTERNAL = "Flash sale (first draft) v2"
CAPTION = "Our autumn sale starts Friday! 20% off every bag.\n#ad #coffee"
SHOWN = "Our autumn sale starts Friday!"


@pytest.mark.parametrize(
    ("caption", "title"),
    [
        (CAPTION, SHOWN),
        (
            "\n\n  Cupping evening at the roastery, Thursday 6–8pm: three new lots",
            "Cupping evening at the roastery, Thursday 6–8pm",
        ),
        ("New on the shelf: Ethiopia Yirgacheffe", "New on the shelf: Ethiopia Yirgacheffe"),
        ("Our winter blend is back.", "Our winter blend is back"),
        ("word " * 30, "word word word word word word word word word word word word word…"),
        ("", "Story without a caption"),
    ],
)
def test_a_posts_client_title_is_the_first_sentence_of_its_caption(caption, title):
    assert client_title(caption, PostFormat.STORY) == title


@pytest.fixture
def posts(brand_a, creative, reviewer):
    """One post of brand A in each state a client sees, all with the same internal title."""
    client_signs_off(brand_a)
    soon = timezone.now() + dt.timedelta(days=1)
    posts = {
        "awaiting": at_client_tier(
            brand_a, creative, reviewer, title=INTERNAL, caption=CAPTION, go_live_at=soon
        ),
        "scheduled": scheduled(brand_a, INTERNAL, caption=CAPTION, at=soon),
        "published": published(brand_a, INTERNAL, caption=CAPTION),
    }
    went_out(posts["published"])
    return posts


def test_no_portal_page_shows_the_internal_title(login, client_of_a, posts):
    client = login(client_of_a)
    pages = [
        reverse("portal:dashboard"),
        reverse("portal:upcoming"),
        reverse("portal:calendar"),
        reverse("portal:calendar") + "?view=week",
        reverse("portal:archive"),
        *(reverse("portal:post-detail", args=[post.pk]) for post in posts.values()),
        *(reverse("portal:post-preview", args=[post.pk, "facebook"]) for post in posts.values()),
    ]
    for url in pages:
        page = client.get(url).text
        assert "first draft" not in page, url
    for url in pages[:5]:
        assert SHOWN in client.get(url).text, url


def test_refusals_name_the_post_as_the_client_knows_it(login, client_of_a, posts, creative):
    post = posts["awaiting"]
    seen = Post.objects.get(pk=post.pk).latest_revision_id
    task_state = current_task_state(post)
    edited = Post.objects.get(pk=post.pk)
    edited.caption = CAPTION + " Now with free shipping."
    edited.save()
    edited.save_revision(user=creative)
    client = login(client_of_a)

    from_queue = client.post(
        reverse("portal:bulk-approve"), {"review": f"{task_state.pk}:{seen}"}, follow=True
    )
    from_page = client.post(
        reverse("portal:post-approve", args=[post.pk]),
        {"task_state": task_state.pk, "revision": seen},
        follow=True,
    )

    assert f"“{SHOWN}”: This post has changed since you opened it." in from_queue.text
    assert "This post has changed since you opened it." in from_page.text
    assert "first draft" not in from_queue.text + from_page.text
