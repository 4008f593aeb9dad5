"""The client portal's first pages: sign-in, the client's posts, a post's platform mock-ups."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cms.posts.factories import PostFactory, publish_directly

pytestmark = pytest.mark.django_db


def scheduled(brand, title):
    post = PostFactory(
        brand=brand,
        title=title,
        caption=f"{title}\nSee you there.",
        go_live_at=timezone.now() + dt.timedelta(days=2),
    )
    publish_directly(post)
    return post


@pytest.fixture
def post_a(brand_a):
    return scheduled(brand_a, "Acme autumn launch")


@pytest.fixture
def post_b(brand_b):
    return scheduled(brand_b, "Borealis trail day")


def test_a_client_signs_in_and_sees_their_scheduled_posts(client, client_of_a, post_a, post_b, brand_a):
    PostFactory(brand=brand_a, title="Acme internal draft")

    response = client.post(reverse("portal:login"), {"username": "client_a", "password": "pw"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("portal:dashboard")

    response = client.get(reverse("portal:upcoming"))
    assert "Acme autumn launch" in response.text
    assert "Scheduled" in response.text
    assert "Borealis trail day" not in response.text
    assert "Acme internal draft" not in response.text


def test_agency_staff_are_sent_to_the_admin(client, creative):
    response = client.post(reverse("portal:login"), {"username": "creative", "password": "pw"})

    assert response.status_code == 200
    assert "Agency team members sign in at /admin/" in response.text
    assert "_auth_user_id" not in client.session


def test_a_wrong_password_keeps_the_username(client, client_of_a):
    response = client.post(reverse("portal:login"), {"username": "client_a", "password": "nope"})

    assert response.status_code == 200
    assert 'value="client_a"' in response.text


def test_anonymous_visitors_are_asked_to_sign_in(client, post_a):
    response = client.get(reverse("portal:post-detail", args=[post_a.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("portal:login"))


def test_a_client_opens_a_post_with_its_platform_previews(login, client_of_a, post_a):
    client = login(client_of_a)

    page = client.get(reverse("portal:post-detail", args=[post_a.pk]), {"mode": "x"})
    assert page.status_code == 200
    assert reverse("portal:post-preview", args=[post_a.pk, "x"]) in page.text

    preview = client.get(reverse("portal:post-preview", args=[post_a.pk, "x"]))
    assert preview.status_code == 200
    assert "@acmecoffee" in preview.text


def test_another_clients_post_is_404_like_a_missing_one(login, client_of_a, post_b):
    client = login(client_of_a)

    missing = client.get(reverse("portal:post-detail", args=[999999]))
    foreign = client.get(reverse("portal:post-detail", args=[post_b.pk]))
    assert missing.status_code == foreign.status_code == 404
    assert missing.text == foreign.text
    assert client.get(reverse("portal:post-preview", args=[post_b.pk, "x"])).status_code == 404


def test_drafts_are_hidden_from_clients(login, client_of_a, brand_a):
    draft = PostFactory(brand=brand_a, title="Not ready")

    assert login(client_of_a).get(reverse("portal:post-detail", args=[draft.pk])).status_code == 404


def test_an_unknown_preview_mode_is_404(login, client_of_a, post_a):
    response = login(client_of_a).get(reverse("portal:post-preview", args=[post_a.pk, "myspace"]))

    assert response.status_code == 404


def test_times_are_shown_in_the_brands_time_zone(login, client_of_a, brand_a):
    brand_a.time_zone = "Asia/Tokyo"
    brand_a.save()
    post = PostFactory(
        brand=brand_a, title="Tokyo morning", go_live_at=dt.datetime(2031, 1, 6, 0, 15, tzinfo=dt.UTC)
    )
    publish_directly(post)

    response = login(client_of_a).get(reverse("portal:post-detail", args=[post.pk]))

    assert "Monday 6 January, 09:15" in response.text
    assert "JST" in response.text
