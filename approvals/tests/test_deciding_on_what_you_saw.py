"""A decision binds to the version the decider saw: the inbox, the post page, the portal and API
callers who send the `revision` they looked at are refused when the post changed since, with a
message about this post only, whatever revision id they send."""

import pytest
from django.urls import reverse

from approvals.models import ReviewDecision
from cms.posts.factories import PostFactory
from cms.posts.models import Post

from .helpers import current_task_state, status_of

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
SECRET = "Borealis e-bike launch, embargoed"


def review_url(post, action="approve") -> str:
    return f"/api/v1/reviews/{current_task_state(post).pk}/{action}/"


def latest_revision_id(post) -> int:
    return Post.objects.get(pk=post.pk).latest_revision_id


@pytest.fixture
def other_brands_revision(brand_b, outsider):
    """A revision of another client's post, whose title nobody on brand A may read."""
    post = PostFactory(brand=brand_b, created_by=outsider, title=SECRET)
    return post.save_revision(user=outsider)


def edit_caption(api, creative, post):
    response = api(creative).patch(f"/api/v1/posts/{post.pk}/", {"caption": "New words."}, format="json")
    assert response.status_code == 200


# The out-of-date message names this post only ----------------------------------------------------


def test_the_inbox_never_names_another_brands_post_for_a_revision_id_it_was_sent(
    login, reviewer, in_review, other_brands_revision
):
    url = reverse("approvals_inbox_approve", args=[current_task_state(in_review).pk])

    response = login(reviewer).post(url, {"revision": other_brands_revision.pk}, **HTMX)

    page = response.content.decode()
    assert response.status_code == 200
    assert SECRET not in page
    assert f"“{in_review.title}” has changed since you opened it" in page
    assert not ReviewDecision.objects.exists()


def test_a_revision_id_that_does_not_exist_is_refused_plainly(login, reviewer, in_review):
    url = reverse("approvals_inbox_approve", args=[current_task_state(in_review).pk])

    response = login(reviewer).post(url, {"revision": 987654}, **HTMX)

    assert response.status_code == 200
    assert "has changed since you opened it" in response.content.decode()
    assert status_of(in_review) == "in_review"


# The API: `revision` binds a decision to what the caller saw -------------------------------------


def test_the_review_list_says_which_revision_is_under_review(api, reviewer, in_review):
    (item,) = api(reviewer).get("/api/v1/reviews/").json()["results"]

    assert item["revision"] == latest_revision_id(in_review)


def test_approving_the_revision_seen_is_a_decision_on_it(api, reviewer, in_review):
    seen = latest_revision_id(in_review)

    response = api(reviewer).post(review_url(in_review), {"revision": seen}, format="json")

    assert response.status_code == 200
    assert response.json()["revision"] == seen
    assert status_of(in_review) == "published"


@pytest.mark.parametrize(
    "action, data",
    [("approve", {}), ("request-changes", {"reason": "tone", "comment": "Warmer, please."})],
)
def test_deciding_on_a_revision_the_post_has_moved_on_from_answers_409(
    api, creative, reviewer, in_review, action, data
):
    seen = latest_revision_id(in_review)
    edit_caption(api, creative, in_review)

    response = api(reviewer).post(review_url(in_review, action), {**data, "revision": seen}, format="json")

    assert response.status_code == 409
    assert response.json() == {
        "detail": f"“{in_review.title}” has changed since you opened it: review the new version "
        "before you decide. Nothing was decided.",
        "reason": "changed_since_seen",
    }
    assert not ReviewDecision.objects.exists()
    assert status_of(in_review) == "in_review"


def test_a_revision_of_another_brands_post_answers_409_without_naming_it(
    api, reviewer, in_review, other_brands_revision
):
    response = api(reviewer).post(
        review_url(in_review), {"revision": other_brands_revision.pk}, format="json"
    )

    assert response.status_code == 409
    assert SECRET not in response.content.decode()
    assert not ReviewDecision.objects.exists()


@pytest.mark.parametrize("revision", ["abc", -1, 1.5, "9" * 30])
def test_a_revision_that_is_no_id_answers_400(api, reviewer, in_review, revision):
    response = api(reviewer).post(review_url(in_review), {"revision": revision}, format="json")

    assert response.status_code == 400
    assert "revision" in response.json()
    assert not ReviewDecision.objects.exists()


def test_without_a_revision_the_decision_binds_to_the_latest_as_before(api, creative, reviewer, in_review):
    edit_caption(api, creative, in_review)

    response = api(reviewer).post(review_url(in_review), format="json")

    assert response.status_code == 200
    assert response.json()["revision"] == latest_revision_id(in_review)


def test_the_schema_documents_revision_and_the_reasons_for_a_refusal(api, reviewer):
    schema = api(reviewer).get("/api/schema/", {"format": "json"}).json()

    for action in ["approve", "request-changes"]:
        operation = schema["paths"][f"/api/v1/reviews/{{id}}/{action}/"]["post"]
        body = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].split("/")[-1]
        assert "revision" in schema["components"]["schemas"][body]["properties"]
        assert {"403", "409"} <= set(operation["responses"])
    refusal = schema["components"]["schemas"]["DecisionRefusal"]["properties"]["reason"]
    assert refusal["allOf"] == [{"$ref": "#/components/schemas/RefusalEnum"}]
    reasons = set(schema["components"]["schemas"]["RefusalEnum"]["enum"])
    assert {"changed_since_seen", "approved_another_tier", "wrote_this_version", "already_decided"} <= reasons
    assert "tone" in schema["components"]["schemas"]["ReasonEnum"]["enum"]  # the reason codes keep their name
