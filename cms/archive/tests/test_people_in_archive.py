"""Whoever wrote or approved an archived post stays in the archive: deleting their account is
refused with a message that says to deactivate it, in the admin (one user or in bulk) and in the
database (brands.people). Found by an attack: the author's SET_NULL was an UPDATE of the entry,
which PostgreSQL's trigger refused (a server error on deleting a creative who had left; an
approver's PROTECT too)."""

import pytest
from django.contrib.auth import get_user_model
from django.db.models import ProtectedError
from django.urls import reverse

from brands.factories import UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()


def _delete_url(user):
    return reverse("wagtailusers_users:delete", args=[user.pk])


def _bulk_delete_url(*users):
    ids = "&".join(f"id={user.pk}" for user in users)
    return reverse("wagtail_bulk_action", args=["auth", "user", "delete"]) + f"?{ids}"


def test_the_database_keeps_an_archived_posts_author_and_approvers(archived, brand_a, creative, reviewer):
    entry = archived(brand_a, caption="Winter blend", author=creative, approved_by=[(reviewer, "senior")])

    for user in (creative, reviewer):
        with pytest.raises(ProtectedError):
            user.delete()
    entry.refresh_from_db()
    assert entry.author == creative and list(entry.approvers.values_list("user", flat=True)) == [reviewer.pk]


@pytest.mark.parametrize("method", ["get", "post"])
def test_the_admin_says_to_deactivate_someone_in_the_archive(
    login, archived, brand_a, admin_user, creative, reviewer, method
):
    archived(brand_a, caption="Winter blend", author=creative, approved_by=[(reviewer, "senior")])
    client = login(admin_user)

    for user, records in ((creative, "archive entries name them"), (reviewer, "archive approvers")):
        response = getattr(client, method)(_delete_url(user), follow=True)
        assert response.status_code == 200
        assert response.redirect_chain[-1][0] == reverse("wagtailusers_users:edit", args=[user.pk])
        text = response.content.decode()
        assert f"{user.username} can&#x27;t be deleted" in text and records in text
        assert "Deactivate the account instead" in text
        assert User.objects.filter(pk=user.pk).exists()


def test_bulk_deletion_keeps_them_and_says_why(login, archived, brand_a, admin_user, creative):
    archived(brand_a, caption="Winter blend", author=creative)
    nobody = UserFactory(username="temp")
    client = login(admin_user)

    response = client.post(_bulk_delete_url(creative, nobody), follow=True)

    assert "Deactivate the account instead" in response.content.decode()
    assert User.objects.filter(pk=creative.pk).exists() and User.objects.filter(pk=nobody.pk).exists()


def test_anyone_else_is_deleted_as_before(login, archived, brand_a, admin_user, creative):
    archived(brand_a, caption="Winter blend", author=creative)
    one, two, three = UserFactory(username="one"), UserFactory(username="two"), UserFactory(username="three")
    client = login(admin_user)

    assert client.post(_delete_url(one)).status_code == 302
    client.post(_bulk_delete_url(two, three))

    assert not User.objects.filter(pk__in=[one.pk, two.pk, three.pk]).exists()
