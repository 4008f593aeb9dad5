"""A lead's override of blocking findings covers the findings it named, and nothing else: a
blocking finding an edit brings in later stops submission and approval until a lead overrides
it too."""

import pytest

from approvals.models import ReviewDecision
from brands.models import BannedPhrase
from cms.posts.checking import blocking, content_of, findings_for
from cms.posts.models import Post
from cms.posts.services import record_finding_override

from .helpers import decide, status_of, submit

pytestmark = pytest.mark.django_db

COVERED = "So cheap it hurts. #MondayMotivation"
WITH_A_NEW_ONE = "So cheap it hurts, and guaranteed to please. #MondayMotivation"


@pytest.fixture(autouse=True)
def banned(brand_a):
    for phrase in ["cheap", "guaranteed"]:
        BannedPhrase.objects.create(kit=brand_a.kit, phrase=phrase, severity="block")


def overridden_by(lead, post):
    """What a lead's override in the editor records: the blocking findings of the post as it is."""
    draft = Post.objects.get(pk=post.pk).get_latest_revision_as_object()
    findings = blocking(findings_for(content_of(draft), post.brand))
    assert findings, "nothing to override"
    record_finding_override(post=post, user=lead, reason="The client wants the word.", findings=findings)


def edit(api, user, post, caption):
    response = api(user).patch(f"/api/v1/posts/{post.pk}/", {"caption": caption}, format="json")
    assert response.status_code == 200, response.json()


@pytest.fixture
def overridden_and_sent_back(api, draft, creative, reviewer, lead):
    """A post submitted with the lead's override of "cheap", sent back for changes."""
    post = draft(caption=COVERED)
    overridden_by(lead, post)
    assert submit(api, creative, post).status_code == 200
    decide(api, reviewer, post, "request-changes", reason="tone", comment="Warmer, please.")
    assert status_of(post) == "changes_requested"
    return post


def test_a_new_blocking_finding_stops_submission_despite_an_earlier_override(
    api, creative, overridden_and_sent_back
):
    post = overridden_and_sent_back
    edit(api, creative, post, WITH_A_NEW_ONE)

    response = submit(api, creative, post)

    assert response.status_code == 400
    messages = [finding["message"] for finding in response.json()["findings"]]
    assert len(messages) == 1 and "guaranteed" in messages[0]
    assert status_of(post) == "changes_requested"


def test_the_findings_the_override_named_still_let_it_through(api, creative, overridden_and_sent_back):
    post = overridden_and_sent_back
    edit(api, creative, post, "So cheap it hurts, honestly. #MondayMotivation")

    assert submit(api, creative, post).status_code == 200


def test_a_second_occurrence_is_a_finding_the_override_did_not_name(api, creative, overridden_and_sent_back):
    post = overridden_and_sent_back
    edit(api, creative, post, "So cheap it hurts. Cheap, cheap! #MondayMotivation")

    assert submit(api, creative, post).status_code == 400


def test_a_lead_overriding_the_new_finding_lets_it_through(api, creative, lead, overridden_and_sent_back):
    post = overridden_and_sent_back
    edit(api, creative, post, WITH_A_NEW_ONE)
    overridden_by(lead, post)

    assert submit(api, creative, post).status_code == 200


def test_a_new_blocking_finding_edited_in_during_review_cannot_be_approved(
    api, draft, creative, reviewer, lead
):
    post = draft(caption=COVERED)
    overridden_by(lead, post)
    submit(api, creative, post)
    edit(api, creative, post, WITH_A_NEW_ONE)

    response = decide(api, reviewer, post)

    assert response.status_code == 403
    assert response.json()["reason"] == "blocking_findings"
    assert "guaranteed" in response.json()["detail"]
    assert "“cheap”" not in response.json()["detail"]
    assert not ReviewDecision.objects.exists()


def test_content_within_the_override_is_approved(api, draft, creative, reviewer, lead):
    post = draft(caption=COVERED)
    overridden_by(lead, post)
    submit(api, creative, post)
    edit(api, creative, post, "So cheap it hurts, honestly. #MondayMotivation")

    assert decide(api, reviewer, post).status_code == 200
