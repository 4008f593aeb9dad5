"""The upload corpus (brands/tests/upload_corpus.py): hostile and malformed files through every
admin upload path (the image page, the multiple uploader, Wagtail's chooser's upload tab and the
post editor's chooser's). Each is refused with a message saying what is wrong and nothing is
saved, or accepted and safe; nothing answers 5xx; a good file of each format still goes in."""

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.images.models import Image

from brands.models import Brand

from .upload_corpus import FORMATS, corpus, photo

pytestmark = pytest.mark.django_db


def picture(extension: str) -> bytes:
    return photo(FORMATS[extension])


PATHS = ["single", "multiple", "chooser", "post-chooser", "api"]
CORPUS = corpus()
REFUSED = [case for case in CORPUS if case.refusal]
ACCEPTED = [case for case in CORPUS if not case.refusal]


def _upload(client, path: str, file_name: str, data: bytes, collection_id: int):
    file = SimpleUploadedFile(file_name, data, content_type="application/octet-stream")
    if path == "single":
        response = client.post(
            reverse("wagtailimages:add"), {"title": "Upload", "file": file, "collection": collection_id}
        )
        return response, response.content.decode()
    if path == "multiple":
        response = client.post(
            reverse("wagtailimages:add_multiple"), {"files[]": file, "collection": collection_id}
        )
        return response, response.json().get("error_message", "") if response.status_code == 200 else ""
    if path == "api":  # POST /api/v1/images/ (brands/images_api.py): 400 with the same messages
        brand = Brand.objects.get(collection=collection_id)
        response = client.post("/api/v1/images/", {"brand": brand.pk, "file": file}, format="multipart")
        return response, response.content.decode().replace("\\u2019", "’")
    url = reverse("wagtailimages_chooser:create")
    if path == "post-chooser":  # the post editor's, for the post's brand (brands/image_chooser.py)
        url = (
            reverse("brand_image_chooser:create") + f"?brand={Brand.objects.get(collection=collection_id).pk}"
        )
    response = client.post(
        url,
        {
            "image-chooser-upload-title": "Upload",
            "image-chooser-upload-file": file,
            "image-chooser-upload-collection": collection_id,
        },
    )
    # The chooser answers JSON: the upload tab again (with the error) or the chosen image.
    return response, response.json().get("htmlFragment", "")


@pytest.fixture
def signed_in(login, api):
    """A client for the upload path: the API's token client, or the admin's signed-in one."""
    return lambda path, user: api(user) if path == "api" else login(user)


def test_the_corpus_has_at_least_fifty_files():
    assert len(CORPUS) >= 50


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("case", REFUSED, ids=lambda case: case.name)
def test_a_hostile_or_malformed_upload_is_refused_with_a_clear_message(
    signed_in, creative, brand_a, path, case
):
    response, text = _upload(
        signed_in(path, creative), path, case.file_name, case.data, brand_a.collection_id
    )

    assert response.status_code == (400 if path == "api" else 200), response.content[:500]
    assert case.refusal in text, text[:2000]
    assert not Image.objects.exists()


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("case", ACCEPTED, ids=lambda case: case.name)
def test_an_odd_but_real_image_is_accepted_and_safe(signed_in, creative, brand_a, path, case):
    """Accepted: stored under the brand's collection with a plain name inside the media folder,
    and every size the product shows can be made from it."""
    response, _ = _upload(signed_in(path, creative), path, case.file_name, case.data, brand_a.collection_id)

    assert response.status_code in (200, 201, 302), response.content[:500]
    image = Image.objects.get()
    assert image.collection_id == brand_a.collection_id
    stored = image.file.name
    assert stored.startswith("original_images/") and ".." not in stored and "\\" not in stored
    assert len(stored) <= 100 and os.path.basename(stored) == stored.removeprefix("original_images/")
    assert image.get_rendition("max-165x165").width <= 165
    assert image.get_rendition("fill-1080x1080").height <= 1080


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("extension", FORMATS)
def test_a_good_file_of_each_format_goes_in(signed_in, creative, brand_a, path, extension):
    response, _ = _upload(
        signed_in(path, creative), path, f"good.{extension}", picture(extension), brand_a.collection_id
    )

    assert response.status_code in (200, 201, 302)
    image = Image.objects.get()
    assert image.collection_id == brand_a.collection_id
    assert image.get_rendition("max-165x165").width == 165


def test_the_damaged_file_message_says_what_to_do(login, creative, brand_a):
    data = picture("jpg")

    _, text = _upload(login(creative), "single", "cut.jpg", data[: len(data) // 2], brand_a.collection_id)

    assert (
        "This file is damaged or not a complete image. "
        "Export it again as a JPEG or PNG and upload the new file." in text
    )


@pytest.mark.parametrize("path", PATHS)
def test_a_phone_photo_is_stored_without_its_owner_or_gps_position_and_the_same_pixels(
    signed_in, creative, brand_a, path
):
    from PIL import ImageChops

    from .upload_corpus import with_gps

    original = with_gps()
    _upload(signed_in(path, creative), path, "from-my-phone.jpg", original, brand_a.collection_id)

    image = Image.objects.get()
    with image.open_file() as file:
        stored = file.read()
    exif = PILImage.open(io.BytesIO(stored)).getexif()
    assert 0x8825 not in exif and 0x013B not in exif and 0x010F not in exif
    assert b"Private Road" not in stored
    before, after = PILImage.open(io.BytesIO(original)), PILImage.open(io.BytesIO(stored))
    assert ImageChops.difference(before, after).getbbox() is None  # not re-encoded
    assert image.file_size == len(stored)


def test_a_rotated_photo_keeps_its_orientation(login, creative, brand_a):
    from .upload_corpus import rotated_exif

    _upload(login(creative), "single", "rotated.jpg", rotated_exif(), brand_a.collection_id)

    image = Image.objects.get()
    with image.open_file() as file:
        assert PILImage.open(file).getexif().get(0x0112) == 6
    assert (image.width, image.height) == (640, 480)
    assert image.get_rendition("original").height == 640  # shown turned a quarter
