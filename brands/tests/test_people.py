"""People on the record (brands.people): whoever is named by a review decision, a review comment
or the archive can't be deleted, only deactivated; the admin says so, one by one or in bulk,
instead of a server error (found by the second attack: a reviewer who had only commented)."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from approvals.models import ReviewComment
from brands.factories import UserFactory
from brands.people import kept_on_record_message, records_naming
from cms.posts.factories import PostFactory

pytestmark = pytest.mark.django_db

User = get_user_model()


@pytest.fixture
def commenter(brand_a):
    user = UserFactory(username="commenter")
    ReviewComment.objects.create(post=PostFactory(brand=brand_a, caption="Draft"), author=user, body="Hm")
    return user


def test_what_keeps_a_user_is_named(commenter):
    assert records_naming(commenter) == ["review comments"]
    assert kept_on_record_message(commenter, ["archive entries", "review comments", "review decisions"]) == (
        "commenter can't be deleted: archive entries, review comments and review decisions name them "
        "and are kept as they were. Deactivate the account instead (untick Active): they can no longer sign in."
    )
    assert records_naming(UserFactory(username="nobody")) == []
    assert User.objects.filter(pk=commenter.pk).exists()  # asking deletes nothing


@pytest.mark.parametrize("how", ["one", "bulk"])
def test_a_reviewer_who_only_commented_is_kept_with_a_message(login, admin_user, commenter, how):
    client = login(admin_user)
    if how == "one":
        url = reverse("wagtailusers_users:delete", args=[commenter.pk])
    else:
        url = reverse("wagtail_bulk_action", args=["auth", "user", "delete"]) + f"?id={commenter.pk}"

    response = client.post(url, follow=True)

    assert response.status_code == 200
    text = response.content.decode()
    assert "commenter can&#x27;t be deleted: review comments name them" in text
    assert User.objects.filter(pk=commenter.pk).exists()
