"""Images of one brand are invisible from another: every Wagtail image view answers 404 for an
image outside the user's brands (exactly like an id that does not exist), listings, searches,
choosers and the admin image API leave them out, and their files are served only to those who may
see them — anonymous requests get nothing."""

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.images.models import Image
from wagtail.images.utils import generate_signature

from brands.factories import UserFactory, brand_image, membership, png_bytes
from brands.models import BrandRole

pytestmark = pytest.mark.django_db

MISSING = 999_999


@pytest.fixture
def image_a(brand_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # into the search index
        return brand_image(brand_a, title="Acme flat white")


@pytest.fixture
def image_b(brand_b, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return brand_image(brand_b, title="Borealis secret prototype")


def _image_id_views(image_id):
    """(method, url) of every Wagtail image view that names one image."""
    return [
        ("get", reverse("wagtailimages:edit", args=[image_id])),
        ("post", reverse("wagtailimages:edit", args=[image_id])),
        ("get", reverse("wagtailimages:delete", args=[image_id])),
        ("post", reverse("wagtailimages:delete", args=[image_id])),
        ("get", reverse("wagtailimages:image_usage", args=[image_id])),
        ("get", reverse("wagtailimages:preview", args=[image_id, "original"])),
        ("get", reverse("wagtailimages:url_generator", args=[image_id])),
        ("get", reverse("wagtailimages:url_generator_output", args=[image_id])),
        ("post", reverse("wagtailimages:edit_multiple", args=[image_id])),
        ("post", reverse("wagtailimages:delete_multiple", args=[image_id])),
        ("get", reverse("wagtailimages_chooser:chosen", args=[image_id])),
        ("get", reverse("wagtailimages_chooser:chosen_multiple") + f"?id={image_id}"),
        ("get", reverse("wagtailimages_chooser:select_format", args=[image_id])),
        ("post", reverse("wagtailimages_chooser:select_format", args=[image_id])),
        (
            "get",
            reverse("wagtail_bulk_action", args=["wagtailimages", "image", "delete"]) + f"?id={image_id}",
        ),
        (
            "post",
            reverse("wagtail_bulk_action", args=["wagtailimages", "image", "delete"]) + f"?id={image_id}",
        ),
        (
            "get",
            reverse("wagtail_bulk_action", args=["wagtailimages", "image", "add_tags"]) + f"?id={image_id}",
        ),
        (
            "get",
            reverse("wagtail_bulk_action", args=["wagtailimages", "image", "add_to_collection"])
            + f"?id={image_id}",
        ),
        ("get", reverse("wagtailadmin_api:images:detail", args=[image_id])),
        ("get", reverse("wagtailadmin_api:images:find") + f"?id={image_id}"),
        # The post editor's chooser (brands/image_chooser.py).
        ("get", reverse("brand_image_chooser:chosen", args=[image_id])),
        ("get", reverse("brand_image_chooser:chosen_multiple") + f"?id={image_id}"),
        ("get", reverse("brand_image_chooser:select_format", args=[image_id])),
        ("post", reverse("brand_image_chooser:select_format", args=[image_id])),
    ]


ID_IN_URL = re.compile(r"(?<=/)1(?=/)|(?<==)1$")
VIEW_NAMES = [f"{method} {ID_IN_URL.sub('<id>', url)}" for method, url in _image_id_views(1)]


@pytest.mark.parametrize("view", range(len(VIEW_NAMES)), ids=VIEW_NAMES)
@pytest.mark.parametrize("actor", ["lead", "creative", "reviewer"])
def test_another_brands_image_is_not_found_in_any_image_view(request, login, view, actor, image_b):
    """Even a lead, who may change and delete their own brand's images, gets a 404, never a 403
    that would confirm the image exists; the image is left as it was."""
    method, url = _image_id_views(image_b.pk)[view]
    missing_method, missing_url = _image_id_views(MISSING)[view]
    client = login(request.getfixturevalue(actor))

    response = getattr(client, method)(url, {"title": "Mine now"} if method == "post" else None)
    missing = getattr(client, missing_method)(missing_url)

    assert response.status_code == 404, response.content[:300]
    assert missing.status_code == 404
    assert "Borealis" not in response.content.decode()
    image_b.refresh_from_db()
    assert image_b.title == "Borealis secret prototype"


@pytest.mark.parametrize(
    "view",
    [
        ("get", "wagtailimages:edit"),
        ("get", "wagtailimages:delete"),
        ("get", "wagtailimages:image_usage"),
        ("get", "wagtailimages_chooser:chosen"),
        ("get", "wagtailimages_chooser:select_format"),
        ("get", "wagtailadmin_api:images:detail"),
    ],
)
def test_the_same_views_open_the_users_own_brands_image(login, lead, image_a, view):
    """The control for the test above: the URLs are right, only the brand differs."""
    method, name = view
    response = getattr(login(lead), method)(reverse(name, args=[image_a.pk]))

    assert response.status_code == 200
    assert "Acme flat white" in response.content.decode()


def test_a_superuser_opens_every_brands_images(login, admin_user, image_b):
    client = login(admin_user)

    assert client.get(reverse("wagtailimages:edit", args=[image_b.pk])).status_code == 200
    assert client.get(image_b.file.url).status_code == 200
    api = client.get(reverse("wagtailadmin_api:images:detail", args=[image_b.pk]))
    assert api.json()["title"] == "Borealis secret prototype"


# Listings, searches and choosers ------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        reverse("wagtailimages:index"),
        reverse("wagtailimages:index") + "?q=prototype",
        reverse("wagtailimages:index") + "?layout=list",
        reverse("wagtailimages:index_results") + "?q=prototype",
        reverse("wagtailimages:add"),
        reverse("wagtailimages:add_multiple"),
        reverse("wagtailimages_chooser:choose"),
        reverse("wagtailimages_chooser:choose") + "?q=prototype",
        reverse("wagtailimages_chooser:choose_results") + "?q=prototype",
        reverse("wagtailimages_chooser:choose_results") + "?layout=list",
        reverse("brand_image_chooser:choose"),
        reverse("brand_image_chooser:choose") + "?q=prototype",
        reverse("brand_image_chooser:choose_results") + "?q=prototype",
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_api:images:listing"),
        reverse("wagtailadmin_api:images:listing") + "?search=prototype",
        reverse("wagtailadmin_api:images:listing") + "?search=Borealis",
    ],
)
def test_listings_searches_and_choosers_leave_other_brands_out(login, lead, image_a, image_b, url):
    """Neither the image nor its brand's collection ("Borealis Group · Borealis Bikes") shows."""
    response = login(lead).get(url)

    assert response.status_code == 200
    assert "Borealis" not in response.content.decode()


