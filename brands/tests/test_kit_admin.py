"""Who may edit a brand kit: the brand's leads and admins, nobody else."""

import pytest
from django.urls import reverse

from brands.models import BrandKit

pytestmark = pytest.mark.django_db


def kit_url(name, kit):
    return reverse(f"wagtailsnippets_brands_brandkit:{name}", args=[kit.pk])


def kit_form(kit, **changes):
    data = {
        "voice_guidelines": '{"blocks": [], "entityMap": {}}',
        "heading_font": "",
        "body_font": "",
        "sponsored_disclaimer": "#ad",
        "emoji_policy": "free",
        "emoji_limit": "3",
        **changes,
    }
    for prefix in [
        "approved_images",
        "colours",
        "banned_phrases",
        "hashtag_rules",
        "name_spellings",
        "sensitive_dates",
    ]:
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    return data


def test_a_lead_edits_their_brands_kit(login, lead, brand_a):
    kit = brand_a.kit
    response = login(lead).post(kit_url("edit", kit), kit_form(kit, heading_font="Fraunces"))

    assert response.status_code == 302
    assert BrandKit.objects.get(pk=kit.pk).heading_font == "Fraunces"


def test_a_lead_of_a_cannot_open_or_edit_bs_kit(login, lead, brand_b):
    kit = brand_b.kit
    client = login(lead)

    assert client.get(kit_url("edit", kit)).status_code == 404
    assert client.post(kit_url("edit", kit), kit_form(kit, heading_font="Comic Sans")).status_code == 404
    assert BrandKit.objects.get(pk=kit.pk).heading_font == ""


def test_the_kit_listing_shows_only_the_users_brands(login, lead, brand_a, brand_b):
    response = login(lead).get(reverse("wagtailsnippets_brands_brandkit:list"))

    assert "Acme Coffee" in response.text
    assert "Borealis Bikes" not in response.text


def test_a_reviewer_can_view_but_not_edit_the_kit(login, reviewer, brand_a):
    kit = brand_a.kit
    client = login(reviewer)

    assert client.get(kit_url("inspect", kit)).status_code == 200
    response = client.post(kit_url("edit", kit), kit_form(kit, heading_font="Papyrus"))
    assert response.status_code in (302, 403)
    assert BrandKit.objects.get(pk=kit.pk).heading_font == ""


def test_a_creative_cannot_edit_the_kit(login, creative, brand_a):
    kit = brand_a.kit
    login(creative).post(kit_url("edit", kit), kit_form(kit, heading_font="Papyrus"))

    assert BrandKit.objects.get(pk=kit.pk).heading_font == ""


def test_only_admins_manage_brands_and_clients(login, lead, admin_user, brand_a):
    client = login(lead)
    assert client.get(reverse("wagtailsnippets_brands_brand:edit", args=[brand_a.pk])).status_code in (
        302,
        403,
    )
    assert client.get(reverse("wagtailsnippets_brands_client:list")).status_code in (302, 403)

    admin = login(admin_user)
    assert admin.get(reverse("wagtailsnippets_brands_brand:edit", args=[brand_a.pk])).status_code == 200


def test_a_client_user_cannot_use_the_admin(client, client_of_a):
    client_of_a.set_password("pw")
    client_of_a.save()

    client.post(reverse("wagtailadmin_login"), {"username": "client_a", "password": "pw"})

    dashboard = client.get("/admin/", follow=True)
    assert dashboard.redirect_chain[-1][0].startswith(reverse("wagtailadmin_login"))
    assert "You do not have permission to access the admin" in dashboard.text
    assert client.get(reverse("wagtailsnippets_posts_post:list")).status_code == 302
    assert client.get(reverse("wagtailimages:index")).status_code == 302


def test_a_kit_refuses_an_image_of_another_brand_and_keeps_the_input(login, lead, brand_a, brand_b):
    from brands.factories import brand_image

    foreign = brand_image(brand_b, title="Borealis summit")
    kit = brand_a.kit
    data = kit_form(kit, heading_font="Fraunces")
    data.update(
        {
            "approved_images-TOTAL_FORMS": "1",
            "approved_images-0-image": str(foreign.pk),
            "approved_images-0-ORDER": "1",
            "approved_images-0-id": "",
        }
    )

    response = login(lead).post(kit_url("edit", kit), data)

    assert response.status_code == 200
    assert "is not in the Acme Coffee collection" in response.text
    assert 'value="Fraunces"' in response.text
    assert not kit.approved_images.exists()


