"""A reviewer's decision is on the record (brands.people): deleting their account is refused with
a message, even before the post reaches the archive (found by the second attack)."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from brands.people import records_naming

from .helpers import decide, submit

pytestmark = pytest.mark.django_db


def test_a_review_decision_keeps_its_reviewer(api, draft, creative, reviewer, login, admin_user):
    post = draft(title="Autumn blend", platforms=["facebook"])
    submit(api, creative, post)
    decide(api, reviewer, post)  # approved; its delivery waits to be posted by hand, not archived

    assert records_naming(reviewer) == ["review decisions"]
    response = login(admin_user).post(reverse("wagtailusers_users:delete", args=[reviewer.pk]), follow=True)
    assert "reviewer can&#x27;t be deleted: review decisions name them" in response.content.decode()
    assert get_user_model().objects.filter(pk=reviewer.pk).exists()
