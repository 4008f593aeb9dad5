"""Boundaries and edge cases that cut across apps, found by trying to cross them: roles per
brand, posts moving brands, access groups following memberships and brands, kit images, time
zones, drafts of live posts, bad input, and query counts that must stay flat."""

import datetime as dt
import zoneinfo

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient
from wagtail.images.models import Image
from wagtail.log_actions import log
from wagtail.models import GroupCollectionPermission, Revision

from brands.factories import BrandFactory, UserFactory, brand_image, membership
from brands.models import BannedPhrase, Brand, BrandAccessGroup, BrandMembership, BrandRole, KitImage
from cms.posts.factories import PostFactory, publish_directly
from cms.posts.models import Post

pytestmark = pytest.mark.django_db


def snippet_url(name, *args):
    return reverse(f"wagtailsnippets_posts_post:{name}", args=args)


def post_form(brand, **fields):
    """The post editor's form data, without inline rows."""
    data = {
        "brand": brand.pk,
        "title": "Monday latte",
        "caption": "Start the week with a flat white #AcmeCoffee",
        "platforms": ["instagram"],
        "format": "feed",
        "intent": "know",
        "cta_label": "",
        "cta_url": "",
        "campaign": "",
        "go_live_at": "",
        **fields,
    }
    for prefix in ["media", "poll_options", "caption_variants"]:
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    return data


@pytest.fixture
def on_both(brand_a, brand_b):
    """A creative who works on brand A and on brand B (different clients)."""
    user = UserFactory(username="on_both")
    membership(user, brand_a, BrandRole.CREATIVE)
    membership(user, brand_b, BrandRole.CREATIVE)
    return user


# 1. Permission boundaries -----------------------------------------------------------------------


def test_a_post_cannot_be_moved_to_another_brand_in_the_editor(login, on_both, brand_a, brand_b):
    """The API refuses a brand change (cms/posts/api.py); the admin editor accepts it."""
    post = PostFactory(brand=brand_a, title="Acme launch", caption="Acme's secret launch plan")
    post.save_revision(user=on_both)

    login(on_both).post(snippet_url("edit", post.pk), post_form(brand_b, title="Acme launch"))

    post.refresh_from_db()
    assert post.brand == brand_a


def test_moving_a_post_leaks_the_old_brands_revisions_to_the_new_brand(
    login, on_both, outsider, brand_a, brand_b
):
    post = PostFactory(brand=brand_a, title="Acme launch", caption="Acme's secret launch plan")
    first = post.save_revision(user=on_both)
    login(on_both).post(
        snippet_url("edit", post.pk), post_form(brand_b, title="Bikes", caption="Nothing to see")
    )

    # brand B's creative (another client) now opens brand A's confidential first revision.
    response = login(outsider).get(snippet_url("revisions_view", post.pk, first.pk))

    assert response.status_code == 404


@pytest.fixture
def lead_a_creative_b(brand_a, brand_b):
    user = UserFactory(username="lead_a_creative_b")
    membership(user, brand_a, BrandRole.LEAD)
    membership(user, brand_b, BrandRole.CREATIVE)
    return user


@pytest.fixture
def reviewer_a_creative_b(brand_a, brand_b):
    user = UserFactory(username="reviewer_a_creative_b")
    membership(user, brand_a, BrandRole.REVIEWER)
    membership(user, brand_b, BrandRole.CREATIVE)
    return user


def test_a_lead_elsewhere_has_only_creative_rights_on_a_brand_where_they_are_a_creative(
    login, lead_a_creative_b, brand_b
):
    """Role permissions come from global groups, so a lead on A may delete B's posts as a mere creative."""
    post_b = PostFactory(brand=brand_b, title="Borealis trail day")

    login(lead_a_creative_b).post(snippet_url("delete", post_b.pk))

    assert Post.objects.filter(pk=post_b.pk).exists()


def test_a_reviewer_elsewhere_cannot_publish_their_own_post_on_a_brand_where_they_are_a_creative(
    login, reviewer_a_creative_b, brand_b
):
    """publish_post comes from the global Reviewer group, so the creative skips every approval on B."""
    response = login(reviewer_a_creative_b).post(
        snippet_url("add"), post_form(brand_b, title="Unreviewed", **{"action-publish": "publish"})
    )

    assert response.status_code in (200, 302, 403)
    assert not Post.objects.get(title="Unreviewed").live


