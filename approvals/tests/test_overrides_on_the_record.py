"""A lead's override of blocking findings is on the record where reviewers look: the post's
history, the review inbox's pane and the post page each say who overrode, why, and exactly which
findings. The override box itself shows only when something blocks."""

import re

import pytest
from django.urls import reverse
from wagtail.models import Workflow

from brands.models import BannedPhrase
from cms.posts.models import FindingOverride, Post
from cms.posts.tests.test_editor import post_form

from .helpers import current_task_state

pytestmark = pytest.mark.django_db

REASON = "The client signed the word off in the brief."


@pytest.fixture(autouse=True)
def workflow(db):
    return Workflow.objects.get(name="Agency approval")


@pytest.fixture
def banned_cheap(brand_a):
    return BannedPhrase.objects.create(
        kit=brand_a.kit, phrase="cheap", suggestion="great value", severity="block"
    )


@pytest.fixture
def overridden(login, lead, brand_a, banned_cheap):
    """A post a lead submitted with an override of its one blocking finding, from the editor."""
    response = login(lead).post(
        reverse("wagtailsnippets_posts_post:add"),
        post_form(
            brand_a,
            caption="So cheap it hurts",
            platforms=["facebook"],
            override_reason=REASON,
            **{"action-submit": "Submit"},
        ),
    )
    assert response.status_code == 302
    return Post.objects.get()


def finding_message(post) -> str:
    [message] = FindingOverride.objects.get(post=post).finding_messages
    assert "cheap" in message
    return message


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_history_names_the_findings_overridden_and_the_reason(login, lead, reviewer, overridden):
    history = login(reviewer).get(reverse("wagtailsnippets_posts_post:history", args=[overridden.pk]))

    page = text_of(history.text)
    assert f"Overrode 1 blocking finding: {text_of(finding_message(overridden))}" in page.replace(
        "&#x27;", "'"
    )
    assert f"Reason: {REASON}" in page


def test_the_review_pane_shows_who_overrode_why_and_which_findings(login, lead, reviewer, overridden):
    pane = login(reviewer).get(reverse("approvals_inbox_review", args=[current_task_state(overridden).pk]))

    assert pane.status_code == 200
    page = text_of(pane.text)
    assert "Blocking findings overridden by a lead" in page
    assert f"{lead.get_full_name() or lead.username} overrode 1 blocking finding" in page
    assert REASON in page
    assert "cheap" in page.split("Blocking findings overridden by a lead", 1)[1]


def test_the_post_page_shows_the_override(login, reviewer, overridden):
    page = login(reviewer).get(reverse("wagtailsnippets_posts_post:edit", args=[overridden.pk]))

    assert page.status_code == 200
    assert "data-overrides" in page.text
    assert REASON in page.text


def test_another_brands_lead_sees_no_override_record(login, lead_b, overridden):
    client = login(lead_b)

    for url in [
        reverse("wagtailsnippets_posts_post:history", args=[overridden.pk]),
        reverse("wagtailsnippets_posts_post:edit", args=[overridden.pk]),
        reverse("approvals_inbox_review", args=[current_task_state(overridden).pk]),
    ]:
        response = client.get(url)
        assert response.status_code in (302, 403, 404), url
        assert REASON not in response.content.decode()


def test_a_post_without_overrides_has_no_override_panel(login, reviewer, creative, brand_a, draft):
    post = draft()

    page = login(creative).get(reverse("wagtailsnippets_posts_post:edit", args=[post.pk]))

    assert "data-overrides" not in page.text


# The override box -----------------------------------------------------------------------------------


def override_control(html: str) -> str:
    """The opening tag of the panel that holds the override box."""
    match = re.search(r"<[^>]*data-override-control[^>]*>", html)
    assert match, "no override box"
    return match.group()


def test_a_lead_sees_no_override_box_while_nothing_blocks(login, lead):
    page = login(lead).get(reverse("wagtailsnippets_posts_post:add"))

    assert " hidden" in override_control(page.text)


def test_a_submission_refused_for_blocking_findings_opens_the_override_box(
    login, lead, brand_a, banned_cheap
):
    response = login(lead).post(
        reverse("wagtailsnippets_posts_post:add"),
        post_form(brand_a, caption="So cheap it hurts", **{"action-submit": "Submit"}),
    )

    assert response.status_code == 200
    assert not Post.objects.exists()
    assert " hidden" not in override_control(response.text)


def test_the_live_checks_say_how_many_findings_block(login, lead, brand_a, banned_cheap):
    client = login(lead)

    blocked = client.post(
        reverse("posts_live_checks"), post_form(brand_a, caption="So cheap", platforms=["x"])
    )
    clean = client.post(
        reverse("posts_live_checks"), post_form(brand_a, caption="Great value #AcmeCoffee", platforms=["x"])
    )

    assert 'data-blocking="1"' in blocked.text
    assert 'data-blocking="0"' in clean.text


def test_a_creative_gets_no_override_box_even_when_something_blocks(login, creative, brand_a, banned_cheap):
    response = login(creative).post(
        reverse("wagtailsnippets_posts_post:add"),
        post_form(brand_a, caption="So cheap it hurts", **{"action-submit": "Submit"}),
    )

    assert response.status_code == 200
    assert "data-override-control" not in response.text
    assert not FindingOverride.objects.exists()
