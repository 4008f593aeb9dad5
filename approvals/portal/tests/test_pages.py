"""The client portal's pages: the queue, bulk approve, a post's decision and history, upcoming,
calendar, archive, the brand switcher, branding, and the scoping that keeps clients apart."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry, TaskState

from approvals.models import ReviewComment, ReviewDecision
from approvals.portal.models import PortalBranding
from approvals.services import approve_task, submit_post
from approvals.tests.helpers import current_task_state, decide, status_of, submit
from brands.factories import BrandFactory, UserFactory, brand_image, client_user
from cms.posts.factories import add_media, publish_directly
from cms.posts.models import Post

from .helpers import at_client_tier, client_signs_off, draft, in_agency_review, published, scheduled, went_out

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("portal:dashboard")
MISSING = 999_999


@pytest.fixture
def signs_off(brand_a, brand_b):
    client_signs_off(brand_a)
    client_signs_off(brand_b)


@pytest.fixture
def awaiting_a(signs_off, brand_a, creative, reviewer):
    """A post of brand A waiting on the client tier, with an image."""
    post = at_client_tier(brand_a, creative, reviewer, title="Acme autumn blend")
    return post


@pytest.fixture
def awaiting_b(signs_off, brand_b, outsider, lead_b):
    post = draft(brand_b, outsider, title="Borealis winter tyres")
    add_media(post, [brand_image(brand_b, title="Borealis tyre")])
    post.save_revision(user=outsider)
    submit_post(post=post, user=outsider)
    approve_task(task_state=post.current_workflow_task_state, user=lead_b)
    return Post.objects.get(pk=post.pk)


def task_state_of(post) -> TaskState:
    return current_task_state(post)


def decision_data(post, **extra) -> dict:
    post = Post.objects.get(pk=post.pk)
    return {"task_state": task_state_of(post).pk, "revision": post.latest_revision_id, **extra}


# The queue --------------------------------------------------------------------------------------


def test_the_queue_lists_exactly_what_awaits_the_client(
    login, client_of_a, brand_a, creative, reviewer, awaiting_a, awaiting_b
):
    in_agency_review(brand_a, creative, title="Acme still with the agency")
    scheduled(brand_a, "Acme already scheduled")

    response = login(client_of_a).get(DASHBOARD)

    assert response.status_code == 200
    assert "Acme autumn blend" in response.text
    assert reverse("portal:post-detail", args=[awaiting_a.pk]) in response.text
    assert "Acme still with the agency" not in response.text
    assert "Acme already scheduled" not in response.text
    assert "Borealis winter tyres" not in response.text
    assert "1 post of Acme Coffee waiting for you" in response.text


def test_the_queue_shows_platforms_schedule_in_the_brands_time_zone_and_due(
    login, client_of_a, brand_a, creative, reviewer, signs_off
):
    brand_a.time_zone = "Asia/Tokyo"
    brand_a.save()
    at_client_tier(
        brand_a,
        creative,
        reviewer,
        title="Tokyo breakfast",
        platforms=["instagram", "x"],
        go_live_at=dt.datetime(2031, 1, 6, 0, 15, tzinfo=dt.UTC),
    )

    response = login(client_of_a).get(DASHBOARD)

    assert "Instagram, X" in response.text
    assert "Mon 6 Jan, 09:15 JST" in response.text
    assert "Waiting" in response.text and "Due" in response.text


def test_the_queue_pages_through_many_posts(login, client_of_a, brand_a, creative, reviewer, signs_off):
    for n in range(27):
        at_client_tier(brand_a, creative, reviewer, title=f"Queued post {n:02d}")

    client = login(client_of_a)
    first, second = client.get(DASHBOARD), client.get(DASHBOARD, {"page": 2})

    assert "Queued post 00" in first.text and "Queued post 24" in first.text
    assert "Queued post 25" not in first.text
    assert "Queued post 25" in second.text and "Queued post 26" in second.text
    assert "Page 2 of 2" in second.text


def test_agency_stage_posts_stay_hidden_unless_the_brand_opts_in(login, client_of_a, brand_a, creative):
    client_signs_off(brand_a)
    with_agency = in_agency_review(brand_a, creative, title="Acme draft in review")
    client = login(client_of_a)

    assert "Acme draft in review" not in client.get(reverse("portal:upcoming")).text
    assert client.get(reverse("portal:post-detail", args=[with_agency.pk])).status_code == 404

    client_signs_off(brand_a, drafts_early=True)
    upcoming = client.get(reverse("portal:upcoming"))
    page = client.get(reverse("portal:post-detail", args=[with_agency.pk]))

    assert "Acme draft in review" in upcoming.text and "With the agency" in upcoming.text
    assert page.status_code == 200
    assert "With the agency" in page.text
    assert reverse("portal:post-approve", args=[with_agency.pk]) not in page.text  # read-only
    assert "Acme draft in review" not in client.get(DASHBOARD).text


# Bulk approve -------------------------------------------------------------------------------------


def queue_value(post) -> str:
    post = Post.objects.get(pk=post.pk)
    return f"{task_state_of(post).pk}:{post.latest_revision_id}"


def test_bulk_approve_approves_the_ticked_posts_and_the_workflow_finishes(
    login, client_of_a, brand_a, creative, reviewer, signs_off
):
    soon = timezone.now() + dt.timedelta(days=3)
    first = at_client_tier(brand_a, creative, reviewer, title="First", go_live_at=soon)
    second = at_client_tier(brand_a, creative, reviewer, title="Second", go_live_at=soon)
    left = at_client_tier(brand_a, creative, reviewer, title="Left alone")
    client = login(client_of_a)

    response = client.post(
        reverse("portal:bulk-approve"), {"review": [queue_value(first), queue_value(second)]}, follow=True
    )

    assert "Approved 2 posts." in response.text
    assert status_of(first) == status_of(second) == "scheduled"
    assert status_of(left) == "in_review"
    assert ReviewDecision.objects.filter(user=client_of_a, outcome="approved").count() == 2
    assert "Left alone" in response.text and "First" not in response.text


def test_bulk_approve_says_already_decided_when_a_colleague_was_first(
    login, client_of_a, client_a, brand_a, creative, reviewer, signs_off
):
    post = at_client_tier(brand_a, creative, reviewer, title="Contested")
    value = queue_value(post)  # what client_of_a's queue page holds
    colleague = UserFactory(username="client_a2", first_name="Dana", last_name="Colleague")
    client_user(colleague, client_a)
    approve_task(task_state=task_state_of(post), user=colleague)

    response = login(client_of_a).post(reverse("portal:bulk-approve"), {"review": [value]}, follow=True)

    assert "Already decided by Dana Colleague" in response.text
    assert not ReviewDecision.objects.filter(user=client_of_a).exists()


def test_bulk_approve_with_htmx_answers_the_queue(login, client_of_a, awaiting_a):
    response = login(client_of_a).post(
        reverse("portal:bulk-approve"), {"review": [queue_value(awaiting_a)]}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'id="queue"' in response.text and "Approved 1 post." in response.text
    assert 'hx-swap-oob="true"' in response.text  # the count in the menu follows


# One post: approve and request changes ----------------------------------------------------------------


def test_a_client_approves_from_the_post_page_and_it_is_in_the_posts_history(
    login, client_of_a, awaiting_a, creative
):
    client = login(client_of_a)
    url = reverse("portal:post-detail", args=[awaiting_a.pk])
    page = client.get(url)
    assert "Your decision" in page.text

    response = client.post(
        reverse("portal:post-approve", args=[awaiting_a.pk]),
        decision_data(awaiting_a, comment="Lovely, go ahead."),
        follow=True,
    )

    decision = ReviewDecision.objects.get(user=client_of_a)
    assert decision.outcome == "approved" and decision.comment == "Lovely, go ahead."
    assert decision.task_state.task.specific.tier == "client"
    assert ModelLogEntry.objects.filter(
        object_id=str(awaiting_a.pk), action="wagtail.workflow.approve", user=client_of_a
    ).exists()
    assert status_of(awaiting_a) == "published"  # the last tier: the workflow finished
    assert response.redirect_chain[-1][0] == url
    assert "Approved and published. Thank you!" in response.text
    name = client_of_a.get_full_name() or client_of_a.username
    assert f"Approved by {name}" in response.text and "Lovely, go ahead." in response.text
    assert "Your decision" not in response.text


def test_a_client_requests_changes_and_the_post_goes_back_to_the_agency(
    login, client_of_a, awaiting_a, creative
):
    client = login(client_of_a)

    response = client.post(
        reverse("portal:post-request-changes", args=[awaiting_a.pk]),
        decision_data(awaiting_a, reason="visual", comment="Use the autumn photo instead."),
        follow=True,
    )

    decision = ReviewDecision.objects.get(user=client_of_a)
    assert decision.outcome == "changes_requested" and decision.reason == "visual"
    entry = ModelLogEntry.objects.get(
        object_id=str(awaiting_a.pk), action="wagtail.workflow.reject", user=client_of_a
    )
    assert entry.data["comment"] == "Use the autumn photo instead."
    assert status_of(awaiting_a) == "changes_requested"
    # The client still sees what they sent back, as with the agency, and their request.
    assert response.status_code == 200
    assert "With the agency" in response.text
    assert "Changes requested by" in response.text and "Use the autumn photo instead." in response.text
    assert "Visual" in response.text


def test_request_changes_needs_a_comment_and_keeps_what_was_typed(login, client_of_a, awaiting_a):
    client = login(client_of_a)
    url = reverse("portal:post-request-changes", args=[awaiting_a.pk])

    response = client.post(url, decision_data(awaiting_a, reason="facts", comment="   "))

    assert response.status_code == 200
    assert "This field is required." in response.text
    assert '<option value="facts" selected>' in response.text
    assert '<details id="request-changes" class="portal-changes" open>' in response.text
    assert not ReviewDecision.objects.filter(user=client_of_a).exists()

    htmx = client.post(url, decision_data(awaiting_a, reason="tone", comment=""), HTTP_HX_REQUEST="true")
    assert "<html" not in htmx.text and 'id="decision"' in htmx.text
    assert "This field is required." in htmx.text and '<option value="tone" selected>' in htmx.text


def test_a_decision_after_someone_else_decided_says_who(login, client_of_a, client_a, awaiting_a):
    data = decision_data(awaiting_a)
    colleague = UserFactory(username="client_a2", first_name="Dana", last_name="Colleague")
    client_user(colleague, client_a)
    approve_task(task_state=task_state_of(awaiting_a), user=colleague)

    response = login(client_of_a).post(
        reverse("portal:post-approve", args=[awaiting_a.pk]), data, follow=True
    )

    assert "Already decided by Dana Colleague" in response.text
    assert not ReviewDecision.objects.filter(user=client_of_a).exists()


def test_a_post_just_approved_reads_as_going_out_while_the_relay_publishes_it(
    login, client_of_a, awaiting_a, settings
):
    # As in production: the workflow moves on when the relay runs (approvals.moving_on).
    settings.SIGNOFF_FOLLOW_UP_AT_ONCE = False

    response = login(client_of_a).post(
        reverse("portal:post-approve", args=[awaiting_a.pk]), decision_data(awaiting_a), follow=True
    )

    assert status_of(awaiting_a) == "in_review"  # not published yet: it has no date, so it goes out now
    assert "Approved. It is going out now. Thank you!" in response.text
    assert "Going out now" in response.text
    assert "scheduled" not in response.text.lower()
    assert "With the agency" not in response.text


def test_content_changed_since_the_page_was_opened_is_not_approved_unseen(
    login, client_of_a, awaiting_a, creative
):
    data = decision_data(awaiting_a)
    post = Post.objects.get(pk=awaiting_a.pk)
    post.caption = "A new caption the client has not seen"
    post.save()
    post.save_revision(user=creative)

    response = login(client_of_a).post(
        reverse("portal:post-approve", args=[awaiting_a.pk]), data, follow=True
    )

    assert "has changed since you opened it" in response.text
    assert not ReviewDecision.objects.filter(user=client_of_a).exists()


def test_internal_comments_and_decisions_never_reach_the_client(
    login, api, client_of_a, brand_a, creative, reviewer, signs_off
):
    reviewer.first_name, reviewer.last_name = "Rhiannon", "Reviewsworth"
    reviewer.save()
    post = draft(
        brand_a, creative, title="Acme with a past", go_live_at=timezone.now() + dt.timedelta(days=4)
    )
    add_media(post, [brand_image(brand_a, title="Acme cup")])
    post.save_revision(user=creative)
    assert submit(api, creative, post).status_code == 200
    # A first round the agency sent back, with internal words.
    assert (
        decide(api, reviewer, post, "request-changes", reason="tone", comment="INTERNAL-CHANGES").status_code
        == 200
    )
    ReviewComment.objects.create(post=post, author=reviewer, body="INTERNAL-THREAD-COMMENT")
    assert submit(api, creative, post).status_code == 200
    assert decide(api, reviewer, post, comment="INTERNAL-APPROVAL-NOTE").status_code == 200
    client = login(client_of_a)

    pages = [
        client.get(DASHBOARD),
        client.get(reverse("portal:upcoming")),
        client.get(reverse("portal:calendar"), {"date": post.go_live_at.date().isoformat()}),
        client.get(reverse("portal:calendar"), {"view": "week", "date": post.go_live_at.date().isoformat()}),
        client.get(reverse("portal:post-detail", args=[post.pk])),
        *[client.get(reverse("portal:post-preview", args=[post.pk, mode])) for mode, _ in Post.preview_modes],
    ]

    detail = pages[4]
    assert "Approved by the agency" in detail.text
    for page in pages:
        assert page.status_code == 200
        for secret in [
            "INTERNAL-CHANGES",
            "INTERNAL-THREAD-COMMENT",
            "INTERNAL-APPROVAL-NOTE",
            "Rhiannon",
            "Reviewsworth",
        ]:
            assert secret not in page.text, (secret, page.request["PATH_INFO"])


def test_the_post_page_switches_platforms_with_plain_links(
    login, client_of_a, brand_a, creative, reviewer, signs_off
):
    post = at_client_tier(
        brand_a, creative, reviewer, title="Two platforms", platforms=["instagram", "linkedin"]
    )
    client = login(client_of_a)

    page = client.get(reverse("portal:post-detail", args=[post.pk]))
    linkedin = client.get(reverse("portal:post-detail", args=[post.pk]), {"mode": "linkedin"})

    assert 'href="?mode=instagram_feed"' in page.text and 'href="?mode=linkedin"' in page.text
    assert 'href="?mode=x"' not in page.text  # not one of its platforms
    assert reverse("portal:post-preview", args=[post.pk, "instagram_feed"]) in page.text
    assert reverse("portal:post-preview", args=[post.pk, "linkedin"]) in linkedin.text


def test_the_post_page_shows_its_images_full_size(login, client_of_a, brand_a, signs_off):
    image = brand_image(brand_a, title="Acme big picture", width=2400, height=1600)
    post = scheduled(brand_a, "Acme with a picture")
    add_media(post, [image], alt_text="Beans on a table")
    publish_directly(post)
    client = login(client_of_a)

    page = client.get(reverse("portal:post-detail", args=[post.pk]))
    full = client.get(reverse("portal:post-image", args=[post.pk, image.pk]))

    assert 'alt="Beans on a table 1"' in page.text
    assert reverse("portal:post-image", args=[post.pk, image.pk]) in page.text
    assert full.status_code == 200 and full["Content-Type"] == "image/png"
    assert b"".join(full.streaming_content)[:8] == b"\x89PNG\r\n\x1a\n"


# Lists ----------------------------------------------------------------------------------------------


def test_upcoming_lists_what_is_still_to_go_out(login, client_of_a, brand_a, awaiting_a):
    scheduled(brand_a, "Acme next week", at=timezone.now() + dt.timedelta(days=7))
    published(brand_a, "Acme last month")

    response = login(client_of_a).get(reverse("portal:upcoming"))

    assert "Acme next week" in response.text and "Acme autumn blend" in response.text
    assert "Awaiting your approval" in response.text and "Scheduled" in response.text
    assert "Acme last month" not in response.text


def test_the_archive_lists_what_went_out_newest_first(login, client_of_a, brand_a, brand_b):
    went_out(published(brand_a, "Acme older post"), at=timezone.now() - dt.timedelta(days=30))
    went_out(published(brand_a, "Acme newer post"))
    went_out(published(brand_b, "Borealis published post"))
    scheduled(brand_a, "Acme not out yet")

    response = login(client_of_a).get(reverse("portal:archive"))

    text = response.text
    assert text.index("Acme newer post") < text.index("Acme older post")
    assert "Borealis published post" not in text and "Acme not out yet" not in text


# The calendar ---------------------------------------------------------------------------------------


def day_cell(html: str, iso_date: str) -> str:
    """The calendar's cell for one day."""
    start = html.index(f'<time datetime="{iso_date}">')
    return html[start : html.index("</td>", start)]