def test_the_admin_image_api_counts_only_the_users_brands(login, lead, image_a, image_b):
    listing = login(lead).get(reverse("wagtailadmin_api:images:listing")).json()

    assert listing["meta"]["total_count"] == 1
    assert [item["title"] for item in listing["items"]] == ["Acme flat white"]


def test_the_listing_finds_the_users_own_images(login, lead, image_a, image_b):
    client = login(lead)

    listing = client.get(reverse("wagtailimages:index") + "?q=flat")
    chooser = client.get(reverse("wagtailimages_chooser:choose_results") + "?q=flat")
    api = client.get(reverse("wagtailadmin_api:images:listing") + "?search=flat").json()

    assert "Acme flat white" in listing.content.decode()
    assert "Acme flat white" in chooser.content.decode()
    assert [item["title"] for item in api["items"]] == ["Acme flat white"]


def test_bulk_actions_on_all_images_offer_only_the_users_brands(login, lead, image_a, image_b):
    url = reverse("wagtail_bulk_action", args=["wagtailimages", "image", "delete"]) + "?id=all"

    page = login(lead).get(url)

    assert "Acme flat white" in page.content.decode()
    assert "Borealis" not in page.content.decode()


def test_a_group_on_the_root_collection_opens_no_brand(login, brand_a, brand_b, image_b):
    """Wagtail's collection permissions flow down the tree: a group granted the root collection
    (Wagtail's own "Editors", say) would otherwise open every brand's images."""
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import Collection, GroupCollectionPermission

    editors = Group.objects.create(name="Everything editors")
    for codename in ["add_image", "change_image", "delete_image", "choose_image"]:
        GroupCollectionPermission.objects.create(
            group=editors,
            collection=Collection.get_first_root_node(),
            permission=Permission.objects.get(content_type__app_label="wagtailimages", codename=codename),
        )
    user = UserFactory(username="wide")
    membership(user, brand_a, BrandRole.LEAD)
    user.groups.add(editors)
    client = login(user)

    assert client.get(reverse("wagtailimages:edit", args=[image_b.pk])).status_code == 404
    assert "Borealis" not in client.get(reverse("wagtailimages:index")).content.decode()
    assert "Borealis" not in client.get(reverse("wagtailimages_chooser:choose")).content.decode()


# Uploads cannot land in another brand's collection ------------------------------------------------


def test_uploads_into_another_brands_collection_are_refused(login, lead, brand_b):
    client = login(lead)
    upload = lambda: SimpleUploadedFile("sneaky.png", png_bytes(), content_type="image/png")  # noqa: E731

    single = client.post(
        reverse("wagtailimages:add"),
        {"title": "Sneaky", "file": upload(), "collection": brand_b.collection_id},
    )
    multiple = client.post(
        reverse("wagtailimages:add_multiple"), {"files[]": upload(), "collection": brand_b.collection_id}
    )
    chooser = client.post(
        reverse("wagtailimages_chooser:create"),
        {
            "image-chooser-upload-title": "Sneaky",
            "image-chooser-upload-file": upload(),
            "image-chooser-upload-collection": brand_b.collection_id,
        },
    )

    # With one brand the collection field is not even offered: an upload lands in their brand.
    assert {single.status_code, multiple.status_code, chooser.status_code} <= {200, 302}
    assert not Image.objects.filter(collection=brand_b.collection).exists()


# The files ---------------------------------------------------------------------------------------


