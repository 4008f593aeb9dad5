"""`POST /api/v1/checks/`: the checker over the API, scoped like everything else."""

import pytest
from rest_framework.test import APIClient

from brands.factories import brand_image
from brands.models import BannedPhrase, HashtagRule

pytestmark = pytest.mark.django_db


@pytest.fixture
def kit_a(brand_a):
    BannedPhrase.objects.create(kit=brand_a.kit, phrase="cheap", suggestion="great value", severity="block")
    HashtagRule.objects.create(kit=brand_a.kit, hashtag="#AcmeCoffee", kind="required")
    return brand_a.kit


def check(client, brand, **payload):
    return client.post(
        "/api/v1/checks/", {"brand": brand.pk, "platforms": ["instagram"], **payload}, format="json"
    )


def test_it_returns_the_findings_with_spans_and_suggestions(api, creative, brand_a, kit_a):
    caption = "Our new roast is Cheap and cheerful"
    response = check(api(creative), brand_a, caption=caption)

    assert response.status_code == 200
    findings = response.json()["findings"]
    banned = next(finding for finding in findings if finding["rule"] == "banned_phrase")
    assert banned["severity"] == "block"
    assert caption[banned["start"] : banned["end"]] == "Cheap"
    assert banned["suggestion"] == "Great value"  # keeps the capital of the word it replaces
    assert any(finding["rule"] == "hashtag_required" for finding in findings)
    assert set(banned) == {
        "rule",
        "severity",
        "message",
        "start",
        "end",
        "suggestion",
        "suggestion_start",
        "platform",
        "image_index",
    }


def test_a_clean_caption_has_no_blocking_findings(api, creative, brand_a, kit_a):
    response = check(
        api(creative),
        brand_a,
        caption="A smooth new roast for your Monday. #AcmeCoffee",
        platforms=["facebook", "x"],  # text-only posts: Instagram would need an image
    )

    assert response.status_code == 200
    assert not [finding for finding in response.json()["findings"] if finding["severity"] == "block"]


def test_an_over_long_x_caption_blocks(api, creative, brand_a, kit_a):
    response = check(api(creative), brand_a, caption="word " * 70 + "#AcmeCoffee", platforms=["x"])

    assert any(
        finding["severity"] == "block" and finding["platform"] == "x"
        for finding in response.json()["findings"]
    )


def test_an_image_of_the_brand_is_checked(api, creative, brand_a, kit_a):
    image = brand_image(brand_a, title="Wide", width=1600, height=400)

    response = check(
        api(creative), brand_a, caption="Hello #AcmeCoffee", images=[{"image": image.pk, "alt_text": ""}]
    )

    rules = {finding["rule"] for finding in response.json()["findings"] if finding["image_index"] == 0}
    assert rules  # at least the missing alt text and the letterbox ratio


def test_a_brand_the_user_is_not_on_is_refused(api, creative, brand_b):
    response = check(api(creative), brand_b, caption="Hello")

    assert response.status_code == 400
    assert "brand" in response.json()


def test_an_image_of_another_brand_is_refused_as_unknown(api, creative, brand_a, brand_b):
    foreign = brand_image(brand_b, title="Theirs")

    response = check(api(creative), brand_a, caption="Hello", images=[{"image": foreign.pk}])

    assert response.status_code == 400
    assert "No such image" in str(response.json()["images"])


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"caption": "Hi", "platforms": ["myspace"]}, "platforms"),
        ({"caption": "Hi", "platforms": []}, "platforms"),
        ({"caption": "x" * 10_001}, "caption"),
        ({"platforms": ["x"]}, "caption"),
        ({"caption": "Hi", "caption_variants": {"myspace": "Hi"}}, "caption_variants"),
    ],
)
def test_bad_input_gets_a_clear_400(api, creative, brand_a, payload, field):
    response = api(creative).post("/api/v1/checks/", {"brand": brand_a.pk, **payload}, format="json")

    assert response.status_code == 400
    assert field in response.json()


def test_a_missing_brand_is_a_400(api, creative):
    response = api(creative).post("/api/v1/checks/", {"caption": "Hi", "platforms": ["x"]}, format="json")

    assert response.status_code == 400
    assert "brand" in response.json()


def test_anonymous_is_refused():
    assert APIClient().post("/api/v1/checks/", {}, format="json").status_code in (401, 403)
