"""Getting into the portal: magic links (use, problems, new ones, revoking), password reset, session
limits, rate limits and CSRF — each from the allowed side and from the wrong side.

E-mails go to the locmem outbox; background tasks run at once (the immediate backend).
"""

import datetime as dt
import re
import time
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from approvals.models import ApprovalPolicy
from approvals.portal.digest import send_due_digests
from approvals.portal.magic_links import (
    SESSION_BRAND_KEY,
    LinkProblem,
    NotAClientOfBrand,
    create_magic_link,
    resolve,
    revoke,
)
from approvals.portal.middleware import LAST_SEEN_AT, SIGNED_IN_AT
from approvals.portal.models import MagicLink
from approvals.tests.helpers import decide, submit
from brands.factories import BrandFactory, UserFactory, client_user
from brands.models import ClientUser
from cms.posts.factories import PostFactory, publish_directly

pytestmark = pytest.mark.django_db

BASE_URL = "https://signoff.example"


@pytest.fixture(autouse=True)
def base_url(settings):
    settings.WAGTAILADMIN_BASE_URL = BASE_URL


def scheduled(brand, title="Acme autumn launch"):
    post = PostFactory(
        brand=brand,
        title=title,
        caption=f"{title}\nSee you there.",
        go_live_at=timezone.now() + dt.timedelta(days=2),
    )
    publish_directly(post)
    return post


@pytest.fixture
def post_a(brand_a):
    return scheduled(brand_a)


@pytest.fixture
def post_b(brand_b):
    return scheduled(brand_b, "Borealis trail day")


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def links_in(text: str) -> list[str]:
    return re.findall(r"https?://[^\s\"<>]+", text)


def signed_in_user_id(client) -> int | None:
    value = client.session.get(SESSION_KEY)
    return int(value) if value is not None else None


def link_for(user, brand, **kwargs) -> tuple[MagicLink, str]:
    link, url = create_magic_link(user, brand, **kwargs)
    assert url.startswith(BASE_URL)
    return link, path_of(url)


# Following a magic link ---------------------------------------------------------------------------


def test_a_magic_link_signs_the_client_in_and_lands_on_the_post(client, client_of_a, brand_a, post_a):
    post_page = reverse("portal:post-detail", args=[post_a.pk])
    link, url = link_for(client_of_a, brand_a, next_path=post_page)

    response = client.get(url, follow=True)

    assert response.redirect_chain == [(post_page, 302)]
    assert response.status_code == 200
    assert "Acme autumn launch" in response.text
    assert signed_in_user_id(client) == client_of_a.pk
    assert client.session[SESSION_BRAND_KEY] == brand_a.pk
    link.refresh_from_db()
    assert link.last_used_at is not None


def test_a_magic_link_works_again_until_it_expires(client_of_a, brand_a):
    _link, url = link_for(client_of_a, brand_a)

    for _ in range(2):
        browser = Client()
        response = browser.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("portal:dashboard")
        assert signed_in_user_id(browser) == client_of_a.pk


def test_only_the_hash_of_the_token_is_stored(client_of_a, brand_a):
    link, url = link_for(client_of_a, brand_a)
    token = url.rstrip("/").rsplit("/", 1)[-1]

    assert len(token) >= 40
    assert token not in link.token_hash
    assert not MagicLink.objects.filter(token_hash=token).exists()


def test_a_tampered_link_shows_a_friendly_page_offering_a_new_one(client, client_of_a, brand_a):
    _link, url = link_for(client_of_a, brand_a)
    tampered = url[:-3] + ("A" if url[-3] != "A" else "B") + url[-2:]

    response = client.get(tampered)

    assert response.status_code == 410
    assert "This sign-in link doesn’t work" in response.text
    assert "Send me a new link" in response.text
    assert signed_in_user_id(client) is None


def test_an_expired_link_no_longer_signs_in(client, client_of_a, brand_a):
    link, url = link_for(client_of_a, brand_a)
    MagicLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))

    response = client.get(url)

    assert response.status_code == 410
    assert "This sign-in link has expired" in response.text
    assert signed_in_user_id(client) is None


