"""The portal's archive (/portal/archive/): a client searches what their brand published, with
the filters a client uses, highlighted matches, pages and a CSV — and never another client's."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from brands.factories import BrandFactory
from cms.archive.tests.test_search import HOSTILE

pytestmark = pytest.mark.django_db

ARCHIVE = reverse("portal:archive")
EXPORT = reverse("portal:archive-export")


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def test_a_client_searches_their_brand_with_matches_marked(login, archived, brand_a, brand_b, client_of_a):
    archived(
        brand_a,
        caption="Our winter blend is back <b>now</b>",
        title="v2 internal",
        live_url="https://fb.example/1",
    )
    archived(brand_a, caption="Summer is here")
    archived(brand_b, caption="Winter bikes")

    html = login(client_of_a).get(ARCHIVE, {"q": "winter"}).content.decode()

    assert "Our <mark>winter</mark> blend is back &lt;b&gt;now&lt;/b&gt;" in html
    assert "Summer is here" not in html and "Winter bikes" not in html
    assert "v2 internal" not in html and "https://fb.example/1" in html
    assert "1 post." in html and "Download CSV" in html


def test_another_clients_brand_is_404_and_its_entries_never_show(
    login, archived, brand_a, brand_b, client_of_a
):
    archived(brand_b, caption="Borealis winter")
    client = login(client_of_a)

    assert client.get(ARCHIVE, {"brand": brand_b.pk}).status_code == 404
    assert client.get(EXPORT, {"brand": brand_b.pk}).status_code == 404
    assert "Borealis" not in client.get(ARCHIVE, {"q": "winter"}).content.decode()
    assert csv_rows(client.get(EXPORT)) == []


def test_a_client_with_two_brands_searches_the_one_chosen(login, archived, client_a, brand_a, client_of_a):
    second = BrandFactory(client=client_a, name="Acme Tea", slug="acme-tea")
    archived(brand_a, caption="Coffee winter")
    archived(second, caption="Tea winter")
    client = login(client_of_a)

    html = client.get(ARCHIVE, {"brand": second.pk, "q": "winter"}).content.decode()
    assert "Tea <mark>winter</mark>" in html and "Coffee <mark>winter</mark>" not in html
    assert f'name="brand" value="{second.pk}"' in html  # the search stays on it
    assert [row["brand"] for row in csv_rows(client.get(EXPORT, {"brand": second.pk}))] == ["Acme Tea"]


def test_the_filters_a_client_uses(login, archived, brand_a, client_of_a):
    brand_a.time_zone = "Asia/Tokyo"
    brand_a.save()
    archived(brand_a, caption="On Instagram", platform="instagram")
    archived(brand_a, caption="In the launch", campaign="Winter Launch")
    archived(brand_a, caption="Tagged #espresso")
    archived(brand_a, caption="Late on the 5th UTC", published_at=datetime(2026, 1, 5, 23, 30, tzinfo=UTC))
    client = login(client_of_a)

    def shown(**filters):
        return client.get(ARCHIVE, filters).content.decode()

    assert "On Instagram" in shown(platform="instagram") and "Tagged" not in shown(platform="instagram")
    assert "In the launch" in shown(campaign="Winter Launch") and "Tagged" not in shown(
        campaign="Winter Launch"
    )
    assert "Tagged" in shown(hashtag="#espresso") and "On Instagram" not in shown(hashtag="#espresso")
    on_the_sixth = shown(since="2026-01-06", until="2026-01-06")  # in Tokyo, it went out on the 6th
    assert "Late on the 5th UTC" in on_the_sixth and "On Instagram" not in on_the_sixth
    # Staff-only filters are not offered to clients.
    assert 'name="author"' not in shown() and 'name="approver"' not in shown()


def test_empty_states_and_bad_filters(login, archived, brand_a, client_of_a):
    client = login(client_of_a)
    assert "Nothing published yet" in client.get(ARCHIVE).content.decode()
    archived(brand_a, caption="Winter")
    assert "Nothing matches" in client.get(ARCHIVE, {"q": "zzzz"}).content.decode()
    html = client.get(ARCHIVE, {"since": "2026-02-01", "until": "2026-01-01"}).content.decode()
    assert "can’t be before the first" in html and "Winter" not in html.split("</form>")[1]


def test_pages_and_the_csv_of_every_match(login, archived, brand_a, client_of_a, creative):
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for n in range(30):
        archived(brand_a, caption=f"Winter post {n}", published_at=start + timedelta(days=n), author=creative)
    client = login(client_of_a)

    html = client.get(ARCHIVE, {"q": "winter", "order": "newest"}).content.decode()
    assert "Page 1 of 2" in html and "q=winter&amp;order=newest&amp;page=2" in html
    rows = csv_rows(client.get(EXPORT, {"q": "winter"}))
    assert len(rows) == 30 and "title" not in rows[0] and "author" not in rows[0]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_never_give_a_server_error(login, archived, brand_a, client_of_a, query):
    archived(brand_a, caption="Coffee roast")
    client = login(client_of_a)
    for path in (ARCHIVE, EXPORT):
        response = client.get(path, {"q": query, "hashtag": query[:100], "campaign": query[:80]})
        assert response.status_code in (200, 302), (query, response.status_code)


def test_the_query_count_does_not_grow_with_results(
    login, archived, brand_a, client_of_a, django_assert_max_num_queries
):
    client = login(client_of_a)
    archived(brand_a, caption="Winter one")
    client.get(ARCHIVE, {"q": "winter"})
    with django_assert_max_num_queries(30) as one:
        client.get(ARCHIVE, {"q": "winter"})
    for n in range(49):
        archived(brand_a, caption=f"Winter {n}")
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(ARCHIVE, {"q": "winter"})