def rules_form(kit, rows_by_prefix):
    data = kit_form(kit)
    for prefix, rows in rows_by_prefix.items():
        data[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
        for index, row in enumerate(rows):
            for key, value in {**row, "ORDER": index + 1, "id": "", "DELETE": ""}.items():
                data[f"{prefix}-{index}-{key}"] = value
    return data


@pytest.mark.parametrize(
    "rows, message",
    [
        (
            [
                {"phrase": "Cheap", "suggestion": "", "severity": "warn"},
                {"phrase": "c-h-e-a-p", "suggestion": "", "severity": "warn"},
            ],
            "repeats the banned phrase",
        ),
        ([{"phrase": "   ", "suggestion": "", "severity": "warn"}], "This field is required"),
    ],
)
def test_bad_banned_phrases_are_refused_with_a_message(login, lead, brand_a, rows, message):
    response = login(lead).post(
        kit_url("edit", brand_a.kit), rules_form(brand_a.kit, {"banned_phrases": rows})
    )

    assert response.status_code == 200
    assert message in response.text
    assert not brand_a.kit.banned_phrases.exists()


def test_duplicate_hashtags_are_refused_not_a_crash(login, lead, brand_a):
    rows = [{"hashtag": "#AcmeCoffee", "kind": "required"}, {"hashtag": "#acmecoffee", "kind": "forbidden"}]

    response = login(lead).post(
        kit_url("edit", brand_a.kit), rules_form(brand_a.kit, {"hashtag_rules": rows})
    )

    assert response.status_code == 200
    assert "repeats the hashtag" in response.text


def test_a_regular_expression_is_treated_as_plain_text(login, lead, brand_a):
    rows = [{"phrase": "che.p|free", "suggestion": "", "severity": "block"}]

    response = login(lead).post(
        kit_url("edit", brand_a.kit), rules_form(brand_a.kit, {"banned_phrases": rows})
    )

    assert response.status_code == 302
    from brands.checks import check_caption
    from brands.checks.types import PostContent
    from cms.posts.checking import kit_rules_for

    findings = check_caption(
        PostContent(caption="It's cheap and free", platforms=("x",)), kit_rules_for(brand_a)
    )
    assert not [finding for finding in findings if finding.rule == "banned_phrase"]


def test_a_lead_makes_a_banned_phrase_exact_and_the_checker_follows(login, lead, brand_a):
    """Issue 13: "cheap" also catches "cheaper"; a brand that bans "sale" but not "sales" says so."""
    from brands.checks import check_post
    from brands.checks.types import PostContent
    from cms.posts.checking import kit_rules_for

    kit = brand_a.kit
    client = login(lead)
    assert "Exact phrase only" in client.get(kit_url("edit", kit)).text
    rows = {"banned_phrases-TOTAL_FORMS": "2"}
    for index, (phrase, exact) in enumerate([("sale", "on"), ("cheap", "")]):
        rows |= {
            f"banned_phrases-{index}-phrase": phrase,
            f"banned_phrases-{index}-suggestion": "",
            f"banned_phrases-{index}-severity": "warn",
            f"banned_phrases-{index}-exact": exact,
            f"banned_phrases-{index}-ORDER": str(index + 1),
            f"banned_phrases-{index}-id": "",
            f"banned_phrases-{index}-DELETE": "",
        }

    response = client.post(kit_url("edit", kit), {**kit_form(kit), **rows})

    assert response.status_code == 302
    assert dict(kit.banned_phrases.values_list("phrase", "exact")) == {"sale": True, "cheap": False}

    def flagged(caption):
        content = PostContent(caption=caption, platforms=("facebook",))
        findings = check_post(content, kit_rules_for(brand_a))
        return [caption[f.start : f.end] for f in findings if f.rule == "banned_phrase"]

    assert flagged("Big sale on our sales team's cheaper beans") == ["sale", "cheaper"]
