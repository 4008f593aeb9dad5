"""The approval endpoints' answers: submit, the reviews awaiting you, approve, request changes.

Every endpoint is tried by someone allowed and by someone who is not; the denied answers are
404 (as for a missing id) outside the user's scope, 403 inside it without the right, 409 for a
tier someone already decided.
"""

import datetime as dt
import zoneinfo

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient
from wagtail.models import TaskState

from approvals.models import ReasonCode, ReviewDecision
from brands.models import BannedPhrase
from cms.posts.factories import PostFactory
from cms.posts.models import Post

from .helpers import current_task_state, status_of, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def banned_cheap(brand_a):
    return BannedPhrase.objects.create(
        kit=brand_a.kit, phrase="cheap", suggestion="great value", severity="block"
    )


def review_url(post, action="approve") -> str:
    return f"/api/v1/reviews/{current_task_state(post).pk}/{action}/"


# POST /api/v1/posts/{id}/submit/ -----------------------------------------------------------------


def test_submit_answers_the_post_in_review(api, draft, creative):
    post = draft()

    response = api(creative).post(f"/api/v1/posts/{post.pk}/submit/")

    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["status"], body["brand"]) == (post.pk, "in_review", post.brand_id)
    assert {"caption", "platforms", "scheduled_at", "media"} <= set(body)


def test_submit_refuses_blocking_findings_and_lists_them(api, draft, creative, banned_cheap):
    post = draft(caption="Cheap coffee, cheap thrills")

    response = api(creative).post(f"/api/v1/posts/{post.pk}/submit/")

    assert response.status_code == 400
    body = response.json()
    assert "blocking findings" in body["detail"]
    assert {finding["rule"] for finding in body["findings"]} == {"banned_phrase"}
    assert all(finding["severity"] == "block" for finding in body["findings"])
    assert {"message", "start", "end", "suggestion"} <= set(body["findings"][0])
    assert status_of(post) == "draft"


def test_submit_checks_the_new_version_of_a_published_post(api, draft, creative, reviewer, banned_cheap):
    """A live post's row keeps its live content; the gate must check what goes for approval."""
    post = draft()
    submit(api, creative, post)
    api(reviewer).post(review_url(post), format="json")
    assert status_of(post) == "published"
    api(creative).patch(f"/api/v1/posts/{post.pk}/", {"caption": "Now cheap!"}, format="json")

    response = api(creative).post(f"/api/v1/posts/{post.pk}/submit/")

    assert response.status_code == 400
    assert status_of(post) == "published"


def test_submit_accepts_blocking_findings_a_lead_overrode(api, draft, creative, lead, banned_cheap):
    from cms.posts.checking import blocking, content_of, findings_for
    from cms.posts.services import record_finding_override

    post = draft(caption="Cheap coffee")
    findings = blocking(findings_for(content_of(post), post.brand))
    record_finding_override(post=post, user=lead, reason="The client insists", findings=findings)

    assert api(creative).post(f"/api/v1/posts/{post.pk}/submit/").status_code == 200


def test_submitting_a_post_in_review_answers_409(api, in_review, creative):
    response = api(creative).post(f"/api/v1/posts/{in_review.pk}/submit/")

    assert response.status_code == 409
    assert response.json()["detail"] == "This post is already in review."


@pytest.mark.parametrize("who", ["outsider", "lead_b", "client_of_a", "client_of_b"])
def test_submit_answers_404_outside_the_users_brands(api, request, draft, who):
    post = draft()

    response = api(request.getfixturevalue(who)).post(f"/api/v1/posts/{post.pk}/submit/")

    assert response.status_code == 404
    assert status_of(post) == "draft"


def test_submit_answers_403_without_the_right_to_change_posts(api, draft, reviewer):
    Group.objects.get(name="Reviewer").permissions.remove(Permission.objects.get(codename="change_post"))
    post = draft()

    response = api(reviewer).post(f"/api/v1/posts/{post.pk}/submit/")

    assert response.status_code == 403
    assert status_of(post) == "draft"


def test_anonymous_requests_are_refused(draft):
    post = draft()

    assert APIClient().post(f"/api/v1/posts/{post.pk}/submit/").status_code in (401, 403)
    assert APIClient().get("/api/v1/reviews/").status_code in (401, 403)
    assert status_of(post) == "draft"


