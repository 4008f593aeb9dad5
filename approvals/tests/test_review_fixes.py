"""Bugs found in a review of the approvals app, each tried the way a user (or a tampered request)
would hit it."""

import datetime as dt
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from approvals.models import ReviewDecision, ReviewTier
from brands.models import BannedPhrase
from cms.posts.models import Post

from .helpers import approved_and_live, awaiting, current_task_state, current_tier, decide, status_of, submit

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def editor_approve_url(post, task_state):
    return reverse("wagtailsnippets_posts_post:workflow_action", args=[post.pk, "approve", task_state.pk])


# The editor's own Approve button, pressed twice ----------------------------------------------------


def test_approving_twice_in_the_editor_says_who_decided_instead_of_failing(
    login, reviewer, in_review, policy
):
    """A double-click (or a page left open) on Wagtail's Approve in the editor: the tier has moved
    on to the lead, and the second press hears who decided, as in the inbox and the API."""
    policy(lead_review="always")
    task_state = current_task_state(in_review)
    client = login(reviewer)

    assert client.post(editor_approve_url(in_review, task_state), {"comment": ""}).status_code == 302
    response = client.post(editor_approve_url(in_review, task_state), {"comment": ""}, follow=True)

    assert response.status_code == 200
    assert any(str(m).startswith("Already decided by") for m in response.context["messages"])
    assert ReviewDecision.objects.count() == 1
    assert current_tier(in_review) == ReviewTier.LEAD


def test_the_same_reviewer_approving_twice_in_the_editor_on_a_two_reviewer_tier(
    login, reviewer, in_review, policy
):
    policy(senior_approvals_required=2)
    task_state = current_task_state(in_review)
    client = login(reviewer)
    client.post(editor_approve_url(in_review, task_state), {"comment": ""})

    response = client.post(
        editor_approve_url(in_review, task_state),
        {"comment": ""},
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",  # the "Approve with comment" modal
    )

    assert response.status_code == 200
    assert response.json()["step"] == "success"
    assert ReviewDecision.objects.count() == 1
    assert status_of(in_review) == "in_review"


# Blocking findings brought in after submission -----------------------------------------------------


@pytest.fixture
def blocked_word(brand_a):
    return BannedPhrase.objects.create(kit=brand_a.kit, phrase="cheapest", severity="block")


def test_content_edited_during_review_to_have_blocking_findings_cannot_be_approved(
    api, login, creative, reviewer, in_review, blocked_word
):
    """Blocking findings stop a post at submission; an edit made once it is in review must not
    get past them by being approved instead (nor go out without a lead's override)."""
    edited = api(creative).patch(
        f"/api/v1/posts/{in_review.pk}/", {"caption": "The cheapest coffee in town."}, format="json"
    )
    assert edited.status_code == 200

    response = decide(api, reviewer, in_review)
    assert response.status_code == 403
    assert "blocking" in response.json()["detail"]
    row = login(reviewer).post(
        reverse("approvals_inbox_approve", args=[current_task_state(in_review).pk]), **HTMX
    )
    assert "blocking" in row.content.decode()

    assert not ReviewDecision.objects.exists()
    assert status_of(in_review) == "in_review"
    # Sending it back still works: the author fixes it, or a lead overrides it on resubmission.
    changes = decide(api, reviewer, in_review, "request-changes", reason="copy", comment="No superlatives.")
    assert changes.status_code == 200
    assert status_of(in_review) == "changes_requested"


def test_content_submitted_with_a_leads_override_is_still_approved(
    api, creative, reviewer, lead, draft, blocked_word
):
    from cms.posts.checking import blocking, content_of, findings_for
    from cms.posts.services import record_finding_override

    post = draft(caption="The cheapest coffee in town.")
    findings = blocking(findings_for(content_of(post), post.brand))
    record_finding_override(post=post, user=lead, reason="Verified claim", findings=findings)
    assert submit(api, creative, post).status_code == 200

    assert decide(api, reviewer, post).status_code == 200
    assert current_tier(post) == ReviewTier.LEAD


# Tampered ids answer plainly, never with an error page ---------------------------------------------


@pytest.mark.parametrize("value", ["²", "9" * 30, "1" * 5000])
def test_bulk_approve_ignores_ids_that_are_no_ids(login, reviewer, in_review, value):
    response = login(reviewer).post(reverse("approvals_inbox_bulk_approve"), {"task_state": [value]})

    assert response.status_code == 302
    assert status_of(in_review) == "in_review"
    assert awaiting_ids(reviewer) == [in_review.pk]


def awaiting_ids(user):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(user)
    return awaiting(lambda _user: client, user)


