"""The publishing desk and the channels in the admin, from both sides of every boundary."""

import pytest
from django.urls import reverse

from approvals.tests.helpers import decide, submit
from cms.archive.models import ArchiveEntry, Channel, Delivery

pytestmark = pytest.mark.django_db

DESK = "/admin/publishing/"


@pytest.fixture
def to_post(api, draft, creative, reviewer, django_capture_on_commit_callbacks):
    """A post of brand A, approved and live, waiting to be posted by hand on Facebook."""
    post = draft(title="Autumn blend", platforms=["facebook"])
    with django_capture_on_commit_callbacks(execute=True):
        submit(api, creative, post)
        decide(api, reviewer, post)
    return Delivery.objects.get(post=post)


def test_the_desk_lists_what_to_post_with_its_caption(login, creative, to_post):
    html = login(creative).get(DESK).content.decode()

    assert "Autumn blend" in html and to_post.caption in html


def test_another_brands_people_see_nothing_and_cannot_record_it(login, outsider, to_post):
    client = login(outsider)

    assert "Autumn blend" not in client.get(DESK).content.decode()
    url = reverse("archive_publishing_posted", args=[to_post.pk])
    assert client.post(url, {"live_url": "https://facebook.example/p/9"}).status_code == 404
    assert not ArchiveEntry.objects.exists()


def test_recording_the_link_archives_the_post(login, creative, to_post):
    url = reverse("archive_publishing_posted", args=[to_post.pk])

    response = login(creative).post(url, {"live_url": "facebook.example/p/9"}, follow=True)

    assert "Recorded" in response.content.decode()
    assert ArchiveEntry.objects.get().live_url == "https://facebook.example/p/9"


def test_a_link_that_is_no_link_is_refused_with_a_message(login, creative, to_post):
    url = reverse("archive_publishing_posted", args=[to_post.pk])

    response = login(creative).post(url, {"live_url": "not a link"}, follow=True)

    assert "Enter a valid URL" in response.content.decode()
    assert not ArchiveEntry.objects.exists()


def test_client_users_never_reach_the_desk(client, client_of_a):
    client.force_login(client_of_a)

    assert client.get(DESK).status_code in (302, 403)


def channel_edit_url(channel):
    return reverse("wagtailsnippets_archive_channel:edit", args=[channel.pk])


def test_a_lead_sets_up_a_webhook_channel_for_their_brand(login, lead, brand_a):
    channel = Channel.objects.get(brand=brand_a, platform_id="facebook")

    response = login(lead).post(
        channel_edit_url(channel),
        {"kind": "webhook", "webhook_url": "https://hooks.example/signoff", "active": "on"},
    )

    assert response.status_code == 302
    channel.refresh_from_db()
    assert (channel.kind, channel.webhook_url) == ("webhook", "https://hooks.example/signoff")


@pytest.mark.parametrize("who, refused_with", [("creative", 403), ("outsider", 404), ("lead_b", 404)])
def test_only_the_brands_leads_change_its_channels(request, login, brand_a, who, refused_with):
    channel = Channel.objects.get(brand=brand_a, platform_id="facebook")

    response = login(request.getfixturevalue(who)).post(
        channel_edit_url(channel), {"kind": "webhook", "webhook_url": "https://evil.example/", "active": "on"}
    )

    assert response.status_code in (refused_with, 302 if refused_with == 403 else refused_with)
    channel.refresh_from_db()
    assert channel.kind == "manual"
