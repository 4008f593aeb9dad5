"""The archive search page in the admin (/admin/archive/) and its CSV, from both sides of every
boundary; and a post that really went out, found in the admin, the portal and the API."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from approvals.tests.helpers import decide, submit
from cms.archive.delivering import record_manual_post
from cms.archive.models import Delivery

from .test_search import HOSTILE

pytestmark = pytest.mark.django_db

PAGE = reverse("archive_search")
EXPORT = reverse("archive_search_export")


def test_staff_find_their_brands_posts_with_the_match_marked(
    login, archived, brand_a, brand_b, lead, reviewer
):
    brand_a.time_zone = "Asia/Tokyo"
    brand_a.save()
    archived(
        brand_a,
        caption="Launching our <winter> blend",
        approved_by=[(reviewer, "senior")],
        live_url="https://facebook.example/p/1",
        published_at=datetime(2026, 1, 5, 23, 30, tzinfo=UTC),
    )
    archived(brand_b, caption="Launching Borealis bikes")

    html = login(lead).get(PAGE, {"q": "launch"}).content.decode()

    assert "<mark>Launching</mark> our &lt;winter&gt; blend" in html
    assert "Borealis" not in html
    assert "Tue 6 Jan 2026, 08:30 JST" in html  # the brand's time
    assert "reviewer (senior)" in html and "https://facebook.example/p/1" in html
    assert "1 result" in html and "Export CSV" in html


def test_another_brands_staff_and_clients_see_none_of_it(login, archived, brand_a, outsider, client_of_a):
    archived(brand_a, caption="Acme winter blend")

    assert "Acme winter blend" not in login(outsider).get(PAGE).content.decode()
    csv_text = b"".join(login(outsider).get(EXPORT).streaming_content).decode("utf-8-sig")
    assert "Acme" not in csv_text
    # Brand A picked by id in the form is refused as a choice, not shown.
    response = login(outsider).get(PAGE, {"brand": brand_a.pk})
    assert response.status_code == 200 and "Acme winter blend" not in response.content.decode()
    # Clients never get into the admin.
    assert login(client_of_a).get(PAGE).status_code in (302, 403)


def test_filters_are_a_keyboard_friendly_get_form(login, archived, brand_a, lead, creative):
    archived(brand_a, caption="Reel one", format="reel", author=creative)
    archived(brand_a, caption="Feed one")

    html = login(lead).get(PAGE, {"format": "reel"}).content.decode()

    assert 'method="get"' in html and 'type="date"' in html and '<label for="id_q">' in html
    assert "Reel one" in html and "Feed one" not in html
    assert f'<option value="{creative.pk}">creative</option>' in html  # authors to choose from


def test_empty_states_and_bad_filters(login, archived, brand_a, lead):
    client = login(lead)
    assert "Nothing published yet" in client.get(PAGE).content.decode()
    archived(brand_a, caption="Winter blend")
    assert "Nothing matches" in client.get(PAGE, {"q": "zzzz"}).content.decode()
    html = client.get(PAGE, {"since": "2026-02-01", "until": "2026-01-01"}).content.decode()
    assert "can’t be before the first" in html


def test_results_come_in_pages_and_the_csv_has_them_all(login, archived, brand_a, lead):
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for n in range(30):
        archived(brand_a, caption=f"Winter post {n}", published_at=start + timedelta(days=n))
    client = login(lead)

    first = client.get(PAGE, {"q": "winter", "order": "newest"}).content.decode()
    assert (
        "30 results, page 1 of 2" in first
        and "</mark> post 29</p>" in first
        and "</mark> post 4</p>" not in first
    )
    second = client.get(PAGE, {"q": "winter", "order": "newest", "page": 2}).content.decode()
    assert "</mark> post 4</p>" in second

    response = client.get(EXPORT, {"q": "winter"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 30 and rows[0]["caption"] == "Winter post 29"
    assert response["Content-Disposition"].startswith("attachment")


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_never_give_a_server_error(login, archived, brand_a, lead, query):
    archived(brand_a, caption="Coffee roast")
    client = login(lead)
    for path in (PAGE, EXPORT):
        response = client.get(path, {"q": query, "hashtag": query[:100]})
        assert response.status_code in (200, 302), (query, response.status_code)


def test_the_query_count_does_not_grow_with_results(
    login, archived, brand_a, lead, django_assert_max_num_queries
):
    client = login(lead)
    archived(brand_a, caption="Winter one")
    client.get(PAGE, {"q": "winter"})  # the admin's own first-request work
    with django_assert_max_num_queries(40) as one:
        client.get(PAGE, {"q": "winter"})
    for n in range(49):
        archived(brand_a, caption=f"Winter {n}")
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(PAGE, {"q": "winter", "order": "newest"})


def test_a_post_that_went_out_is_found_in_the_admin_the_portal_and_the_api(
    api, login, draft, creative, reviewer, client_of_a, django_capture_on_commit_callbacks
):
    post = draft(
        title="Autumn blend", caption="Our autumn blend has notes of fig and cocoa.", platforms=["facebook"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        submit(api, creative, post)
        decide(api, reviewer, post)
    delivery = Delivery.objects.get(post=post)
    record_manual_post(delivery=delivery, user=creative, live_url="https://facebook.example/p/42")

    assert (
        "notes of <mark>fig</mark> and <mark>cocoa</mark>"
        in login(creative).get(PAGE, {"q": "fig cocoa"}).content.decode()
    )
    results = api(creative).get(reverse("api-archive"), {"q": '"fig and cocoa"'}).json()["results"]
    assert [row["approvers"][0]["name"] for row in results] == [reviewer.get_full_name() or reviewer.username]
    portal = login(client_of_a).get(reverse("portal:archive"), {"q": "fig"}).content.decode()
    assert "<mark>fig</mark>" in portal and "https://facebook.example/p/42" in portal


@pytest.mark.parametrize("params", ["until=9999-12-31", "since=0001-01-01"])
def test_a_day_at_the_calendars_edge_bounds_nothing(login, lead, params):
    response = login(lead).get(reverse("archive_search") + "?" + params)

    assert response.status_code == 200
