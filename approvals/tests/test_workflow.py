"""The tiered approval workflow end to end, through the API as people use it.

Tiers: senior review (always), lead review (high-risk posts, or always by brand policy), client
approval (by brand policy). Every approval is bound to the content it saw; nothing reaches
"published" or "scheduled" without passing every tier that applies — tried here from every side.
"""

import datetime as dt
import zoneinfo

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient
from wagtail.models import ModelLogEntry, TaskState, WorkflowState

from approvals.models import ReviewDecision, ReviewTier
from approvals.publishing import publish_approved_content
from approvals.services import AlreadyDecided, approve_task, request_changes
from brands.factories import UserFactory, membership
from brands.models import BrandRole, SensitiveDate
from cms.posts.models import FindingOverride, Post

from .helpers import (
    approved_and_live,
    awaiting,
    current_task_state,
    current_tier,
    decide,
    edit_url,
    editor_form,
    in_three_days,
    race,
    skipped_tiers,
    status_of,
    submit,
)

pytestmark = pytest.mark.django_db


# The path through the tiers ----------------------------------------------------------------------


def test_a_normal_post_goes_from_draft_to_published_through_the_senior_tier(api, draft, creative, reviewer):
    post = draft()

    response = submit(api, creative, post)
    assert response.status_code == 200
    assert response.json()["status"] == "in_review"

    assert awaiting(api, reviewer) == [post.pk]
    response = decide(api, reviewer, post, comment="Lovely.")
    assert response.status_code == 200
    assert response.json()["post"]["status"] == "published"

    post.refresh_from_db()
    assert post.live
    assert status_of(post) == "published"
    assert awaiting(api, reviewer) == []
    # The tiers that don't apply are skipped on the record, with the reason.
    assert sorted(skipped_tiers(post)) == ["Account-lead review", "Client approval"]
    decision = ReviewDecision.objects.get()
    assert (decision.user, decision.outcome, decision.comment) == (reviewer, "approved", "Lovely.")
    assert decision.revision == post.live_revision


def test_a_post_with_a_future_time_is_scheduled_not_published(api, draft, creative, reviewer):
    go_live_at = in_three_days()
    post = draft(go_live_at=go_live_at)

    approved_and_live(api, post, reviewer)

    post.refresh_from_db()
    assert status_of(post) == "scheduled"
    assert not post.live
    assert post.get_latest_revision().approved_go_live_at == go_live_at


def test_a_post_with_overridden_findings_also_needs_the_lead(api, draft, creative, reviewer, lead):
    post = draft()
    FindingOverride.objects.create(post=post, user=lead, reason="Legal cleared the claim", findings=[])

    submit(api, creative, post)
    assert decide(api, reviewer, post).status_code == 200

    assert status_of(post) == "in_review"
    assert current_tier(post) == ReviewTier.LEAD
    assert awaiting(api, reviewer) == []  # a reviewer never sees the lead tier
    assert awaiting(api, lead) == [post.pk]
    assert decide(api, lead, post).status_code == 200
    assert status_of(post) == "published"
    assert skipped_tiers(post) == ["Client approval"]


def test_a_post_scheduled_on_a_sensitive_date_also_needs_the_lead(
    api, draft, creative, reviewer, lead, brand_a
):
    london = zoneinfo.ZoneInfo("Europe/London")
    day = (timezone.now() + dt.timedelta(days=10)).astimezone(london).date()
    SensitiveDate.objects.create(kit=brand_a.kit, date=day, label="Remembrance", recurs_yearly=False)
    post = draft(go_live_at=dt.datetime.combine(day, dt.time(10, 0), tzinfo=london))

    submit(api, creative, post)
    decide(api, reviewer, post)

    assert current_tier(post) == ReviewTier.LEAD
    decide(api, lead, post)
    assert status_of(post) == "scheduled"


