"""The last tier approves while the author edits: what every tier approved goes out exactly as
approved, whatever happens to the draft after it, and the edit gets a review of its own.

Found when the client approved and the creative saved the caption in the same second: the
history said "published" but the post was left a draft, because the edit saved a copy of the
post loaded before the publish. Tried with real threads on whichever database runs the tests
(SQLite or PostgreSQL: CI runs both).
"""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import ModelLogEntry, WorkflowState

from approvals.hashing import content_hash
from approvals.models import ReviewDecision, ReviewTier
from approvals.moving_on import follow_up_due_decisions
from cms.posts.models import Post

from .helpers import (
    clock_at,
    current_task_state,
    current_tier,
    decide,
    in_three_days,
    race,
    status_of,
    submit,
)
from .test_workflow import api_post

pytestmark = pytest.mark.django_db

APPROVED_WORDS = "Approved words. #MondayMotivation"
LATER_WORDS = "Words written a moment later. #MondayMotivation"


@pytest.fixture
def awaiting_the_client(api, draft, creative, reviewer, policy):
    """A post every agency tier approved, waiting on the client."""
    policy(client_approval_required=True)

    def _post(**fields):
        post = draft(caption=APPROVED_WORDS, **fields)
        submit(api, creative, post)
        assert decide(api, reviewer, post).status_code == 200
        follow_up_due_decisions(now=timezone.now())  # with or without the relay fixture
        assert current_tier(post) == ReviewTier.CLIENT
        return post

    return _post


def patch_caption(creative, post, caption=LATER_WORDS):
    def call():
        from rest_framework.test import APIClient

        client = APIClient()
        client.force_authenticate(creative)
        return client.patch(f"/api/v1/posts/{post.pk}/", {"caption": caption}, format="json")

    return call


def assert_nothing_approved_was_lost(post) -> None:
    """If the history says the post was published, it is live, with exactly the content the
    client's approval was bound to; every later version is kept, and reviewed or a draft."""
    post = Post.objects.get(pk=post.pk)
    published = ModelLogEntry.objects.filter(object_id=str(post.pk), action="wagtail.publish")
    approval = ReviewDecision.objects.filter(task_state__task__reviewtask__tier=ReviewTier.CLIENT).first()
    if published.exists():
        assert post.live, "the history says published, the post is not live"
        assert post.live_revision_id == approval.revision_id
        assert content_hash(post.live_revision) == approval.content_hash
        assert post.caption == post.live_revision.content["caption"]
    latest = post.get_latest_revision()
    assert latest.content["caption"] in {APPROVED_WORDS, LATER_WORDS}
    if latest.content["caption"] == LATER_WORDS and post.live:
        # The later words are kept, not live: a draft (edited after the publish) or in review.
        assert post.has_unpublished_changes
        assert post.caption == APPROVED_WORDS


def test_an_edit_between_the_last_approval_and_the_relay_goes_into_a_review_of_its_own(
    api, awaiting_the_client, client_of_a, creative, reviewer, relay
):
    post = awaiting_the_client()
    assert decide(api, client_of_a, post).status_code == 200  # recorded; the relay follows it up
    assert patch_caption(creative, post)().status_code == 200

    relay()

    post = Post.objects.get(pk=post.pk)
    assert post.live and post.caption == APPROVED_WORDS
    assert post.live_revision.content["caption"] == APPROVED_WORDS
    assert status_of(post) == "in_review"  # the later words, from the first tier
    assert current_tier(post) == ReviewTier.SENIOR
    assert current_task_state(post).revision.content["caption"] == LATER_WORDS
    assert (
        WorkflowState.objects.filter(object_id=str(post.pk), status=WorkflowState.STATUS_APPROVED).count()
        == 1
    )
    assert ModelLogEntry.objects.filter(
        object_id=str(post.pk), action="signoff.newer_version_in_review"
    ).exists()
    assert_nothing_approved_was_lost(post)

    # The new version goes through every tier like any other.
    assert decide(api, reviewer, post).status_code == 200
    relay()
    assert decide(api, client_of_a, post).status_code == 200
    relay()
    post = Post.objects.get(pk=post.pk)
    assert post.caption == LATER_WORDS and not post.has_unpublished_changes


def test_a_scheduled_post_edited_before_the_relay_keeps_its_approved_slot(
    api, awaiting_the_client, client_of_a, creative, relay
):
    goes_out = in_three_days()
    post = awaiting_the_client(go_live_at=goes_out)
    assert decide(api, client_of_a, post).status_code == 200
    assert patch_caption(creative, post)().status_code == 200

    relay()

    post = Post.objects.get(pk=post.pk)
    scheduled = post.revisions.get(approved_go_live_at__isnull=False)
    assert scheduled.approved_go_live_at == goes_out
    assert scheduled.content["caption"] == APPROVED_WORDS
    assert current_task_state(post).revision.content["caption"] == LATER_WORDS

    # Its time comes while the newer version is still in review: the approved one goes out.
    with clock_at(goes_out + dt.timedelta(minutes=1)):
        call_command("publish_scheduled", verbosity=0)
    post = Post.objects.get(pk=post.pk)
    assert post.live and post.live_revision_id == scheduled.pk and post.caption == APPROVED_WORDS
    assert status_of(post) == "in_review"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("attempt", range(6))
def test_the_client_approving_while_the_creative_saves_never_loses_the_approved_post(
    api, awaiting_the_client, client_of_a, creative, attempt
):
    post = awaiting_the_client()
    approve_url = f"/api/v1/reviews/{current_task_state(post).pk}/approve/"

    approval, edit = race(api_post(client_of_a, approve_url), patch_caption(creative, post))

    assert approval.status_code in (200, 403, 409), approval
    assert edit.status_code == 200, edit
    assert_nothing_approved_was_lost(post)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("attempt", range(6))
def test_the_relay_publishing_while_the_creative_saves_never_loses_the_approved_post(
    api, awaiting_the_client, client_of_a, creative, relay, attempt
):
    post = awaiting_the_client()
    assert decide(api, client_of_a, post).status_code == 200

    _, edit = race(relay, patch_caption(creative, post))
    relay()  # whatever the first pass left (nothing, unless it lost the race to the edit)

    assert edit.status_code == 200, edit
    post = Post.objects.get(pk=post.pk)
    assert post.live, "the approved post must go out"
    assert post.live_revision.content["caption"] == APPROVED_WORDS
    assert_nothing_approved_was_lost(post)