def test_the_calendar_places_posts_on_their_day_in_the_brands_time_zone(
    login, client_of_a, brand_a, creative, reviewer, signs_off
):
    brand_a.time_zone = "Asia/Tokyo"
    brand_a.save()
    # 23:30 UTC on the 5th is 08:30 on the 6th in Tokyo.
    scheduled(brand_a, "Tokyo launch", at=dt.datetime(2031, 1, 5, 23, 30, tzinfo=dt.UTC))
    at_client_tier(
        brand_a,
        creative,
        reviewer,
        title="Tokyo awaiting",
        go_live_at=dt.datetime(2031, 1, 8, 1, 0, tzinfo=dt.UTC),
    )
    scheduled(brand_a, "February post", at=dt.datetime(2031, 2, 20, 1, 0, tzinfo=dt.UTC))
    client = login(client_of_a)

    week = client.get(reverse("portal:calendar"), {"view": "week", "date": "2031-01-07"})
    month = client.get(reverse("portal:calendar"), {"date": "2031-01-15"})

    assert "Week of 6 January 2031" in week.text
    assert "08:30" in day_cell(week.text, "2031-01-06") and "Tokyo launch" in day_cell(
        week.text, "2031-01-06"
    )
    assert "Tokyo awaiting" in day_cell(week.text, "2031-01-08")
    assert "cal-post--scheduled" in week.text and "cal-post--awaiting" in week.text
    assert "January 2031" in month.text and "Tokyo launch" in month.text and "Tokyo awaiting" in month.text
    assert "February post" not in month.text
    for label in ["Awaiting your approval", "With the agency", "Scheduled", "Published"]:
        assert label in month.text  # the legend
    assert 'href="?view=month&amp;date=2030-12-01"' in month.text  # previous month
    assert 'href="?view=month&amp;date=2031-02-01"' in month.text  # next month