def test_links_last_seven_days_unless_configured(client_of_a, brand_a, settings):
    link, _url = link_for(client_of_a, brand_a)
    assert link.expires_at - link.created_at == pytest.approx(
        dt.timedelta(days=7), abs=dt.timedelta(seconds=5)
    )

    settings.SIGNOFF_MAGIC_LINK_DAYS = 2
    link, _url = link_for(client_of_a, brand_a)
    assert link.expires_at - link.created_at == pytest.approx(
        dt.timedelta(days=2), abs=dt.timedelta(seconds=5)
    )


def test_a_deactivated_client_user_cant_use_their_link(client, client_of_a, brand_a):
    _link, url = link_for(client_of_a, brand_a)
    client_of_a.is_active = False
    client_of_a.save()

    response = client.get(url)

    assert response.status_code == 410
    assert "This sign-in link no longer works" in response.text
    assert signed_in_user_id(client) is None


def test_a_user_removed_from_the_client_cant_use_their_link(client, client_of_a, brand_a):
    _link, url = link_for(client_of_a, brand_a)
    ClientUser.objects.filter(user=client_of_a).delete()

    assert client.get(url).status_code == 410
    assert signed_in_user_id(client) is None


def test_links_are_only_made_for_client_users_of_the_brands_client(client_of_a, client_of_b, lead, brand_a):
    with pytest.raises(NotAClientOfBrand):
        create_magic_link(client_of_b, brand_a)
    with pytest.raises(NotAClientOfBrand):
        create_magic_link(lead, brand_a)  # agency staff never get one
    assert not MagicLink.objects.exists()


def test_a_link_to_brand_a_opens_nothing_of_another_client(client, client_of_a, brand_a, post_a, post_b):
    _link, url = link_for(client_of_a, brand_a, next_path=reverse("portal:post-detail", args=[post_b.pk]))

    response = client.get(url, follow=True)

    assert response.status_code == 404  # it lands where asked, and that post is not theirs
    assert client.session[SESSION_BRAND_KEY] == brand_a.pk
    assert client.get(reverse("portal:post-detail", args=[post_a.pk])).status_code == 200


def test_the_session_opens_on_the_links_brand(client, client_a, client_of_a, brand_a):
    second = BrandFactory(client=client_a, name="Acme Tea", slug="acme-tea")
    _link, url = link_for(client_of_a, second)

    client.get(url)

    assert client.session[SESSION_BRAND_KEY] == second.pk


@pytest.mark.parametrize(
    "next_path",
    [
        "https://evil.example/portal/",
        "//evil.example/portal/",
        "/\\evil.example/portal/",
        "/admin/",
        "/portal/../admin/",
        "/portal/%2e%2e/admin/",
        "javascript:alert(1)",
    ],
)
def test_a_next_outside_the_portal_is_ignored(client, client_of_a, brand_a, next_path):
    _link, url = link_for(client_of_a, brand_a)

    response = client.get(url, {"next": next_path})

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:dashboard")
    assert signed_in_user_id(client) == client_of_a.pk


def test_a_next_inside_the_portal_is_kept_in_the_links_url(client_of_a, brand_a, post_a):
    post_page = reverse("portal:post-detail", args=[post_a.pk])

    _link, url = link_for(client_of_a, brand_a, next_path=post_page)
    _link, offsite = link_for(client_of_a, brand_a, next_path="https://evil.example/")

    assert url.endswith(f"?next={post_page.replace('/', '%2F')}")
    assert "?" not in offsite


# Asking for a new link ----------------------------------------------------------------------------


def expired_link(user, brand, **kwargs) -> str:
    link, url = link_for(user, brand, **kwargs)
    MagicLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - dt.timedelta(days=1))
    return url


def test_an_expired_link_sends_a_fresh_one_to_its_client_user(client, client_of_a, brand_a, post_a):
    post_page = reverse("portal:post-detail", args=[post_a.pk])
    url = expired_link(client_of_a, brand_a, next_path=post_page)

    response = client.post(url.split("?")[0], {"email": client_of_a.email.upper(), "next": post_page})

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:link-sent")
    assert [message.to for message in mail.outbox] == [[client_of_a.email]]
    (fresh,) = [link for link in links_in(mail.outbox[0].body) if "/portal/link/" in link]
    browser = Client()
    landed = browser.get(path_of(fresh), follow=True)
    assert landed.redirect_chain == [(post_page, 302)]
    assert signed_in_user_id(browser) == client_of_a.pk
    assert browser.session[SESSION_BRAND_KEY] == brand_a.pk


