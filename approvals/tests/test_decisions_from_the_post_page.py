"""Deciding from the post page (the editor), where every review e-mail leads.

The editor posts its whole form with a decision. An unchanged form is a decision, not an edit:
it must not make a revision that lapses earlier tiers' approvals. A real change by the reviewer
is an edit, saved as such, and the four-eyes rule keeps them from approving their own words.
"""

import re

import pytest
from django.test import Client
from wagtail.models import ModelLogEntry, Revision

from approvals.models import ReviewDecision, ReviewTier
from cms.posts.models import Post

from .helpers import current_tier, decide, edit_url, editor_form, status_of, submit

pytestmark = pytest.mark.django_db


def decision_form(post, action="approve", extra="{}", **changes):
    return editor_form(
        post,
        **{
            "action-workflow-action": "true",
            "workflow-action-name": action,
            "workflow-action-extra-data": extra,
        },
        **changes,
    )


def revisions_of(post) -> int:
    return Revision.objects.filter(object_id=str(post.pk), base_content_type__model="post").count()


def test_a_senior_approving_from_the_post_page_moves_the_post_on(login, reviewer, in_review, policy):
    policy(lead_review="always")
    revisions = revisions_of(in_review)

    response = login(reviewer).post(edit_url(in_review), decision_form(in_review), follow=True)

    assert response.status_code == 200
    assert current_tier(in_review) == ReviewTier.LEAD
    assert revisions_of(in_review) == revisions  # a decision, not an edit
    assert not ModelLogEntry.objects.filter(action="signoff.reapproval_required").exists()
    assert ReviewDecision.objects.get().user == reviewer


def test_the_last_tier_approving_from_the_post_page_publishes(api, login, reviewer, lead, in_review, policy):
    policy(lead_review="always")
    login(reviewer).post(edit_url(in_review), decision_form(in_review))

    login(lead).post(edit_url(in_review), decision_form(in_review))

    assert status_of(in_review) == "published"
    assert not ModelLogEntry.objects.filter(action="signoff.reapproval_required").exists()


def test_requesting_changes_from_the_post_page_sends_it_back_without_an_edit(login, reviewer, in_review):
    revisions = revisions_of(in_review)
    extra = '{"reason": "tone", "comment": "Warmer, please."}'

    login(reviewer).post(edit_url(in_review), decision_form(in_review, "reject", extra))

    assert status_of(in_review) == "changes_requested"
    assert revisions_of(in_review) == revisions


def test_a_reviewer_who_changes_the_post_and_approves_saves_an_edit_but_cannot_approve_it(
    api, login, reviewer, second_reviewer, in_review
):
    revisions = revisions_of(in_review)

    response = login(reviewer).post(
        edit_url(in_review), decision_form(in_review, caption="My words now. #MondayMotivation"), follow=True
    )

    assert revisions_of(in_review) == revisions + 1  # the edit is kept
    assert "someone else has to approve it" in response.content.decode()
    assert status_of(in_review) == "in_review"
    assert not ReviewDecision.objects.exists()
    assert decide(api, second_reviewer, in_review).status_code == 200


def action_menu(user, post) -> list[str]:
    """The editor's action buttons in order: the first is the main one, the rest the dropdown."""
    page = Client()
    page.force_login(user)
    html = page.get(edit_url(post)).content.decode()
    footer = html[html.index("<footer") :]
    buttons = re.findall(
        r'data-workflow-action-name="(\w+)"|name="(action-[\w-]+)"|class="button (action-save)', footer
    )
    return ["".join(groups) for groups in buttons]


def test_approve_and_request_changes_are_the_post_pages_main_actions_for_a_decider(reviewer, in_review):
    buttons = action_menu(reviewer, in_review)

    assert buttons[:3] == ["approve", "reject", "approve"]  # Approve, Request changes, Approve with comment
    assert "action-save" in buttons[3:]
    if "action-cancel-workflow" in buttons:
        assert buttons[-1] == "action-cancel-workflow"


def test_the_author_keeps_save_as_the_main_action(creative, in_review):
    buttons = action_menu(creative, in_review)

    assert buttons[0] == "action-save"
    assert "approve" not in buttons


def test_a_post_approved_from_the_page_then_resubmitted_unchanged_is_not_approved_twice(
    api, login, creative, reviewer, lead, draft, policy
):
    """The lead requests changes after the senior approved from the post page; resubmitted
    unchanged, the senior's approval still stands, because approving made no new revision."""
    policy(lead_review="always")
    post = draft()
    submit(api, creative, post)
    login(reviewer).post(edit_url(post), decision_form(post))
    decide(api, lead, post, "request-changes", reason="timing", comment="Wait a week?")

    submit(api, creative, post)

    assert current_tier(post) == ReviewTier.LEAD


def test_a_decision_on_a_page_opened_before_someone_else_saved_is_refused_and_undoes_nothing(
    api, login, reviewer, creative, in_review
):
    seen = in_review.latest_revision
    api(creative).patch(f"/api/v1/posts/{in_review.pk}/", {"caption": "Newer words"}, format="json")
    revisions = revisions_of(in_review)

    response = login(reviewer).post(
        edit_url(in_review),
        decision_form(
            in_review,
            caption=seen.content["caption"],  # the page as the reviewer loaded it
            loaded_revision_id=str(seen.pk),
            loaded_revision_created_at=seen.created_at.isoformat(),
        ),
    )

    assert response.status_code == 200  # the form again, as typed
    assert "has changed since you opened it" in response.content.decode()
    assert revisions_of(in_review) == revisions
    assert not ReviewDecision.objects.exists()
    assert Post.objects.get(pk=in_review.pk).get_latest_revision_as_object().caption == "Newer words"
