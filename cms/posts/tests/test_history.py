"""Revisions, compare and locking come from Wagtail; check they work for posts."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.images.models import Image

from cms.posts.factories import PostFactory

pytestmark = pytest.mark.django_db


def test_two_revisions_can_be_compared(login, creative, brand_a):
    post = PostFactory(brand=brand_a, caption="First words", platforms=["instagram"])
    first = post.save_revision(user=creative)
    post.caption = "Second words"
    post.platforms.set(["instagram", "x"])
    second = post.save_revision(user=creative)

    response = login(creative).get(
        reverse("wagtailsnippets_posts_post:revisions_compare", args=[post.pk, first.pk, second.pk])
    )

    assert response.status_code == 200
    changes = response.text[response.text.index("Changes") :]
    assert "Caption" in changes and "First" in changes and "Second" in changes


def test_a_locked_post_cannot_be_edited_by_someone_else(login, creative, lead, brand_a):
    post = PostFactory(brand=brand_a, title="Locked one")
    post.save_revision(user=lead)
    login(lead).post(reverse("wagtailsnippets_posts_post:lock", args=[post.pk]))
    post.refresh_from_db()
    assert post.locked and post.locked_by == lead

    response = login(creative).get(reverse("wagtailsnippets_posts_post:edit", args=[post.pk]))

    assert "locked" in response.text.lower()


def test_a_file_that_is_not_an_image_is_refused_with_a_clear_message(login, creative, brand_a):
    response = login(creative).post(
        reverse("wagtailimages:add"),
        {
            "title": "Not a picture",
            "file": SimpleUploadedFile("notes.png", b"just text", content_type="image/png"),
        },
    )

    assert response.status_code == 200
    assert "Upload a valid image" in response.text
    assert not Image.objects.filter(title="Not a picture").exists()