def test_a_new_link_goes_to_nobody_outside_the_links_client_with_the_same_answer(
    client, client_of_a, client_of_b, lead, brand_a
):
    url = expired_link(client_of_a, brand_a)
    answers = [
        client.post(url, {"email": email})
        for email in [client_of_b.email, lead.email, "nobody@example.com", client_of_a.email]
    ]

    assert {(answer.status_code, answer["Location"]) for answer in answers} == {
        (302, reverse("portal:link-sent"))
    }
    assert [message.to for message in mail.outbox] == [[client_of_a.email]]


def test_a_deactivated_client_user_gets_no_new_link(client, client_of_a, brand_a):
    url = expired_link(client_of_a, brand_a)
    client_of_a.is_active = False
    client_of_a.save()

    response = client.post(url, {"email": client_of_a.email})

    assert response["Location"] == reverse("portal:link-sent")
    assert mail.outbox == []


def test_an_unknown_link_sends_a_link_for_each_of_their_brands(client, client_a, client_of_a, brand_a):
    BrandFactory(client=client_a, name="Acme Tea", slug="acme-tea")
    url = reverse("portal:magic-link", args=["not-a-real-token"])

    assert client.get(url).status_code == 410
    response = client.post(url, {"email": client_of_a.email})

    assert response["Location"] == reverse("portal:link-sent")
    (message,) = mail.outbox
    assert message.to == [client_of_a.email]
    assert len([link for link in links_in(message.body) if "/portal/link/" in link]) == 2
    assert set(MagicLink.objects.values_list("brand__name", flat=True)) == {"Acme Coffee", "Acme Tea"}


def test_the_sent_page_says_the_same_for_everyone(client):
    response = client.get(reverse("portal:link-sent"))

    assert response.status_code == 200
    assert "If that address belongs to someone who may use this portal" in response.text


def test_asking_for_new_links_is_rate_limited(client, client_of_a, brand_a):
    url = expired_link(client_of_a, brand_a)
    for _ in range(5):
        assert client.post(url, {"email": client_of_a.email}).status_code == 302

    refused = client.post(url, {"email": client_of_a.email})

    assert refused.status_code == 410
    assert "Too many attempts. Please try again in 15 minutes." in refused.text
    assert len(mail.outbox) == 5


# Revoking -----------------------------------------------------------------------------------------


def revoke_url(link) -> str:
    return reverse("portal_magic_links:revoke", args=[link.pk])


def test_a_lead_of_the_brand_revokes_a_link_after_confirming_and_it_stops_at_once(
    login, lead, client_of_a, brand_a
):
    link, url = link_for(client_of_a, brand_a)
    admin = login(lead)

    confirm = admin.get(revoke_url(link))
    assert confirm.status_code == 200
    assert "Revoke the magic link for" in confirm.text
    assert MagicLink.objects.get(pk=link.pk).revoked_at is None  # asking changes nothing

    revoked = admin.post(revoke_url(link), follow=True)

    assert revoked.status_code == 200
    assert "no longer works" in revoked.text
    link.refresh_from_db()
    assert link.revoked_at is not None and link.revoked_by == lead
    browser = Client()
    gone = browser.get(url)
    assert gone.status_code == 410
    assert "turned off" in gone.text
    assert signed_in_user_id(browser) is None


def test_an_admin_revokes_any_brands_link(login, admin_user, client_of_b, brand_b):
    link, url = link_for(client_of_b, brand_b)

    assert login(admin_user).post(revoke_url(link)).status_code == 302
    token = url.rstrip("/").rsplit("/", 1)[-1]
    assert resolve(token).problem == LinkProblem.REVOKED


@pytest.mark.parametrize("who", ["lead_b", "reviewer", "creative"])
def test_others_cant_see_or_revoke_a_brands_links(request, who, client_of_a, brand_a):
    link, url = link_for(client_of_a, brand_a)
    admin = Client()
    admin.force_login(request.getfixturevalue(who))

    assert admin.get(revoke_url(link)).status_code == 404
    assert admin.post(revoke_url(link)).status_code == 404
    assert MagicLink.objects.get(pk=link.pk).revoked_at is None
    assert Client().get(url).status_code == 302  # still works


