"""Four eyes: nobody approves words they wrote, judged by the content, not by who saved last."""

import pytest
from wagtail.test.utils.form_data import querydict_from_html

from approvals.models import ReviewDecision, ReviewTier
from brands.factories import brand_image
from cms.posts.factories import add_media
from cms.posts.models import PollOption, Post

from .helpers import approved_and_live, current_tier, decide, edit_url, status_of, submit

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


# Judged per piece: each image, each per-platform caption, each poll option, each platform -----------


def in_the_editor(login, user, post, change):
    """Open the post in the editor as `user`, change its form with `change(data)`, save a draft."""
    client = login(user)
    page = client.get(edit_url(post))
    assert page.status_code == 200
    data = querydict_from_html(page.content.decode(), form_id="w-editor-form")
    change(data)
    response = client.post(edit_url(post), {name: data.getlist(name) for name in data})
    assert response.status_code == 302, response.context["form"].errors if response.context else response


def add_row(prefix, ordered=True, **fields):
    """A change adding one row to an inline formset of the editor."""

    def change(data):
        index = int(data[f"{prefix}-TOTAL_FORMS"])
        data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
        for name, value in fields.items():
            data[f"{prefix}-{index}-{name}"] = value
        if ordered:
            data[f"{prefix}-{index}-ORDER"] = str(index + 1)

    return change


def set_field(name, value):
    def change(data):
        data[name] = value

    return change


@pytest.fixture
def with_an_image(draft, brand_a):
    """The creative's draft with one image of theirs."""
    post = draft()
    add_media(post, [brand_image(brand_a, title="The creative's photo")], alt_text="The creative's photo")
    post.save_revision(user=post.created_by)
    return post


@pytest.mark.parametrize(
    "then_the_creative",
    [
        lambda brand: set_field("media-0-alt_text", "Alt text the creative rewrote"),
        lambda brand: add_row("media", image=brand_image(brand, title="Another").pk, alt_text="Another"),
    ],
    ids=["rewrites the alt text of their own image", "adds another image"],
)
def test_a_reviewer_who_added_an_image_cannot_approve_when_the_author_changed_another_image(
    api, login, brand_a, creative, reviewer, second_reviewer, with_an_image, then_the_creative
):
    post = with_an_image
    theirs = brand_image(brand_a, title="The reviewer's photo")
    in_the_editor(login, reviewer, post, add_row("media", image=theirs.pk, alt_text="The reviewer's photo"))
    in_the_editor(login, creative, post, then_the_creative(brand_a))
    assert submit(api, creative, post).status_code == 200

    response = decide(api, reviewer, post)

    assert response.status_code == 403
    assert "You wrote the images" in response.json()["detail"]
    assert not ReviewDecision.objects.exists()
    assert decide(api, second_reviewer, post).status_code == 200


def test_an_image_the_author_took_out_again_is_not_the_reviewers(
    api, login, brand_a, creative, reviewer, with_an_image
):
    post = with_an_image
    theirs = brand_image(brand_a, title="The reviewer's photo")
    in_the_editor(login, reviewer, post, add_row("media", image=theirs.pk, alt_text="The reviewer's photo"))
    in_the_editor(login, creative, post, set_field("media-1-DELETE", "1"))
    assert len(Post.objects.get(pk=post.pk).get_latest_revision().content["media"]) == 1
    submit(api, creative, post)

    assert decide(api, reviewer, post).status_code == 200


def test_a_reviewer_who_wrote_one_platforms_caption_cannot_approve_when_the_author_wrote_another(
    api, login, draft, creative, reviewer, second_reviewer
):
    post = draft(platforms=["facebook", "linkedin"])
    in_the_editor(
        login,
        reviewer,
        post,
        add_row(
            "caption_variants",
            ordered=False,
            platform="facebook",
            caption="The reviewer's words for Facebook.",
        ),
    )
    in_the_editor(
        login,
        creative,
        post,
        add_row(
            "caption_variants",
            ordered=False,
            platform="linkedin",
            caption="The creative's words for LinkedIn.",
        ),
    )
    submit(api, creative, post)

    response = decide(api, reviewer, post)

    assert response.status_code == 403
    assert "per-platform captions" in response.json()["detail"]
    assert decide(api, second_reviewer, post).status_code == 200


def test_a_reviewer_who_added_a_poll_option_cannot_approve_when_the_author_added_another(
    api, login, draft, creative, reviewer, second_reviewer
):
    post = draft(format="poll")
    PollOption.objects.bulk_create(
        [PollOption(post=post, label=label, sort_order=i) for i, label in enumerate(["Latte", "Flat white"])]
    )
    post.save_revision(user=creative)
    in_the_editor(login, reviewer, post, add_row("poll_options", label="Cortado"))
    in_the_editor(login, creative, post, add_row("poll_options", label="Mocha"))
    submit(api, creative, post)

    response = decide(api, reviewer, post)

    assert response.status_code == 403
    assert "poll options" in response.json()["detail"]
    assert decide(api, second_reviewer, post).status_code == 200


def test_a_reviewer_who_added_a_platform_cannot_approve_when_the_author_added_another(
    api, draft, creative, reviewer
):
    post = draft(platforms=["facebook"])
    patch(api, reviewer, post, platforms=["facebook", "linkedin"])
    patch(api, creative, post, platforms=["facebook", "linkedin", "x"])
    submit(api, creative, post)

    response = decide(api, reviewer, post)

    assert response.status_code == 403
    assert "platforms" in response.json()["detail"]


@pytest.mark.parametrize(
    "theirs, someone_elses, part",
    [
        (
            {"caption": "The reviewer's words. #MondayMotivation"},
            {"caption": "Other words. #MondayMotivation"},
            "caption",
        ),
        (
            {"scheduled_at": "2031-03-01T09:00:00Z"},
            {"scheduled_at": "2031-03-02T09:00:00Z"},
            "scheduled time",
        ),
    ],
    ids=["caption", "scheduled time"],
)
def test_a_value_the_reviewer_wrote_and_the_author_put_back_is_still_the_reviewers(
    api, draft, creative, reviewer, second_reviewer, theirs, someone_elses, part
):
    """A→B→A: everyone who set a piece to its current value wrote it, not only the last."""
    post = draft()
    patch(api, reviewer, post, **theirs)
    patch(api, creative, post, **someone_elses)
    patch(api, creative, post, **theirs)
    submit(api, creative, post)

    response = decide(api, reviewer, post)

    assert response.status_code == 403
    assert part in response.json()["detail"]
    assert decide(api, second_reviewer, post).status_code == 200


def test_an_account_lead_who_wrote_a_piece_cannot_approve_the_lead_tier(
    api, login, draft, creative, reviewer, lead, policy
):
    policy(lead_review="always")
    post = draft(platforms=["facebook", "linkedin"])
    in_the_editor(
        login,
        lead,
        post,
        add_row(
            "caption_variants", ordered=False, platform="facebook", caption="The lead's words for Facebook."
        ),
    )
    in_the_editor(
        login,
        creative,
        post,
        add_row(
            "caption_variants",
            ordered=False,
            platform="linkedin",
            caption="The creative's words for LinkedIn.",
        ),
    )
    submit(api, creative, post)
    assert decide(api, reviewer, post).status_code == 200
    assert current_tier(post) == ReviewTier.LEAD

    response = decide(api, lead, post)

    assert response.status_code == 403
    assert "You wrote the per-platform captions" in response.json()["detail"]
    assert status_of(post) == "in_review"
