"""Scheduled posts go out at their time, each on its own: one that can't be published is refused
with the reason on its history and told to its author and the brand's leads, and the others due
in the same run still go out."""

import datetime as dt
import logging
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import OperationalError
from django.urls import reverse
from wagtail.models import ModelLogEntry, Revision

from approvals.publishing import publish_due_revisions
from cms.posts.models import Post

from .helpers import approved_and_live, clock_at, in_three_days, status_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def scheduled(api, draft, reviewer):
    """A post approved to go out at `at`."""

    def _scheduled(at, **fields):
        post = draft(go_live_at=at, **fields)
        approved_and_live(api, post, reviewer)
        assert status_of(post) == "scheduled"
        return Post.objects.get(pk=post.pk)

    return _scheduled


def broken(post):
    """Damage the scheduled revision outside what every tier approved, so publishing it fails
    part-way: its internal title (not part of the approved content) is gone, which the post's
    row can't take."""
    revision = post.revisions.get(approved_go_live_at__isnull=False)
    revision.content["title"] = None
    revision.save(update_fields=["content"])
    return revision


@pytest.fixture
def due_together(scheduled):
    """Two posts due at the same moment, the first in line broken."""
    at = in_three_days()
    first = scheduled(at, title="Goes first, but broken")
    second = scheduled(at + dt.timedelta(minutes=1), title="Goes second")
    broken(first)
    mail.outbox.clear()
    return first, second, at + dt.timedelta(minutes=2)


def test_a_post_that_fails_to_publish_does_not_stop_the_others(
    due_together, django_capture_on_commit_callbacks, caplog
):
    first, second, later = due_together

    with clock_at(later), django_capture_on_commit_callbacks(execute=True), caplog.at_level(logging.ERROR):
        call_command("publish_scheduled", verbosity=0)

    assert Post.objects.get(pk=second.pk).live
    first = Post.objects.get(pk=first.pk)
    assert not first.live
    assert not first.revisions.filter(approved_go_live_at__isnull=False).exists()  # off the schedule
    assert "Could not publish revision" in caplog.text


def test_the_refusal_says_why_on_the_posts_history_and_to_its_author_and_leads(
    login, creative, reviewer, lead, due_together, django_capture_on_commit_callbacks
):
    first, _, later = due_together

    with clock_at(later), django_capture_on_commit_callbacks(execute=True):
        assert publish_due_revisions(now=later) == 1

    entry = ModelLogEntry.objects.get(action="signoff.publish_refused", object_id=str(first.pk))
    assert entry.data["reason"].startswith("could not publish: ")
    history = login(lead).get(reverse("wagtailsnippets_posts_post:history", args=[first.pk]))
    assert "could not publish: " in history.content.decode()
    told = {message.to[0]: message for message in mail.outbox if "Not published" in message.subject}
    assert set(told) == {creative.email, lead.email}
    assert "could not publish: " in told[creative.email].body
    assert "Goes first, but broken" in told[lead.email].subject


def test_the_next_run_does_not_try_again(due_together, django_capture_on_commit_callbacks):
    first, _, later = due_together
    with clock_at(later):
        assert publish_due_revisions(now=later) == 1
    mail.outbox.clear()

    even_later = later + dt.timedelta(minutes=5)
    with clock_at(even_later), django_capture_on_commit_callbacks(execute=True):
        assert publish_due_revisions(now=even_later) == 0

    assert not mail.outbox
    assert (
        ModelLogEntry.objects.filter(action="signoff.publish_refused", object_id=str(first.pk)).count() == 1
    )


def test_trouble_reaching_the_database_leaves_the_post_on_the_schedule_for_the_next_run(scheduled):
    at = in_three_days()
    first, second = scheduled(at, title="Hit by a blip"), scheduled(at, title="Fine")
    first_revision = first.revisions.get(approved_go_live_at__isnull=False)
    publish = Revision.publish

    def blip_on_the_first(revision, *args, **kwargs):
        if revision.pk == first_revision.pk:
            raise OperationalError("server closed the connection unexpectedly")
        return publish(revision, *args, **kwargs)

    later = at + dt.timedelta(minutes=1)
    with (
        clock_at(later),
        mock.patch.object(Revision, "publish", autospec=True, side_effect=blip_on_the_first),
    ):
        assert publish_due_revisions(now=later) == 1

    assert Post.objects.get(pk=second.pk).live
    assert status_of(first) == "scheduled"
    assert not ModelLogEntry.objects.filter(action="signoff.publish_refused").exists()
    with clock_at(later):
        assert publish_due_revisions(now=later) == 1
    assert Post.objects.get(pk=first.pk).live
