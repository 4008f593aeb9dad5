"""A revision, once saved, stays what it was: what a reviewer saw, approved or asked to change.

Wagtail 8 autosaves the snippet editor and rewrites the author's latest revision in place
(`overwrite_revision_id`). Posts don't autosave, and no save rewrites a revision, whichever
path it comes by: an edit makes a new revision. A save that changes nothing makes none, so it
lapses no approval.
"""

import re

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry, Revision

from approvals.models import ReviewTier

from .helpers import current_tier, decide, edit_url, editor_form

pytestmark = pytest.mark.django_db


def revisions_of(post) -> int:
    return Revision.objects.filter(object_id=str(post.pk), base_content_type__model="post").count()


def autosave(client, post, revision, **changes):
    """What Wagtail's autosave sends: the whole form, naming the revision to rewrite, asking for JSON."""
    return client.post(
        edit_url(post),
        editor_form(post, overwrite_revision_id=str(revision.pk), **changes),
        headers={"accept": "application/json"},
    )


@pytest.mark.parametrize("view", ["add", "edit"])
def test_the_post_editor_does_not_autosave(login, creative, draft, view):
    post = draft()
    url = reverse("wagtailsnippets_posts_post:add") if view == "add" else edit_url(post)

    html = login(creative).get(url).text

    assert not re.search(r'data-controller="[^"]*\bw-autosave\b', html)  # neither the form nor an indicator
    assert "w-autosave-indicator" not in html  # no "Saved" / "Autosave paused" to disagree with each other


def test_a_save_naming_a_revision_to_overwrite_makes_a_new_one(login, creative, draft):
    post = draft(caption="First words")
    saved = post.latest_revision

    autosave(login(creative), post, saved, caption="Second words")

    saved.refresh_from_db()
    assert saved.content["caption"] == "First words"
    assert revisions_of(post) == 2
    assert post.revisions.order_by("-created_at", "-pk").first().content["caption"] == "Second words"


def test_an_approved_revision_is_never_rewritten(api, login, creative, reviewer, in_review, policy):
    policy(lead_review="always")
    assert decide(api, reviewer, in_review).status_code == 200  # the senior approved this revision
    approved = in_review.latest_revision
    caption = approved.content["caption"]

    autosave(login(creative), in_review, approved, caption="Changed after approval")

    approved.refresh_from_db()
    assert approved.content["caption"] == caption


def test_the_model_never_rewrites_a_revision(creative, draft):
    post = draft(caption="First words")
    saved = post.latest_revision
    post.caption = "Second words"

    new = post.save_revision(user=creative, overwrite_revision=saved)

    saved.refresh_from_db()
    assert new.pk != saved.pk
    assert saved.content["caption"] == "First words"


def test_save_draft_with_nothing_changed_makes_no_revision(login, creative, draft):
    post = draft()
    revisions = revisions_of(post)

    response = login(creative).post(edit_url(post), editor_form(post), follow=True)

    assert revisions_of(post) == revisions
    assert "No changes to save" in response.text
    assert not ModelLogEntry.objects.filter(object_id=str(post.pk), action="wagtail.edit").exists()


def test_saving_a_post_in_review_unchanged_lapses_nothing(api, login, creative, reviewer, in_review, policy):
    policy(lead_review="always")
    decide(api, reviewer, in_review)
    revisions = revisions_of(in_review)

    login(creative).post(edit_url(in_review), editor_form(in_review))
    api(creative).patch(
        f"/api/v1/posts/{in_review.pk}/",
        {"caption": in_review.latest_revision.content["caption"]},
        format="json",
    )

    assert revisions_of(in_review) == revisions
    assert current_tier(in_review) == ReviewTier.LEAD
    assert not ModelLogEntry.objects.filter(action="signoff.reapproval_required").exists()


def test_a_real_change_still_makes_a_new_revision(login, creative, draft):
    post = draft(caption="First words")

    login(creative).post(edit_url(post), editor_form(post, caption="Better words"))

    assert revisions_of(post) == 2
