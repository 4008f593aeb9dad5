"""The editor's live checks and the gate at submission."""

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry, Workflow

from approvals.tests.helpers import decide, status_of
from brands.models import BannedPhrase
from cms.posts.factories import PostFactory
from cms.posts.models import FindingOverride, Post
from cms.posts.tests.test_editor import post_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def banned_cheap(brand_a):
    return BannedPhrase.objects.create(
        kit=brand_a.kit, phrase="cheap", suggestion="great value", severity="block"
    )


@pytest.fixture
def workflow(db):
    """The agency workflow (a data migration assigns it to posts), so the editor offers "Submit"."""
    return Workflow.objects.get(name="Agency approval")


def test_live_checks_show_a_banned_phrase_with_its_suggestion(login, creative, brand_a, banned_cheap):
    response = login(creative).post(
        reverse("posts_live_checks"), post_form(brand_a, caption="Our 🔥 roast is cheap today")
    )

    assert response.status_code == 200
    assert "great value" in response.text
    assert "data-apply-suggestion" in response.text
    # The textarea counts UTF-16 units: "🔥" is one code point but two units, so "cheap" starts at 16, not 15.
    assert 'data-start="16"' in response.text and 'data-end="21"' in response.text
    assert '<mark class="signoff-checks__mark signoff-checks__mark--block">cheap</mark>' in response.text


def test_a_one_click_suggestion_replaces_the_determiner_it_takes_the_place_of(login, creative, brand_a):
    # The demo's "The world's best coffee …" once gave "The our favourite coffee" on one click.
    BannedPhrase.objects.create(kit=brand_a.kit, phrase="world's best", suggestion="our favourite")

    response = login(creative).post(
        reverse("posts_live_checks"), post_form(brand_a, caption="The world's best coffee")
    )

    # The button replaces from the caption's start, and says what it expects to find there (the
    # editor refuses a stale click: the caption changed since the checks ran).
    assert 'data-start="0"' in response.text and 'data-end="16"' in response.text
    assert 'data-suggestion="Our favourite"' in response.text
    assert 'data-replaces="The world&#x27;s best"' in response.text
    # What is marked is the banned phrase itself.
    assert (
        '<mark class="signoff-checks__mark signoff-checks__mark--warn">world&#x27;s best</mark>'
        in response.text
    )


def test_live_checks_ask_for_a_brand_first(login, creative, brand_a):
    data = post_form(brand_a)
    data["brand"] = ""

    response = login(creative).post(reverse("posts_live_checks"), data)

    assert "Choose a brand" in response.text


def test_live_checks_refuse_another_brands_post(login, creative, brand_b):
    post = PostFactory(brand=brand_b)

    response = login(creative).post(reverse("posts_live_checks", args=[post.pk]), post_form(brand_b))

    assert response.status_code == 404


def test_live_checks_do_not_check_against_another_brands_kit(login, creative, brand_a, brand_b):
    BannedPhrase.objects.create(kit=brand_b.kit, phrase="secret", suggestion="leak", severity="block")

    response = login(creative).post(reverse("posts_live_checks"), post_form(brand_b, caption="secret"))

    assert "Choose a brand" in response.text
    assert "leak" not in response.text


def test_a_client_cannot_call_live_checks(login, client_of_a, brand_a):
    response = login(client_of_a).post(reverse("posts_live_checks"), post_form(brand_a))

    assert response.status_code == 302


def test_a_blocking_finding_stops_submission_and_keeps_the_input(
    login, creative, brand_a, banned_cheap, workflow
):
    response = login(creative).post(
        reverse("wagtailsnippets_posts_post:add"),
        post_form(brand_a, caption="So cheap it hurts", **{"action-submit": "Submit"}),
    )

    assert response.status_code == 200
    assert "Fix these before submitting for approval" in response.text
    assert "So cheap it hurts" in response.text
    assert not Post.objects.exists()


def test_saving_a_draft_with_blocking_findings_is_allowed(login, creative, brand_a, banned_cheap, workflow):
    response = login(creative).post(
        reverse("wagtailsnippets_posts_post:add"), post_form(brand_a, caption="So cheap it hurts")
    )

    assert response.status_code == 302
    assert Post.objects.get().caption == "So cheap it hurts"


def test_a_clean_post_is_submitted(login, creative, brand_a, banned_cheap, workflow):
    response = login(creative).post(
        reverse("wagtailsnippets_posts_post:add"),
        # Facebook and X take text-only posts; Instagram would need an image.
        post_form(brand_a, platforms=["facebook", "x"], **{"action-submit": "Submit"}),
    )

    assert response.status_code == 302
    post = Post.objects.with_status().get()
    assert post.status == "in_review"


