"""Equal content is equal, whichever way it was saved.

A caption typed in the browser reaches the server with CRLF line endings, one sent through the API
with LF; the editor's scheduled time is to the minute, the API's may carry seconds. The same words
and the same minute must be the same content: the same fingerprint (approvals.hashing), no edit
that lapses approvals, no change of authorship for the four-eyes rule.
"""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.utils import timezone
from wagtail.models import ModelLogEntry, Revision

from approvals.hashing import content_hash, hash_content
from approvals.models import ReviewDecision, ReviewTier
from cms.posts.models import CaptionVariant, Post

from .helpers import current_tier, decide, edit_url, editor_form, submit

upgrade = importlib.import_module("approvals.migrations.0009_content_hash_of_equal_content")

pytestmark = pytest.mark.django_db

TYPED = "Two lines\r\nfrom the browser\r\n#MondayMotivation"
SENT = "Two lines\nfrom the browser\n#MondayMotivation"


def patch(api, user, post, **changes):
    response = api(user).patch(f"/api/v1/posts/{post.pk}/", changes, format="json")
    assert response.status_code == 200, response.json()
    return response


def latest_content(post) -> dict:
    return Post.objects.get(pk=post.pk).latest_revision.content


def revisions_of(post) -> int:
    return Revision.objects.filter(object_id=str(post.pk), base_content_type__model="post").count()


def in_a_week_at(hour: int, minute: int, second: int = 0) -> dt.datetime:
    day = timezone.now().date() + dt.timedelta(days=7)
    return dt.datetime.combine(day, dt.time(hour, minute, second), tzinfo=dt.UTC)


# The fingerprint -----------------------------------------------------------------------------


def test_line_endings_do_not_change_the_fingerprint():
    variant = {"platform": "x", "caption": "Short\r\nfor X"}
    assert hash_content({"caption": TYPED, "caption_variants": [variant]}) == hash_content(
        {"caption": SENT, "caption_variants": [{"platform": "x", "caption": "Short\nfor X"}]}
    )


def test_seconds_do_not_change_the_fingerprint_but_minutes_do():
    at = in_a_week_at(9, 30)
    assert hash_content({"go_live_at": at.isoformat()}) == hash_content(
        {"go_live_at": (at + dt.timedelta(seconds=45, microseconds=120)).isoformat()}
    )
    assert hash_content({"go_live_at": at.isoformat()}) != hash_content(
        {"go_live_at": (at + dt.timedelta(minutes=1)).isoformat()}
    )


# The model keeps one form ----------------------------------------------------------------------


def test_a_caption_typed_in_the_editor_is_kept_with_lf_line_endings(login, creative, draft):
    post = draft()
    form = editor_form(
        post,
        caption=TYPED,
        **{
            "caption_variants-TOTAL_FORMS": "1",
            "caption_variants-0-platform": "facebook",
            "caption_variants-0-caption": "For Facebook\r\nonly",
        },
    )

    login(creative).post(edit_url(post), form)

    content = latest_content(post)
    assert content["caption"] == SENT
    assert content["caption_variants"][0]["caption"] == "For Facebook\nonly"
    assert Post.objects.get(pk=post.pk).caption == SENT
    assert CaptionVariant.objects.get(post=post).caption == "For Facebook\nonly"


def test_a_scheduled_time_is_kept_to_the_minute(api, creative, draft):
    post = draft()

    patch(api, creative, post, scheduled_at=in_a_week_at(9, 30, 45).isoformat())

    assert Post.objects.get(pk=post.pk).go_live_at == in_a_week_at(9, 30)
    assert Revision.objects.get(
        pk=Post.objects.get(pk=post.pk).latest_revision_id
    ).as_object().go_live_at == (in_a_week_at(9, 30))


def test_a_post_saved_by_a_script_is_kept_in_the_same_form(draft):
    post = draft(caption="From\r\na script\r", go_live_at=in_a_week_at(8, 15, 59))

    post.refresh_from_db()
    assert post.caption == "From\na script\n"
    assert post.go_live_at == in_a_week_at(8, 15)


