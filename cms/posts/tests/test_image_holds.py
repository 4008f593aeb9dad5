"""Images held by approvals: while a version of a post is in review, approved and waiting, live
or archived, the images it uses keep their file and focal point and can't be deleted, whatever
the path; a draft, a version sent back or withdrawn, or one replaced before it went out holds
nothing. Which images each revision uses is recorded whenever a revision is saved."""

import importlib

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.images.models import Image

from approvals.tests.conftest import draft  # noqa: F401
from approvals.tests.helpers import approved_and_live, decide, in_three_days, status_of, submit
from brands.factories import brand_image, png_bytes
from cms.archive.delivering import record_manual_post
from cms.archive.models import Delivery
from cms.posts.factories import add_media
from cms.posts.image_holds import ImageHeld, ImageInUse, held_image_ids, posts_holding
from cms.posts.models import Post, PostMedia, RevisionImage

pytestmark = pytest.mark.django_db

backfill = importlib.import_module("cms.posts.migrations.0004_revision_images")


@pytest.fixture
def photo(brand_a):
    return brand_image(brand_a, title="Launch photo")


@pytest.fixture
def other_photo(brand_a):
    return brand_image(brand_a, title="Other photo", colour=(20, 120, 200))


@pytest.fixture
def post_with(draft, creative):  # noqa: F811
    """A draft of brand A by the creative, showing `images`, saved as a revision."""

    def _post_with(*images, **fields):
        post = draft(**fields)
        add_media(post, images)
        post.save_revision(user=creative)
        return Post.objects.get(pk=post.pk)

    return _post_with


def swap_images(post, user, *images):
    """A new version of the post showing `images` instead."""
    PostMedia.objects.filter(post=post).delete()
    add_media(post, images)
    return Post.objects.get(pk=post.pk).save_revision(user=user)


def held(*images) -> set[int]:
    return held_image_ids([image.pk for image in images])


# Recording which images each revision uses -------------------------------------------------------


def test_each_revision_records_the_images_it_uses(post_with, creative, photo, other_photo):
    post = post_with(photo)
    first = post.latest_revision

    second = swap_images(post, creative, other_photo)

    assert set(RevisionImage.objects.filter(revision=first).values_list("image_id", flat=True)) == {photo.pk}
    assert set(RevisionImage.objects.filter(revision=second).values_list("image_id", flat=True)) == {
        other_photo.pk
    }


def test_a_revision_rewritten_in_place_records_its_images_again(post_with, photo, other_photo):
    revision = post_with(photo).latest_revision
    revision.content["media"][0]["image"] = other_photo.pk

    revision.save()

    assert list(RevisionImage.objects.filter(revision=revision).values_list("image_id", flat=True)) == [
        other_photo.pk
    ]


def test_the_migration_records_the_revisions_saved_before_it(post_with, creative, photo, other_photo):
    first = post_with(photo).latest_revision
    second = swap_images(Post.objects.get(pk=first.object_id), creative, other_photo, photo)
    # A revision naming an image deleted since, as old revisions can.
    second.content["media"].append({"image": 999_999, "alt_text": "Gone"})
    second.save(update_fields=["content"])
    RevisionImage.objects.all().delete()

    backfill.record_images_of_existing_revisions(apps, None)

    assert set(RevisionImage.objects.values_list("revision_id", "image_id")) == {
        (first.pk, photo.pk),
        (second.pk, other_photo.pk),
        (second.pk, photo.pk),
    }


# Which versions hold their images --------------------------------------------------------------


def test_a_draft_holds_nothing(post_with, photo):
    post_with(photo)

    assert held(photo) == set()


def test_a_post_in_review_holds_its_images(api, post_with, creative, photo):
    post = post_with(photo)

    assert submit(api, creative, post).status_code == 200

    assert held(photo) == {photo.pk}
    assert posts_holding(photo) == [post]
    assert posts_holding(photo)[0].get_status_display() == "In review"


def test_only_the_version_in_review_holds_not_earlier_drafts(api, post_with, creative, photo, other_photo):
    post = post_with(photo)
    swap_images(post, creative, other_photo)

    submit(api, creative, post)

    assert held(photo, other_photo) == {other_photo.pk}


def test_changes_requested_releases_the_images(api, post_with, creative, reviewer, photo):
    post = post_with(photo)
    submit(api, creative, post)

    response = decide(api, reviewer, post, "request-changes", reason="visual", comment="Brighter, please.")

    assert response.status_code == 200, response.content
    assert status_of(post) == "changes_requested"
    assert held(photo) == set()


