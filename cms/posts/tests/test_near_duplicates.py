"""The near-duplicate warning where findings are made: the editor's live checks, the API's
checks and submission (a warning: it never stops a post going for approval)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from approvals.tests.helpers import submit
from cms.archive.factories import archived
from cms.posts.factories import PostFactory
from cms.posts.tests.test_editor import post_form

pytestmark = pytest.mark.django_db

ARCHIVED = "Our Ethiopia Yirgacheffe is back for autumn: peach, jasmine and honey, roasted a shade lighter. #AcmeCoffee"
DRAFT = "Our Ethiopia Yirgacheffe is back for autumn: peach, jasmine and honey, roasted a touch lighter. #AcmeCoffee"


def api_findings(client, brand, caption):
    response = client.post(
        "/api/v1/checks/", {"brand": brand.pk, "platforms": ["facebook"], "caption": caption}, format="json"
    )
    assert response.status_code == 200
    return [
        finding for finding in response.json()["findings"] if finding["rule"].startswith("near_duplicate")
    ]


def test_a_recent_post_of_the_brand_warns_with_its_date_and_platform(api, creative, brand_a):
    published = timezone.now() - timedelta(days=20)
    archived(brand_a, ARCHIVED, platforms=("instagram",), published_at=published)

    [finding] = api_findings(api(creative), brand_a, DRAFT)

    local = timezone.localtime(published, brand_a.tz)
    assert finding["severity"] == "warn"
    assert finding["message"].startswith(
        f"This caption is almost the same as the post published on {local.day} {local:%b %Y} (Instagram)."
    )


def test_an_old_post_of_the_brand_does_not_warn(api, creative, brand_a):
    archived(brand_a, ARCHIVED, published_at=timezone.now() - timedelta(days=120))
    assert api_findings(api(creative), brand_a, DRAFT) == []


def test_another_clients_post_warns_without_its_words_brand_or_date(api, creative, brand_a, brand_b):
    theirs = ARCHIVED.replace("#AcmeCoffee", "#BorealisBeans")
    archived(brand_b, theirs, published_at=timezone.now() - timedelta(days=700))

    [finding] = api_findings(api(creative), brand_a, DRAFT)

    assert finding["severity"] == "warn"
    assert finding["message"] == (
        "This caption is almost the same as a post published for another client; "
        "write it in this brand's own words."
    )
    assert finding["start"] is None and finding["suggestion"] is None
    for secret in ("Borealis", brand_b.name, "2024", "2025"):
        assert secret not in str(finding)


def test_the_editors_live_checks_show_it(login, creative, brand_a):
    archived(brand_a, ARCHIVED)
    response = login(creative).post(reverse("posts_live_checks"), post_form(brand_a, caption=DRAFT))
    assert "almost the same as the post published on" in response.text


def test_it_does_not_stop_submission(api, creative, brand_a):
    archived(brand_a, ARCHIVED)
    post = PostFactory(brand=brand_a, caption=DRAFT, created_by=creative)
    post.save_revision(user=creative)
    response = submit(api, creative, post)
    assert response.status_code == 200, response.content


def test_a_post_is_not_a_duplicate_of_its_own_archived_version(login, creative, brand_a):
    [entry] = archived(brand_a, ARCHIVED)
    response = login(creative).post(
        reverse("posts_live_checks", args=[entry.post_id]), post_form(brand_a, caption=ARCHIVED)
    )
    assert response.status_code == 200
    assert "almost the same" not in response.text
