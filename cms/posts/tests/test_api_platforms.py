"""A post's platforms, however it is saved: they decide which rules it is checked against, so a
post that lost them would go out checked against none."""

import pytest

from approvals.tests.helpers import submit
from cms.posts.factories import PostFactory
from cms.posts.models import Post

pytestmark = pytest.mark.django_db

TOO_LONG_FOR_X = "Slow mornings, good coffee. " * 16  # 448 characters; X allows 280


def create(api, user, brand, **fields):
    body = {"brand": brand.pk, "caption": "New roast Monday #AcmeCoffee", "platforms": ["instagram", "x"]}
    response = api(user).post("/api/v1/posts/", {**body, **fields}, format="json")
    assert response.status_code == 201, response.json()
    return Post.objects.get(pk=response.json()["id"])


def platforms_of(post) -> set[str]:
    latest = Post.objects.get(pk=post.pk).get_latest_revision_as_object()
    return {platform.code for platform in latest.platforms.all()}


def test_a_post_created_through_the_api_keeps_its_platforms(api, creative, brand_a):
    response = api(creative).post(
        "/api/v1/posts/",
        {"brand": brand_a.pk, "caption": "New roast Monday", "platforms": ["instagram", "x"]},
        format="json",
    )

    assert sorted(response.json()["platforms"]) == ["instagram", "x"]
    post = Post.objects.get(pk=response.json()["id"])
    assert set(post.platforms.values_list("code", flat=True)) == {"instagram", "x"}
    assert sorted(api(creative).get(f"/api/v1/posts/{post.pk}/").json()["platforms"]) == ["instagram", "x"]


def test_a_title_only_change_keeps_the_platforms(api, creative, brand_a):
    post = create(api, creative, brand_a)

    response = api(creative).patch(f"/api/v1/posts/{post.pk}/", {"title": "Renamed"}, format="json")

    assert sorted(response.json()["platforms"]) == ["instagram", "x"]
    assert platforms_of(post) == {"instagram", "x"}


def test_a_caption_too_long_for_x_stays_blocked_after_a_title_only_change(api, creative, brand_a):
    post = create(api, creative, brand_a, caption=TOO_LONG_FOR_X)
    assert submit(api, creative, post).status_code == 400

    api(creative).patch(f"/api/v1/posts/{post.pk}/", {"title": "Renamed"}, format="json")

    response = submit(api, creative, post)
    assert response.status_code == 400
    assert any(finding["platform"] == "x" for finding in response.json()["findings"])


def test_a_post_with_no_platform_cannot_be_submitted(api, creative, brand_a):
    """However a post lost its platforms, the gate fails closed."""
    post = PostFactory(brand=brand_a, created_by=creative)
    post.platforms.set([])
    post.save()
    post.save_revision(user=creative)

    response = submit(api, creative, post)

    assert response.status_code == 400
    assert any(finding["rule"] == "no_platform" for finding in response.json()["findings"])


def test_platforms_cannot_be_emptied_through_the_api(api, creative, brand_a):
    post = create(api, creative, brand_a)

    response = api(creative).patch(f"/api/v1/posts/{post.pk}/", {"platforms": []}, format="json")

    assert response.status_code == 400
    assert platforms_of(post) == {"instagram", "x"}


def test_a_patch_of_a_published_post_keeps_its_pending_changes(api, creative, reviewer, brand_a):
    """A published post's row keeps its live content; a PATCH edits the newer draft, not the
    live version, so earlier draft changes aren't lost."""
    from approvals.tests.helpers import approved_and_live

    post = create(api, creative, brand_a, caption="Live words #AcmeCoffee", platforms=["facebook"])
    approved_and_live(api, post, reviewer)
    api(creative).patch(f"/api/v1/posts/{post.pk}/", {"caption": "Draft words #AcmeCoffee"}, format="json")

    api(creative).patch(f"/api/v1/posts/{post.pk}/", {"campaign": "Spring"}, format="json")

    draft = Post.objects.get(pk=post.pk).get_latest_revision_as_object()
    assert (draft.caption, draft.campaign) == ("Draft words #AcmeCoffee", "Spring")
    assert Post.objects.get(pk=post.pk).caption == "Live words #AcmeCoffee"