def test_a_malformed_calendar_date_shows_this_month(login, client_of_a):
    response = login(client_of_a).get(reverse("portal:calendar"), {"date": "not-a-date"})

    assert response.status_code == 200
    assert timezone.now().strftime("%B %Y") in response.text


# Brands: the switcher ----------------------------------------------------------------------------------


def test_a_client_with_several_brands_switches_and_the_choice_is_remembered(
    login, client_of_a, client_a, brand_a, creative, reviewer, signs_off
):
    second = BrandFactory(client=client_a, name="Acme Tea", slug="acme-tea")
    client_signs_off(second)
    from brands.factories import membership
    from brands.models import BrandRole

    membership(creative, second, BrandRole.CREATIVE)
    membership(reviewer, second, BrandRole.REVIEWER)
    at_client_tier(brand_a, creative, reviewer, title="Coffee post")
    at_client_tier(second, creative, reviewer, title="Tea post")
    client = login(client_of_a)

    default = client.get(DASHBOARD)
    switched = client.get(DASHBOARD, {"brand": second.pk})
    remembered = client.get(reverse("portal:upcoming"))

    assert 'id="brand-switcher"' in default.text
    assert "Coffee post" in default.text and "Tea post" not in default.text  # first by name
    assert "Tea post" in switched.text and "Coffee post" not in switched.text
    assert client.session["portal_brand_id"] == second.pk
    assert "Tea post" in remembered.text