def test_a_client_cant_revoke_links(login, client_of_a, brand_a):
    link, _url = link_for(client_of_a, brand_a)

    response = login(client_of_a).post(revoke_url(link))

    assert response.status_code in (302, 403)  # the admin turns clients away
    assert MagicLink.objects.get(pk=link.pk).revoked_at is None


def test_revoke_refuses_anyone_but_the_brands_leads_and_admins(client_of_a, brand_a, lead_b, reviewer):
    link, _url = link_for(client_of_a, brand_a)

    for user in (lead_b, reviewer, client_of_a):
        with pytest.raises(PermissionDenied):
            revoke(link, by=user)
    assert MagicLink.objects.get(pk=link.pk).revoked_at is None


# The admin's list and the "new link" form ---------------------------------------------------------


def statuses_in(page: str) -> list[str]:
    """The status tags of the links listed."""
    return re.findall(r'class="w-status[^"]*">\s*(\w+)\s*</span>', page)


def test_a_lead_sees_only_their_brands_links_and_revokes_the_working_ones(
    login, lead, client_of_a, client_of_b, brand_a, brand_b
):
    active_a, _url = link_for(client_of_a, brand_a)
    expired_link(client_of_a, brand_a)
    revoked_a, _url = link_for(client_of_a, brand_a)
    revoke(revoked_a, by=lead)
    link_for(client_of_b, brand_b)
    admin = login(lead)

    page = admin.get(reverse("portal_magic_links:index"))

    assert page.status_code == 200
    assert re.findall(r"/admin/magic-links/(\d+)/revoke/", page.text) == [str(active_a.pk)]
    assert sorted(statuses_in(page.text)) == ["Expired", "Revoked", "Working"]
    assert client_of_b.email not in page.text
    assert admin.get(reverse("portal_magic_links:index"), {"brand": brand_b.pk}).status_code == 404


def test_each_link_shows_its_user_brand_dates_and_uses_grouped_by_user(
    login, lead, client_a, client_of_a, brand_a, settings
):
    settings.TIME_ZONE = "UTC"
    other = UserFactory(username="client_a2", first_name="Ada", last_name="Other")
    client_user(other, client_a)
    link, url = link_for(client_of_a, brand_a)
    link_for(client_of_a, brand_a)
    link_for(other, brand_a)
    for _ in range(3):
        Client().get(url)
    MagicLink.objects.filter(pk=link.pk).update(
        created_at=dt.datetime(2030, 5, 1, 9, 0, tzinfo=dt.UTC),
        last_used_at=dt.datetime(2030, 5, 2, 10, 30, tzinfo=dt.UTC),
        expires_at=dt.datetime(2030, 5, 8, 9, 0, tzinfo=dt.UTC),
    )

    page = login(lead).get(reverse("portal_magic_links:index")).text

    headings = [
        re.sub(r"\s+", " ", heading).strip() for heading in re.findall(r"<th[^>]*>(.*?)</th>", page, re.S)
    ]
    for heading in ("Client user", "Brand", "Created", "Last used", "Uses", "Expires", "Status"):
        assert any(heading in text for text in headings), heading
    for when in ("1 May 2030, 09:00", "2 May 2030, 10:30", "8 May 2030, 09:00"):
        assert when in page
    assert re.findall(r"<td[^>]*>\s*(\d+)\s*</td>", page) == ["3", "0", "0"]  # uses, grouped by user
    # Grouped: each user named once, above their links, in order of username.
    assert page.count(client_of_a.email) == 1 and page.count(other.email) == 1
    assert page.index(client_of_a.email) < page.index(other.email)


