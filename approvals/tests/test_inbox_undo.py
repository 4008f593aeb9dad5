"""Undo in the review inbox: a decision is taken back from the toast (or with `u`) while it waits
out its undo window, and the review is back in the queue as it was."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import TaskState

from approvals.models import ReviewDecision
from approvals.moving_on import follow_up_due_decisions

from .helpers import current_task_state, status_of, submit

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def undo_window(settings, relay):
    """Decisions wait 30 seconds for the relay, as the product waits its few seconds."""
    settings.SIGNOFF_UNDO_SECONDS = 30


@pytest.fixture
def submitted(draft, api, creative):
    def _submitted(**fields):
        post = draft(**fields)
        assert submit(api, creative, post).status_code == 200
        return post

    return _submitted


def approve(client, post, **extra):
    url = reverse("approvals_inbox_approve", args=[current_task_state(post).pk])
    return client.post(url, {"revision": post.latest_revision_id}, **extra)


def undo_url_in(html: str) -> str:
    return re.search(r'hx-post="(/admin/reviews/decisions/\d+/undo/)"', html).group(1)


def test_the_toast_offers_undo_and_undo_puts_the_review_back(login, reviewer, submitted, undo_window):
    post = submitted(title="Second thoughts")
    task_state = current_task_state(post)
    client = login(reviewer)

    decided = approve(client, post, **HTMX).content.decode()
    assert "Approved “Second thoughts”." in decided and "Undo" in decided

    undone = client.post(undo_url_in(decided), **HTMX).content.decode()

    assert "Undone: “Second thoughts” awaits your decision again." in undone
    assert f'data-inbox-pane="{task_state.pk}"' in undone and 'id="inbox-approve"' in undone
    assert f'id="inbox-row-{task_state.pk}"' in undone  # its row, back in the queue
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_IN_PROGRESS
    assert not ReviewDecision.objects.exists()
    assert status_of(post) == "in_review"


def test_a_request_for_changes_can_be_undone_from_the_inbox(login, reviewer, submitted, undo_window):
    post = submitted()
    client = login(reviewer)
    url = reverse("approvals_inbox_changes", args=[current_task_state(post).pk])

    decided = client.post(url, {"reason": "tone", "comment": "Warmer, please."}, **HTMX).content.decode()
    client.post(undo_url_in(decided), **HTMX)

    assert current_task_state(post).status == TaskState.STATUS_IN_PROGRESS


def test_without_a_window_there_is_no_undo(login, reviewer, submitted, settings):
    settings.SIGNOFF_UNDO_SECONDS = 0

    html = approve(login(reviewer), submitted(), **HTMX).content.decode()

    assert "/undo/" not in html


def test_once_the_decision_has_taken_effect_undo_says_it_is_too_late(login, reviewer, submitted, undo_window):
    post = submitted()
    client = login(reviewer)
    decided = approve(client, post, **HTMX).content.decode()
    follow_up_due_decisions(now=timezone.now() + dt.timedelta(seconds=31))

    response = client.post(undo_url_in(decided), **HTMX)

    assert "Too late to undo" in response.content.decode()
    assert response["HX-Retarget"] == "#inbox-toast"  # the pane stays as it is
    assert status_of(post) == "published"


def test_nobody_undoes_someone_elses_decision(login, reviewer, lead, submitted, undo_window):
    post = submitted()
    decided = approve(login(reviewer), post, **HTMX).content.decode()

    assert login(lead).post(undo_url_in(decided), **HTMX).status_code == 404
    assert ReviewDecision.objects.filter(user=reviewer).exists()


def test_undo_without_javascript_goes_back_to_the_review(login, reviewer, submitted, undo_window):
    post = submitted(title="No script")
    task_state = current_task_state(post)
    client = login(reviewer)

    page = approve(client, post, follow=True).content.decode()
    assert "Approved “No script”." in page  # the toast, on the page the decision led to
    response = client.post(undo_url_in(page), follow=True)

    assert response.redirect_chain[-1][0] == reverse("approvals_inbox_review", args=[task_state.pk])
    assert "awaits your decision again" in response.content.decode()
    assert current_task_state(post).status == TaskState.STATUS_IN_PROGRESS