def _file_urls(image):
    rendition = image.get_rendition("max-165x165")
    return {"original": image.file.url, "rendition": rendition.url}


@pytest.mark.parametrize("which", ["original", "rendition"])
@pytest.mark.parametrize("actor", ["creative", "reviewer", "lead", "client_of_a"])
def test_another_brands_files_are_not_found(request, login, image_b, which, actor):
    url = _file_urls(image_b)[which]

    response = login(request.getfixturevalue(actor)).get(url)

    assert response.status_code == 404
    assert not getattr(response, "streaming", False)


@pytest.mark.parametrize("which", ["original", "rendition"])
def test_anonymous_requests_get_no_file(client, image_a, which):
    response = client.get(_file_urls(image_a)[which])

    assert response.status_code == 404
    assert not getattr(response, "streaming", False)


@pytest.mark.parametrize("which", ["original", "rendition"])
@pytest.mark.parametrize("actor", ["creative", "reviewer", "lead"])
def test_the_brands_team_gets_its_files(request, login, image_a, which, actor):
    response = login(request.getfixturevalue(actor)).get(_file_urls(image_a)[which])

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content)[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("view", range(len(VIEW_NAMES)), ids=VIEW_NAMES)
def test_anonymous_requests_get_nothing_from_any_image_view(client, image_a, view):
    """Signed out: sent to sign in (the admin) or refused (its API), never the image or its title."""
    method, url = _image_id_views(image_a.pk)[view]

    response = getattr(client, method)(url)

    assert response.status_code in (302, 401, 403), response.status_code
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("wagtailadmin_login"))
    assert "Acme flat white" not in response.content.decode()
    assert image_a.file.name not in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        reverse("wagtailimages:index") + "?q=flat",
        reverse("wagtailimages_chooser:choose") + "?q=flat",
        reverse("brand_image_chooser:choose") + "?q=flat",
        reverse("wagtailadmin_api:images:listing") + "?search=flat",
    ],
)
def test_anonymous_requests_get_no_listing_or_search(client, image_a, url):
    response = client.get(url)

    assert response.status_code in (302, 401, 403)
    assert "Acme flat white" not in response.content.decode()


def test_file_names_cannot_be_guessed_from_the_upload(login, lead, brand_a):
    """The name a file was uploaded with, and the rendition names Wagtail derives from it, are
    not enough to find it: every stored name carries a random part."""
    client = login(lead)
    for _ in range(2):
        client.post(
            reverse("wagtailimages:add"),
            {
                "title": "Launch",
                "file": SimpleUploadedFile("launch.png", png_bytes(), content_type="image/png"),
                "collection": brand_a.collection_id,
            },
        )
    first, second = Image.objects.filter(title="Launch")
    rendition = first.get_rendition("max-1600x1600")

    assert first.file.name != "original_images/launch.png"
    assert re.fullmatch(r"original_images/[\w-]{16}_launch\.png", first.file.name), first.file.name
    assert first.file.name != second.file.name
    assert re.fullmatch(r"images/[\w-]{16}_.+\.max-1600x1600\.png", rendition.file.name), rendition.file.name
    # Its own random part, not the original's: a rendition of an image uploaded before these
    # names (a guessable original) is not guessable either.
    assert rendition.file.name.split("/")[1][:16] != first.file.name.split("/")[1][:16]


def test_wagtails_signed_serve_urls_are_gone(client, login, lead, image_a):
    """Wagtail's dynamic serve view hands an image to anyone holding a signed URL, for ever;
    nothing in Signoff needs it, so its route is not there."""
    signature = generate_signature(image_a.pk, "original")
    url = f"/images/{signature}/{image_a.pk}/original/"

    assert client.get(url).status_code == 404
    assert login(lead).get(url).status_code == 404


# The brand listing ----------------------------------------------------------------------------------


@pytest.mark.parametrize("actor", ["creative", "reviewer", "lead"])
def test_the_brand_listing_filters_name_only_the_users_clients(request, login, brand_a, brand_b, actor):
    response = login(request.getfixturevalue(actor)).get(reverse("wagtailsnippets_brands_brand:list"))

    assert response.status_code == 200
    assert "Acme Holdings" in response.content.decode()
    assert "Borealis" not in response.content.decode()


@pytest.mark.parametrize(
    "url_name",
    [
        "wagtailsnippets_brands_brand:list",
        "wagtailsnippets_brands_brandkit:list",
        "wagtailsnippets_brands_client:list",
        "wagtailsnippets_posts_post:list",
        "wagtailimages:index",
    ],
)
def test_no_listing_or_its_filters_name_another_client(login, lead, brand_a, brand_b, url_name):
    """Not Borealis Group, nor its brand, in any listing's rows, filters or collection menu."""
    response = login(lead).get(reverse(url_name))

    assert response.status_code in (200, 302)
    assert "Borealis" not in response.content.decode()


def test_the_image_api_detail_leaks_nothing_in_its_payload(login, lead, image_b):
    response = login(lead).get(reverse("wagtailadmin_api:images:detail", args=[image_b.pk]))

    assert response.status_code == 404
    assert "Borealis" not in json.dumps(response.json())