def test_the_list_filters_by_client_user_and_status_within_the_leads_brands(
    login, lead, client_a, client_of_a, client_of_b, brand_a, brand_b
):
    other = UserFactory(username="client_a2")
    client_user(other, client_a)
    link_for(client_of_a, brand_a)
    expired_link(client_of_a, brand_a)
    link_for(other, brand_a)
    link_for(client_of_b, brand_b)
    admin = login(lead)
    index = reverse("portal_magic_links:index")

    mine = admin.get(index, {"user": client_of_a.pk}).text
    assert client_of_a.email in mine and other.email not in mine
    working = admin.get(index, {"user": client_of_a.pk, "status": "working"}).text
    assert working.count("/revoke/") == 1 and statuses_in(working) == ["Working"]
    # Another client's user is no choice here: nothing of theirs shows, however asked.
    for url in (index, reverse("portal_magic_links:results")):
        foreign = admin.get(url, {"user": client_of_b.pk}).text
        assert client_of_b.email not in foreign and client_of_b.username not in foreign


def test_the_list_costs_the_same_queries_for_1_or_50_links(login, lead, client_of_a, brand_a):
    admin = login(lead)
    link_for(client_of_a, brand_a)
    admin.get(reverse("portal_magic_links:index"))  # warm Wagtail's per-process caches
    with CaptureQueriesContext(connection) as one:
        admin.get(reverse("portal_magic_links:index"))
    for _ in range(49):
        link_for(client_of_a, brand_a)

    with CaptureQueriesContext(connection) as fifty:
        page = admin.get(reverse("portal_magic_links:index"))

    assert page.text.count("/revoke/") == 50
    assert len(fifty) == len(one)


def test_the_brands_listing_links_a_leads_brands_to_their_magic_links(client, lead, reviewer, brand_a):
    magic_links = f"{reverse('portal_magic_links:index')}?brand={brand_a.pk}"

    client.force_login(lead)
    assert magic_links in client.get(reverse("wagtailsnippets_brands_brand:list")).text
    client.force_login(reviewer)
    assert magic_links not in client.get(reverse("wagtailsnippets_brands_brand:list")).text


def test_reviewers_and_creatives_have_no_magic_links_page(client, reviewer, creative):
    for user in (reviewer, creative):
        client.force_login(user)
        # Wagtail answers PermissionDenied with a redirect to the dashboard and a message.
        for url in (reverse("portal_magic_links:index"), reverse("portal_magic_links:create")):
            response = client.get(url)
            assert (response.status_code, response["Location"]) == (302, reverse("wagtailadmin_home"))


def test_a_lead_creates_a_link_and_sees_its_url_once(login, lead, client_of_a, brand_a):
    admin = login(lead)

    response = admin.post(
        reverse("portal_magic_links:create"), {"brand": brand_a.pk, "user": client_of_a.pk, "days": 3}
    )

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    (url,) = [link for link in links_in(response.text) if "/portal/link/" in link]
    link = MagicLink.objects.get()
    assert (link.user, link.brand) == (client_of_a, brand_a)
    assert link.expires_at - link.created_at == pytest.approx(
        dt.timedelta(days=3), abs=dt.timedelta(seconds=5)
    )
    assert url not in admin.get(reverse("portal_magic_links:index")).text
    browser = Client()
    browser.get(path_of(url))
    assert signed_in_user_id(browser) == client_of_a.pk


def test_a_lead_cant_make_links_for_another_clients_user_or_brand(login, lead, client_of_b, brand_a, brand_b):
    admin = login(lead)

    wrong_user = admin.post(
        reverse("portal_magic_links:create"), {"brand": brand_a.pk, "user": client_of_b.pk, "days": 3}
    )
    wrong_brand = admin.post(
        reverse("portal_magic_links:create"), {"brand": brand_b.pk, "user": client_of_b.pk, "days": 3}
    )

    assert wrong_user.status_code == wrong_brand.status_code == 200
    assert "Select a valid choice" in wrong_user.text
    assert "Select a valid choice" in wrong_brand.text
    assert not MagicLink.objects.exists()


