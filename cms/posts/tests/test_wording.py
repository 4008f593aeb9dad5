"""Signoff's words where Wagtail's would show: posts are "in review" and "submitted for
approval", never "in moderation" (locale/en/LC_MESSAGES/django.po)."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation
from wagtail.models import Workflow

from cms.posts.factories import PostFactory
from cms.posts.tests.test_editor import post_form

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["en-gb", "en", "en-us"])
@pytest.mark.parametrize(
    "wagtail_says, we_say",
    [
        ("In Moderation", "In review"),
        ("in moderation", "in review"),
        ("Submit for moderation", "Submit for approval"),
        ("This %(model_name)s is currently awaiting moderation.", "This %(model_name)s is in review."),
    ],
)
def test_wagtails_moderation_words_are_signoffs(language, wagtail_says, we_say):
    with translation.override(language):
        assert translation.gettext(wagtail_says) == we_say


def test_submitting_from_the_editor_says_submitted_for_approval(login, creative, brand_a):
    Workflow.objects.get(name="Agency approval")
    post = PostFactory(brand=brand_a, caption="Fresh roast. #AcmeCoffee")

    response = login(creative).post(
        reverse("wagtailsnippets_posts_post:edit", args=[post.pk]),
        post_form(
            brand_a, caption="Fresh roast. #AcmeCoffee", platforms=["facebook"], **{"action-submit": "Submit"}
        ),
        follow=True,
    )

    said = (
        " ".join(str(message) for message in get_messages(response.wsgi_request)) + response.content.decode()
    )
    assert "submitted for approval" in said
    assert "moderation" not in said.lower()


def test_the_listing_and_the_post_page_never_say_moderation(login, creative, brand_a, api):
    post = PostFactory(brand=brand_a)
    post.save_revision(user=creative)
    assert api(creative).post(f"/api/v1/posts/{post.pk}/submit/").status_code == 200
    client = login(creative)

    listing = client.get(reverse("wagtailsnippets_posts_post:list")).content.decode()
    page = client.get(reverse("wagtailsnippets_posts_post:edit", args=[post.pk])).content.decode()
    history = client.get(reverse("wagtailsnippets_posts_post:history", args=[post.pk])).content.decode()

    assert "In review" in listing
    for html in (listing, page, history):
        assert "moderation" not in html.lower()
