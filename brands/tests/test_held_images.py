"""The image admin and images held by approvals (cms/posts/image_holds.py): the image page keeps
an image's file and focal point while posts in review, approved or published use it, and says
which; deleting it, one by one or in bulk, is refused with the reason, and nothing answers 5xx."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.images.models import Image

from approvals.tests.conftest import draft  # noqa: F401
from approvals.tests.helpers import approved_and_live, submit
from brands.factories import brand_image, png_bytes
from cms.posts.factories import PostFactory, add_media, publish_directly
from cms.posts.models import Post, PostMedia

pytestmark = pytest.mark.django_db

HELD = "is used by posts in review, approved or published"


@pytest.fixture
def photo(brand_a, creative):
    """Uploaded by the creative, who may therefore edit and delete it (Wagtail's ownership rule)."""
    image = brand_image(brand_a, title="Launch photo")
    Image.objects.filter(pk=image.pk).update(uploaded_by_user=creative)
    return Image.objects.get(pk=image.pk)


@pytest.fixture
def live_post(draft, api, reviewer, photo):  # noqa: F811
    """Approved by the senior tier and published, showing the photo."""
    post = draft(title="Autumn launch")
    add_media(post, [photo])
    post.save_revision(user=post.created_by)
    approved_and_live(api, post, reviewer)
    return Post.objects.get(pk=post.pk)


def edit_form(image, **changes) -> dict:
    data = {"title": image.title, "description": image.description, "tags": ""}
    data.update(changes)
    return data


def new_file():
    return SimpleUploadedFile("swapped.png", png_bytes(colour=(0, 0, 0)), content_type="image/png")


# The image page --------------------------------------------------------------------------------------


def test_the_uploader_cannot_swap_the_picture_behind_an_approved_post(login, creative, live_post, photo):
    """The regression: a creative replaced the file of an image the client had approved, and the
    next publication of that content would have shown a picture nobody approved."""
    name = photo.file.name

    response = login(creative).post(
        reverse("wagtailimages:edit", args=[photo.pk]),
        edit_form(photo, title="Launch photo (final)", file=new_file()),
    )

    assert response.status_code == 302
    photo.refresh_from_db()
    assert photo.file.name == name
    assert photo.title == "Launch photo (final)"  # the team's own label still changes


def test_a_lead_cannot_move_its_focal_point(login, lead, live_post, photo):
    response = login(lead).post(
        reverse("wagtailimages:edit", args=[photo.pk]),
        edit_form(
            photo,
            focal_point_x="100",
            focal_point_y="100",
            focal_point_width="50",
            focal_point_height="50",
        ),
    )

    assert response.status_code == 302
    photo.refresh_from_db()
    assert (photo.focal_point_x, photo.focal_point_width) == (None, None)


def test_its_description_and_tags_still_change(login, lead, live_post, photo):
    login(lead).post(
        reverse("wagtailimages:edit", args=[photo.pk]),
        edit_form(photo, description="Two flat whites on a marble counter", tags="launch, autumn"),
    )

    photo.refresh_from_db()
    assert photo.description == "Two flat whites on a marble counter"
    assert set(photo.tags.names()) == {"launch", "autumn"}


def test_the_image_page_names_the_posts_and_offers_no_file_or_focal_point(login, lead, live_post, photo):
    page = login(lead).get(reverse("wagtailimages:edit", args=[photo.pk])).content.decode()

    assert HELD in page
    assert reverse("wagtailsnippets_posts_post:edit", args=[live_post.pk]) in page
    assert "Autumn launch" in page and "Published" in page
    assert 'name="file"' not in page
    assert 'class="focal-point-chooser"' not in page and 'name="focal_point_x"' not in page
    assert 'name="title"' in page and 'name="tags"' in page


def test_an_image_no_post_holds_keeps_its_file_and_focal_point(login, lead, draft, photo):  # noqa: F811
    post = draft()
    add_media(post, [photo])
    post.save_revision(user=post.created_by)  # a draft holds nothing
    client = login(lead)

    page = client.get(reverse("wagtailimages:edit", args=[photo.pk])).content.decode()
    client.post(reverse("wagtailimages:edit", args=[photo.pk]), edit_form(photo, file=new_file()))

    assert HELD not in page
    assert 'name="file"' in page and 'class="focal-point-chooser"' in page
    photo.refresh_from_db()
    assert "swapped" in photo.file.name


def test_posts_of_brands_the_user_does_not_work_on_are_counted_not_named(login, lead, brand_b, photo):
    """An image moved to another brand's collection after a post there used it, say."""
    post = PostFactory(brand=brand_b, title="Borealis secret launch")
    add_media(post, [photo])
    publish_directly(post)

    page = login(lead).get(reverse("wagtailimages:edit", args=[photo.pk])).content.decode()

    assert HELD in page
    assert "1 post of brands you don’t work on" in page
    assert "Borealis" not in page


def test_the_image_page_of_an_image_in_review_says_so(login, lead, api, creative, draft, photo):  # noqa: F811
    post = draft(title="In review now")
    add_media(post, [photo])
    post.save_revision(user=creative)
    submit(api, creative, post)

    page = login(lead).get(reverse("wagtailimages:edit", args=[photo.pk])).content.decode()

    assert HELD in page and "In review now" in page and "In review" in page


# Deleting one ----------------------------------------------------------------------------------------


@pytest.fixture
def held_elsewhere(live_post, creative, brand_a, photo):
    """Held by the live version only: the post's new draft shows another picture, so nothing
    but the hold keeps the photo."""
    PostMedia.objects.filter(post=live_post).delete()
    add_media(live_post, [brand_image(brand_a, title="Newer photo")])
    Post.objects.get(pk=live_post.pk).save_revision(user=creative)
    assert not PostMedia.objects.filter(image=photo).exists()
    return photo


def test_the_delete_page_says_why_and_offers_no_button(login, creative, held_elsewhere):
    page = login(creative).get(reverse("wagtailimages:delete", args=[held_elsewhere.pk])).content.decode()

    assert HELD in page and "Autumn launch" in page
    assert "Yes, delete" not in page


def test_a_delete_sent_anyway_is_refused(login, creative, held_elsewhere):
    response = login(creative).post(reverse("wagtailimages:delete", args=[held_elsewhere.pk]))

    assert response.status_code == 302  # Wagtail's "permission denied": back to the dashboard
    assert Image.objects.filter(pk=held_elsewhere.pk).exists()


def test_the_multiple_uploaders_delete_refuses_it(login, creative, held_elsewhere):
    response = login(creative).post(
        reverse("wagtailimages:delete_multiple", args=[held_elsewhere.pk]),
        headers={"x-requested-with": "XMLHttpRequest"},
    )

    assert response.status_code == 403
    assert Image.objects.filter(pk=held_elsewhere.pk).exists()


def test_an_image_nothing_holds_is_deleted_as_before(login, creative, photo):
    response = login(creative).post(reverse("wagtailimages:delete", args=[photo.pk]))

    assert response.status_code == 302
    assert not Image.objects.filter(pk=photo.pk).exists()


# Deleting in bulk ------------------------------------------------------------------------------------


def bulk_delete_url(*images):
    url = reverse("wagtail_bulk_action", args=["wagtailimages", "image", "delete"])
    next_url = reverse("wagtailimages:index")
    return url + f"?next={next_url}&" + "&".join(f"id={image.pk}" for image in images)


def test_bulk_delete_leaves_held_images_out_and_says_why(login, lead, brand_a, held_elsewhere):
    spare = brand_image(brand_a, title="Spare shot")
    client = login(lead)

    page = client.get(bulk_delete_url(spare, held_elsewhere)).content.decode()
    response = client.post(bulk_delete_url(spare, held_elsewhere), follow=True)

    assert "This image stays" in page and "Autumn launch" in page
    assert "Yes, delete" in page  # the spare shot can still go
    assert "1 image has been deleted" in response.content.decode()
    assert not Image.objects.filter(pk=spare.pk).exists()
    assert Image.objects.filter(pk=held_elsewhere.pk).exists()


def test_bulk_delete_of_held_images_only_deletes_nothing(login, lead, held_elsewhere):
    client = login(lead)

    page = client.get(bulk_delete_url(held_elsewhere)).content.decode()
    client.post(bulk_delete_url(held_elsewhere))

    assert "This image stays" in page
    assert "Yes, delete" not in page
    assert Image.objects.filter(pk=held_elsewhere.pk).exists()


# An image a draft shows --------------------------------------------------------------------------------


@pytest.fixture
def in_a_draft(brand_a, creative, photo):
    """Shown by a post that never went for approval: nothing holds it, but the post shows it."""
    post = PostFactory(brand=brand_a, created_by=creative, title="Winter teaser")
    add_media(post, [photo])
    return photo


def test_the_multiple_uploaders_delete_of_an_image_in_a_draft_is_refused_not_a_server_error(
    login, creative, in_a_draft
):
    response = login(creative).post(
        reverse("wagtailimages:delete_multiple", args=[in_a_draft.pk]),
        headers={"x-requested-with": "XMLHttpRequest"},
    )

    assert response.status_code == 403
    assert Image.objects.filter(pk=in_a_draft.pk).exists()
    assert PostMedia.objects.filter(image=in_a_draft).exists()


def test_deleting_an_image_in_a_draft_is_refused(login, creative, in_a_draft):
    response = login(creative).post(reverse("wagtailimages:delete", args=[in_a_draft.pk]))

    assert response.status_code == 302
    assert Image.objects.filter(pk=in_a_draft.pk).exists()


def test_the_refusal_names_the_post_to_take_it_out_of(in_a_draft):
    from cms.posts.image_holds import ImageInUse

    with pytest.raises(
        ImageInUse, match="“Launch photo” is in “Winter teaser”: take it out of the post first"
    ):
        in_a_draft.delete()


def test_bulk_delete_leaves_out_images_in_drafts_and_says_which_post(login, lead, brand_a, in_a_draft):
    spare = brand_image(brand_a, title="Spare shot")
    client = login(lead)

    page = client.get(bulk_delete_url(spare, in_a_draft)).content.decode()
    response = client.post(bulk_delete_url(spare, in_a_draft), follow=True)

    assert "This image stays: a post shows it" in page and "Winter teaser" in page
    assert "1 image has been deleted" in response.content.decode()
    assert not Image.objects.filter(pk=spare.pk).exists()
    assert Image.objects.filter(pk=in_a_draft.pk).exists()
