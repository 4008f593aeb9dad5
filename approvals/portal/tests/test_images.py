"""The portal's pictures: every image a portal page shows loads for its client, through a view
that checks the post it belongs to; anyone else — another client, a signed-out visitor, staff of
another brand — gets nothing, and `/media/` files are never a way round."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.images.models import Image

from approvals.models import ReasonCode
from approvals.portal.models import PortalBranding
from approvals.services import approve_task, request_changes, submit_post
from approvals.tests.helpers import current_task_state
from brands.factories import brand_image
from cms.posts.factories import add_media, publish_directly
from cms.posts.models import Post, PostMedia
from cms.posts.previews import PREVIEW_MODES

from .helpers import client_signs_off, draft, published, went_out

pytestmark = pytest.mark.django_db

IMG_SRC = re.compile(r'<img[^>]*\bsrc="([^"]+)"')


def rendition_url(post, image, spec="max-1600x1600") -> str:
    return reverse("portal:post-rendition", args=[post.pk, image.pk, spec])


def image_sources(html: str) -> list[str]:
    return [src.replace("&amp;", "&") for src in IMG_SRC.findall(html)]


def sent_to_client(brand, creative, reviewer, images, *, title="Acme autumn blend"):
    """A post with `images`, approved by the agency and waiting on the client tier."""
    client_signs_off(brand)
    post = draft(brand, creative, title=title, platforms=["instagram", "facebook", "x", "linkedin", "tiktok"])
    add_media(post, images)
    post.save_revision(user=creative)
    submit_post(post=post, user=creative)
    approve_task(task_state=current_task_state(post), user=reviewer, comment="Fine by me.")
    return Post.objects.get(pk=post.pk)


@pytest.fixture
def kit_logo(brand_a):
    logo = brand_image(brand_a, title="Acme logo", width=400, height=400)
    brand_a.kit.logo = logo
    brand_a.kit.save()
    return logo


@pytest.fixture
def awaiting_a(brand_a, creative, reviewer, kit_logo):
    return sent_to_client(
        brand_a,
        creative,
        reviewer,
        [
            brand_image(brand_a, title="Acme beans"),
            brand_image(brand_a, title="Acme cup", colour=(10, 90, 200)),
        ],
    )


def portal_pages(client, post) -> dict[str, str]:
    """The HTML of every portal page that shows the post's pictures."""
    pages = {
        "dashboard": client.get(reverse("portal:dashboard")),
        "upcoming": client.get(reverse("portal:upcoming")),
        "post": client.get(reverse("portal:post-detail", args=[post.pk])),
    }
    for mode in PREVIEW_MODES:
        pages[mode] = client.get(reverse("portal:post-preview", args=[post.pk, mode]))
    for name, response in pages.items():
        assert response.status_code == 200, name
    return {name: response.content.decode() for name, response in pages.items()}


def test_every_picture_on_the_portal_pages_loads_for_the_client(login, client_of_a, awaiting_a, kit_logo):
    client = login(client_of_a)

    pages = portal_pages(client, awaiting_a)
    sources = {src for html in pages.values() for src in image_sources(html)}

    assert image_sources(pages["dashboard"]) and image_sources(pages["post"])
    assert image_sources(pages["instagram_feed"]) and image_sources(pages["upcoming"])
    for src in sources:
        assert not src.startswith("/media/"), src  # always through a view that checks the post
        response = client.get(src)
        assert response.status_code == 200, src
        assert response["Content-Type"] in ("image/png", "image/jpeg"), src
        assert response["Cache-Control"].startswith("private")
        assert b"".join(response.streaming_content)
    # The full-size links too.
    for image in Image.objects.filter(title__in=["Acme beans", "Acme cup"]):
        assert client.get(reverse("portal:post-image", args=[awaiting_a.pk, image.pk])).status_code == 200


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_another_client_signed_out_visitors_and_other_brands_staff_get_none_of_them(
    login, client_of_a, client_of_b, outsider, awaiting_a
):
    sources = {
        src for html in portal_pages(login(client_of_a), awaiting_a).values() for src in image_sources(html)
    }
    sources |= {reverse("portal:post-image", args=[awaiting_a.pk, image.pk]) for image in Image.objects.all()}
    anonymous, other_client, other_staff = Client(), signed_in(client_of_b), signed_in(outsider)

    for src in sources:
        signed_out = anonymous.get(src)
        assert signed_out.status_code == 302 and "/portal/login/" in signed_out["Location"], src
        assert other_client.get(src).status_code == 404, src
        assert other_staff.get(src).status_code in (403, 404), src  # staff: never the portal's


def test_a_client_gets_nothing_from_media_urls(login, client_of_a, awaiting_a):
    """Even the files of their own post: clients see images only through their posts' pages."""
    image = Image.objects.get(title="Acme beans")
    client = login(client_of_a)

    assert client.get(image.file.url).status_code == 404
    assert client.get(image.get_rendition("max-1600x1600").url).status_code == 404


