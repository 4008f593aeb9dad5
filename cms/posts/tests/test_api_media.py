"""Attaching images to a post through the API: by image id, with alt text, only the post's own
brand's images; upload then attach, as docs/api.md shows."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage

from brands.factories import brand_image
from cms.posts.factories import PostFactory, add_media
from cms.posts.models import Post

pytestmark = pytest.mark.django_db

POSTS = "/api/v1/posts/"


def test_a_post_is_created_with_its_images_in_order(api, creative, brand_a):
    first, second = brand_image(brand_a, title="One"), brand_image(brand_a, title="Two")
    answer = api(creative).post(
        POSTS,
        {
            "brand": brand_a.pk,
            "caption": "New beans",
            "platforms": ["instagram"],
            "media": [
                {"image": second.pk, "alt_text": "A bag of beans"},
                {"image": first.pk, "alt_text": "A cup"},
            ],
        },
        format="json",
    )

    assert answer.status_code == 201, answer.content
    assert answer.json()["media"] == [
        {"image": second.pk, "alt_text": "A bag of beans"},
        {"image": first.pk, "alt_text": "A cup"},
    ]
    post = Post.objects.get()
    assert [(m.image_id, m.alt_text) for m in post.media.order_by("sort_order")] == [
        (second.pk, "A bag of beans"),
        (first.pk, "A cup"),
    ]
    assert [m["image"] for m in post.latest_revision.content["media"]] == [second.pk, first.pk]


def test_patching_media_replaces_them_and_leaves_them_alone_otherwise(api, creative, brand_a):
    post = PostFactory(brand=brand_a, caption="Old")
    old, new = brand_image(brand_a, title="Old"), brand_image(brand_a, title="New")
    add_media(post, [old])
    post.save_revision(user=creative)

    kept = api(creative).patch(f"{POSTS}{post.pk}/", {"caption": "Newer"}, format="json")
    assert kept.status_code == 200 and [m["image"] for m in kept.json()["media"]] == [old.pk]

    replaced = api(creative).patch(
        f"{POSTS}{post.pk}/", {"media": [{"image": new.pk, "alt_text": "The new photo"}]}, format="json"
    )
    assert replaced.status_code == 200, replaced.content
    assert replaced.json()["media"] == [{"image": new.pk, "alt_text": "The new photo"}]
    assert list(Post.objects.get(pk=post.pk).media.values_list("image_id", flat=True)) == [new.pk]

    emptied = api(creative).patch(f"{POSTS}{post.pk}/", {"media": []}, format="json")
    assert emptied.status_code == 200 and emptied.json()["media"] == []


def test_another_brands_image_is_a_400_and_nothing_changes(api, creative, brand_a, brand_b):
    post = PostFactory(brand=brand_a, caption="Ours")
    post.save_revision(user=creative)
    theirs = brand_image(brand_b, title="Theirs")
    revisions = post.revisions.count()

    answer = api(creative).patch(
        f"{POSTS}{post.pk}/", {"media": [{"image": theirs.pk, "alt_text": "Not ours"}]}, format="json"
    )

    assert answer.status_code == 400
    assert answer.json() == {"media": [f"Image {theirs.pk} is not one of {brand_a}’s images."]}
    assert not post.media.exists() and post.revisions.count() == revisions
    created = api(creative).post(
        POSTS,
        {
            "brand": brand_a.pk,
            "caption": "x",
            "platforms": ["x"],
            "media": [{"image": theirs.pk, "alt_text": "Not ours"}],
        },
        format="json",
    )
    assert created.status_code == 400 and "media" in created.json()
    assert Post.objects.count() == 1


@pytest.mark.parametrize(
    "media",
    [
        [{"image": 999999, "alt_text": "Nothing"}],
        [{"image": 99999999999999999999, "alt_text": "Past the id column"}],  # was a 500 (an attack)
        [{"alt_text": "No image"}],
        [{"image": "one", "alt_text": "Not an id"}],
        [{"image": 1}],
        [{"image": 1, "alt_text": "   "}],
        "not a list",
    ],
)
def test_bad_media_is_a_400_naming_media(api, creative, brand_a, media):
    brand_image(brand_a)
    answer = api(creative).post(
        POSTS, {"brand": brand_a.pk, "caption": "x", "platforms": ["x"], "media": media}, format="json"
    )
    assert answer.status_code == 400 and "media" in answer.json(), answer.content
    assert not Post.objects.exists()


def test_upload_then_attach_as_the_docs_show(api, creative, brand_a):
    buffer = io.BytesIO()
    PILImage.effect_noise((1080, 1080), 60).convert("RGB").save(buffer, "JPEG")
    uploaded = api(creative).post(
        "/api/v1/images/",
        {"brand": brand_a.pk, "file": SimpleUploadedFile("beans.jpg", buffer.getvalue())},
        format="multipart",
    )
    assert uploaded.status_code == 201
    post = (
        api(creative)
        .post(POSTS, {"brand": brand_a.pk, "caption": "Beans", "platforms": ["instagram"]}, format="json")
        .json()
    )

    attached = api(creative).patch(
        f"{POSTS}{post['id']}/",
        {"media": [{"image": uploaded.json()["id"], "alt_text": "Roasted beans on a tray"}]},
        format="json",
    )

    assert attached.status_code == 200
    assert attached.json()["media"] == [
        {"image": uploaded.json()["id"], "alt_text": "Roasted beans on a tray"}
    ]
