"""The review inbox: what each person sees, deciding from the pane (htmx, and without JavaScript),
bulk approval, its query budget. The pane's content: test_inbox_pane.py; undo: test_inbox_undo.py."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from approvals.inbox import inbox_page
from approvals.models import ReviewDecision
from brands.factories import brand_image
from brands.models import BannedPhrase
from cms.posts.factories import add_media
from cms.posts.models import CheckedRevision

from .helpers import current_task_state, current_tier, status_of, submit

pytestmark = pytest.mark.django_db

INBOX = "/admin/reviews/"
HTMX = {"HTTP_HX_REQUEST": "true"}


def approve_url(post):
    return reverse("approvals_inbox_approve", args=[current_task_state(post).pk])


def changes_url(post):
    return reverse("approvals_inbox_changes", args=[current_task_state(post).pk])


@pytest.fixture
def submitted(draft, api, creative):
    """Submit a new draft of brand A (or another brand, by another creative) for review."""

    def _submitted(brand=None, by=creative, **fields):
        post = draft(**({"brand": brand} if brand else {}), by=by, **fields)
        assert submit(api, by, post).status_code == 200
        return post

    return _submitted


@pytest.fixture
def warn_on_coffee(brand_a):
    """A warning (not blocking) rule, so a post can have findings and still be submitted."""
    return BannedPhrase.objects.create(kit=brand_a.kit, phrase="coffee", suggestion="brew", severity="warn")


# Who sees what ------------------------------------------------------------------------------------


def test_a_reviewer_sees_the_posts_awaiting_them_with_brand_tier_and_due_status(
    login, reviewer, submitted, brand_a
):
    post = submitted(title="Spring blend launch")

    page = login(reviewer).get(INBOX)

    assert page.status_code == 200
    html = page.content.decode()
    assert "Spring blend launch" in html
    assert brand_a.name in html
    assert "Senior review" in html
    assert "On time" in html
    assert reverse("wagtailsnippets_posts_post:edit", args=[post.pk]) in html


def test_the_inbox_is_ordered_by_due_time_across_brands(
    login, admin_user, submitted, brand_a, brand_b, outsider, policy
):
    # Brand A allows 8 working hours, brand B only 1: B's later submission is due first.
    first = submitted(title="A, submitted first")
    second = submitted(brand=brand_b, by=outsider, title="B, submitted second")
    brand_b.approval_policy.senior_turnaround_hours = 1
    brand_b.approval_policy.save()

    items = inbox_page(admin_user).object_list

    assert [item.post_id for item in items] == [second.pk, first.pk]
    assert items[0].due_at <= items[1].due_at


def test_nobody_sees_another_brands_posts_or_their_own(login, outsider, creative, submitted):
    submitted(title="Brand A only")

    for user in (outsider, creative):
        html = login(user).get(INBOX).content.decode()
        assert "Brand A only" not in html
        assert "Nothing awaits your review" in html


def test_client_users_never_reach_the_inbox(client, client_of_a, submitted):
    post = submitted()
    client.force_login(client_of_a)

    assert client.get(INBOX).status_code == 302  # the admin sends them to its login
    assert client.post(approve_url(post)).status_code == 302
    assert status_of(post) == "in_review"


def test_the_menu_shows_the_inbox_to_reviewers_only(login, reviewer, creative):
    assert "Review inbox" in login(reviewer).get("/admin/").content.decode()
    assert "Review inbox" not in login(creative).get("/admin/").content.decode()


def test_findings_are_counted_and_shown(login, reviewer, submitted, warn_on_coffee):
    clean = submitted(title="Clean", caption="A fresh start. #MondayMotivation")
    flagged = submitted(title="Flagged", caption="Coffee, coffee. #MondayMotivation")

    items = {item.post_id: item for item in inbox_page(reviewer).object_list}

    assert items[flagged.pk].findings_count >= 2
    assert items[flagged.pk].findings_count > items[clean.pk].findings_count


def test_a_revision_saved_during_review_is_checked_on_first_sight(reviewer, submitted, warn_on_coffee):
    post = submitted(caption="All fine. #MondayMotivation")
    post.caption = "Coffee now. #MondayMotivation"
    post.save_revision(user=post.created_by)
    CheckedRevision.objects.filter(revision=post.latest_revision).delete()

    items = inbox_page(reviewer).object_list

    assert any(finding["rule"] == "banned_phrase" for finding in items[0].checked.findings)


# Deciding inline ----------------------------------------------------------------------------------


def test_approving_answers_the_next_review_with_the_decided_row_and_the_toast(login, reviewer, submitted):
    first = submitted(title="Ready to go")
    second = submitted(title="Next in line")

    response = login(reviewer).post(approve_url(first), {"next": current_task_state(second).pk}, **HTMX)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="inbox-pane"' in html and "<html" not in html  # the pane, not a whole page
    assert f'data-inbox-pane="{current_task_state(second).pk}"' in html and "Next in line" in html
    assert "✓ Approved" in html  # the decided row, for the queue
    assert "Approved “Ready to go”." in html  # the toast
    assert "1 awaiting you" in html
    assert status_of(first) in {"scheduled", "published", "approved"}


def test_after_the_last_decision_the_pane_says_nothing_else_awaits(login, reviewer, submitted):
    post = submitted(title="Only one")

    html = login(reviewer).post(approve_url(post), **HTMX).content.decode()

    assert "Nothing awaits your review" in html
    assert "0 awaiting you" in html


def test_when_the_next_row_was_decided_meanwhile_the_soonest_due_review_shows(
    login, reviewer, lead, submitted
):
    first, taken, other = (
        submitted(title=title) for title in ("First", "Taken by the lead", "Still waiting")
    )
    taken_id = current_task_state(taken).pk
    login(lead).post(approve_url(taken), **HTMX)

    html = login(reviewer).post(approve_url(first), {"next": taken_id}, **HTMX).content.decode()

    assert f'data-inbox-pane="{current_task_state(other).pk}"' in html


def test_a_decision_names_the_next_review_when_the_browser_holds_its_pane(login, reviewer, submitted):
    first = submitted(title="First")
    second = submitted(title="Held by the browser")
    second_id = current_task_state(second).pk

    html = (
        login(reviewer)
        .post(approve_url(first), {"next": second_id, "held": second_id}, **HTMX)
        .content.decode()
    )

    assert f'data-inbox-pane="{second_id}" data-inbox-held' in html
    assert "Held by the browser" not in html  # not rendered again
    assert "Approved “First”." in html


def test_approve_without_javascript_goes_to_the_next_review_with_the_outcome(login, reviewer, submitted):
    post = submitted(title="No JS")
    following = submitted(title="After it")
    client = login(reviewer)

    response = client.post(approve_url(post), {"next": current_task_state(following).pk}, follow=True)

    assert response.redirect_chain[-1][0].startswith(
        reverse("approvals_inbox_review", args=[current_task_state(following).pk])
    )
    html = response.content.decode()
    assert "Approved “No JS”" in html
    assert '<h2 class="inbox-pane__title" id="inbox-pane-title">After it</h2>' in html


def test_a_row_approved_after_the_post_changed_is_refused_so_nobody_approves_unseen_words(
    login, api, reviewer, creative, submitted
):
    post = submitted()
    client = login(reviewer)
    seen = client.get(INBOX).content.decode()
    revision = re.search(r'name="revision" value="(\d+)"', seen).group(1)
    api(creative).patch(f"/api/v1/posts/{post.pk}/", {"caption": "Words the row never showed"}, format="json")

    response = client.post(approve_url(post), {"revision": revision}, **HTMX)

    assert "has changed since you opened it" in response.content.decode()
    assert not ReviewDecision.objects.exists()


def test_a_second_approval_of_the_same_tier_hears_who_decided(login, reviewer, submitted, lead):
    post = submitted()
    url = approve_url(post)
    login(lead).post(url, **HTMX)

    response = login(reviewer).post(url, **HTMX)

    assert response.status_code == 200
    assert "Already decided by" in response.content.decode()
    assert ReviewDecision.objects.filter(task_state__workflow_state__object_id=str(post.pk)).count() == 1


def test_request_changes_inline_keeps_the_input_on_an_error_then_sends_the_post_back(
    login, reviewer, submitted
):
    post = submitted()
    client = login(reviewer)
    url = changes_url(post)

    form = client.get(url, **HTMX)
    assert 'name="reason"' in form.content.decode()

    invalid = client.post(url, {"reason": "tone", "comment": "  "}, **HTMX)
    html = invalid.content.decode()
    assert invalid.status_code == 200
    assert 'value="tone" selected' in html
    assert "This field is required" in html
    assert status_of(post) == "in_review"

    done = client.post(url, {"reason": "tone", "comment": "Too salesy for Kiln."}, **HTMX)
    assert "Changes requested on “" in done.content.decode() and "(Tone of voice)" in done.content.decode()
    assert status_of(post) == "changes_requested"
    decision = ReviewDecision.objects.get(user=reviewer)
    assert (decision.reason, decision.comment) == ("tone", "Too salesy for Kiln.")


def test_request_changes_without_javascript_is_a_page_of_its_own(login, reviewer, submitted):
    post = submitted(title="Needs a page")
    client = login(reviewer)

    page = client.get(changes_url(post))
    assert "<html" in page.content.decode() and "Request changes on “Needs a page”" in page.content.decode()

    invalid = client.post(changes_url(post), {"reason": "nonsense", "comment": "x"})
    assert "Select a valid choice" in invalid.content.decode()

    done = client.post(changes_url(post), {"reason": "copy", "comment": "Typo in line 2."}, follow=True)
    assert "Changes requested on “Needs a page”" in done.content.decode()
    assert status_of(post) == "changes_requested"


@pytest.mark.parametrize(
    "url_name, method",
    [
        ("approvals_inbox_approve", "post"),
        ("approvals_inbox_changes", "get"),
        ("approvals_inbox_changes", "post"),
        ("approvals_inbox_review", "get"),
    ],
)
def test_outsiders_and_authors_get_404_on_every_review_url(
    login, outsider, creative, submitted, url_name, method
):
    post = submitted()
    url = reverse(url_name, args=[current_task_state(post).pk])

    for user in (outsider, creative):
        response = getattr(login(user), method)(url, {"reason": "tone", "comment": "x"}, **HTMX)
        assert response.status_code == 404
    assert status_of(post) == "in_review"


def test_a_lead_tier_waits_for_a_lead_not_a_reviewer(login, reviewer, lead, submitted, policy):
    policy(lead_review="always")
    post = submitted()
    login(reviewer).post(approve_url(post), **HTMX)
    assert current_tier(post) == "lead"

    assert str(post.pk) not in [
        str(item.post_id) for item in inbox_page(reviewer).object_list
    ]  # the reviewer's work is done
    assert [item.post_id for item in inbox_page(lead).object_list] == [post.pk]


# Bulk approval ------------------------------------------------------------------------------------


def test_bulk_approve_approves_only_posts_without_findings(login, reviewer, submitted, warn_on_coffee):
    clean = [submitted(title=f"Clean {n}", caption="A fresh start. #MondayMotivation") for n in range(2)]
    flagged = submitted(title="Flagged", caption="Coffee time. #MondayMotivation")
    ids = [seen_in_the_inbox(post) for post in [*clean, flagged]]
    clean_findings = {item.post_id: item.findings_count for item in inbox_page(reviewer).object_list}
    assert clean_findings[clean[0].pk] == 0, "the clean caption should have no findings"

    response = login(reviewer).post(reverse("approvals_inbox_bulk_approve"), {"task_state": ids}, follow=True)

    html = response.content.decode()
    assert "Approved 2 posts." in html
    assert "Not approved, they have findings to look at first: “Flagged”" in html
    assert [status_of(post) for post in clean] != ["in_review", "in_review"]
    assert status_of(flagged) == "in_review"


def test_bulk_approve_ignores_ids_of_other_brands(login, outsider, reviewer, submitted, brand_b, lead_b):
    theirs = submitted(brand=brand_b, by=outsider, caption="A fresh start.")

    response = login(reviewer).post(
        reverse("approvals_inbox_bulk_approve"), {"task_state": [seen_in_the_inbox(theirs)]}, follow=True
    )

    assert "Select the posts to approve first." in response.content.decode()
    assert status_of(theirs) == "in_review"


def seen_in_the_inbox(post) -> str:
    """A row's checkbox value: its review and the version the row showed."""
    task_state = current_task_state(post)
    return f"{task_state.pk}:{task_state.revision_id}"