def test_the_brand_a_magic_link_chose_is_the_one_shown(
    login, client_of_a, client_a, brand_a, creative, reviewer, signs_off
):
    second = BrandFactory(client=client_a, name="Acme Tea", slug="acme-tea")
    client = login(client_of_a)
    session = client.session
    session["portal_brand_id"] = second.pk
    session.save()

    response = client.get(DASHBOARD)

    assert f'<option value="{second.pk}" selected>Acme Tea</option>' in response.text


def test_a_client_with_one_brand_sees_no_switcher(login, client_of_a, awaiting_a):
    response = login(client_of_a).get(DASHBOARD)

    assert 'id="brand-switcher"' not in response.text
    assert "Acme Coffee" in response.text


def test_agency_staff_get_no_portal_pages(login, reviewer):
    assert login(reviewer).get(DASHBOARD).status_code == 403


# Branding ---------------------------------------------------------------------------------------------


def test_the_portal_wears_the_agencys_branding(login, client_of_a, brand_a, client):
    logo = brand_image(brand_a, title="Agency logo", width=400, height=200)
    PortalBranding.objects.create(agency_name="Northwind Social", accent_colour="#aa3355", logo=logo)

    page = login(client_of_a).get(DASHBOARD)
    client.logout()
    sign_in = client.get(reverse("portal:login"))

    for response in (page, sign_in):
        assert "Northwind Social" in response.text
        assert "--accent: #aa3355" in response.text
        assert (
            f'src="{reverse("portal:agency-logo")}?v={logo.get_rendition("height-96").pk}"' in response.text
        )
    assert "/admin/" not in page.text  # no admin chrome or links for clients