def test_a_reviewer_on_a_brand_cannot_create_its_posts_through_the_api_because_they_create_elsewhere(
    brand_a, brand_b
):
    """Same root cause over the API: add_post comes from the global Creative group."""
    user = UserFactory(username="creative_a_reviewer_b")
    membership(user, brand_a, BrandRole.CREATIVE)
    membership(user, brand_b, BrandRole.REVIEWER)
    api = APIClient()
    api.force_authenticate(user)

    response = api.post(
        "/api/v1/posts/", {"brand": brand_b.pk, "caption": "Hi", "platforms": ["instagram"]}, format="json"
    )

    assert response.status_code in (400, 403)
    assert not Post.objects.filter(brand=brand_b).exists()


def test_publishing_from_the_editor_does_not_skip_the_blocking_findings_gate(login, reviewer, brand_a):
    """The gate (cms/posts/forms.py SUBMIT_ACTIONS) covers submit only; "Publish" skips it."""
    BannedPhrase.objects.create(kit=brand_a.kit, phrase="cheap", suggestion="great value", severity="block")
    post = PostFactory(brand=brand_a, title="Cheap", caption="So cheap it hurts")
    post.save_revision()

    login(reviewer).post(
        snippet_url("edit", post.pk),
        post_form(brand_a, title="Cheap", caption="So cheap it hurts", **{"action-publish": "publish"}),
    )

    post.refresh_from_db()
    assert not post.live


def test_site_history_does_not_show_another_brands_posts(login, creative, brand_b):
    """Wagtail filters log entries by model permission only: titles of B's posts show to A's creative."""
    post_b = PostFactory(brand=brand_b, title="Borealis secret recall")
    log(instance=post_b, action="wagtail.create")

    response = login(creative).get(reverse("wagtailadmin_reports:site_history"))

    assert response.status_code in (200, 302, 403)
    assert "Borealis secret recall" not in response.text


def test_a_creative_cannot_delete_an_approved_kit_image(login, creative, lead, brand_a):
    """Wagtail lets uploaders change and delete their own images; once a lead puts one in the kit, the
    creative can still delete it (KitImage cascades) or replace its file."""
    client = login(creative)
    from django.core.files.uploadedfile import SimpleUploadedFile

    from brands.factories import png_bytes

    client.post(
        reverse("wagtailimages:add"),
        {"title": "Hero", "file": SimpleUploadedFile("hero.png", png_bytes(), content_type="image/png")},
    )
    image = Image.objects.get(title="Hero")
    KitImage.objects.create(kit=brand_a.kit, image=image)  # the lead approves it into the kit

    client.post(reverse("wagtailimages:delete", args=[image.pk]))

    assert brand_a.kit.approved_images.filter(image=image).exists()


def test_a_creative_cannot_replace_the_file_of_an_approved_kit_image(login, creative, brand_a):
    client = login(creative)
    from django.core.files.uploadedfile import SimpleUploadedFile

    from brands.factories import png_bytes

    client.post(
        reverse("wagtailimages:add"),
        {"title": "Logo", "file": SimpleUploadedFile("logo.png", png_bytes(), content_type="image/png")},
    )
    image = Image.objects.get(title="Logo")
    kit = brand_a.kit
    kit.logo = image
    kit.save()

    response = client.get(reverse("wagtailimages:edit", args=[image.pk]))

    assert response.status_code in (302, 403)


# sync_user_access -------------------------------------------------------------------------------


def _access_group_ids(user):
    return set(user.groups.filter(brand_access__isnull=False).values_list("pk", flat=True))


def _collection_ids_with_rights(user):
    """Collections the user holds any image permission on (through any group)."""
    return set(
        GroupCollectionPermission.objects.filter(
            group__user=user, permission__content_type__app_label="wagtailimages"
        ).values_list("collection_id", flat=True)
    )


def test_giving_a_membership_to_someone_else_takes_access_from_the_first_user(creative, brand_a):
    """The Brand editor's Team inline lets an admin change a row's user; only the new user is synced."""
    newcomer = UserFactory(username="newcomer")
    row = BrandMembership.objects.get(user=creative, brand=brand_a)

    row.user = newcomer
    row.save()

    assert brand_a.collection_id in _collection_ids_with_rights(newcomer)
    assert brand_a.collection_id not in _collection_ids_with_rights(creative)
    assert not creative.groups.filter(name="Creative").exists()


def test_moving_a_membership_to_another_brand_moves_access(creative, brand_a, brand_b):
    row = BrandMembership.objects.get(user=creative, brand=brand_a)
    row.brand = brand_b
    row.save()

    assert _collection_ids_with_rights(creative) == {brand_b.collection_id}