def test_risk_is_judged_on_the_new_version_of_a_published_post(api, draft, creative, reviewer, lead, brand_a):
    """A live post keeps its live content in its row; the tiers must judge the version under review."""
    post = draft()
    approved_and_live(api, post, reviewer)
    assert status_of(post) == "published"
    london = zoneinfo.ZoneInfo("Europe/London")
    day = (timezone.now() + dt.timedelta(days=10)).astimezone(london).date()
    SensitiveDate.objects.create(kit=brand_a.kit, date=day, label="Remembrance", recurs_yearly=False)

    on_the_day = dt.datetime.combine(day, dt.time(10, 0), tzinfo=london)
    response = api(creative).patch(
        f"/api/v1/posts/{post.pk}/", {"scheduled_at": on_the_day.isoformat()}, format="json"
    )
    assert response.status_code == 200
    submit(api, creative, post)
    decide(api, reviewer, post)

    assert current_tier(post) == ReviewTier.LEAD


def test_a_brand_can_want_its_lead_on_every_post(api, draft, creative, reviewer, lead, policy):
    policy(lead_review="always")
    post = draft()

    submit(api, creative, post)
    decide(api, reviewer, post)

    assert status_of(post) == "in_review"
    assert current_tier(post) == ReviewTier.LEAD
    decide(api, lead, post)
    assert status_of(post) == "published"


def test_a_brand_that_signs_off_its_posts_waits_for_its_client(
    api, draft, creative, reviewer, client_of_a, client_of_b, policy
):
    policy(client_approval_required=True)
    post = draft()
    submit(api, creative, post)

    assert awaiting(api, client_of_a) == []  # not before the agency's own tiers
    decide(api, reviewer, post)

    assert current_tier(post) == ReviewTier.CLIENT
    assert awaiting(api, client_of_a) == [post.pk]
    assert awaiting(api, client_of_b) == []
    assert awaiting(api, reviewer) == []
    assert decide(api, client_of_b, post).status_code == 404
    assert decide(api, reviewer, post).status_code == 404
    assert status_of(post) == "in_review"

    response = decide(api, client_of_a, post, comment="Go for it")
    assert response.status_code == 200
    assert response.json()["tier"] == "client"
    assert status_of(post) == "published"


def test_a_brand_can_want_two_reviewers(api, draft, creative, reviewer, second_reviewer, policy):
    policy(senior_approvals_required=2)
    post = draft()
    submit(api, creative, post)

    response = decide(api, reviewer, post)
    assert response.status_code == 200
    assert response.json()["task_status"] == "in_progress"
    assert status_of(post) == "in_review"
    assert awaiting(api, reviewer) == []  # they did their part
    assert awaiting(api, second_reviewer) == [post.pk]
    assert ModelLogEntry.objects.filter(object_id=str(post.pk), action="signoff.partial_approval").exists()

    assert decide(api, second_reviewer, post).status_code == 200
    assert status_of(post) == "published"
    assert ReviewDecision.objects.filter(outcome="approved").count() == 2


def test_one_reviewer_cannot_count_twice(api, draft, creative, reviewer, policy):
    policy(senior_approvals_required=2)
    post = draft()
    submit(api, creative, post)
    task_state = current_task_state(post)

    decide(api, reviewer, post)
    response = api(reviewer).post(f"/api/v1/reviews/{task_state.pk}/approve/", {}, format="json")

    assert response.status_code == 409
    assert "you" in response.json()["detail"].lower()
    assert status_of(post) == "in_review"
    assert ReviewDecision.objects.count() == 1


# Changes requested -------------------------------------------------------------------------------