# Equal content is no edit ----------------------------------------------------------------------


def test_the_same_caption_from_the_api_after_the_browser_lapses_no_approval(
    api, login, creative, reviewer, draft, policy
):
    """Written in the browser, approved by the senior; the creative's tool sends the same words
    (LF) and the same minute (with seconds) through the API: still the content the senior approved."""
    policy(lead_review="always")
    post = draft()
    login(creative).post(
        edit_url(post), editor_form(post, caption=TYPED, go_live_at=_local_minute(in_a_week_at(10, 0)))
    )
    submit(api, creative, post)
    assert decide(api, reviewer, post).status_code == 200
    revisions = revisions_of(post)

    patch(api, creative, post, caption=SENT, scheduled_at=in_a_week_at(10, 0, 30).isoformat())

    assert revisions_of(post) == revisions
    assert current_tier(post) == ReviewTier.LEAD
    assert not ModelLogEntry.objects.filter(action="signoff.reapproval_required").exists()


@pytest.mark.parametrize(
    "same_again",
    [{"caption": SENT}, {"scheduled_at": in_a_week_at(10, 0, 30).isoformat()}],
    ids=["caption with LF", "time with seconds"],
)
def test_the_same_content_saved_again_by_the_reviewer_is_still_the_authors(
    api, login, creative, reviewer, draft, same_again
):
    post = draft()
    login(creative).post(
        edit_url(post), editor_form(post, caption=TYPED, go_live_at=_local_minute(in_a_week_at(10, 0)))
    )
    # The reviewer saves it through the API: the same words or time, and a title of their own.
    patch(api, reviewer, post, title="Reviewer's working title", **same_again)
    submit(api, creative, post)

    response = decide(api, reviewer, post)

    assert response.status_code == 200, response.json()


def _local_minute(moment: dt.datetime) -> str:
    """The editor's date field, as the browser sends it (the brand's time zone, to the minute)."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


# Stored fingerprints (migration 0009) ------------------------------------------------------------


def stored_as_before(post, *, caption: str, go_live_at: str) -> Revision:
    """Make the post's latest revision hold content as Signoff stored it before it kept one form."""
    revision = Post.objects.get(pk=post.pk).latest_revision
    content = {**revision.content, "caption": caption, "go_live_at": go_live_at}
    Revision.objects.filter(pk=revision.pk).update(content=content)
    revision.refresh_from_db()
    return revision


def test_the_upgrade_keeps_approvals_of_equal_content_valid(api, creative, reviewer, draft, policy):
    policy(lead_review="always")
    post = draft()
    submit(api, creative, post)
    decide(api, reviewer, post)
    revision = stored_as_before(post, caption=TYPED, go_live_at=in_a_week_at(10, 0, 30).isoformat())
    decision = ReviewDecision.objects.get()
    ReviewDecision.objects.filter(pk=decision.pk).update(
        content_hash=upgrade.fingerprint_before(revision.content)
    )
    assert upgrade.fingerprint_before(revision.content) != content_hash(revision)

    upgrade.rehash(apps, None)

    decision.refresh_from_db()
    assert decision.content_hash == content_hash(revision)
    assert upgrade.fingerprint_now(revision.content) == content_hash(revision)


def test_the_upgrade_leaves_a_fingerprint_of_other_content_alone(api, creative, reviewer, draft):
    post = draft()
    submit(api, creative, post)
    decide(api, reviewer, post, "request-changes", reason="tone", comment="Warmer.")
    revision = stored_as_before(post, caption=TYPED, go_live_at="")
    ReviewDecision.objects.update(content_hash="0" * 64)  # not this revision's: left as it is

    upgrade.rehash(apps, None)

    assert ReviewDecision.objects.get().content_hash == "0" * 64
    assert revision.content["caption"] == TYPED
