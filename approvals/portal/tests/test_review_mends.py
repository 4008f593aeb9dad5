"""Fixes from review: malformed ids in the portal's forms are refused (404), never a 500."""

import pytest
from django.urls import reverse

from approvals.tests.helpers import current_task_state
from cms.posts.models import Post

from .helpers import at_client_tier, client_signs_off

pytestmark = pytest.mark.django_db


@pytest.fixture
def awaiting_a(brand_a, creative, reviewer):
    client_signs_off(brand_a)
    return at_client_tier(brand_a, creative, reviewer, title="Acme autumn blend")


@pytest.mark.parametrize("value", ["²:1", "1:²", "9" * 30 + ":1"])
def test_bulk_approve_refuses_ids_that_are_digits_but_not_ids(login, client_of_a, awaiting_a, value):
    response = login(client_of_a).post(reverse("portal:bulk-approve"), {"review": [value]})

    assert response.status_code == 404


def test_bulk_approve_ignores_a_page_that_is_digits_but_not_a_number(login, client_of_a, awaiting_a):
    post = Post.objects.get(pk=awaiting_a.pk)
    value = f"{current_task_state(post).pk}:{post.latest_revision_id}"

    response = login(client_of_a).post(reverse("portal:bulk-approve"), {"review": [value], "page": "²"})

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:dashboard")


@pytest.mark.parametrize("brand", ["9" * 40, "²", "None"])
def test_the_magic_links_page_refuses_odd_brand_ids_plainly(login, lead, brand):
    client = login(lead)

    assert client.get(f"/admin/magic-links/?brand={brand}").status_code == 404