def test_requested_changes_go_back_to_the_creative_and_resubmission_starts_at_the_first_tier(
    api, draft, creative, reviewer, lead, policy
):
    policy(lead_review="always")
    post = draft()
    submit(api, creative, post)
    decide(api, reviewer, post)
    assert current_tier(post) == ReviewTier.LEAD

    response = decide(api, lead, post, "request-changes", reason="tone", comment="Too salesy; warmer please.")

    assert response.status_code == 200
    assert response.json()["outcome"] == "changes_requested"
    assert response.json()["reason"] == "tone"
    assert status_of(post) == "changes_requested"
    assert awaiting(api, lead) == []

    post.caption = "A warmer caption. #MondayMotivation"
    post.save()
    post.save_revision(user=creative)
    response = submit(api, creative, post)

    assert response.status_code == 200
    assert response.json()["status"] == "in_review"
    assert current_tier(post) == ReviewTier.SENIOR
    assert awaiting(api, reviewer) == [post.pk]


def test_resubmitting_edited_content_in_the_editor_also_starts_at_the_first_tier(
    api, login, draft, creative, reviewer, lead, policy
):
    policy(lead_review="always")
    post = draft()
    submit(api, creative, post)
    decide(api, reviewer, post)
    decide(api, lead, post, "request-changes", reason="facts", comment="Check the price.")

    response = login(creative).post(
        edit_url(post),
        editor_form(
            post, caption="Now with the right price. #MondayMotivation", **{"action-submit": "Resubmit"}
        ),
    )

    assert response.status_code == 302
    assert status_of(post) == "in_review"
    assert current_tier(post) == ReviewTier.SENIOR


def test_resubmitting_unchanged_content_goes_back_to_the_tier_that_asked(
    api, draft, creative, reviewer, lead, policy
):
    """Nothing changed since the senior approved, so their approval still stands."""
    policy(lead_review="always")
    post = draft()
    submit(api, creative, post)
    decide(api, reviewer, post)
    decide(api, lead, post, "request-changes", reason="timing", comment="Hold until the recall is over?")

    submit(api, creative, post)

    assert current_tier(post) == ReviewTier.LEAD
    decide(api, lead, post)
    assert status_of(post) == "published"


# Content changed after an approval ---------------------------------------------------------------


def test_an_edit_after_an_approval_sends_the_post_back_to_the_first_tier(
    api, draft, creative, reviewer, lead, policy
):
    policy(lead_review="always")
    post = draft(caption="Approved words. #MondayMotivation")
    submit(api, creative, post)
    decide(api, reviewer, post)
    assert current_tier(post) == ReviewTier.LEAD

    post.caption = "Words nobody approved. #MondayMotivation"
    post.save()
    post.save_revision(user=creative)
    assert decide(api, lead, post).status_code == 200

    # Back to the senior tier for the new content, and nothing published meanwhile.
    assert current_tier(post) == ReviewTier.SENIOR
    assert status_of(post) == "in_review"
    assert not Post.objects.get(pk=post.pk).live
    assert awaiting(api, reviewer) == [post.pk]

    decide(api, reviewer, post)
    # The lead approved while the content was changing under them: they see the final content too.
    assert current_tier(post) == ReviewTier.LEAD
    decide(api, lead, post)

    post.refresh_from_db()
    assert status_of(post) == "published"
    assert post.caption == "Words nobody approved. #MondayMotivation"
    final = post.live_revision
    assert set(ReviewDecision.objects.filter(revision=final).values_list("user__username", flat=True)) == {
        "reviewer",
        "lead",
    }


@override_settings(WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT=False)
def test_publishing_refuses_content_whose_hash_is_not_the_approved_one(
    api, draft, creative, reviewer, lead, policy
):
    """Even if Wagtail's re-approval on edit were turned off, the content hash holds the line."""
    policy(lead_review="always")
    post = draft(caption="Approved words.")
    submit(api, creative, post)
    decide(api, reviewer, post)
    post.caption = "Words nobody approved."
    post.save()
    post.save_revision(user=creative)

    with pytest.raises(PermissionDenied, match="changed after it was approved"):
        approve_task(task_state=current_task_state(post), user=lead)

    assert not Post.objects.get(pk=post.pk).live
    workflow_state = WorkflowState.objects.get()
    with pytest.raises(PermissionDenied):
        publish_approved_content(workflow_state=workflow_state, user=lead)
    assert status_of(post) == "in_review"