# GET /api/v1/reviews/ ----------------------------------------------------------------------------


def test_reviews_lists_what_awaits_the_user_with_its_due_time(api, in_review, reviewer, policy):
    policy(senior_turnaround_hours=4)
    # Friday 16:00 in the brand's time zone: two working hours that day, two on Monday.
    friday = dt.datetime(2025, 6, 6, 16, tzinfo=zoneinfo.ZoneInfo("Europe/London"))
    TaskState.objects.filter(pk=current_task_state(in_review).pk).update(started_at=friday)

    body = api(reviewer).get("/api/v1/reviews/").json()

    assert {"count", "next", "previous", "results"} <= set(body)
    assert body["count"] == 1
    (item,) = body["results"]
    task_state = current_task_state(in_review)
    assert item["id"] == task_state.pk
    assert item["tier"] == "senior"
    assert item["submitted_by"] == "creative"
    assert item["post"] == {
        "id": in_review.pk,
        "title": in_review.title,
        "brand": in_review.brand_id,
        "brand_name": "Acme Coffee",
        "platforms": ["facebook"],
        "status": "in_review",
        "scheduled_at": None,
    }
    assert dt.datetime.fromisoformat(item["started_at"]) == friday
    assert dt.datetime.fromisoformat(item["due_at"]) == friday + dt.timedelta(days=2, hours=19)


def test_reviews_lists_the_longest_waiting_first(api, draft, creative, reviewer):
    first, second = draft(), draft()
    submit(api, creative, first)
    submit(api, creative, second)

    results = api(reviewer).get("/api/v1/reviews/").json()["results"]

    assert [item["post"]["id"] for item in results] == [first.pk, second.pk]


@pytest.mark.parametrize("who", ["creative", "outsider", "lead_b", "client_of_a", "client_of_b"])
def test_reviews_is_empty_for_everyone_else(api, request, in_review, who):
    """The author, another brand's people, clients (there is no client tier here)."""
    body = api(request.getfixturevalue(who)).get("/api/v1/reviews/").json()

    assert body["count"] == 0
    assert body["results"] == []


def test_reviews_query_count_does_not_grow_with_the_list(
    api, draft, creative, reviewer, django_assert_max_num_queries
):
    def as_reviewer():  # a fresh user object each time: nothing cached from the last request
        return api(type(reviewer).objects.get(pk=reviewer.pk))

    submit(api, creative, draft(platforms=["facebook", "x"]))
    with CaptureQueriesContext(connection) as one:
        assert len(as_reviewer().get("/api/v1/reviews/").json()["results"]) == 1
    baseline = len(one.captured_queries)  # now: later requests clear the connection's query log

    for _ in range(19):
        submit(api, creative, draft(platforms=["facebook", "x"]))
    with django_assert_max_num_queries(baseline):
        assert len(as_reviewer().get("/api/v1/reviews/").json()["results"]) == 20
    assert baseline <= 8


# POST /api/v1/reviews/{id}/approve/ --------------------------------------------------------------


def test_approve_answers_the_decision_bound_to_the_revision(api, in_review, reviewer):
    response = api(reviewer).post(review_url(in_review), {"comment": "Nice one"}, format="json")

    assert response.status_code == 200
    body = response.json()
    decision = ReviewDecision.objects.get()
    assert body["id"] == decision.pk
    assert body["outcome"] == "approved"
    assert body["tier"] == "senior"
    assert body["comment"] == "Nice one"
    assert body["decided_by"] == "reviewer"
    assert body["revision"] == Post.objects.get(pk=in_review.pk).latest_revision_id
    assert len(body["content_hash"]) == 64
    assert body["task_status"] == "approved"
    assert body["post"] == {"id": in_review.pk, "status": "published"}


def test_approve_without_a_body_is_fine(api, in_review, reviewer):
    assert api(reviewer).post(review_url(in_review)).status_code == 200


def test_approving_twice_answers_409_with_who_decided(api, in_review, reviewer, lead):
    url = review_url(in_review)
    api(reviewer).post(url, format="json")

    response = api(lead).post(url, format="json")

    assert response.status_code == 409
    name = reviewer.get_full_name() or reviewer.username
    assert response.json()["detail"] == f"Already decided by {name} (approved)."
    assert ReviewDecision.objects.count() == 1