def test_an_approved_post_waiting_for_its_time_holds_its_images(post_with, api, reviewer, photo):
    post = post_with(photo, go_live_at=in_three_days())

    approved_and_live(api, post, reviewer)

    assert status_of(post) == "scheduled"
    assert held(photo) == {photo.pk}


def test_a_withdrawn_post_releases_its_images(login, lead, post_with, api, reviewer, photo):
    post = post_with(photo, go_live_at=in_three_days())
    approved_and_live(api, post, reviewer)

    login(lead).post(reverse("approvals_withdraw", args=[post.pk]), {"reason": "Wrong product shot."})

    assert status_of(post) == "draft"
    assert held(photo) == set()


def test_a_live_post_holds_its_images_while_a_new_draft_drops_them(
    post_with, api, creative, reviewer, photo, other_photo
):
    post = post_with(photo)
    approved_and_live(api, post, reviewer)
    assert status_of(post) == "published"

    swap_images(post, creative, other_photo)

    assert held(photo, other_photo) == {photo.pk}


def test_what_went_out_stays_held_after_a_newer_version_replaces_it(
    post_with, api, creative, reviewer, photo, other_photo, django_capture_on_commit_callbacks
):
    post = post_with(photo)
    with django_capture_on_commit_callbacks(execute=True):
        approved_and_live(api, post, reviewer)
    for delivery in Delivery.objects.filter(post=post):
        record_manual_post(delivery=delivery, user=creative, live_url="https://facebook.example/p/1")

    swap_images(post, creative, other_photo)
    with django_capture_on_commit_callbacks(execute=True):
        approved_and_live(api, Post.objects.get(pk=post.pk), reviewer)

    assert Post.objects.get(pk=post.pk).live_revision.content["media"][0]["image"] == other_photo.pk
    assert held(photo, other_photo) == {photo.pk, other_photo.pk}  # the first in the archive


# The model refuses, whatever the path -------------------------------------------------------------


@pytest.fixture
def held_photo(api, post_with, creative, photo):
    submit(api, creative, post_with(photo))
    return Image.objects.get(pk=photo.pk)


def test_a_held_images_file_and_focal_point_cannot_change(held_photo):
    name = held_photo.file.name
    held_photo.file.save("replacement.png", ContentFile(png_bytes(colour=(0, 0, 0))), save=False)
    with pytest.raises(ImageHeld, match="in review, approved or published"):
        held_photo.save()

    moved = Image.objects.get(pk=held_photo.pk)
    moved.focal_point_x, moved.focal_point_y, moved.focal_point_width, moved.focal_point_height = 10, 10, 5, 5
    with pytest.raises(ImageHeld):
        moved.save()

    assert Image.objects.get(pk=held_photo.pk).file.name == name
    assert Image.objects.get(pk=held_photo.pk).focal_point_x is None


def test_a_held_images_title_and_tags_still_change(held_photo):
    held_photo.title = "Launch photo (final)"
    held_photo.save()
    held_photo.tags.add("launch")

    assert Image.objects.get(pk=held_photo.pk).title == "Launch photo (final)"


def test_a_held_image_cannot_be_deleted_even_in_bulk(post_with, api, creative, reviewer, photo, other_photo):
    """Held by the live version only: the new draft shows another picture, so no media row of
    the post keeps it any more."""
    post = post_with(photo)
    approved_and_live(api, post, reviewer)
    swap_images(post, creative, other_photo)
    spare = brand_image(photo.collection.brand, title="Spare")

    with pytest.raises(ImageHeld):
        Image.objects.get(pk=photo.pk).delete()
    with pytest.raises(ImageHeld):
        Image.objects.filter(pk__in=[spare.pk, photo.pk]).delete()

    # Refused before anything was deleted: the caller's transaction goes on.

    assert Image.objects.filter(pk__in=[spare.pk, photo.pk]).count() == 2


def test_an_image_no_version_holds_can_still_be_deleted(
    api, post_with, creative, creative_photo_of_old_version
):
    """The old version's picture, replaced before it was ever submitted."""
    post, old, _ = creative_photo_of_old_version
    submit(api, creative, post)

    Image.objects.get(pk=old.pk).delete()

    assert not Image.objects.filter(pk=old.pk).exists()


def test_an_image_in_a_drafts_media_stays_protected(post_with, photo):
    """Not held (a draft), but the post's media row still keeps it, saying which post."""
    post_with(photo)

    with pytest.raises(ImageInUse):
        Image.objects.get(pk=photo.pk).delete()


@pytest.fixture
def creative_photo_of_old_version(post_with, creative, photo, other_photo):
    """A post whose first draft showed `photo` and whose current version shows `other_photo`."""
    post = post_with(photo)
    swap_images(post, creative, other_photo)
    return Post.objects.get(pk=post.pk), photo, other_photo
