"""The upload corpus: malformed files through every admin upload path (the image page, the
multiple uploader, Wagtail's chooser's upload tab and the post editor's chooser's). Each is
refused with a message saying what is wrong, nothing is saved, and nothing answers 5xx; a good
file of each format still goes in."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.images.models import Image

from brands.models import Brand

pytestmark = pytest.mark.django_db

FORMATS = {"jpg": "JPEG", "png": "PNG", "gif": "GIF", "webp": "WEBP"}
DAMAGED = "This file is damaged or not a complete image"


def picture(extension: str) -> bytes:
    """A real photo-like picture (noise compresses badly, so the file has a body to cut)."""
    buffer = io.BytesIO()
    PILImage.effect_noise((640, 480), 60).convert("RGB").save(buffer, FORMATS[extension])
    return buffer.getvalue()


def huge_png(width: int, height: int) -> bytes:
    """A real PNG of `width`×`height` one-bit pixels: small as a file, huge once decoded."""
    buffer = io.BytesIO()
    PILImage.new("1", (width, height)).save(buffer, "PNG")
    return buffer.getvalue()


def _corpus():
    """(name, file name, bytes, what the refusal says)."""
    cases = []
    for extension in FORMATS:
        data = picture(extension)
        cases.append((f"truncated-{extension}", f"cut.{extension}", data[: len(data) // 2], DAMAGED))
        # Cut a few bytes before the end: the header and most pixels are there.
        cases.append((f"tail-missing-{extension}", f"tail.{extension}", data[:-40], DAMAGED))
    cases += [
        ("zero-bytes", "empty.jpg", b"", "The submitted file is empty."),
        ("text-named-jpg", "notes.jpg", b"Meeting notes, not a picture.\n" * 20, "Upload a valid image."),
        ("png-named-jpg", "photo.jpg", picture("png"), "The extension does not match the file format (png)"),
        ("wrong-extension", "photo.bmp", picture("png"), "Not a supported image format."),
        ("no-extension", "photo", picture("png"), "Not a supported image format."),
        ("jpeg-header-only", "head.jpg", picture("jpg")[:200], DAMAGED),
        # Under Wagtail's pixel limit, over what is safe to decode (brands.checks.images).
        ("too-many-pixels", "huge.png", huge_png(8000, 6000), "This image can’t be opened safely"),
    ]
    return cases


PATHS = ["single", "multiple", "chooser", "post-chooser"]
CORPUS = _corpus()
CORPUS_IDS = [case[0] for case in CORPUS]


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


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("case", CORPUS, ids=CORPUS_IDS)
def test_a_malformed_upload_is_refused_with_a_clear_message(login, creative, brand_a, path, case):
    _, file_name, data, message = case

    response, text = _upload(login(creative), path, file_name, data, brand_a.collection_id)

    assert response.status_code == 200, response.content[:500]
    assert message in text, text[:2000]
    assert not Image.objects.exists()


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("extension", FORMATS)
def test_a_good_file_of_each_format_goes_in(login, creative, brand_a, path, extension):
    response, _ = _upload(
        login(creative), path, f"good.{extension}", picture(extension), brand_a.collection_id
    )

    assert response.status_code in (200, 302)
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
