"""Uploaded files: names nobody can guess, `/media/` only for those who may see the file, and the
web server sending it in production (X-Accel-Redirect, X-Sendfile)."""

import os
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from wagtail.images.models import Image
from wagtail.test.utils.form_data import querydict_from_html
from wagtail.users.models import UserProfile

from brands.factories import brand_image, png_bytes
from cms.posts.factories import PostFactory, add_media
from cms.posts.previews import PREVIEW_MODES

pytestmark = pytest.mark.django_db

IMG_SRC = re.compile(r'<img[^>]*\bsrc="([^"]+)"')


@pytest.fixture
def image_a(brand_a):
    return brand_image(brand_a, title="Acme flat white")


def test_the_brands_team_previews_its_posts_with_every_picture(login, creative, outsider, brand_a, image_a):
    """The editor's preview shows the post's images and the kit's logo through `/media/`, where
    only the brand's team may open them."""
    logo = brand_image(brand_a, title="Acme logo", width=400, height=400)
    brand_a.kit.logo = logo
    brand_a.kit.save()
    post = PostFactory(brand=brand_a, platforms=list({code for code, _ in PREVIEW_MODES.values()}))
    add_media(post, [image_a], alt_text="Flat white")
    client = login(creative)
    edit = client.get(reverse("wagtailsnippets_posts_post:edit", args=[post.pk]))
    url = reverse("wagtailsnippets_posts_post:preview_on_edit", args=[post.pk])
    client.post(url, querydict_from_html(edit.content.decode(), form_id="w-editor-form"))

    sources = set()
    for mode in PREVIEW_MODES:
        sources |= set(IMG_SRC.findall(client.get(url, {"mode": mode}).content.decode()))

    assert len(sources) >= 3  # the logo and the photo, at several crops
    outsider_client = Client()
    outsider_client.force_login(outsider)
    for src in sources:
        assert src.startswith("/media/images/"), src
        response = client.get(src)
        assert response.status_code == 200 and response["Content-Type"] == "image/png", src
        assert outsider_client.get(src).status_code == 404, src


def test_files_stored_before_the_random_names_are_still_served(login, creative, brand_a):
    """Images uploaded before (the demo's, say) keep their plain names and keep working."""
    path = default_storage.path("original_images/legacy.png")
    os.makedirs(os.path.dirname(path), exist_ok=True)  # no upload may have made the folder yet
    with open(path, "wb") as handle:
        handle.write(png_bytes())
    Image.objects.filter(pk=brand_image(brand_a, title="Legacy").pk).update(file="original_images/legacy.png")
    legacy = Image.objects.get(title="Legacy")

    response = login(creative).get("/media/original_images/legacy.png")
    rendition = legacy.get_rendition("max-165x165")

    assert response.status_code == 200
    assert login(creative).get(rendition.url).status_code == 200
    assert Client().get("/media/original_images/legacy.png").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/media/",
        "/media/original_images/",
        "/media/../cms/settings/base.py",
        "/media/original_images/../../cms/settings/base.py",
        "/media/%2e%2e/%2e%2e/etc/passwd",
        "/media/documents/report.pdf",
        "/media/original_images/nothing-here.png",
    ],
)
def test_no_other_path_under_media_serves_anything(login, admin_user, path):
    assert login(admin_user).get(path).status_code == 404


def test_files_can_only_be_read(login, creative, image_a):
    assert login(creative).post(image_a.file.url).status_code == 405


def test_avatars_show_to_the_agency_only(login, creative, client_of_a):
    profile = UserProfile.get_for_user(creative)
    profile.avatar.save("me.png", ContentFile(png_bytes(64, 64)))

    assert re.fullmatch(r"avatar_images/[\w-]{16}_.+_me\.png", profile.avatar.name), profile.avatar.name
    assert login(creative).get(profile.avatar.url).status_code == 200
    assert login(client_of_a).get(profile.avatar.url).status_code == 404
    assert Client().get(profile.avatar.url).status_code == 404


def test_a_long_file_name_still_fits_its_column(login, lead, brand_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    long_name = "a-very-long-file-name-" * 5 + ".png"
    login(lead).post(
        reverse("wagtailimages:add"),
        {
            "title": "Long",
            "file": SimpleUploadedFile(long_name, png_bytes(), content_type="image/png"),
            "collection": brand_a.collection_id,
        },
    )

    image = Image.objects.get(title="Long")
    assert len(image.file.name) <= 100
    assert login(lead).get(image.file.url).status_code == 200


# In production the web server sends the file --------------------------------------------------------


def test_nginx_sends_the_file(login, creative, image_a, settings):
    settings.SIGNOFF_MEDIA_SERVE = "x-accel-redirect"
    settings.SIGNOFF_MEDIA_INTERNAL_URL = "/protected-media/"

    response = login(creative).get(image_a.file.url)

    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/protected-media/" + image_a.file.name
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "private, max-age=3600"
    assert response.content == b""


def test_apache_sends_the_file(login, creative, image_a, settings):
    settings.SIGNOFF_MEDIA_SERVE = "x-sendfile"

    response = login(creative).get(image_a.file.url)

    assert response.status_code == 200
    assert response["X-Sendfile"] == default_storage.path(image_a.file.name)
    assert response.content == b""


def test_the_web_server_is_not_told_about_files_nobody_may_see(login, outsider, image_a, settings):
    settings.SIGNOFF_MEDIA_SERVE = "x-accel-redirect"

    response = login(outsider).get(image_a.file.url)

    assert response.status_code == 404
    assert "X-Accel-Redirect" not in response


def test_the_portal_hands_its_files_to_the_web_server_too(login, client_of_a, brand_a, settings):
    from approvals.portal.models import PortalBranding

    logo = brand_image(brand_a, title="Agency logo")
    PortalBranding.objects.create(agency_name="Northwind", logo=logo)
    settings.SIGNOFF_MEDIA_SERVE = "x-accel-redirect"

    response = Client().get(reverse("portal:agency-logo"))

    assert response["X-Accel-Redirect"].startswith("/protected-media/images/")


def test_an_unknown_serving_mode_stops_the_app_at_start(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from cms.settings.env import envchoice

    monkeypatch.setenv("SIGNOFF_MEDIA_SERVE", "nginx")
    with pytest.raises(ImproperlyConfigured, match="x-accel-redirect"):
        envchoice("SIGNOFF_MEDIA_SERVE", "django", ["django", "x-accel-redirect", "x-sendfile"])