# The review e-mail to clients ---------------------------------------------------------------------


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_the_client_review_email_carries_a_magic_link_to_the_post(
    api, creative, reviewer, client_of_a, client_of_b, brand_a, committed
):
    ApprovalPolicy.objects.filter(brand=brand_a).update(client_approval_required=True)
    post = PostFactory(
        brand=brand_a,
        created_by=creative,
        title="Autumn blend launch",
        caption="Autumn blend launch\nOut now.",
    )
    post.save_revision(user=creative)
    assert submit(api, creative, post).status_code == 200
    mail.outbox.clear()

    with committed():
        assert decide(api, reviewer, post).status_code == 200
    send_due_digests(now=timezone.now() + dt.timedelta(minutes=15))  # the client's digest

    (message,) = mail.outbox
    assert message.to == [client_of_a.email]
    (button,) = [
        link for link in links_in(message.body) if "/portal/link/" in link and f"posts%2F{post.pk}%2F" in link
    ]
    assert button in message.alternatives[0][0].replace("&amp;", "&")
    browser = Client()
    landed = browser.get(path_of(button))
    # One click: signed in, on the post page, where Approve is the second.
    assert landed.status_code == 302
    assert landed["Location"] == reverse("portal:post-detail", args=[post.pk])
    assert signed_in_user_id(browser) == client_of_a.pk
    assert browser.session[SESSION_BRAND_KEY] == brand_a.pk
    post_page = browser.get(landed["Location"])
    assert post_page.status_code == 200
    assert "Autumn blend launch" in post_page.text
    assert reverse("portal:post-approve", args=[post.pk]) in post_page.text  # the second click


# Password reset -----------------------------------------------------------------------------------


def test_a_client_resets_their_password_by_email(client, client_of_a):
    response = client.post(reverse("portal:password-reset"), {"email": client_of_a.email})

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:password-reset-sent")
    (message,) = mail.outbox
    assert message.to == [client_of_a.email]
    (reset_url,) = [link for link in links_in(message.body) if "/portal/password-reset/" in link]
    form = client.get(path_of(reset_url), follow=True)
    assert "Choose a new password" in form.text
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a-long-new-passphrase", "new_password2": "a-long-new-passphrase"},
        follow=True,
    )
    assert done.redirect_chain[-1][0] == reverse("portal:password-reset-complete")
    assert "Your password is set" in done.text

    signed_in = Client().post(
        reverse("portal:login"), {"username": "client_a", "password": "a-long-new-passphrase"}
    )
    assert signed_in.status_code == 302


def test_no_reset_email_for_agency_staff_or_unknown_addresses_with_the_same_answer(client, lead, admin_user):
    answers = [
        client.post(reverse("portal:password-reset"), {"email": email})
        for email in [lead.email, admin_user.email, "nobody@example.com"]
    ]

    assert {(answer.status_code, answer["Location"]) for answer in answers} == {
        (302, reverse("portal:password-reset-sent"))
    }
    assert mail.outbox == []


def test_a_staff_members_reset_token_doesnt_work_in_the_portal(client, lead):
    uid = urlsafe_base64_encode(force_bytes(lead.pk))
    url = reverse("portal:password-reset-confirm", args=[uid, default_token_generator.make_token(lead)])

    assert "This link doesn’t work" in client.get(url, follow=True).text


def test_asking_for_password_resets_is_rate_limited(client, client_of_a):
    for _ in range(5):
        client.post(reverse("portal:password-reset"), {"email": client_of_a.email})

    refused = client.post(reverse("portal:password-reset"), {"email": client_of_a.email})

    assert refused.status_code == 200
    assert "Too many attempts. Please try again in 15 minutes." in refused.text
    assert len(mail.outbox) == 5


def test_the_login_page_links_to_password_reset(client):
    assert reverse("portal:password-reset") in client.get(reverse("portal:login")).text


# Session limits -----------------------------------------------------------------------------------


def age_session(client, **seconds_ago):
    session = client.session
    for key, ago in seconds_ago.items():
        session[key] = int(time.time()) - ago
    session.save()


def test_a_client_signed_in_by_password_gets_both_clocks_started(client, client_of_a):
    client.post(reverse("portal:login"), {"username": "client_a", "password": "pw"})

    assert client.session[SIGNED_IN_AT] == pytest.approx(time.time(), abs=5)
    assert client.session[LAST_SEEN_AT] == pytest.approx(time.time(), abs=5)


