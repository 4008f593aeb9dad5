"""Four eyes: nobody approves words they wrote, judged by the content, not by who saved last."""

import pytest

from approvals.models import ReviewDecision

from .helpers import approved_and_live, decide, status_of, submit

pytestmark = pytest.mark.django_db


def patch(api, user, post, **changes):
    response = api(user).patch(f"/api/v1/posts/{post.pk}/", changes, format="json")
    assert response.status_code == 200, response.json()
    return response


@pytest.fixture
def rewritten_by_the_reviewer(api, draft, creative, reviewer):
    """The creative's draft, whose caption the reviewer rewrote before it was submitted."""
    post = draft(caption="The creative's words. #MondayMotivation")
    patch(api, reviewer, post, caption="The reviewer's words. #MondayMotivation")
    return post


@pytest.mark.parametrize(
    "resave",
    [
        {"caption": "The reviewer's words. #MondayMotivation"},  # the same caption again
        {"title": "A new internal title"},
    ],
    ids=["unchanged caption", "title only"],
)
def test_a_reviewer_cannot_approve_their_words_saved_again_by_the_author(
    api, creative, reviewer, second_reviewer, rewritten_by_the_reviewer, resave
):
    post = rewritten_by_the_reviewer
    patch(api, creative, post, **resave)
    assert submit(api, creative, post).status_code == 200

    response = decide(api, reviewer, post)

    assert response.status_code == 403
    assert "You wrote the caption" in response.json()["detail"]
    assert not ReviewDecision.objects.exists()
    assert decide(api, second_reviewer, post).status_code == 200
    assert status_of(post) == "published"


def test_words_the_author_wrote_over_the_reviewers_are_the_authors(
    api, creative, reviewer, rewritten_by_the_reviewer
):
    post = rewritten_by_the_reviewer
    patch(api, creative, post, caption="The creative's words again. #MondayMotivation")
    submit(api, creative, post)

    assert decide(api, reviewer, post).status_code == 200


@pytest.mark.parametrize(
    "change, part",
    [
        ({"platforms": ["facebook", "linkedin"]}, "platforms"),
        ({"campaign": "Spring"}, "campaign"),
        ({"scheduled_at": "2031-03-01T09:00:00Z"}, "scheduled time"),
    ],
)
def test_any_part_that_goes_out_counts_not_only_the_caption(api, draft, creative, reviewer, change, part):
    post = draft()
    patch(api, reviewer, post, **change)
    patch(api, creative, post, title="Touched last by the creative")
    submit(api, creative, post)

    response = decide(api, reviewer, post)

    assert response.status_code == 403
    assert part in response.json()["detail"]


def test_saving_the_post_unchanged_writes_nothing(api, draft, creative, reviewer):
    post = draft()
    patch(api, reviewer, post, caption=post.caption)
    submit(api, creative, post)

    assert decide(api, reviewer, post).status_code == 200


def test_words_approved_before_are_no_longer_the_reviewers_to_keep_out(
    api, draft, creative, reviewer, second_reviewer
):
    """The reviewer's rewrite went out once, approved by someone else; a later change by the
    creative leaves the reviewer free to review the new version."""
    post = draft(caption="The creative's words. #MondayMotivation")
    patch(api, reviewer, post, caption="The reviewer's words. #MondayMotivation")
    approved_and_live(api, post, second_reviewer)
    assert status_of(post) == "published"

    patch(api, creative, post, campaign="Autumn")
    submit(api, creative, post)

    assert decide(api, reviewer, post).status_code == 200
