"""/api/v1/channels/: read-only, the channels of one's own brands, never a webhook's secret."""

import pytest

from cms.archive.models import Channel

pytestmark = pytest.mark.django_db

URL = "/api/v1/channels/"


@pytest.fixture
def channels(brand_a, brand_b):
    webhook, _ = Channel.objects.update_or_create(
        brand=brand_a,
        platform_id="instagram",
        defaults={"kind": Channel.Kind.WEBHOOK, "webhook_url": "https://sched.example.com/h/SECRET-PATH?k=1"},
    )
    manual, _ = Channel.objects.get_or_create(brand=brand_a, platform_id="x")
    other, _ = Channel.objects.get_or_create(brand=brand_b, platform_id="instagram")
    return webhook, manual, other


def test_a_creative_reads_their_brands_channels_without_secrets(api, creative, brand_a, channels):
    webhook, manual, other = channels

    answer = api(creative).get(URL)

    assert answer.status_code == 200
    results = answer.json()["results"]
    assert {item["id"] for item in results} == set(
        Channel.objects.filter(brand=brand_a).values_list("pk", flat=True)
    )
    shown = next(item for item in results if item["id"] == webhook.pk)
    assert shown == {
        "id": webhook.pk,
        "brand": brand_a.pk,
        "platform": "instagram",
        "kind": "webhook",
        "active": True,
        "webhook_host": "sched.example.com",
    }
    assert webhook.webhook_secret not in answer.content.decode()
    assert "SECRET-PATH" not in answer.content.decode()
    assert api(creative).get(f"{URL}{manual.pk}/").json()["webhook_host"] is None


def test_another_brands_channel_is_not_found(api, creative, outsider, channels):
    webhook, _, other = channels
    assert api(creative).get(f"{URL}{other.pk}/").status_code == 404
    assert api(outsider).get(f"{URL}{webhook.pk}/").status_code == 404


def test_clients_see_none(api, client_of_a, channels):
    assert api(client_of_a).get(URL).json()["results"] == []
    assert api(client_of_a).get(f"{URL}{channels[0].pk}/").status_code == 404


def test_filters_by_brand_platform_and_kind(api, admin_user, brand_a, channels):
    webhook, _, _ = channels
    found = api(admin_user).get(URL, {"brand": brand_a.pk, "kind": "webhook"}).json()["results"]
    assert [item["id"] for item in found] == [webhook.pk]
    assert {
        item["brand"] for item in api(admin_user).get(URL, {"platform": "instagram"}).json()["results"]
    } >= {brand_a.pk}


def test_it_is_read_only(api, lead, channels):
    webhook, _, _ = channels
    assert api(lead).post(URL, {"brand": 1, "platform": "x"}, format="json").status_code == 405
    assert api(lead).patch(f"{URL}{webhook.pk}/", {"active": False}, format="json").status_code == 405
    assert api(lead).delete(f"{URL}{webhook.pk}/").status_code == 405


def test_unauthenticated_is_401(client, channels):
    assert client.get(URL).status_code == 401


def test_the_list_costs_the_same_for_few_and_many(api, admin_user, channels, django_assert_max_num_queries):
    from brands.factories import BrandFactory

    with django_assert_max_num_queries(8) as few:
        api(admin_user).get(URL)
    for n in range(15):
        brand = BrandFactory(name=f"Brand {n}", slug=f"brand-{n}")
        for code in ["instagram", "x", "facebook"]:
            Channel.objects.get_or_create(brand=brand, platform_id=code)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert api(admin_user).get(URL).json()["count"] >= 45
