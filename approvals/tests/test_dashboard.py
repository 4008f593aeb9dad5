"""The dashboard's panels: awaiting your review, your posts needing changes, overdue on my brands."""

import datetime as dt

import pytest
from django.utils import timezone

from .helpers import current_task_state, decide, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(draft, api, creative):
    def _submitted(**fields):
        post = draft(**fields)
        assert submit(api, creative, post).status_code == 200
        return post

    return _submitted


def dashboard(login, user) -> str:
    response = login(user).get("/admin/")
    assert response.status_code == 200
    return response.content.decode()


def test_reviewers_see_what_awaits_them_with_its_due_status(login, reviewer, submitted):
    submitted(title="Autumn menu teaser")

    html = dashboard(login, reviewer)

    assert "Awaiting your review" in html
    assert "Autumn menu teaser" in html
    assert "On time" in html
    assert "Your pages and snippets in a workflow" not in html  # Wagtail's brand-blind panel is gone


def test_reviewers_of_other_brands_and_creatives_do_not_see_it(login, outsider, creative, submitted):
    submitted(title="Autumn menu teaser")

    assert "Autumn menu teaser" not in dashboard(login, outsider)
    assert "Awaiting your review" not in dashboard(login, creative)


def test_authors_see_their_posts_needing_changes_with_the_reason(
    login, api, creative, reviewer, outsider, submitted
):
    post = submitted(title="Latte art contest")
    decide(
        api, reviewer, post, "request-changes", reason="facts", comment="Check the prize terms with legal."
    )

    html = dashboard(login, creative)

    assert "Your posts needing changes" in html
    assert "Latte art contest" in html
    assert "Facts / legal" in html and "Check the prize terms with legal." in html
    assert "Latte art contest" not in dashboard(login, outsider)
    assert "Your posts needing changes" not in dashboard(login, reviewer)


def test_leads_see_what_is_overdue_on_their_brands_only(login, lead, lead_b, reviewer, submitted):
    post = submitted(title="Overdue roast")
    task_state = current_task_state(post)
    task_state.started_at = timezone.now() - dt.timedelta(days=14)
    task_state.save(update_fields=["started_at"])
    submitted(title="Fresh roast")

    html = dashboard(login, lead)
    assert "Overdue on my brands" in html
    assert "Overdue roast" in html
    assert "Fresh roast" not in html.split("Overdue on my brands")[1]

    assert "Overdue roast" not in dashboard(login, lead_b)
    assert "Overdue on my brands" not in dashboard(login, reviewer)