@pytest.mark.parametrize("who", ["creative", "outsider", "lead_b", "client_of_a", "client_of_b"])
def test_approve_answers_404_to_anyone_who_cannot_decide_the_tier(api, request, in_review, who):
    response = api(request.getfixturevalue(who)).post(review_url(in_review), format="json")

    assert response.status_code == 404
    assert not ReviewDecision.objects.exists()
    assert status_of(in_review) == "in_review"


def test_approve_answers_404_for_a_missing_review(api, reviewer):
    assert api(reviewer).post("/api/v1/reviews/999999/approve/").status_code == 404


def test_approve_refuses_get(api, in_review, reviewer):
    assert api(reviewer).get(review_url(in_review)).status_code == 405


# POST /api/v1/reviews/{id}/request-changes/ ------------------------------------------------------


def test_request_changes_answers_the_decision(api, in_review, reviewer):
    response = api(reviewer).post(
        review_url(in_review, "request-changes"),
        {"reason": "copy", "comment": "Typo: 'roats'."},
        format="json",
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["outcome"], body["reason"], body["comment"]) == (
        "changes_requested",
        "copy",
        "Typo: 'roats'.",
    )
    assert body["task_status"] == "rejected"
    assert body["post"]["status"] == "changes_requested"


def test_request_changes_refuses_an_unknown_reason_and_names_the_codes(api, in_review, reviewer):
    response = api(reviewer).post(
        review_url(in_review, "request-changes"), {"reason": "vibes", "comment": "Meh"}, format="json"
    )

    assert response.status_code == 400
    message = response.json()["reason"][0]
    assert '"vibes" is not a reason code' in message
    assert all(code in message for code in ReasonCode.values)
    assert status_of(in_review) == "in_review"


@pytest.mark.parametrize("data", [{"reason": "tone"}, {"reason": "tone", "comment": ""}])
def test_request_changes_needs_a_comment(api, in_review, reviewer, data):
    response = api(reviewer).post(review_url(in_review, "request-changes"), data, format="json")

    assert response.status_code == 400
    assert response.json()["comment"] == ["Say what needs to change: the author sees this comment."]
    assert not ReviewDecision.objects.exists()


def test_request_changes_refuses_a_blank_comment(api, in_review, reviewer):
    response = api(reviewer).post(
        review_url(in_review, "request-changes"), {"reason": "tone", "comment": "   "}, format="json"
    )

    assert response.status_code == 400
    assert not ReviewDecision.objects.exists()


@pytest.mark.parametrize("who", ["creative", "outsider", "client_of_a"])
def test_request_changes_answers_404_to_anyone_who_cannot_decide_the_tier(api, request, in_review, who):
    response = api(request.getfixturevalue(who)).post(
        review_url(in_review, "request-changes"), {"reason": "tone", "comment": "No"}, format="json"
    )

    assert response.status_code == 404
    assert status_of(in_review) == "in_review"


def test_request_changes_after_an_approval_answers_409(api, in_review, reviewer, lead):
    url = review_url(in_review, "request-changes")
    api(reviewer).post(review_url(in_review), format="json")

    response = api(lead).post(url, {"reason": "tone", "comment": "Too late?"}, format="json")

    assert response.status_code == 409
    assert response.json()["detail"].startswith("Already decided by")
    assert status_of(in_review) == "published"


# The schema ---------------------------------------------------------------------------------------


def test_the_schema_documents_the_approval_endpoints(api, creative):
    schema = api(creative).get("/api/schema/", {"format": "json"}).json()

    for path in [
        "/api/v1/posts/{id}/submit/",
        "/api/v1/reviews/",
        "/api/v1/reviews/{id}/approve/",
        "/api/v1/reviews/{id}/request-changes/",
    ]:
        assert path in schema["paths"], path


def test_other_brands_posts_stay_out_of_the_list(api, in_review, brand_b, outsider, lead_b):
    other = PostFactory(brand=brand_b, created_by=outsider)
    other.save_revision(user=outsider)
    submit(api, outsider, other)

    assert [item["post"]["id"] for item in api(lead_b).get("/api/v1/reviews/").json()["results"]] == [
        other.pk
    ]