def test_bulk_approve_never_approves_a_version_the_reviewer_did_not_see(
    login, reviewer, submitted, api, creative
):
    post = submitted(title="Changed under the reviewer", caption="A fresh start. #MondayMotivation")
    checkbox = seen_in_the_inbox(post)
    # The author rewrites it while the reviewer's inbox is open.
    changed = api(creative).patch(
        f"/api/v1/posts/{post.pk}/", {"caption": "Words the reviewer never read."}, format="json"
    )
    assert changed.status_code == 200

    response = login(reviewer).post(
        reverse("approvals_inbox_bulk_approve"), {"task_state": [checkbox]}, follow=True
    )

    html = response.content.decode()
    assert "Approved 1 post." not in html and "changed since" in html
    assert status_of(post) == "in_review"
    assert not ReviewDecision.objects.filter(user=reviewer).exists()


def test_bulk_approve_without_the_version_seen_approves_nothing(login, reviewer, submitted):
    post = submitted(caption="A fresh start. #MondayMotivation")

    response = login(reviewer).post(
        reverse("approvals_inbox_bulk_approve"), {"task_state": [current_task_state(post).pk]}, follow=True
    )

    assert "Select the posts to approve first." in response.content.decode()
    assert status_of(post) == "in_review"


# Query budget -------------------------------------------------------------------------------------