def test_a_lead_overrides_with_a_reason_which_is_recorded(login, lead, brand_a, banned_cheap, workflow):
    response = login(lead).post(
        reverse("wagtailsnippets_posts_post:add"),
        post_form(
            brand_a,
            caption="So cheap it hurts",
            override_reason="Client signed off the word in the brief.",
            **{"action-submit": "Submit"},
        ),
    )

    assert response.status_code == 302
    post = Post.objects.with_status().get()
    assert post.status == "in_review"
    override = FindingOverride.objects.get(post=post)
    assert override.reason == "Client signed off the word in the brief."
    assert override.findings[0]["rule"] == "banned_phrase"
    assert ModelLogEntry.objects.filter(action="signoff.override_findings", object_id=str(post.pk)).exists()
    history = login(lead).get(reverse("wagtailsnippets_posts_post:history", args=[post.pk]))
    assert "Overrode 2 blocking findings: “cheap” is on Acme Coffee’s banned list." in history.text
    assert "Client signed off the word in the brief." in history.text


def test_a_creative_cannot_override(login, creative, brand_a, banned_cheap, workflow):
    response = login(creative).post(
        reverse("wagtailsnippets_posts_post:add"),
        post_form(
            brand_a, caption="So cheap it hurts", override_reason="Trust me", **{"action-submit": "Submit"}
        ),
    )

    assert response.status_code == 200
    assert not Post.objects.exists()
    assert not FindingOverride.objects.exists()


def test_an_over_long_x_caption_cannot_be_submitted(login, creative, brand_a, workflow):
    caption = "Plenty to say about this roast. " * 10  # 320 characters

    response = login(creative).post(
        reverse("wagtailsnippets_posts_post:add"),
        post_form(brand_a, caption=caption, platforms=["x"], **{"action-submit": "Submit"}),
    )

    assert response.status_code == 200
    assert "Fix these before submitting for approval" in response.text
    assert "X" in response.text
    assert not Post.objects.exists()


def test_the_api_and_the_editor_give_the_same_findings(login, creative, brand_a, banned_cheap):
    from rest_framework.test import APIClient

    from brands.models import HashtagRule

    HashtagRule.objects.create(kit=brand_a.kit, hashtag="#AcmeCoffee", kind="required")
    caption = "So CHEAP!!! Grab one at acme.example.com/shop #coffeeaddict"
    api = APIClient()
    api.force_authenticate(creative)
    api_findings = api.post(
        "/api/v1/checks/",
        {"brand": brand_a.pk, "caption": caption, "platforms": ["instagram", "x"], "intent": "buy"},
        format="json",
    ).json()["findings"]

    editor = login(creative).post(
        reverse("posts_live_checks"),
        post_form(brand_a, caption=caption, platforms=["instagram", "x"], intent="buy"),
    )

    assert api_findings
    editor_rules = [row.split('"')[0] for row in editor.text.split('data-rule="')[1:]]
    assert editor_rules == [finding["rule"] for finding in api_findings]


# What the preview states, the live checks say (issue 13) -------------------------------------


def test_an_image_without_alt_text_is_a_blocking_finding_not_on_brand(login, creative, brand_a):
    from brands.factories import brand_image

    image = brand_image(brand_a, title="Latte art")

    response = login(creative).post(
        reverse("posts_live_checks"),
        post_form(brand_a, platforms=["facebook"], media=[{"image": image.pk, "alt_text": ""}]),
    )

    assert "On brand." not in response.text
    assert "Image 1 has no alt text." in response.text
    assert "1 to fix before submitting" in response.text


def test_an_instagram_post_without_an_image_is_a_blocking_finding(login, creative, brand_a):
    response = login(creative).post(
        reverse("posts_live_checks"), post_form(brand_a, platforms=["instagram", "facebook"])
    )

    assert "No image yet: Instagram feed posts need at least one." in response.text
    assert "1 to fix before submitting" in response.text


def test_a_facebook_post_may_go_without_an_image(login, creative, brand_a):
    response = login(creative).post(reverse("posts_live_checks"), post_form(brand_a, platforms=["facebook"]))

    assert "image_missing" not in response.text


def test_an_override_covers_the_findings_it_named_and_no_new_one(
    api, login, lead, creative, reviewer, brand_a, banned_cheap, workflow
):
    BannedPhrase.objects.create(kit=brand_a.kit, phrase="guaranteed", severity="block")
    login(lead).post(
        reverse("wagtailsnippets_posts_post:add"),
        post_form(
            brand_a,
            caption="So cheap it hurts",
            override_reason="Client signed off the word in the brief.",
            **{"action-submit": "Submit"},
        ),
    )
    post = Post.objects.get()
    decide(api, reviewer, post, "request-changes", reason="tone", comment="Warmer, please.")
    edit_url = reverse("wagtailsnippets_posts_post:edit", args=[post.pk])

    refused = login(creative).post(
        edit_url, post_form(brand_a, caption="So cheap it hurts, guaranteed", **{"action-submit": "Submit"})
    )

    assert refused.status_code == 200
    refusal = refused.text.split("Fix these before submitting", 1)[1].split("</", 1)[0]
    assert "“guaranteed”" in refusal
    assert "“cheap” is on" not in refusal  # the lead's override named it
    assert status_of(post) == "changes_requested"

    resubmitted = login(creative).post(
        edit_url, post_form(brand_a, caption="So cheap it hurts, honestly", **{"action-submit": "Submit"})
    )

    assert resubmitted.status_code == 302
    assert status_of(post) == "in_review"
    assert FindingOverride.objects.filter(post=post).count() == 1