def test_deleting_a_user_is_not_a_crash(creative):
    creative.delete()


def test_deleting_a_brand_takes_its_collection_from_its_team(creative, brand_a):
    collection_id = brand_a.collection_id
    brand_a.delete()

    assert collection_id not in _collection_ids_with_rights(creative)


def test_deleting_a_brand_leaves_no_access_group_behind(brand_a):
    names = set(BrandAccessGroup.objects.filter(brand=brand_a).values_list("group__name", flat=True))
    brand_a.delete()

    assert not Group.objects.filter(name__in=names).exists()


def test_a_new_brand_may_take_a_slug_another_brand_used_before(brand_a, client_a):
    brand_a.slug = "acme-coffee-old"
    brand_a.save()

    # The access groups are named after the slug at creation and never renamed: IntegrityError.
    BrandFactory(client=client_a, name="Acme Coffee II", slug="acme-coffee")


def test_a_brand_deleted_and_created_again_is_not_a_crash(client_a):
    brand = BrandFactory(client=client_a, name="Pop-up", slug="pop-up")
    brand.delete()

    BrandFactory(client=client_a, name="Pop-up", slug="pop-up")


# 2. Bad input -----------------------------------------------------------------------------------


def test_live_checks_with_an_impossible_date_are_not_a_500(login, creative, brand_a):
    # parse_datetime raises ValueError for well-formed but impossible dates (cms/posts/checking.py:274).
    response = login(creative).post(
        reverse("posts_live_checks"), post_form(brand_a, go_live_at="2030-02-30 10:00")
    )

    assert response.status_code == 200


def test_live_checks_with_an_unknown_format_and_an_image_are_not_a_500(login, creative, brand_a):
    image = brand_image(brand_a, title="Latte")
    data = post_form(brand_a, format="hologram", intent="teleport")
    data.update(
        {
            "media-TOTAL_FORMS": "1",
            "media-0-image": image.pk,
            "media-0-alt_text": "A latte",
            "media-0-ORDER": "1",
        }
    )

    response = login(creative).post(reverse("posts_live_checks"), data)

    assert response.status_code == 200


def test_adding_a_brand_kit_in_the_admin_is_not_a_500(login, admin_user, brand_a):
    """The kit form has no brand field; BrandKitForm.clean reads self.instance.brand (brands/forms.py:53)."""
    from brands.tests.test_kit_admin import kit_form

    response = login(admin_user).post(reverse("wagtailsnippets_brands_brandkit:add"), kit_form(brand_a.kit))

    assert response.status_code in (200, 302, 403, 404)


def test_the_checks_api_with_a_huge_image_id_is_a_400(creative, brand_a):
    api = APIClient()
    api.force_authenticate(creative)

    response = api.post(
        "/api/v1/checks/",
        {"brand": brand_a.pk, "caption": "Hi", "platforms": ["instagram"], "images": [{"image": 10**30}]},
        format="json",
    )

    assert response.status_code == 400


def test_the_kit_accepts_an_emoji_banned_phrase_the_checker_supports(login, lead, brand_a):
    """brands/checks/matching.py handles symbol phrases (e.g. an emoji); the kit editor refuses them."""
    from brands.tests.test_kit_admin import kit_form

    data = kit_form(brand_a.kit)
    data.update(
        {
            "banned_phrases-TOTAL_FORMS": "1",
            "banned_phrases-0-phrase": "🍺",
            "banned_phrases-0-suggestion": "",
            "banned_phrases-0-severity": "block",
            "banned_phrases-0-ORDER": "1",
        }
    )

    response = login(lead).post(reverse("wagtailsnippets_brands_brandkit:edit", args=[brand_a.kit.pk]), data)

    assert response.status_code == 302
    assert BannedPhrase.objects.filter(kit=brand_a.kit, phrase="🍺").exists()


# 3. Correctness ---------------------------------------------------------------------------------


def test_the_editor_takes_the_scheduled_time_in_the_brands_time_zone(login, creative, brand_a):
    """The listing, previews and portal show go_live_at in the brand's zone; the editor reads it in UTC."""
    Brand.objects.filter(pk=brand_a.pk).update(time_zone="America/New_York")

    login(creative).post(
        snippet_url("add"), post_form(brand_a, title="Morning", go_live_at="2030-06-03 09:00")
    )

    post = Post.objects.get(title="Morning")
    local = timezone.localtime(post.go_live_at, zoneinfo.ZoneInfo("America/New_York"))
    assert (local.hour, local.minute) == (9, 0)


