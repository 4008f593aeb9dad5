"""Media on S3-compatible storage by configuration (SIGNOFF_MEDIA_STORAGE=s3): tried against moto's
S3 server (an S3-compatible server from the package registry, run here on a free port). Uploads
land in the private bucket under random names, the media view serves them only to the image's
brand, and renditions are made from and stored in the bucket."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from wagtail.images.models import Image

from brands.factories import png_bytes

boto3 = pytest.importorskip("boto3")
moto_server = pytest.importorskip("moto.server")

pytestmark = pytest.mark.django_db

BUCKET = "signoff-media"


@pytest.fixture(scope="module")
def s3_endpoint():
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    yield endpoint
    server.stop()


@pytest.fixture
def s3(s3_endpoint, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "signoff-test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "signoff-test")
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    client.create_bucket(Bucket=BUCKET)
    storages = {
        "default": {
            "BACKEND": "cms.media.PrivateS3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_endpoint,
                "region_name": "us-east-1",
                "default_acl": None,
                "querystring_auth": True,
                "file_overwrite": False,
            },
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages):
        yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def test_an_upload_goes_to_the_private_bucket_and_only_its_brand_gets_it(
    s3, login, creative, outsider, brand_a
):
    photo = png_bytes(800, 600, (200, 80, 40))
    response = login(creative).post(
        reverse("wagtailimages:add"),
        {
            "title": "Launch",
            "file": SimpleUploadedFile("launch.png", photo),
            "collection": brand_a.collection_id,
        },
    )
    assert response.status_code == 302

    image = Image.objects.get()
    keys = [item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert keys == [image.file.name]
    assert image.file.name.startswith("original_images/") and image.file.name.endswith("_launch.png")
    assert len(image.file.name) > len("original_images/launch.png") + 12  # a random part

    rendition = image.get_rendition("max-165x165")  # read from the bucket, written to it
    assert rendition.file.name in [item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET)["Contents"]]

    url = reverse("media", args=[image.file.name])
    served = login(creative).get(url)
    assert served.status_code == 200 and b"".join(served.streaming_content) == photo
    assert login(outsider).get(url).status_code == 404
    assert login(outsider).get(reverse("media", args=[rendition.file.name])).status_code == 404