def test_a_malformed_accent_colour_falls_back_to_the_default(login, client_of_a):
    PortalBranding.objects.create(agency_name="Odd Agency", accent_colour="red;}")

    response = login(client_of_a).get(DASHBOARD)

    assert "red;}" not in response.text
    assert "--accent: #0f766e" in response.text


# Scoping: every portal URL, anything of another client ---------------------------------------------------


@pytest.fixture
def brand_b_everything(awaiting_b, brand_b, outsider, lead_b):
    """Brand B in every state a client could see, drafts shown early too."""
    client_signs_off(brand_b, drafts_early=True)
    image = brand_image(brand_b, title="Borealis trail")
    posts = {
        "awaiting": awaiting_b,
        "in review": in_agency_review(brand_b, outsider, title="Borealis in review"),
        "scheduled": scheduled(brand_b, "Borealis scheduled"),
        "published": published(brand_b, "Borealis published"),
    }
    add_media(posts["scheduled"], [image])
    return posts, image


def test_nothing_of_another_client_is_found_on_any_portal_url(
    login, client_of_a, awaiting_a, brand_b, brand_b_everything
):
    posts_b, image_b = brand_b_everything
    awaiting_b = posts_b["awaiting"]
    state_b, revision_b = task_state_of(awaiting_b).pk, awaiting_b.latest_revision_id
    post_a = Post.objects.get(pk=awaiting_a.pk)
    state_a, revision_a = task_state_of(post_a).pk, post_a.latest_revision_id
    client = login(client_of_a)

    def same_as_missing(foreign, missing):
        assert foreign.status_code == missing.status_code == 404, foreign.request["PATH_INFO"]
        assert foreign.content == missing.content

    def get_both(name, foreign_args, missing_args, query=None):
        same_as_missing(
            client.get(reverse(name, args=foreign_args), query or {}),
            client.get(reverse(name, args=missing_args), query or {}),
        )

    def post_both(name, args, foreign_data, missing_data):
        same_as_missing(
            client.post(reverse(name, args=args), foreign_data),
            client.post(reverse(name, args=args), missing_data),
        )

    changes = {"reason": "tone", "comment": "Not for us."}
    for post in posts_b.values():
        get_both("portal:post-detail", [post.pk], [MISSING])
        get_both("portal:post-detail", [post.pk], [MISSING], {"mode": "x"})
        for mode, _ in Post.preview_modes:
            get_both("portal:post-preview", [post.pk, mode], [MISSING, mode])
        get_both("portal:post-image", [post.pk, image_b.pk], [MISSING, image_b.pk])
        same_as_missing(
            client.post(
                reverse("portal:post-approve", args=[post.pk]),
                {"task_state": state_b, "revision": revision_b},
            ),
            client.post(
                reverse("portal:post-approve", args=[MISSING]),
                {"task_state": state_b, "revision": revision_b},
            ),
        )
        same_as_missing(
            client.post(
                reverse("portal:post-request-changes", args=[post.pk]),
                {"task_state": state_b, "revision": revision_b, **changes},
            ),
            client.post(
                reverse("portal:post-request-changes", args=[MISSING]),
                {"task_state": state_b, "revision": revision_b, **changes},
            ),
        )
    # Their ids on the client's own post: the image, the review, the revision.
    get_both("portal:post-image", [post_a.pk, image_b.pk], [post_a.pk, MISSING])
    for action, extra in [("portal:post-approve", {}), ("portal:post-request-changes", changes)]:
        for data in ({}, {"comment": ""}):  # a valid form, and one with errors
            post_both(
                action,
                [post_a.pk],
                {"task_state": state_b, "revision": revision_a, **extra, **data},
                {"task_state": MISSING, "revision": revision_a, **extra, **data},
            )
            post_both(
                action,
                [post_a.pk],
                {"task_state": state_a, "revision": revision_b, **extra, **data},
                {"task_state": state_a, "revision": MISSING, **extra, **data},
            )
    # Bulk approve, with their review or their revision.
    for foreign, missing in [
        (f"{state_b}:{revision_b}", f"{MISSING}:{MISSING}"),
        (f"{state_a}:{revision_b}", f"{state_a}:{MISSING}"),
        (f"{state_b}:{revision_a}", f"{MISSING}:{revision_a}"),
    ]:
        post_both("portal:bulk-approve", [], {"review": [foreign]}, {"review": [missing]})
    # The brand switcher and the calendar's filters.
    for name in ["portal:dashboard", "portal:upcoming", "portal:archive", "portal:calendar"]:
        for extra in ({}, {"view": "week"}, {"view": "month", "date": "2030-01-01"}):
            same_as_missing(
                client.get(reverse(name), {"brand": brand_b.pk, **extra}),
                client.get(reverse(name), {"brand": MISSING, **extra}),
            )
    # Nothing of B was decided, and A's own review is still open.
    assert task_state_of(awaiting_b).status == TaskState.STATUS_IN_PROGRESS
    assert task_state_of(post_a).status == TaskState.STATUS_IN_PROGRESS
    assert not ReviewDecision.objects.filter(user=client_of_a).exists()
    # Nor do B's posts show on A's pages.
    for name in ["portal:dashboard", "portal:upcoming", "portal:archive", "portal:calendar"]:
        assert "Borealis" not in client.get(reverse(name)).text


