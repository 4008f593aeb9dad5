"""The posts and brands API, tried from both sides of every boundary."""

import pytest
from rest_framework.test import APIClient

from cms.posts.factories import PostFactory
from cms.posts.models import Post

pytestmark = pytest.mark.django_db


def test_a_token_is_issued_for_a_username_and_password(creative):
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": "creative", "password": "pw"}, format="json"
    )

    assert response.status_code == 200
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert client.get("/api/v1/brands/").status_code == 200


def test_anonymous_requests_are_refused():
    assert APIClient().get("/api/v1/posts/").status_code in (401, 403)


def test_brands_lists_only_the_users_brands(api, creative, brand_a, brand_b):
    body = api(creative).get("/api/v1/brands/").json()

    assert [brand["slug"] for brand in body["results"]] == ["acme-coffee"]
    assert {"count", "next", "previous", "results"} <= set(body)


def test_a_creative_creates_a_draft(api, creative, brand_a):
    response = api(creative).post(
        "/api/v1/posts/",
        {"brand": brand_a.pk, "caption": "New roast Monday ☕️ #AcmeCoffee", "platforms": ["instagram", "x"]},
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "draft"
    assert body["title"] == "New roast Monday ☕️ #AcmeCoffee"
    post = Post.objects.get(pk=body["id"])
    assert post.created_by == creative
    assert post.latest_revision is not None
    assert not post.live


def test_a_creative_cannot_create_for_another_brand(api, creative, brand_b):
    response = api(creative).post(
        "/api/v1/posts/", {"brand": brand_b.pk, "caption": "Hi", "platforms": ["x"]}, format="json"
    )

    assert response.status_code == 400
    assert "brand" in response.json()
    assert not Post.objects.exists()


def test_a_reviewer_cannot_create_posts(api, reviewer, brand_a):
    response = api(reviewer).post(
        "/api/v1/posts/", {"brand": brand_a.pk, "caption": "Hi", "platforms": ["x"]}, format="json"
    )

    assert response.status_code == 403


def test_a_client_user_sees_no_posts_and_creates_none(api, client_of_a, brand_a):
    post = PostFactory(brand=brand_a)
    client = api(client_of_a)

    assert client.get("/api/v1/posts/").json()["count"] == 0
    response = client.post(
        "/api/v1/posts/", {"brand": brand_a.pk, "caption": "Hi", "platforms": ["x"]}, format="json"
    )
    assert response.status_code == 403
    assert response.json() == {
        "detail": "Drafting posts is for the agency's people; clients see posts in the portal."
    }
    assert client.patch(f"/api/v1/posts/{post.pk}/", {"caption": "x"}, format="json").status_code == 403
    assert Post.objects.count() == 1


def test_a_client_user_cannot_run_checks(api, client_of_a, brand_a):
    response = api(client_of_a).post(
        "/api/v1/checks/", {"brand": brand_a.pk, "caption": "Hi", "platforms": ["x"]}, format="json"
    )

    assert response.status_code == 403


def test_posts_of_another_brand_are_404(api, creative, brand_b):
    post = PostFactory(brand=brand_b, title="Borealis secret")
    client = api(creative)

    assert client.get(f"/api/v1/posts/{post.pk}/").status_code == 404
    assert client.patch(f"/api/v1/posts/{post.pk}/", {"caption": "x"}, format="json").status_code == 404
    assert "Borealis secret" not in client.get("/api/v1/posts/").text


def test_editing_saves_a_new_revision(api, creative, brand_a):
    post = PostFactory(brand=brand_a, caption="Old")

    response = api(creative).patch(f"/api/v1/posts/{post.pk}/", {"caption": "New words"}, format="json")

    assert response.status_code == 200
    post.refresh_from_db()
    assert post.caption == "New words"
    assert post.latest_revision.content["caption"] == "New words"


def test_a_post_cannot_move_to_another_brand(api, admin_user, brand_a, brand_b):
    post = PostFactory(brand=brand_a)

    response = api(admin_user).patch(f"/api/v1/posts/{post.pk}/", {"brand": brand_b.pk}, format="json")

    assert response.status_code == 409
    assert "stays with its brand" in response.json()["brand"][0]


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"caption": "x" * 10_001, "platforms": ["x"]}, "caption"),
        ({"caption": "Hi", "platforms": ["myspace"]}, "platforms"),
        ({"caption": "Hi", "platforms": []}, "platforms"),
        ({"platforms": ["x"]}, "caption"),
        ({"caption": "Hi", "platforms": ["x"], "intent": "dance"}, "intent"),
    ],
)
def test_bad_input_gets_a_clear_400(api, creative, brand_a, payload, field):
    response = api(creative).post("/api/v1/posts/", {"brand": brand_a.pk, **payload}, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not Post.objects.exists()


def test_the_schema_documents_posts_for_signed_in_users(api, creative):
    # Who may read the schema and docs at all: integrations/tests/test_api_tokens.py.
    paths = api(creative).get("/api/schema/", {"format": "json"}).json()["paths"]
    assert {"/api/v1/posts/", "/api/v1/posts/{id}/", "/api/v1/posts/{id}/submit/"} <= set(paths)


def test_each_post_reads_exactly_as_drf_would_build_it_from_the_declared_fields(api, creative, brand_a):
    """PostSerializer builds its output directly, for speed: it must stay what DRF's own field
    machinery makes of the declared fields, for every kind of post."""
    import datetime as dt
    import json

    from django.utils import timezone
    from rest_framework import serializers
    from rest_framework.renderers import JSONRenderer

    from brands.factories import brand_image
    from cms.posts.api import PostSerializer
    from cms.posts.factories import add_media

    scheduled = PostFactory(
        brand=brand_a,
        platforms=["instagram", "x"],
        go_live_at=timezone.now() + dt.timedelta(days=3),
        campaign="Winter",
        cta_label="Shop",
        cta_url="https://acme.example/shop",
    )
    add_media(scheduled, [brand_image(brand_a, title="One"), brand_image(brand_a, title="Two")])
    scheduled.save_revision()
    PostFactory(brand=brand_a, caption="").save_revision()
    live = PostFactory(brand=brand_a, caption="The words that went out")
    live.save_revision()
    live.caption = "Newer words in a draft"
    live.save_revision()
    # Published with its first words, the newer ones a draft on top (as after an edit of a live post).
    Post.objects.filter(pk=live.pk).update(live=True, has_unpublished_changes=True)

    answered = {post["id"]: post for post in api(creative).get("/api/v1/posts/").json()["results"]}

    serializer = PostSerializer()
    for post in Post.objects.with_status().filter(brand=brand_a):
        if post.live and post.has_unpublished_changes:
            draft = post.get_latest_revision_as_object()
            draft.status_code = post.status
            post = draft
        by_drf = json.loads(
            JSONRenderer().render(serializers.ModelSerializer.to_representation(serializer, post))
        )
        assert answered[post.pk] == by_drf
    assert answered[live.pk]["caption"] == "Newer words in a draft"
    assert [item["alt_text"] for item in answered[scheduled.pk]["media"]] == ["A photo 1", "A photo 2"]