def _inbox_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(INBOX).status_code == 200
    return len(queries)


def test_the_inbox_query_count_does_not_grow_with_its_items(login, reviewer, draft, api, creative, brand_a):
    client = login(reviewer)
    image = brand_image(brand_a, width=600, height=600)  # narrower would block on Facebook

    def submit_with_image():
        post = draft()
        add_media(post, [image])
        post.save_revision(user=creative)
        assert submit(api, creative, post).status_code == 200

    submit_with_image()
    assert "<img src=" in client.get(INBOX).content.decode()  # the thumbnail is made on first sight
    one = _inbox_queries(client)

    for _ in range(49):
        submit_with_image()
    fifty = _inbox_queries(client)

    assert fifty == one
    # The queue's own dozen, and the selected review's pane (its post, images, the tier's last
    # look, comments): a fixed number however many rows.
    assert fifty <= 40


def test_waiting_time_and_overdue_status(login, reviewer, submitted):
    post = submitted()
    task_state = current_task_state(post)
    task_state.started_at = timezone.now() - dt.timedelta(days=10)
    task_state.save(update_fields=["started_at"])

    html = login(reviewer).get(INBOX).content.decode()

    assert "Overdue" in html
    assert "1\xa0week, 3\xa0days" in html  # how long it has waited (timesince)
