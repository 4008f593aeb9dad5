"""The image chooser of a post (brands/image_chooser.py): opened for the post's brand, it lists
that brand's images and its upload tab puts a new picture in that brand's collection only; a
brand the user doesn't work on is not found. Wagtail's own chooser, which the post no longer
opens, still uploads only into the user's own brands."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.images.models import Image

from brands.factories import UserFactory, brand_image, membership, png_bytes
from brands.models import BrandRole
from cms.posts.factories import PostFactory

pytestmark = pytest.mark.django_db

UPLOAD_PREFIX = "image-chooser-upload"


@pytest.fixture
def two_brand_creative(brand_a, brand_b):
    """A creative on both brands: the one whose upload could land in the wrong collection."""
    user = UserFactory(username="both")
    membership(user, brand_a, BrandRole.CREATIVE)
    membership(user, brand_b, BrandRole.CREATIVE)
    return user


def choose_url(brand=None, view="choose"):
    url = reverse(f"brand_image_chooser:{view}")
    return url if brand is None else f"{url}?brand={brand.pk}"


def upload(client, url, *, collection=None, title="Flat white"):
    data = {
        f"{UPLOAD_PREFIX}-title": title,
        f"{UPLOAD_PREFIX}-file": SimpleUploadedFile("cup.png", png_bytes(colour=(90, 60, 30)), "image/png"),
    }
    if collection is not None:
        data[f"{UPLOAD_PREFIX}-collection"] = collection.pk
    return client.post(url, data)


def modal_html(response) -> str:
    return response.json()["html"]


# Uploading ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("chooser", ["wagtailimages_chooser", "brand_image_chooser"])
def test_a_creative_of_brand_a_cannot_upload_into_brand_bs_collection(
    login, creative, brand_a, brand_b, chooser
):
    """Naming B's collection in the form, or B as the chooser's brand: nothing lands in B.
    (Wagtail's chooser ignores `brand`; ours doesn't find it.)"""
    client = login(creative)
    url = reverse(f"{chooser}:create")

    named_collection = upload(client, url, collection=brand_b.collection)
    named_brand = upload(client, f"{url}?brand={brand_b.pk}", collection=brand_b.collection)

    assert named_collection.status_code == 200
    assert named_brand.status_code == (404 if chooser == "brand_image_chooser" else 200)
    assert not Image.objects.filter(collection=brand_b.collection).exists()
    assert set(Image.objects.values_list("collection_id", flat=True)) == {brand_a.collection_id}


def test_the_posts_chooser_uploads_into_the_posts_brand_whatever_the_form_says(
    login, two_brand_creative, brand_a, brand_b
):
    client = login(two_brand_creative)

    response = upload(client, choose_url(brand_a, "create"), collection=brand_b.collection)

    assert response.status_code == 200
    assert response.json()["step"] == "chosen"
    assert Image.objects.get().collection_id == brand_a.collection_id


def test_the_upload_tab_offers_no_collection_when_the_brand_decides_it(login, two_brand_creative, brand_a):
    client = login(two_brand_creative)

    for_post = modal_html(client.get(choose_url(brand_a)))
    plain = modal_html(client.get(reverse("wagtailimages_chooser:choose")))

    assert f'name="{UPLOAD_PREFIX}-file"' in for_post
    assert f'name="{UPLOAD_PREFIX}-collection"' not in for_post
    assert f'name="{UPLOAD_PREFIX}-collection"' in plain  # Wagtail's: both of their brands
    # The upload tab posts back to the brand's chooser.
    assert f'action="{choose_url(brand_a, "create")}"' in for_post


def test_no_upload_tab_where_the_user_may_not_upload(login, brand_a, brand_b):
    """A creative on A who only reviews on B may choose B's images, not add to them."""
    user = UserFactory(username="mixed")
    membership(user, brand_a, BrandRole.CREATIVE)
    membership(user, brand_b, BrandRole.REVIEWER)
    client = login(user)

    modal = modal_html(client.get(choose_url(brand_b)))
    sent_anyway = upload(client, choose_url(brand_b, "create"))

    assert f'name="{UPLOAD_PREFIX}-file"' not in modal
    assert sent_anyway.status_code in (302, 403)
    assert not Image.objects.exists()


def test_a_duplicate_of_another_brands_image_reveals_nothing(login, creative, brand_a, brand_b):
    """Wagtail offers an existing copy of an upload; never one the user may not see."""
    brand_image(brand_b, title="Borealis secret prototype", colour=(90, 60, 30))
    client = login(creative)

    response = upload(client, choose_url(brand_a, "create"))

    assert response.json()["step"] == "chosen"
    assert "Borealis" not in json.dumps(response.json())


# Choosing -------------------------------------------------------------------------------------------


def test_the_posts_chooser_lists_only_the_posts_brands_images(login, two_brand_creative, brand_a, brand_b):
    brand_image(brand_a, title="Acme flat white")
    brand_image(brand_b, title="Borealis saddle")
    client = login(two_brand_creative)

    modal = modal_html(client.get(choose_url(brand_a)))
    results = client.get(choose_url(brand_a, "choose_results") + "&q=saddle").content.decode()
    plain = modal_html(client.get(reverse("wagtailimages_chooser:choose")))

    assert "Acme flat white" in modal and "Borealis saddle" not in modal
    assert "Borealis saddle" not in results
    assert "Borealis saddle" in plain  # their own brand: Wagtail's chooser shows both


@pytest.mark.parametrize("view", ["choose", "choose_results", "create"])
def test_a_brand_the_user_does_not_work_on_is_not_found(login, creative, brand_b, view):
    client = login(creative)

    response = client.get(choose_url(brand_b, view))
    nonsense = client.get(reverse(f"brand_image_chooser:{view}") + "?brand=abc")

    assert response.status_code == 404
    assert nonsense.status_code == 404
    assert "Borealis" not in response.content.decode()


def test_the_post_editor_opens_the_chooser_of_the_posts_brand(login, creative, brand_a):
    post = PostFactory(brand=brand_a, created_by=creative)
    post.save_revision(user=creative)

    page = login(creative).get(reverse("wagtailsnippets_posts_post:edit", args=[post.pk])).content.decode()

    assert reverse("brand_image_chooser:choose") in page
    assert "&quot;linkedFields&quot;: {&quot;brand&quot;: &quot;#id_brand&quot;}" in page or (
        '"linkedFields": {"brand": "#id_brand"}' in page
    )
    assert 'id="id_brand"' in page
