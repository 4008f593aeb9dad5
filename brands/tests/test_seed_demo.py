"""`manage.py seed_demo`: the demo agency other tools and the browser tests rely on (DESIGN.md)."""

import io
from datetime import timedelta

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import RequestFactory
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.images.models import Rendition
from wagtail.models import Revision

from brands.demo import BRANDS, DEMO_PASSWORD
from brands.models import (
    BannedPhrase,
    Brand,
    BrandMembership,
    BrandPlatform,
    BrandRole,
    Client,
    ClientUser,
    HashtagRule,
    KitImage,
    NameSpelling,
    PaletteColour,
    SensitiveDate,
)
from cms.archive.models import ArchiveApprover, ArchiveEntry, Delivery
from cms.posts.models import PollOption, Post, PostMedia, PostStatus

User = get_user_model()
Image = get_image_model()


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker):
    """Seed once for the module (it takes a few seconds) and roll it all back afterwards.

    Each test still runs in its own transaction inside this one, so tests stay independent.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        output = io.StringIO()
        call_command("seed_demo", stdout=output)
        yield output.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_output, db):
    return demo_output


def snapshot() -> dict:
    """Everything that must not change when the seed runs again, by natural key → id."""
    return {
        "users": set(User.objects.values_list("username", "id", "password", "is_superuser")),
        "clients": dict(Client.objects.values_list("slug", "id")),
        "brands": dict(Brand.objects.values_list("slug", "id")),
        "memberships": set(BrandMembership.objects.values_list("id", "brand_id", "user_id", "role")),
        "client_users": set(ClientUser.objects.values_list("id", "client_id", "user_id")),
        "images": set(Image.objects.values_list("id", "collection_id", "title", "file", "file_hash")),
        "renditions": Rendition.objects.count(),
        "posts": set(Post.objects.values_list("id", "brand__slug", "title")),
        "revisions": Revision.objects.count(),
        "post_media": PostMedia.objects.count(),
        "poll_options": PollOption.objects.count(),
        **{
            model.__name__: set(model.objects.values_list("id", flat=True))
            for model in [
                BrandPlatform,
                PaletteColour,
                KitImage,
                BannedPhrase,
                HashtagRule,
                NameSpelling,
                SensitiveDate,
            ]
        },
        "kits": set(Brand.objects.values_list("kit__id", "kit__logo_id", "kit__voice_guidelines")),
        "archive entries": set(ArchiveEntry.objects.values_list("id", flat=True)),
        "deliveries": set(Delivery.objects.values_list("id", "status")),
    }


def image_files() -> list[str]:
    return sorted(default_storage.listdir("original_images")[1])


def test_running_it_twice_gives_the_same_data(demo):
    before, files_before = snapshot(), image_files()

    output = io.StringIO()
    call_command("seed_demo", stdout=output)

    assert snapshot() == before
    assert image_files() == files_before
    assert "Created: nothing" in output.getvalue()


def test_it_creates_two_clients_and_three_brands_with_full_kits(demo):
    assert set(Client.objects.values_list("slug", flat=True)) >= {"kiln-coffee", "halden-group"}
    for spec in BRANDS:
        brand = Brand.objects.get(slug=spec.slug)
        kit = brand.kit
        assert brand.platforms.count() == len(spec.handles)
        assert kit.colours.count() >= 4 and all(colour.name for colour in kit.colours.all())
        assert kit.heading_font and kit.body_font and "<h3>" in kit.voice_guidelines
        assert kit.banned_phrases.filter(severity="block").exists()
        assert set(kit.hashtag_rules.values_list("kind", flat=True)) == {"required", "forbidden"}
        assert kit.name_spellings.exists()
        assert kit.sensitive_dates.filter(label="International Women's Day", date__month=3, date__day=8)
        assert all(date.reason for date in kit.sensitive_dates.all())


def test_each_brand_has_its_images_in_its_own_collection(demo):
    for spec in BRANDS:
        brand = Brand.objects.get(slug=spec.slug)
        in_collection = Image.objects.filter(collection=brand.collection)
        kit_images = [kit_image.image for kit_image in brand.kit.approved_images.all()]

        assert in_collection.count() >= 8  # two logos and 6–8 pictures
        assert brand.kit.logo.collection_id == brand.collection_id
        assert len(kit_images) >= 6
        assert all(image.collection_id == brand.collection_id for image in kit_images)
        assert {(image.width, image.height) for image in kit_images} >= {(1080, 1080), (1080, 1920)}


def sign_in(username):
    # authenticate() needs the request: the sign-in lockout counts by username and address.
    return authenticate(RequestFactory().post("/admin/login/"), username=username, password=DEMO_PASSWORD)


def test_demo_users_log_in_with_the_demo_password_and_have_their_roles(demo):
    for username in ["admin", "junior", "senior", "lead", "client", "client2"]:
        assert sign_in(username), username

    assert User.objects.get(username="admin").is_superuser
    demo_brands = set(Brand.objects.filter(slug__in=[spec.slug for spec in BRANDS]))
    for username, role in [
        ("junior", BrandRole.CREATIVE),
        ("senior", BrandRole.REVIEWER),
        ("lead", BrandRole.LEAD),
    ]:
        memberships = BrandMembership.objects.filter(user__username=username)
        assert {membership.brand for membership in memberships} == demo_brands
        assert set(memberships.values_list("role", flat=True)) == {role}


def test_client_users_belong_to_their_client_and_stay_out_of_the_admin(demo):
    client = sign_in("client")
    junior = sign_in("junior")

    assert client.client_user.client.slug == "kiln-coffee"
    assert User.objects.get(username="client2").client_user.client.slug == "halden-group"
    assert not client.has_perm("wagtailadmin.access_admin")
    assert junior.has_perm("wagtailadmin.access_admin")


def test_posts_exist_in_draft_scheduled_and_published_states(demo):
    for spec in BRANDS:
        statuses = set(
            Post.objects.with_status().filter(brand__slug=spec.slug).values_list("status_code", flat=True)
        )
        assert statuses >= {PostStatus.DRAFT, PostStatus.SCHEDULED, PostStatus.PUBLISHED}, spec.slug

    scheduled = Post.objects.with_status().filter(status_code=PostStatus.SCHEDULED)
    now = timezone.now()
    assert all(now < post.go_live_at < now + timedelta(days=14) and not post.live for post in scheduled)
    assert all(post.live for post in Post.objects.with_status().filter(status_code=PostStatus.PUBLISHED))


def test_the_demo_client_has_posts_awaiting_their_approval_in_the_portal(demo):
    from approvals.portal.selectors import awaiting_client

    client = User.objects.get(username="client")
    kiln = Brand.objects.get(slug="kiln-coffee-roasters")

    assert kiln.approval_policy.client_approval_required
    assert awaiting_client(client, kiln).count() >= 2


def test_posts_cover_formats_intents_media_and_polls(demo):
    posts = Post.objects.filter(brand__slug__in=[spec.slug for spec in BRANDS])

    assert set(posts.values_list("format", flat=True)) == {
        "feed",
        "carousel",
        "story",
        "reel",
        "poll",
        "reply",
    }
    assert set(posts.values_list("intent", flat=True)) == {"know", "go", "do", "buy"}
    assert posts.filter(sponsored=True).exists() and posts.exclude(cta_url="").exists()
    for carousel in posts.filter(format="carousel"):
        assert carousel.media.count() >= 2 and all(media.alt_text for media in carousel.media.all())
        assert all(
            media.image.collection_id == carousel.brand.collection_id for media in carousel.media.all()
        )
    assert all(poll.poll_options.count() >= 2 for poll in posts.filter(format="poll"))


def test_it_prints_the_logins_and_where_to_use_them(demo):
    assert "signoff-demo" in demo
    for line in ["admin", "junior", "senior", "lead", "client ", "client2"]:
        assert f"  {line}" in demo
    assert "http://127.0.0.1:8000/admin/" in demo and "http://127.0.0.1:8000/portal/" in demo


def test_no_post_past_draft_carries_a_blocking_finding(demo):
    """What reached a reviewer or the client passed the checker: the demo must not show posts the
    checker would have stopped (issue 13: Instagram posts without an image reached the client)."""
    from cms.archive.seeding import TITLE_PREFIX
    from cms.posts.checking import blocking, content_of, findings_for

    # The demo's posts, not the generated archive history (which never went through review).
    past_draft = (
        Post.objects.with_status()
        .exclude(status_code=PostStatus.DRAFT)
        .exclude(title__startswith=TITLE_PREFIX)
    )

    assert past_draft.count() >= 10
    blocked = {
        post.title: [finding.message for finding in blocking(findings)]
        for post in past_draft
        if blocking(findings := findings_for(content_of(post.get_latest_revision_as_object()), post.brand))
    }
    assert blocked == {}


def test_seed_reviews_gives_the_senior_clean_posts_to_review_from_every_brand(demo):
    """`manage.py seed_reviews --count N`: enough to clear a queue by keyboard (issue 14)."""
    from approvals.inbox import inbox_page

    senior = User.objects.get(username="senior")
    call_command("seed_reviews", count=9, stdout=io.StringIO())

    page = inbox_page(senior, per_page=50)
    assert page.paginator.count == 9
    new = [item for item in page.object_list if "(take " in item.title]
    assert len(new) >= 7  # the demo's own reviews, and new takes of clean demo posts
    assert all(item.findings_count == 0 for item in new)
    assert len({item.title for item in new}) == len(new)
    assert {item.brand.slug for item in new} == {spec.slug for spec in BRANDS}

    call_command("seed_reviews", count=9, stdout=io.StringIO())  # there are 9 already
    assert inbox_page(senior).paginator.count == 9


def test_every_brand_has_an_archived_history_some_of_it_delivered_through_its_channels(demo):
    for spec in BRANDS:
        entries = ArchiveEntry.objects.filter(brand__slug=spec.slug)
        assert entries.count() >= 300, spec.slug
        assert entries.values("platform").distinct().count() >= 2
        assert entries.values("campaign").distinct().count() >= 3
        published = entries.order_by("published_at")
        assert (published.last().published_at - published.first().published_at).days > 2 * 365
        delivered = entries.filter(delivery__status=Delivery.Status.DELIVERED)
        assert delivered.exists(), spec.slug
        assert all(entry.live_url and entry.approvals for entry in delivered)
    assert ArchiveApprover.objects.filter(entry__brand__slug=BRANDS[0].slug).exists()


def test_a_demo_junior_drafting_like_an_archived_post_sees_it(demo, client):
    from django.urls import reverse

    kiln = Brand.objects.get(slug="kiln-coffee-roasters")
    archived = ArchiveEntry.objects.filter(brand=kiln, caption__startswith="New on the shelf").first()
    draft = archived.caption.split(".")[0]  # its first sentence, as if being typed

    client.force_login(User.objects.get(username="junior"))
    response = client.post(reverse("posts_similar"), {"brand": kiln.pk, "caption": draft})

    assert response.status_code == 200
    assert draft in response.text


def test_seed_demo_times_copies_every_demo_post_in_its_state(demo):
    """`manage.py seed_demo --times N`: the demo N times over, for measuring pages at scale."""
    demo_titles = {post_spec.title for spec in BRANDS for post_spec in spec.posts}
    originals = {post.title: post.status for post in Post.objects.with_status() if post.title in demo_titles}

    output = io.StringIO()
    call_command("seed_demo", times=2, stdout=output)

    copies = {
        post.title.removesuffix(" (copy 2)"): post.status
        for post in Post.objects.with_status()
        if post.title.endswith(" (copy 2)")
    }
    assert copies == originals
    assert f"{len(originals)} copies of demo posts" in output.getvalue()

    posts = Post.objects.count()
    call_command("seed_demo", times=2, stdout=io.StringIO())  # made already: nothing more
    assert Post.objects.count() == posts


def test_seed_demo_times_must_be_at_least_one(demo):
    with pytest.raises(CommandError):
        call_command("seed_demo", times=0, stdout=io.StringIO())