# No way around the tiers -------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["creative", "lead", "admin_user"])
def test_wagtails_publish_button_does_not_publish(request, login, draft, who):
    user = request.getfixturevalue(who)
    post = draft()

    response = login(user).post(
        edit_url(post), editor_form(post, caption="Publish me", **{"action-publish": "action-publish"})
    )

    # Wagtail offers "publish" only to holders of the permission; the rest get a saved draft.
    assert response.status_code == 302
    post = Post.objects.get(pk=post.pk)
    assert post.get_latest_revision().content["caption"] == "Publish me"
    assert not post.live
    assert status_of(post) == "draft"


@pytest.mark.parametrize("who", ["creative", "lead", "admin_user"])
def test_wagtails_publish_button_does_not_schedule(request, login, draft, who):
    user = request.getfixturevalue(who)
    post = draft(go_live_at=in_three_days())

    response = login(user).post(edit_url(post), editor_form(post, **{"action-publish": "action-publish"}))

    assert response.status_code == 302
    assert status_of(post) == "draft"
    assert not Post.objects.get(pk=post.pk).revisions.filter(approved_go_live_at__isnull=False).exists()


def test_a_client_cannot_reach_the_editor_at_all(login, draft, client_of_a):
    post = draft()

    response = login(client_of_a).post(
        edit_url(post), editor_form(post, **{"action-publish": "action-publish"})
    )

    assert response.status_code in (302, 403)
    assert status_of(post) == "draft"


@pytest.mark.parametrize("who", ["creative", "lead", "admin_user", "client_of_a"])
def test_there_is_no_bulk_publish_for_posts(request, login, draft, who):
    user = request.getfixturevalue(who)
    post = draft()

    response = login(user).post(
        reverse("wagtail_bulk_action", args=["posts", "post", "publish"]) + f"?id={post.pk}",
        {"id": [post.pk]},
    )

    assert response.status_code in (302, 403, 404)
    assert status_of(post) == "draft"


@pytest.mark.parametrize("who", ["creative", "lead", "client_of_a"])
def test_the_api_has_no_way_to_publish(api, request, draft, who):
    user = request.getfixturevalue(who)
    post = draft()

    response = api(user).patch(
        f"/api/v1/posts/{post.pk}/",
        {"status": "published", "live": True, "approved_go_live_at": timezone.now().isoformat()},
        format="json",
    )

    assert response.status_code in (200, 403, 404)
    if response.status_code == 200:
        assert response.json()["status"] == "draft"
    assert not Post.objects.get(pk=post.pk).live
    assert status_of(post) == "draft"


def scheduled_post(api, draft, reviewer):
    post = draft(go_live_at=in_three_days())
    approved_and_live(api, post, reviewer)
    assert status_of(post) == "scheduled"
    return Post.objects.get(pk=post.pk)


@pytest.mark.parametrize(
    ("who", "refused_with"),
    # A client is refused any post through the API (the API drafts for the agency only), whatever it is.
    [("creative", 403), ("lead", 403), ("admin_user", 403), ("client_of_a", 403)],
)
def test_an_approved_scheduled_post_cannot_be_edited_to_another_time(
    request, api, login, draft, reviewer, who, refused_with
):
    """Wagtail locks whatever is scheduled (ScheduledForPublishLock): the API and the editor refuse."""
    post = scheduled_post(api, draft, reviewer)
    approved = post.get_latest_revision()
    user = request.getfixturevalue(who)
    now = timezone.now() - dt.timedelta(minutes=5)  # would go out at once

    response = api(user).patch(f"/api/v1/posts/{post.pk}/", {"scheduled_at": now.isoformat()}, format="json")
    assert response.status_code == refused_with
    if who != "client_of_a":
        assert "scheduled to go live" in response.json()["detail"]

    earlier = timezone.localtime(now).strftime("%Y-%m-%d %H:%M")
    login(user).post(
        edit_url(post), editor_form(post, go_live_at=earlier, **{"action-publish": "action-publish"})
    )

    call_command("publish_scheduled")
    post = Post.objects.get(pk=post.pk)
    assert not post.live
    assert post.get_latest_revision() == approved
    assert list(post.revisions.filter(approved_go_live_at__isnull=False)) == [approved]
    assert approved.approved_go_live_at == post.go_live_at


