"""A creative on brand A must not reach brand B's posts through any door of the admin."""

import pytest
from django.urls import reverse
from wagtail.models import Revision

from brands.factories import brand_image
from cms.posts.factories import PostFactory
from cms.posts.models import Post

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"wagtailsnippets_posts_post:{name}", args=args)


@pytest.fixture
def post_a(brand_a):
    return PostFactory(brand=brand_a, title="Acme autumn blend", caption="Autumn is here #AcmeCoffee")


@pytest.fixture
def post_b(brand_b):
    post = PostFactory(brand=brand_b, title="Borealis trail day", caption="Trails open #Borealis")
    post.save_revision()
    return post


def test_listing_shows_only_the_users_brands(login, creative, post_a, post_b):
    response = login(creative).get(url("list"))

    assert response.status_code == 200
    assert "Acme autumn blend" in response.text
    assert "Borealis trail day" not in response.text


def test_search_does_not_reach_another_brand(login, creative, post_a, post_b):
    response = login(creative).get(url("list"), {"q": "Borealis"})

    assert "Borealis trail day" not in response.text


@pytest.mark.parametrize(
    "view",
    [
        "edit",
        "delete",
        "history",
        "usage",
        "copy",
        "preview_on_edit",
        "lock",
        "unlock",
        "unpublish",
        "workflow_history",
        "confirm_workflow_cancellation",
    ],
)
def test_every_object_view_of_another_brand_is_404(login, creative, post_b, view):
    client = login(creative)

    assert client.get(url(view, post_b.pk)).status_code == 404
    assert client.post(url(view, post_b.pk), {}).status_code == 404


def test_revision_views_of_another_brand_are_404(login, creative, post_b):
    revision = Revision.objects.for_instance(post_b).get()
    client = login(creative)

    assert client.get(url("revisions_view", post_b.pk, revision.pk)).status_code == 404
    assert client.get(url("revisions_revert", post_b.pk, revision.pk)).status_code == 404
    compare = reverse("wagtailsnippets_posts_post:revisions_compare", args=[post_b.pk, "earliest", "latest"])
    assert client.get(compare).status_code == 404


def test_editing_another_brands_post_by_post_changes_nothing(login, creative, post_b):
    response = login(creative).post(url("edit", post_b.pk), {"title": "Hijacked", "brand": post_b.brand_id})

    assert response.status_code == 404
    post_b.refresh_from_db()
    assert post_b.title == "Borealis trail day"


def test_snippet_chooser_offers_only_the_users_brands(login, creative, post_a, post_b):
    client = login(creative)
    response = client.get(reverse("wagtailsnippetchoosers_posts_post:choose"))

    assert "Acme autumn blend" in response.text
    assert "Borealis trail day" not in response.text
    chosen = client.get(reverse("wagtailsnippetchoosers_posts_post:chosen", args=[post_b.pk]))
    assert chosen.status_code == 404


def test_bulk_delete_skips_posts_of_another_brand(login, lead_b, post_a):
    client = login(lead_b)
    bulk_url = reverse("wagtail_bulk_action", args=["posts", "post", "delete"]) + f"?id={post_a.pk}"

    client.post(bulk_url)

    assert Post.objects.filter(pk=post_a.pk).exists()


def test_a_creative_cannot_create_a_post_for_another_brand(login, creative, brand_b):
    response = login(creative).post(
        url("add"),
        {
            "brand": brand_b.pk,
            "title": "Sneaky",
            "caption": "Hello",
            "platforms": ["instagram"],
            "format": "feed",
            "intent": "know",
            **empty_inlines(),
        },
    )

    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not Post.objects.filter(title="Sneaky").exists()


def test_brand_choices_in_the_editor_are_the_users_brands(login, creative, brand_a, brand_b):
    response = login(creative).get(url("add"))

    form = response.context["form"]
    assert list(form.fields["brand"].queryset) == [brand_a]


def test_image_chooser_lists_only_the_users_brand_images(login, creative, brand_a, brand_b):
    brand_image(brand_a, title="Acme latte")
    brand_image(brand_b, title="Borealis summit")

    response = login(creative).get(reverse("wagtailimages_chooser:choose"))

    assert "Acme latte" in response.text
    assert "Borealis summit" not in response.text


def test_a_creative_cannot_upload_into_another_brands_collection(login, creative, brand_a, brand_b):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from wagtail.images.models import Image

    from brands.factories import png_bytes

    response = login(creative).post(
        reverse("wagtailimages:add"),
        {
            "title": "Planted",
            "collection": brand_b.collection_id,
            "file": SimpleUploadedFile("planted.png", png_bytes(), content_type="image/png"),
        },
    )

    # With one brand the collection field is not even offered: the upload lands in brand A.
    assert response.status_code == 302
    assert Image.objects.get(title="Planted").collection == brand_a.collection


def empty_inlines(**counts):
    data = {}
    for prefix in ["media", "poll_options", "caption_variants"]:
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": str(counts.get(prefix, 0)),
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    return data
