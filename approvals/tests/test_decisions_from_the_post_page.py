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


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]] if response.context else []


@pytest.fixture
def opened_then_changed(api, creative, in_review):
    """The reviewer opened the post page (the form as it was then); the creative then saved a newer
    version through the API."""
    page = decision_form(in_review)
    response = api(creative).patch(
        f"/api/v1/posts/{in_review.pk}/", {"caption": "Newer words"}, format="json"
    )
    assert response.status_code == 200
    return page


@pytest.mark.parametrize(
    "action, extra",
    [("approve", "{}"), ("reject", '{"reason": "tone", "comment": "Warmer, please."}')],
    ids=["approve", "request changes"],
)
def test_a_decision_on_a_page_opened_before_someone_else_saved_decides_nothing(
    login, reviewer, in_review, opened_then_changed, action, extra
):
    revisions = revisions_of(in_review)
    page = {**opened_then_changed, "workflow-action-name": action, "workflow-action-extra-data": extra}

    response = login(reviewer).post(edit_url(in_review), page)

    assert response.status_code == 302
    assert response.url == edit_url(in_review)  # to the new version
    assert not ReviewDecision.objects.exists()
    assert status_of(in_review) == "in_review"
    assert revisions_of(in_review) == revisions
    assert Post.objects.get(pk=in_review.pk).get_latest_revision_as_object().caption == "Newer words"
    shown = messages_of(login(reviewer).get(response.url))
    assert any("has changed since you opened it: review the new version" in message for message in shown)


def test_changes_typed_on_a_page_opened_before_someone_else_saved_come_back_as_typed(
    login, reviewer, in_review, opened_then_changed
):
    revisions = revisions_of(in_review)
    page = {**opened_then_changed, "caption": "The reviewer's own idea"}

    response = login(reviewer).post(edit_url(in_review), page)

    assert response.status_code == 200
    assert "has changed since you opened it" in response.text
    assert "The reviewer&#x27;s own idea" in response.text or "The reviewer's own idea" in response.text
    assert not ReviewDecision.objects.exists()
    assert revisions_of(in_review) == revisions


def test_a_decision_is_bound_to_the_version_the_page_showed_even_if_it_changes_while_deciding(
    login, reviewer, creative, in_review, monkeypatch
):
    """The post changes after the page's check and before the decision is recorded: the
    service refuses it, as it knows which version the reviewer saw."""
    from approvals import services

    record = services._facts_for_deciding

    def changed_meanwhile(task_state, user, seen_revision_id=None):
        post = Post.objects.get(pk=in_review.pk)
        post.caption = "Saved a moment ago"
        post.save()
        post.save_revision(user=creative)
        return record(task_state, user, seen_revision_id)

    monkeypatch.setattr(services, "_facts_for_deciding", changed_meanwhile)

    response = login(reviewer).post(edit_url(in_review), decision_form(in_review), follow=True)

    assert not ReviewDecision.objects.exists()
    assert any("has changed since you opened it" in message for message in messages_of(response))


def test_a_decision_that_does_not_say_what_it_saw_decides_nothing(login, reviewer, in_review):
    form = decision_form(in_review)
    del form["loaded_revision_id"]

    response = login(reviewer).post(edit_url(in_review), form, follow=True)

    assert not ReviewDecision.objects.exists()
    assert any("nothing was decided" in message for message in messages_of(response))


def test_a_decision_naming_another_posts_revision_decides_nothing(login, reviewer, in_review, draft):
    other = draft()
    form = decision_form(in_review, loaded_revision_id=str(other.latest_revision_id))

    login(reviewer).post(edit_url(in_review), form)

    assert not ReviewDecision.objects.exists()


def test_approving_from_the_post_page_says_what_was_approved(login, reviewer, in_review):
    response = login(reviewer).post(edit_url(in_review), decision_form(in_review), follow=True)

    assert f"Approved “{in_review.title}”" in " ".join(messages_of(response))


def test_requesting_changes_from_the_post_page_says_so(login, reviewer, in_review):
    extra = '{"reason": "tone", "comment": "Warmer, please."}'

    response = login(reviewer).post(
        edit_url(in_review), decision_form(in_review, "reject", extra), follow=True
    )

    assert f"Changes requested on “{in_review.title}”" in " ".join(messages_of(response))


def test_approving_a_tier_someone_else_decided_meanwhile_says_so_and_saves_nothing(
    api, login, reviewer, second_reviewer, in_review
):
    page = decision_form(in_review)  # opened by both
    decide(api, second_reviewer, in_review)
    revisions = revisions_of(in_review)

    response = login(reviewer).post(edit_url(in_review), page, follow=True)

    shown = " ".join(messages_of(response))
    assert "Already decided by" in shown
    assert "updated" not in shown
    assert ReviewDecision.objects.get().user == second_reviewer
    assert revisions_of(in_review) == revisions


def test_a_double_click_on_approve_approves_once(login, reviewer, in_review):
    client = login(reviewer)
    page = decision_form(in_review)

    client.post(edit_url(in_review), page)
    response = client.post(edit_url(in_review), page, follow=True)

    assert ReviewDecision.objects.count() == 1
    assert "Already decided by you" in " ".join(messages_of(response))