def test_an_image_of_the_brand_not_on_the_post_is_not_found(login, client_of_a, brand_a, awaiting_a):
    other = brand_image(brand_a, title="Acme unreleased tin")
    other.get_rendition("max-1600x1600")
    client = login(client_of_a)

    assert client.get(reverse("portal:post-image", args=[awaiting_a.pk, other.pk])).status_code == 404
    assert client.get(rendition_url(awaiting_a, other)).status_code == 404


def test_only_sizes_the_portal_showed_are_served(login, client_of_a, awaiting_a):
    """A client can't make the server render an image at any size they like."""
    image = Image.objects.get(title="Acme beans")
    client = login(client_of_a)
    client.get(reverse("portal:post-detail", args=[awaiting_a.pk]))

    shown = client.get(rendition_url(awaiting_a, image))
    made_up = client.get(rendition_url(awaiting_a, image, "fill-4000x4000"))

    assert shown.status_code == 200
    assert made_up.status_code == 404
    assert not image.renditions.filter(filter_spec="fill-4000x4000").exists()


def test_the_agencys_rework_stays_out_of_sight_until_it_comes_back(
    login, client_of_a, brand_a, creative, reviewer, kit_logo
):
    """The client asked for another photo; while the agency works on it, the client's lists and
    post page show what they reviewed, and the new photo is not theirs to fetch yet."""
    first = brand_image(brand_a, title="Acme first photo")
    second = brand_image(brand_a, title="Acme second photo", colour=(20, 160, 60))
    post = sent_to_client(brand_a, creative, reviewer, [first])
    request_changes(
        task_state=current_task_state(post), user=client_of_a, reason=ReasonCode.VISUAL, comment="Other photo"
    )
    PostMedia.objects.filter(post=post).update(image=second)
    Post.objects.get(pk=post.pk).save_revision(user=creative)
    client = login(client_of_a)

    pages = portal_pages(client, post)
    sources = [src for html in pages.values() for src in image_sources(html)]

    assert "with the agency" in pages["upcoming"].lower()
    assert any(f"/images/{first.pk}/" in src for src in sources)
    assert not any(f"/images/{second.pk}/" in src for src in sources)
    assert all(client.get(src).status_code == 200 for src in sources)
    second.get_rendition("max-1600x1600")
    assert client.get(reverse("portal:post-image", args=[post.pk, second.pk])).status_code == 404
    assert client.get(rendition_url(post, second)).status_code == 404


def test_the_archive_shows_what_went_out(login, client_of_a, brand_a):
    photo = brand_image(brand_a, title="Acme summer photo")
    post = published(brand_a, "Acme summer")
    add_media(post, [photo])
    publish_directly(post)
    post.refresh_from_db()
    went_out(post)
    client = login(client_of_a)

    page = client.get(reverse("portal:archive")).content.decode()
    sources = image_sources(page)

    assert sources and all(client.get(src).status_code == 200 for src in sources)


def test_the_agency_logo_shows_to_everyone(client, login, client_of_a, brand_a):
    """The sign-in page shows it to visitors who have not signed in yet."""
    logo = brand_image(brand_a, title="Agency logo", width=400, height=200)
    PortalBranding.objects.create(agency_name="Northwind Social", logo=logo)

    sign_in = client.get(reverse("portal:login")).content.decode()
    (src,) = image_sources(sign_in)
    response = client.get(src)

    assert not src.startswith("/media/")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["Cache-Control"].startswith("public")
    # The route serves the logo and nothing else.
    assert reverse("portal:agency-logo") in src


def test_a_full_size_image_reaches_the_client_without_its_gps_position_or_owner(
    login, brand_a, creative, reviewer, client_of_a
):
    """A phone photo's EXIF says where it was taken and whose it is; the client's copy (and the
    posting tools', cms.archive.media_links) leaves that out."""
    import io

    from django.core.files.images import ImageFile
    from PIL import Image as PILImage

    from brands.tests.upload_corpus import with_gps

    original = with_gps()
    assert PILImage.open(io.BytesIO(original)).getexif().get(0x8825)  # the fixture has GPS
    photo = Image.objects.create(
        title="From my phone",
        file=ImageFile(io.BytesIO(original), name="phone.jpg"),
        collection=brand_a.collection,
    )
    post = sent_to_client(brand_a, creative, reviewer, [photo])

    response = login(client_of_a).get(reverse("portal:post-image", args=[post.pk, photo.pk]))

    assert response.status_code == 200
    served = b"".join(response.streaming_content)
    exif = PILImage.open(io.BytesIO(served)).getexif()
    assert 0x8825 not in exif and 0x013B not in exif and 0x010F not in exif
    assert b"Private Road" not in served
    assert PILImage.open(io.BytesIO(served)).size == (640, 480)