@pytest.mark.parametrize("target", ["image-²", "image-" + "9" * 30, "image-" + "1" * 5000])
def test_a_comment_on_an_image_that_is_no_id_is_refused_with_a_message(login, reviewer, in_review, target):
    response = login(reviewer).post(
        reverse("review_comments:comments", args=[in_review.pk]), {"target": target, "body": "Hm."}, **HTMX
    )

    assert response.status_code == 200
    assert "error-message" in response.content.decode()
    assert not in_review.review_comments.exists()


def test_reply_boxes_with_names_that_are_no_ids_are_ignored(login, reviewer, in_review):
    response = login(reviewer).post(
        reverse("review_comments:comments", args=[in_review.pk]),
        {"target": "post", "body": "Looks good.", "reply-²": "typed"},
        **HTMX,
    )

    assert response.status_code == 200
    assert in_review.review_comments.count() == 1


# A review's own address --------------------------------------------------------------------------


def test_a_reviews_address_is_the_inbox_with_it_selected_and_with_htmx_its_pane_only(
    login, reviewer, in_review
):
    url = reverse("approvals_inbox_review", args=[current_task_state(in_review).pk])
    client = login(reviewer)

    assert client.get(url, **HTMX).content.decode().lstrip().startswith('<section id="inbox-pane"')
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "<html" in html and 'class="inbox-rows"' in html
    assert f'data-inbox-pane="{current_task_state(in_review).pk}"' in html


# Withdrawing a live post's scheduled new version ---------------------------------------------------


def test_the_withdraw_page_says_when_a_live_posts_new_version_goes_out(
    api, login, draft, creative, reviewer, lead
):
    """A live post keeps its live version's time on its row; the page must show the scheduled one's."""
    post = draft(title="Evergreen")
    approved_and_live(api, post, reviewer)
    goes_out = timezone.localtime(
        timezone.now() + dt.timedelta(days=3), zoneinfo.ZoneInfo(post.brand.time_zone)
    )
    edited = api(creative).patch(
        f"/api/v1/posts/{post.pk}/",
        {"caption": "New words.", "scheduled_at": goes_out.isoformat()},
        format="json",
    )
    assert edited.status_code == 200
    approved_and_live(api, Post.objects.get(pk=post.pk), reviewer)
    assert status_of(post) == "scheduled"

    page = login(lead).get(reverse("approvals_withdraw", args=[post.pk])).content.decode()

    assert f"to go out\n            {goes_out:%A} {goes_out.day} {goes_out:%B, %H:%M}" in page


# The editor's save-and-decide path (approve or request changes with edits) ---------------------


def _editor_decision(post, action="approve", extra="{}", **changes):
    from .helpers import editor_form

    return editor_form(
        post,
        **{
            "action-workflow-action": "true",
            "workflow-action-name": action,
            "workflow-action-extra-data": extra,
        },
        **changes,
    )


def test_deciding_twice_from_the_editor_form_says_who_decided(
    login, reviewer, second_reviewer, in_review, policy
):
    policy(senior_approvals_required=2)
    client = login(reviewer)
    from .helpers import edit_url

    client.post(edit_url(in_review), _editor_decision(in_review))
    response = client.post(edit_url(in_review), _editor_decision(in_review), follow=True)

    assert response.status_code == 200
    assert "Already decided by you" in response.content.decode()


@pytest.mark.parametrize(
    "extra",
    ["not json", "[1, 2]", '{"comment": 42}', '{"reason": "nonsense", "comment": "x"}'],
)
def test_tampered_decision_data_in_the_editor_is_refused_plainly(login, reviewer, in_review, extra):
    from .helpers import edit_url

    action = "reject" if "reason" in extra else "approve"
    response = login(reviewer).post(
        edit_url(in_review), _editor_decision(in_review, action, extra), follow=True
    )

    assert response.status_code == 200
    assert status_of(in_review) in {"in_review", "scheduled", "published", "approved"}


def test_a_reviewer_cannot_approve_changes_they_made_themselves(
    login, api, reviewer, second_reviewer, in_review
):
    """Four eyes: a reviewer who edits the post during review can't approve their own words."""
    from .helpers import edit_url, editor_form

    login(reviewer).post(
        edit_url(in_review), editor_form(in_review, caption="My own rewrite. #MondayMotivation")
    )

    assert decide(api, reviewer, in_review).status_code == 403
    assert decide(api, second_reviewer, in_review).status_code == 200


@pytest.mark.parametrize("brand", ["²", "9" * 40])
def test_tampered_brand_ids_on_the_new_post_form_are_refused_plainly(login, creative, brand):
    response = login(creative).post(reverse("wagtailsnippets_posts_post:add"), {"brand": brand, "title": "x"})

    assert response.status_code == 200  # the form, with its errors
