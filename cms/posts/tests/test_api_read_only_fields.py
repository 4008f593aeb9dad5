"""Fields a caller must not set through the API (status, brand, approvals, authorship, the
workflow and publishing state) are read-only: a creative PATCHing each of them changes nothing."""

import datetime as dt

import pytest
from django.utils import timezone
from wagtail.models import TaskState, WorkflowState

from approvals.models import ReviewDecision
from approvals.tests.helpers import submit
from cms.posts.factories import PostFactory
from cms.posts.models import Post

pytestmark = pytest.mark.django_db

ATTEMPTS = {
    "status": "published",
    "status_code": "approved",
    "brand": "brand_b",  # another brand's id, filled in below
    "approvals": [{"tier": "senior", "user": 1}],
    "author": "reviewer",
    "created_by": "reviewer",
    "workflow_state": "approved",
    "current_workflow_state": None,
    "live": True,
    "live_revision": 1,
    "latest_revision": 1,
    "has_unpublished_changes": False,
    "first_published_at": "2026-01-01T00:00:00Z",
    "last_published_at": "2026-01-01T00:00:00Z",
    "locked": True,
    "locked_by": "creative",
    "id": 424242,
    "created_at": "2020-01-01T00:00:00Z",
    "updated_at": "2020-01-01T00:00:00Z",
}


def snapshot(post) -> dict:
    post = Post.objects.with_status().get(pk=post.pk)
    workflow = WorkflowState.objects.for_instance(post)
    return {
        "status": post.status,
        "brand": post.brand_id,
        "created_by": post.created_by_id,
        "created_at": post.created_at,
        "live": post.live,
        "live_revision": post.live_revision_id,
        "latest_revision": post.latest_revision_id,
        "revisions": post.revisions.count(),
        "first_published_at": post.first_published_at,
        "locked": post.locked,
        "workflows": list(workflow.values_list("pk", "status")),
        "task_states": list(
            TaskState.objects.filter(workflow_state__in=workflow).values_list("pk", "status")
        ),
        "decisions": ReviewDecision.objects.count(),
        "ids": list(Post.objects.values_list("pk", flat=True)),
    }


def _value(field, request):
    value = ATTEMPTS[field]
    if field == "brand":
        return request.getfixturevalue("brand_b").pk
    if field in ("author", "created_by", "locked_by"):
        return request.getfixturevalue(value).pk
    return value


@pytest.fixture
def a_draft(creative, brand_a):
    post = PostFactory(brand=brand_a, created_by=creative, caption="Our draft")
    post.save_revision(user=creative)
    return post


@pytest.mark.parametrize("field", list(ATTEMPTS))
def test_a_creative_cannot_set_it_on_a_draft(api, creative, reviewer, a_draft, field, request):
    before = snapshot(a_draft)

    answer = api(creative).patch(
        f"/api/v1/posts/{a_draft.pk}/", {field: _value(field, request)}, format="json"
    )

    assert answer.status_code in (200, 400), answer.content
    assert snapshot(a_draft) == before
    if answer.status_code == 200:
        assert answer.json()["status"] == "draft"


@pytest.mark.parametrize("field", ["status", "approvals", "workflow_state", "live", "created_by", "brand"])
def test_a_creative_cannot_set_it_on_a_post_in_review(api, creative, reviewer, a_draft, field, request):
    assert submit(api, creative, a_draft).status_code == 200
    before = snapshot(a_draft)
    assert before["status"] == "in_review"

    answer = api(creative).patch(
        f"/api/v1/posts/{a_draft.pk}/", {field: _value(field, request)}, format="json"
    )

    assert answer.status_code in (200, 400), answer.content
    assert snapshot(a_draft) == before


def test_all_at_once_alongside_a_real_edit_changes_only_the_edit(api, creative, a_draft, request):
    before = snapshot(a_draft)
    payload = {field: _value(field, request) for field in ATTEMPTS if field != "brand"}
    payload["caption"] = "Our draft, better"
    payload["scheduled_at"] = (timezone.now() + dt.timedelta(days=3)).isoformat()

    answer = api(creative).patch(f"/api/v1/posts/{a_draft.pk}/", payload, format="json")

    assert answer.status_code == 200, answer.content
    after = snapshot(a_draft)
    assert after["revisions"] == before["revisions"] + 1
    for key in (
        "status",
        "brand",
        "created_by",
        "created_at",
        "live",
        "first_published_at",
        "locked",
        "workflows",
        "decisions",
        "ids",
    ):
        assert after[key] == before[key], key
    assert Post.objects.get(pk=a_draft.pk).caption == "Our draft, better"