def test_the_api_returns_the_draft_it_just_saved_for_a_published_post(creative, brand_a):
    """update_post keeps a live post's row as published and saves the edit as a revision; the API then
    answers with the row, so the client never sees (and cannot read back) what it wrote."""
    post = PostFactory(brand=brand_a, title="Live", caption="Old words")
    publish_directly(post)
    api = APIClient()
    api.force_authenticate(creative)

    response = api.patch(f"/api/v1/posts/{post.pk}/", {"caption": "New words"}, format="json")

    assert response.status_code == 200
    assert response.json()["caption"] == "New words"


def test_the_portal_shows_the_scheduled_content_of_a_scheduled_update(login, client_of_a, brand_a):
    """A live post with a scheduled new revision has status "scheduled", but the portal renders the
    row (the old, live content) and has no time to show: the client approves what is not going out."""
    post = PostFactory(brand=brand_a, title="Live", caption="Old words")
    publish_directly(post)
    post = Post.objects.get(pk=post.pk)
    post.caption = "New words for Friday"
    post.go_live_at = timezone.now() + dt.timedelta(days=2)
    publish_directly(post)
    client = login(client_of_a)

    detail = client.get(reverse("portal:post-detail", args=[post.pk]))
    preview = client.get(reverse("portal:post-preview", args=[post.pk, "instagram_feed"]))

    assert "goes out" in detail.text
    assert "New words for Friday" in preview.text


def _queries(client, url, method="get", data=None):
    getattr(client, method)(url, data)  # warm up: renditions, content types, site
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, data)
    assert response.status_code == 200
    return len(queries)


def test_the_kit_panel_queries_do_not_grow_with_approved_images(login, creative, brand_a):
    client = login(creative)
    url = snippet_url("add")
    KitImage.objects.create(kit=brand_a.kit, image=brand_image(brand_a, title="Kit 0", width=200, height=200))
    one = _queries(client, url)
    for index in range(1, 10):
        KitImage.objects.create(
            kit=brand_a.kit, image=brand_image(brand_a, title=f"Kit {index}", width=200, height=200)
        )
    ten = _queries(client, url)

    assert ten == one


def test_the_portal_dashboard_queries_do_not_grow_with_posts(login, client_of_a, brand_a):
    def scheduled_post(index):
        post = PostFactory(brand=brand_a, title=f"P{index}", platforms=["instagram", "x"])
        post.go_live_at = timezone.now() + dt.timedelta(days=1 + index)
        publish_directly(post)

    scheduled_post(0)
    client = login(client_of_a)
    one = _queries(client, reverse("portal:dashboard"))
    for index in range(1, 20):
        scheduled_post(index)
    many = _queries(client, reverse("portal:dashboard"))

    assert many == one


def test_the_api_post_list_queries_do_not_grow_with_posts(creative, brand_a):
    api = APIClient()
    api.force_authenticate(creative)
    PostFactory(brand=brand_a, platforms=["instagram", "x"])
    one = _queries(api, "/api/v1/posts/")
    for _ in range(20):
        PostFactory(brand=brand_a, platforms=["instagram", "x"])
    many = _queries(api, "/api/v1/posts/")

    assert many == one


def test_the_post_listing_queries_do_not_grow_for_a_lead_with_locked_and_published_posts(
    login, lead, creative, brand_a
):
    def make(index):
        post = PostFactory(brand=brand_a, title=f"Row {index}", platforms=["instagram"])
        post.save_revision(user=creative)
        if index % 2:
            publish_directly(post, post.get_latest_revision())
        Post.objects.filter(pk=post.pk).update(locked=True, locked_by=creative, locked_at=timezone.now())

    make(0)
    client = login(lead)
    one = _queries(client, snippet_url("list"))
    for index in range(1, 20):
        make(index)
    many = _queries(client, snippet_url("list"))

    assert many == one


def test_revision_compare_of_another_brand_is_404(login, creative, brand_b):
    post_b = PostFactory(brand=brand_b)
    first = post_b.save_revision()
    post_b.caption = "A second version"  # a save that changes nothing makes no revision
    second = post_b.save_revision()

    response = login(creative).get(snippet_url("revisions_compare", post_b.pk, first.pk, second.pk))

    assert response.status_code == 404
    assert Revision.objects.count() == 2
