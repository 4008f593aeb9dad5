"""The admin is Signoff's: its name, logo and favicon, no Wagtail release notes or editor guide,
a search that finds posts, and time zones every browser understands."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from brands.models import validate_time_zone
from cms.posts.factories import PostFactory

pytestmark = pytest.mark.django_db


def test_the_dashboard_is_signoffs(login, creative):
    page = login(creative).get(reverse("wagtailadmin_home")).content.decode()

    assert "signoff/logo.svg" in page and "signoff/favicon.svg" in page
    assert "<title>Dashboard - Signoff</title>" in page
    assert "Editor Guide" not in page and "What's new in Wagtail" not in page
    assert "Search all pages" not in page and "editor guide" not in page


def test_the_sign_in_page_is_signoffs(client):
    page = client.get(reverse("wagtailadmin_login")).content.decode()

    assert "Sign in to Signoff" in page and "signoff/logo.svg" in page
    assert "Sign in to Wagtail" not in page


def test_the_dashboard_search_finds_posts_of_the_users_brands_only(login, creative, brand_a, brand_b):
    PostFactory(brand=brand_a, title="Autumn blend launch")
    PostFactory(brand=brand_b, title="Autumn sale elsewhere")
    client = login(creative)

    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    posts_list = reverse("wagtailsnippets_posts_post:list")
    assert f'action="{posts_list}"' in dashboard

    found = client.get(posts_list, {"q": "autumn"}).content.decode()
    assert "Autumn blend launch" in found
    assert "Autumn sale elsewhere" not in found


def test_the_sidebar_search_searches_posts(login, creative):
    page = login(creative).get(reverse("wagtailadmin_home")).content.decode()

    assert reverse("wagtailsnippets_posts_post:list") in page.split('id="wagtail-sidebar-props"')[1]


def test_every_page_has_a_favicon(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 301 and response["Location"].endswith("signoff/favicon.svg")
    assert "signoff/favicon.svg" in client.get(reverse("portal:login")).content.decode()


def test_the_account_page_offers_only_time_zones_browsers_know(login, creative):
    page = login(creative).get(reverse("wagtailadmin_account")).content.decode()

    assert 'value="Europe/London"' in page
    assert 'value="localtime"' not in page and 'value="posixrules"' not in page


@pytest.mark.parametrize("name", ["localtime", "posixrules", "Factory", "posix/Europe/London"])
def test_a_brand_cannot_be_set_to_a_time_zone_that_is_not_a_place(name):
    with pytest.raises(ValidationError):
        validate_time_zone(name)
    validate_time_zone("Europe/London")
