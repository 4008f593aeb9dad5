"""The posts listing: a thumbnail of each post's first image, Signoff's words for each status,
and a number of queries that does not grow with the posts on the page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from brands.factories import brand_image
from cms.posts.factories import PostFactory, add_media

pytestmark = pytest.mark.django_db

LISTING = "wagtailsnippets_posts_post:list"


def posts_with_images(brand, count: int):
    image = brand_image(brand, title="Latte art")
    posts = []
    for number in range(count):
        post = PostFactory(brand=brand, title=f"Post {number}")
        add_media(post, [image] if number % 2 == 0 else [])
        post.save_revision()
        posts.append(post)
    return posts


def test_the_listing_shows_each_posts_first_image_small(login, creative, brand_a):
    with_image, without = posts_with_images(brand_a, 2)

    html = login(creative).get(reverse(LISTING)).text

    assert html.count('class="signoff-list-thumb"') == 2
    assert ".fill-96x96" in html  # a small rendition, not the original file
    assert html.count("signoff-list-thumb__none") == 1


def listing_queries(client) -> int:
    client.get(reverse(LISTING))  # renditions are made on first sight; then only read
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(LISTING))
    assert response.status_code == 200
    return len(queries)


def test_the_listings_queries_do_not_grow_with_its_posts(login, creative, brand_a, brand_b):
    client = login(creative)
    posts_with_images(brand_a, 1)
    one = listing_queries(client)

    posts_with_images(brand_a, 29)
    a_full_page = listing_queries(client)

    assert a_full_page == one, f"1 post: {one} queries, a full page of 25: {a_full_page}"


def test_the_listing_pages_by_25(login, creative, brand_a):
    for number in range(26):
        PostFactory(brand=brand_a, title=f"Post {number}").save_revision()
    client = login(creative)

    first = client.get(reverse(LISTING)).text
    second = client.get(reverse(LISTING), {"p": 2}).text

    assert first.count("signoff-list-thumb__none") == 25
    assert second.count("signoff-list-thumb__none") == 1


def test_another_brands_posts_and_images_stay_out_of_the_listing(login, creative, brand_b):
    [post] = posts_with_images(brand_b, 1)

    html = login(creative).get(reverse(LISTING)).text

    assert post.title not in html
    assert 'class="signoff-list-thumb"' not in html
