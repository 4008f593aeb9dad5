"""/api/v1/images/: upload into a brand's collection with the admin's own checks, list and read
the images of one's brands; other brands' images answer 404, clients are refused."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from rest_framework.test import APIClient
from wagtail.images.models import Image

from brands.factories import brand_image
from integrations.tokens import create_token

pytestmark = pytest.mark.django_db

URL = "/api/v1/images/"


def photo(format="JPEG", size=(800, 600)) -> bytes:
    buffer = io.BytesIO()
    PILImage.effect_noise(size, 60).convert("RGB").save(buffer, format)
    return buffer.getvalue()


def upload(client, brand, data: bytes, name="photo.jpg", **fields):
    return client.post(
        URL, {"brand": brand.pk, "file": SimpleUploadedFile(name, data), **fields}, format="multipart"
    )


def test_a_creative_uploads_an_image_into_the_brands_collection(api, creative, brand_a):
    answer = upload(api(creative), brand_a, photo(), title="Autumn beans")

    assert answer.status_code == 201, answer.content
    image = Image.objects.get(pk=answer.json()["id"])
    assert image.collection_id == brand_a.collection_id
    assert image.uploaded_by_user == creative
    assert answer.json() | {"created_at": None} == {
        "id": image.pk,
        "title": "Autumn beans",
        "brand": brand_a.pk,
        "width": 800,
        "height": 600,
        "file_size": image.file_size,
        "created_at": None,
    }


def test_the_title_defaults_to_the_file_name(api, creative, brand_a):
    answer = upload(api(creative), brand_a, photo("PNG"), name="latte-art.png")
    assert answer.status_code == 201 and answer.json()["title"] == "latte-art"


@pytest.mark.parametrize(
    "name, data, says",
    [
        ("cut.jpg", photo()[:3000], "This file is damaged or not a complete image"),
        ("tail.jpg", photo()[:-40], "This file is damaged or not a complete image"),
        ("notes.jpg", b"Meeting notes, not a picture.\n" * 20, "Upload a valid image."),
        ("photo.bmp", photo("PNG"), "Not a supported image format."),
        ("empty.jpg", b"", "The submitted file is empty."),
    ],
)
def test_what_the_admin_refuses_the_api_refuses_with_a_clear_400(api, creative, brand_a, name, data, says):
    answer = upload(api(creative), brand_a, data, name=name)

    assert answer.status_code == 400
    assert any(says in message for message in answer.json()["file"]), answer.json()
    assert not Image.objects.exists()


def test_a_file_is_required(api, creative, brand_a):
    answer = api(creative).post(URL, {"brand": brand_a.pk}, format="multipart")
    assert answer.status_code == 400 and "file" in answer.json()


def test_nobody_uploads_into_another_brand(api, creative, brand_b):
    answer = upload(api(creative), brand_b, photo())
    assert answer.status_code == 400 and "brand" in answer.json()
    assert not Image.objects.exists()


def test_a_reviewer_who_may_not_add_images_in_the_admin_may_not_here(api, reviewer, brand_a):
    assert upload(api(reviewer), brand_a, photo()).status_code == 403
    assert not Image.objects.exists()


def test_clients_are_refused(api, client_of_a, brand_a):
    brand_image(brand_a)
    assert api(client_of_a).get(URL).status_code == 403
    assert upload(api(client_of_a), brand_a, photo()).status_code == 403


def test_the_list_shows_ones_own_brands_images_filtered_by_brand(api, creative, brand_a, brand_b, admin_user):
    mine = brand_image(brand_a, title="Ours")
    theirs = brand_image(brand_b, title="Theirs")

    assert [item["id"] for item in api(creative).get(URL).json()["results"]] == [mine.pk]
    assert api(creative).get(f"{URL}{mine.pk}/").json()["brand"] == brand_a.pk
    assert api(creative).get(f"{URL}{theirs.pk}/").status_code == 404
    by_brand = api(admin_user).get(URL, {"brand": brand_b.pk}).json()
    assert [item["id"] for item in by_brand["results"]] == [theirs.pk]


def test_the_list_is_paginated_and_costs_the_same_for_1_and_50(
    api, creative, brand_a, django_assert_max_num_queries
):
    brand_image(brand_a, title="Image 0", width=8, height=8)
    with django_assert_max_num_queries(10) as one:
        api(creative).get(URL)
    for n in range(1, 51):
        brand_image(brand_a, title=f"Image {n}", width=8, height=8)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = api(creative).get(URL).json()
    assert page["count"] == 51 and len(page["results"]) == 50 and page["next"]


def test_a_read_only_token_lists_but_cannot_upload(creative, brand_a):
    _, key = create_token(user=creative, name="report", scope="read")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get(URL).status_code == 200
    assert upload(client, brand_a, photo()).status_code == 403
    assert not Image.objects.exists()
