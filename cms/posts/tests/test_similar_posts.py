"""The editor's “How have we said it before?” panel: the brand's archived posts most like the
caption, for the people who work on that brand only."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cms.archive.factories import archived
from cms.posts.factories import PostFactory

pytestmark = pytest.mark.django_db

ARCHIVED = "Our Ethiopia Yirgacheffe is back for autumn: peach, jasmine and honey, roasted a shade lighter. #AcmeCoffee"
DRAFT = "Our Ethiopia Yirgacheffe is back for autumn: peach, jasmine and honey, roasted a touch lighter."


def ask(client, *, brand=None, post=None, caption=DRAFT):
    url = reverse("posts_similar", args=[post.pk]) if post else reverse("posts_similar")
    return client.post(url, {"brand": brand.pk if brand else "", "caption": caption}, HTTP_HX_REQUEST="true")


def test_a_creative_sees_the_brands_similar_post_with_platform_date_and_link(login, creative, brand_a):
    published = timezone.now() - timedelta(days=30)
    entry, _ = archived(brand_a, ARCHIVED, platforms=("instagram", "facebook"), published_at=published)

    response = ask(login(creative), brand=brand_a)

    assert response.status_code == 200
    assert "Ethiopia Yirgacheffe is back for autumn" in response.text
    assert "Instagram" in response.text and "Facebook" in response.text
    local = timezone.localtime(published, brand_a.tz)
    assert f"{local.day} {local:%b %Y}" in response.text
    assert (
        reverse("archive_entry", args=[entry.pk]) in response.text
        or reverse("archive_entry", args=[_.pk]) in response.text
    )
    assert response.text.count("data-archive-entry=") == 1  # one post, listed once


def test_on_a_saved_post_the_panel_uses_its_brand_and_leaves_the_post_itself_out(login, creative, brand_a):
    [entry] = archived(brand_a, ARCHIVED)
    response = ask(login(creative), post=entry.post)
    assert "No published post of" in response.text

    other = PostFactory(brand=brand_a)
    response = ask(login(creative), post=other)
    assert f'data-archive-entry="{entry.pk}"' in response.text


def test_another_brands_user_gets_a_404_for_the_brand_and_for_its_posts(login, outsider, brand_a):
    [entry] = archived(brand_a, ARCHIVED)
    assert ask(login(outsider), brand=brand_a).status_code == 404
    assert ask(login(outsider), post=PostFactory(brand=brand_a)).status_code == 404
    assert login(outsider).get(reverse("archive_entry", args=[entry.pk])).status_code == 404


def test_another_brands_archive_never_shows_up_in_a_brands_panel(login, outsider, brand_a, brand_b):
    archived(brand_a, ARCHIVED)
    response = ask(login(outsider), brand=brand_b)
    assert response.status_code == 200
    assert "Yirgacheffe" not in response.text


def test_client_users_and_visitors_are_kept_out(client, login, client_of_a, brand_a):
    archived(brand_a, ARCHIVED)
    assert ask(client, brand=brand_a).status_code == 302  # to the admin's login
    response = ask(login(client_of_a), brand=brand_a)
    assert response.status_code in (302, 403)
    assert "Yirgacheffe" not in response.text


def test_the_panel_asks_for_a_brand_and_for_words(login, creative, brand_a):
    assert "Choose a brand" in ask(login(creative)).text
    assert "Start writing the caption" in ask(login(creative), brand=brand_a, caption="").text


def test_the_archive_entry_page_shows_what_went_out(login, creative, brand_a):
    [entry] = archived(brand_a, ARCHIVED, platforms=("instagram",))
    response = login(creative).get(reverse("archive_entry", args=[entry.pk]))
    assert response.status_code == 200
    assert ARCHIVED in response.text
    assert "Instagram" in response.text


def test_the_panel_costs_the_same_few_queries_for_one_post_or_many(
    login, creative, brand_a, django_assert_max_num_queries
):
    client = login(creative)
    archived(brand_a, ARCHIVED)
    ask(client, brand=brand_a)  # warm the session and content types
    with django_assert_max_num_queries(20) as one:  # PostgreSQL: thresholds and a savepoint per search
        ask(client, brand=brand_a)
    for n in range(12):
        archived(brand_a, ARCHIVED.replace("autumn", f"autumn {n}"), platforms=("instagram", "facebook"))
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = ask(client, brand=brand_a)
    assert response.text.count("data-archive-entry=") == 5