# Query budgets ------------------------------------------------------------------------------------------


def queries_for(client, url, query=None) -> int:
    client.get(url, query or {})  # warm: renditions made on first sight, the session's clocks
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, query or {})
    assert response.status_code == 200
    return len(captured)


def test_the_queue_takes_the_same_few_queries_for_1_and_30_posts(
    login, client_of_a, brand_a, creative, reviewer, signs_off
):
    picture = brand_image(brand_a, title="Acme queue picture")

    def add(count):
        for n in range(count):
            post = draft(brand_a, creative, title=f"Queued {n}")
            add_media(post, [picture])
            post.save_revision(user=creative)
            submit_post(post=post, user=creative)
            approve_task(task_state=post.current_workflow_task_state, user=reviewer)

    client = login(client_of_a)
    add(1)
    one = queries_for(client, DASHBOARD)
    add(29)
    thirty = queries_for(client, DASHBOARD)

    assert thirty == one <= 10


def test_the_calendar_takes_the_same_few_queries_for_1_and_30_posts(
    login, client_of_a, brand_a, creative, reviewer, signs_off
):
    march = [dt.datetime(2031, 3, day, 9, 0, tzinfo=dt.UTC) for day in range(1, 31)]

    def add(days):
        for n, at in enumerate(days):
            if n % 2:
                scheduled(brand_a, f"Scheduled {at:%d}", at=at)
            else:
                at_client_tier(brand_a, creative, reviewer, title=f"Awaiting {at:%d}", go_live_at=at)

    client = login(client_of_a)
    add(march[:1])
    one = {
        view: queries_for(client, reverse("portal:calendar"), {"view": view, "date": "2031-03-01"})
        for view in ["month", "week"]
    }
    add(march[1:])
    thirty = {
        view: queries_for(client, reverse("portal:calendar"), {"view": view, "date": "2031-03-01"})
        for view in ["month", "week"]
    }

    assert thirty == one
    assert max(thirty.values()) <= 10
    month = client.get(reverse("portal:calendar"), {"date": "2031-03-01"})
    assert month.text.count("cal-post cal-post--") == 30