def test_once_unscheduled_a_new_time_needs_a_new_approval(api, draft, creative, reviewer):
    post = scheduled_post(api, draft, reviewer)
    approved = post.get_latest_revision()
    # What Wagtail's unschedule view does (it needs the publish permission, which nobody holds).
    approved.approved_go_live_at = None
    approved.save(update_fields=["approved_go_live_at"])

    now = timezone.now() - dt.timedelta(minutes=5)
    response = api(creative).patch(
        f"/api/v1/posts/{post.pk}/", {"scheduled_at": now.isoformat()}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "draft"

    call_command("publish_scheduled")
    post = Post.objects.get(pk=post.pk)
    latest = post.get_latest_revision()
    assert latest != approved
    assert latest.approved_go_live_at is None
    assert not post.live

    assert submit(api, creative, post).json()["status"] == "in_review"
    decide(api, reviewer, post)
    post = Post.objects.get(pk=post.pk)
    assert post.live
    assert post.live_revision == latest


@pytest.mark.parametrize("who", ["creative", "lead", "admin_user", "client_of_a"])
def test_reverting_to_an_unapproved_revision_does_not_publish_it(
    request, login, api, draft, creative, reviewer, who
):
    post = draft(caption="An early draft nobody approved.")
    unapproved = post.get_latest_revision()
    post.caption = "The approved caption."
    post.save()
    post.save_revision(user=creative)
    approved_and_live(api, post, reviewer)
    post.refresh_from_db()
    assert post.live and post.caption == "The approved caption."
    user = request.getfixturevalue(who)

    url = reverse("wagtailsnippets_posts_post:revisions_revert", args=[post.pk, unapproved.pk])
    response = login(user).post(
        url,
        editor_form(post, caption="An early draft nobody approved.", **{"action-publish": "action-publish"}),
    )

    post.refresh_from_db()
    if who != "client_of_a":  # the client never reaches the admin; the others revert as a draft
        assert response.status_code == 302
        assert post.get_latest_revision().content["caption"] == "An early draft nobody approved."
    assert post.caption == "The approved caption."
    assert post.live_revision.content["caption"] == "The approved caption."
    assert status_of(post) == "published"


def test_the_creator_cannot_approve_their_own_post_even_as_the_brands_lead(api, draft, lead, reviewer):
    post = draft(by=lead)
    assert submit(api, lead, post).status_code == 200

    assert awaiting(api, lead) == []
    assert decide(api, lead, post).status_code == 404
    with pytest.raises(PermissionDenied):
        approve_task(task_state=current_task_state(post), user=lead)
    assert status_of(post) == "in_review"
    assert decide(api, reviewer, post).status_code == 200


def test_whoever_submits_a_post_cannot_approve_it(api, draft, reviewer, second_reviewer):
    post = draft()
    assert submit(api, reviewer, post).status_code == 200  # a reviewer may submit a creative's post

    assert decide(api, reviewer, post).status_code == 404
    assert decide(api, second_reviewer, post).status_code == 200


def test_a_creative_cannot_approve_in_the_editor(login, in_review, creative):
    """The editor's approve buttons (the edit form's workflow action and its own view) refuse them."""
    task_state = current_task_state(in_review)
    client = login(creative)

    client.post(
        edit_url(in_review),
        editor_form(in_review, **{"action-workflow-action": "true", "workflow-action-name": "approve"}),
    )
    client.post(
        reverse("wagtailsnippets_posts_post:workflow_action", args=[in_review.pk, "approve", task_state.pk]),
        {"comment": ""},
    )

    assert status_of(in_review) == "in_review"
    assert current_tier(in_review) == ReviewTier.SENIOR
    assert not ReviewDecision.objects.exists()


def test_a_client_cannot_act_on_an_internal_tier(api, in_review, client_of_a, policy):
    policy(client_approval_required=True)
    task_state = current_task_state(in_review)

    assert api(client_of_a).post(f"/api/v1/reviews/{task_state.pk}/approve/").status_code == 404
    with pytest.raises(PermissionDenied):
        approve_task(task_state=task_state, user=client_of_a)
    with pytest.raises(PermissionDenied):
        request_changes(task_state=task_state, user=client_of_a, reason="tone", comment="No")
    assert current_tier(in_review) == ReviewTier.SENIOR


def test_an_outsider_cannot_see_or_decide_another_brands_reviews(api, in_review, outsider, lead_b):
    task_state = current_task_state(in_review)

    for user in (outsider, lead_b):
        assert awaiting(api, user) == []
        assert api(user).post(f"/api/v1/reviews/{task_state.pk}/approve/").status_code == 404
        response = api(user).post(
            f"/api/v1/reviews/{task_state.pk}/request-changes/",
            {"reason": "tone", "comment": "x"},
            format="json",
        )
        assert response.status_code == 404
    assert status_of(in_review) == "in_review"


def test_admin_approves_like_a_reviewer_but_not_for_the_client(api, in_review, admin_user, policy):
    policy(client_approval_required=True)

    assert decide(api, admin_user, in_review).status_code == 200
    assert current_tier(in_review) == ReviewTier.CLIENT
    assert decide(api, admin_user, in_review).status_code == 404
    assert status_of(in_review) == "in_review"


# Exactly once ------------------------------------------------------------------------------------


def api_post(user, url, data=None):
    def call():
        client = APIClient()
        client.force_authenticate(user)
        return client.post(url, data or {}, format="json")

    return call


def approve_at_once(post, *users):
    """Each user approves the post's current tier through the API at the same moment: the
    status codes, sorted, and what each 409 said."""
    url = f"/api/v1/reviews/{current_task_state(post).pk}/approve/"
    responses = race(*(api_post(user, url) for user in users))
    conflicts = [response.json()["detail"] for response in responses if response.status_code == 409]
    return sorted(response.status_code for response in responses), conflicts


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_reviewers_approving_at_once_make_exactly_one_decision(api, in_review, reviewer, second_reviewer):

    codes, conflicts = approve_at_once(in_review, reviewer, second_reviewer)

    assert codes == [200, 409]
    [decision] = ReviewDecision.objects.all()
    assert conflicts == [f"Already decided by {decision.user.get_full_name()} (approved)."]
    assert TaskState.objects.filter(status=TaskState.STATUS_APPROVED).count() == 1
    assert (
        ModelLogEntry.objects.filter(object_id=str(in_review.pk), action="wagtail.workflow.approve").count()
        == 1
    )
    assert Post.objects.get(pk=in_review.pk).live


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_double_click_makes_one_decision(api, in_review, reviewer):

    codes, conflicts = approve_at_once(in_review, reviewer, reviewer)

    assert codes == [200, 409]
    assert conflicts == ["Already decided by you (approved)."]
    assert ReviewDecision.objects.count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_double_click_on_a_two_reviewer_tier_counts_once(api, in_review, reviewer, policy):
    """The second click waits for the first, finds the tier still open, and is told it already
    decided: one reviewer never makes both approvals."""
    policy(senior_approvals_required=2)

    codes, conflicts = approve_at_once(in_review, reviewer, reviewer)

    assert codes == [200, 409]
    assert conflicts == ["Already decided by you: the tier waits for another reviewer's approval."]
    assert ReviewDecision.objects.count() == 1
    assert status_of(in_review) == "in_review"
    assert current_task_state(in_review).status == TaskState.STATUS_IN_PROGRESS


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_approve_and_request_changes_at_once_make_exactly_one_decision(
    api, in_review, reviewer, second_reviewer
):
    task_state_id = current_task_state(in_review).pk

    responses = race(
        api_post(reviewer, f"/api/v1/reviews/{task_state_id}/approve/"),
        api_post(
            second_reviewer,
            f"/api/v1/reviews/{task_state_id}/request-changes/",
            {"reason": "copy", "comment": "Typo in line two."},
        ),
    )

    assert sorted(response.status_code for response in responses) == [200, 409], responses
    assert ReviewDecision.objects.count() == 1
    assert status_of(in_review) in ("published", "changes_requested")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_second_of_two_needed_approvals_closes_the_tier_even_at_the_same_moment(
    api, in_review, reviewer, second_reviewer, policy
):
    """Both approvals count: neither may miss the other and leave the tier open forever."""
    policy(senior_approvals_required=2)

    codes, _ = approve_at_once(in_review, reviewer, second_reviewer)

    assert codes == [200, 200]
    assert ReviewDecision.objects.count() == 2
    assert status_of(in_review) == "published"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_services_called_at_once_give_one_decision_and_already_decided(
    draft, creative, reviewer, second_reviewer, api
):
    """The same guard holds for any caller of the services (the Wagtail task, the portal, the inbox)."""
    post = draft()
    submit(api, creative, post)
    task_state_id = current_task_state(post).pk

    def approve_as(user):
        return lambda: approve_task(task_state=TaskState.objects.get(pk=task_state_id), user=user)

    results = race(approve_as(reviewer), approve_as(second_reviewer))

    decisions = [result for result in results if isinstance(result, ReviewDecision)]
    refusals = [result for result in results if isinstance(result, AlreadyDecided)]
    assert (len(decisions), len(refusals)) == (1, 1), results
    assert str(refusals[0]).startswith(f"Already decided by {decisions[0].user.get_full_name()}")


# Users with other rights -------------------------------------------------------------------------


def test_a_reviewer_of_another_brand_who_is_creative_here_cannot_review(api, in_review, brand_a, brand_b):
    """Roles are per brand: reviewing brand B gives nothing on brand A."""
    user = UserFactory(username="mixed")
    membership(user, brand_a, BrandRole.CREATIVE)
    membership(user, brand_b, BrandRole.REVIEWER)

    assert awaiting(api, user) == []
    assert decide(api, user, in_review).status_code == 404


def test_nobody_in_the_role_groups_holds_wagtails_publish_permission(db):
    publish = Permission.objects.get(codename="publish_post")
    assert not Group.objects.filter(permissions=publish).exists()


def test_autosave_never_rewrites_a_revision_a_tier_has_approved(
    login, api, draft, creative, reviewer, lead, policy
):
    """Wagtail's autosave overwrites the author's own latest revision in place. Once a tier has
    approved that revision, an autosave must make a new one instead: the approval stays bound to
    what the reviewer saw, and the edit sends the post back through the tiers."""
    policy(lead_review="always")
    post = draft(caption="Approved words. #MondayMotivation")
    submit(api, creative, post)
    approved = Post.objects.get(pk=post.pk).latest_revision
    decide(api, reviewer, post)

    response = login(creative).post(
        edit_url(post),
        editor_form(
            post, caption="Words nobody approved. #MondayMotivation", overwrite_revision_id=approved.pk
        ),
        HTTP_ACCEPT="application/json",
    )

    assert response.status_code == 200, response.content
    approved.refresh_from_db()
    assert approved.content["caption"] == "Approved words. #MondayMotivation"
    latest = Post.objects.get(pk=post.pk).latest_revision
    assert latest.pk != approved.pk
    assert latest.content["caption"] == "Words nobody approved. #MondayMotivation"
    assert decide(api, lead, post).status_code == 200
    assert current_tier(post) == ReviewTier.SENIOR  # the new words need the senior tier again