def test_an_idle_portal_session_ends_with_a_message(client, client_of_a, brand_a):
    _link, url = link_for(client_of_a, brand_a)
    client.get(url)
    age_session(client, **{LAST_SEEN_AT: 61 * 60})

    response = client.get(reverse("portal:dashboard"), follow=True)

    assert response.redirect_chain[0] == (
        f"{reverse('portal:login')}?next={reverse('portal:dashboard')}",
        302,
    )
    assert "You were signed out after 60 minutes without activity" in response.text
    assert signed_in_user_id(client) is None


def test_an_htmx_request_in_a_timed_out_session_reloads_the_sign_in_page(client, client_of_a, brand_a):
    _link, url = link_for(client_of_a, brand_a)
    client.get(url)
    age_session(client, **{LAST_SEEN_AT: 61 * 60})

    response = client.get(reverse("portal:dashboard"), headers={"HX-Request": "true"})

    assert response["HX-Redirect"] == f"{reverse('portal:login')}?next={reverse('portal:dashboard')}"
    assert signed_in_user_id(client) is None


def test_a_portal_session_ends_after_its_absolute_limit_despite_activity(client, client_of_a, brand_a):
    _link, url = link_for(client_of_a, brand_a)
    client.get(url)
    age_session(client, **{SIGNED_IN_AT: 12 * 3600 + 60, LAST_SEEN_AT: 30})

    response = client.get(reverse("portal:dashboard"), follow=True)

    assert "signed out 12 hours after signing in" in response.text
    assert signed_in_user_id(client) is None


def test_an_active_portal_session_goes_on(client, client_of_a, brand_a, settings):
    settings.SIGNOFF_PORTAL_IDLE_MINUTES = 5
    _link, url = link_for(client_of_a, brand_a)
    client.get(url)
    age_session(client, **{SIGNED_IN_AT: 11 * 3600, LAST_SEEN_AT: 4 * 60})

    assert client.get(reverse("portal:dashboard")).status_code == 200
    assert signed_in_user_id(client) == client_of_a.pk
    assert client.session[LAST_SEEN_AT] == pytest.approx(time.time(), abs=5)  # the idle clock restarts


def test_following_a_magic_link_after_timing_out_signs_in_afresh(client, client_of_a, brand_a):
    _link, url = link_for(client_of_a, brand_a)
    client.get(url)
    age_session(client, **{LAST_SEEN_AT: 2 * 3600})

    response = client.get(url)

    assert response["Location"] == reverse("portal:dashboard")
    assert signed_in_user_id(client) == client_of_a.pk


def test_agency_admin_sessions_are_not_limited(login, lead):
    admin = login(lead)
    age_session(admin, **{SIGNED_IN_AT: 48 * 3600, LAST_SEEN_AT: 24 * 3600})

    assert admin.get(reverse("wagtailadmin_home")).status_code == 200
    assert admin.get(reverse("portal:login")).status_code in (200, 302)
    assert signed_in_user_id(admin) == lead.pk


# Sign-in lockouts: cms/tests/test_lockout.py, with every other way in.


# CSRF ---------------------------------------------------------------------------------------------


def test_every_access_form_needs_its_csrf_token(client_of_a, brand_a):
    browser = Client(enforce_csrf_checks=True)
    _link, url = link_for(client_of_a, brand_a)

    for path, data in [
        (reverse("portal:login"), {"username": "client_a", "password": "pw"}),
        (reverse("portal:password-reset"), {"email": client_of_a.email}),
        (url, {"email": client_of_a.email}),
    ]:
        assert browser.post(path, data).status_code == 403
    assert mail.outbox == []
    assert signed_in_user_id(browser) is None


def test_the_new_link_form_carries_a_csrf_token(client):
    page = Client(enforce_csrf_checks=True).get(reverse("portal:magic-link", args=["unknown-token"]))

    assert 'name="csrfmiddlewaretoken"' in page.text


def test_a_client_user_sharing_an_address_with_staff_gets_the_only_reset_email(client, client_a, lead):
    shared = UserFactory(username="shared_client", email=lead.email)
    client_user(shared, client_a)

    client.post(reverse("portal:password-reset"), {"email": lead.email})

    (message,) = mail.outbox
    (reset_url,) = [link for link in links_in(message.body) if "/portal/password-reset/" in link]
    uid = path_of(reset_url).split("/")[3]
    assert uid == urlsafe_base64_encode(force_bytes(shared.pk))
