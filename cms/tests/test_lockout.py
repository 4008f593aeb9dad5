"""One sign-in lockout per username and per address, across every way in: the Wagtail admin's login,
the portal's login, the API's token, and the e-mail requests (the admin's and the portal's password
reset, the portal's new magic link). Each is tried from the wrong side: the failures at one way in
and the right password at every other, unknown usernames beside known ones, another process.
"""

import datetime as dt
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.core.checks import run_checks
from django.core.management import call_command
from django.db import connection
from django.db.models import F
from django.test import Client
from django.urls import reverse
from wagtail.models import APIToken

from approvals.portal.magic_links import create_magic_link
from cms.lockout import client_ip

pytestmark = pytest.mark.django_db

LOCKED = "Too many failed sign-ins. Please try again in 15 minutes."
TOO_MANY_REQUESTS = "Too many attempts. Please try again in 15 minutes."
HERE, ELSEWHERE = "10.0.0.1", "10.0.0.2"


# The ways in ---------------------------------------------------------------------------------------


def at_admin(username, password, ip=HERE, browser=None):
    return (browser or Client()).post(
        reverse("wagtailadmin_login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def at_portal(username, password, ip=HERE, browser=None):
    return (browser or Client()).post(
        reverse("portal:login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def at_api(username, password, ip=HERE, browser=None):
    return (browser or Client()).post(
        reverse("api-token"),
        {"username": username, "password": password},
        content_type="application/json",
        REMOTE_ADDR=ip,
    )


SIGN_INS = {"admin": at_admin, "portal": at_portal, "token": at_api}


def admin_reset(email, ip=HERE):
    return Client().post(reverse("wagtailadmin_password_reset"), {"email": email}, REMOTE_ADDR=ip)


def portal_reset(email, ip=HERE):
    return Client().post(reverse("portal:password-reset"), {"email": email}, REMOTE_ADDR=ip)


def new_link(email, ip=HERE):
    return Client().post(
        reverse("portal:magic-link", args=["an-unknown-token"]), {"email": email}, REMOTE_ADDR=ip
    )


EMAIL_REQUESTS = {"admin reset": admin_reset, "portal reset": portal_reset, "new link": new_link}


def signed_in(response) -> bool:
    if response["Content-Type"].startswith("application/json"):
        return response.status_code == 200 and "token" in response.json()
    return response.status_code == 302


def assert_locked_out(response, message=LOCKED):
    assert response.status_code == 429, response.content[:300]
    assert int(response["Retry-After"]) > 0
    if response["Content-Type"].startswith("application/json"):
        assert response.json() == {"detail": message}
    else:
        assert message in response.text


def assert_request_refused(response):
    assert response.status_code != 302
    assert TOO_MANY_REQUESTS in response.text


def fail(way, username, times, ip=HERE):
    for number in range(times):
        response = SIGN_INS[way](username, f"wrong-{number}", ip=ip)
        assert not signed_in(response)


def backdate_failures(minutes):
    """As if the failures so far had happened `minutes` earlier."""
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - dt.timedelta(minutes=minutes))


# One lockout per username --------------------------------------------------------------------------


@pytest.mark.parametrize("failing_at", SIGN_INS)
@pytest.mark.parametrize("who", ["client_of_a", "lead"])
def test_failures_at_one_way_in_refuse_the_right_password_at_every_way_in(
    request, failing_at, who, client_of_b
):
    user = request.getfixturevalue(who)
    fail(failing_at, user.username, 5)

    for way, sign_in in SIGN_INS.items():
        browser = Client()
        response = sign_in(user.username, "pw", ip=ELSEWHERE, browser=browser)
        assert_locked_out(response)
        assert SESSION_KEY not in browser.session, way
    assert not APIToken.objects.filter(user=user).exists()
    # Nobody else waits: not another user, not the same address.
    assert signed_in(at_portal("client_b", "pw", ip=ELSEWHERE))
    assert signed_in(at_api("client_b", "pw", ip=HERE))


def test_failures_at_different_ways_in_add_up(client_of_a):
    fail("admin", "client_a", 2)
    fail("portal", "client_a", 2, ip=ELSEWHERE)
    fail("token", "client_a", 1, ip="10.0.0.3")

    for sign_in in SIGN_INS.values():
        assert_locked_out(sign_in("client_a", "pw", ip="10.0.0.4"))


def test_the_username_is_counted_whatever_its_case_or_spaces(client_of_a):
    for username in ["client_a", "CLIENT_A", " Client_A", "client_a ", "cLiEnT_a"]:
        at_api(username, "wrong")

    assert_locked_out(at_portal("client_a", "pw", ip=ELSEWHERE))


def test_the_fifth_failure_already_says_when_to_try_again(client_of_a):
    fail("portal", "client_a", 4)

    assert_locked_out(at_portal("client_a", "wrong"))


# One lockout per address ---------------------------------------------------------------------------


@pytest.mark.parametrize("failing_at", SIGN_INS)
def test_one_address_is_locked_out_across_usernames(failing_at, client_of_a):
    for number in range(20):
        SIGN_INS[failing_at](f"guess{number}", "wrong", ip="10.0.0.9")

    for sign_in in SIGN_INS.values():
        assert_locked_out(sign_in("client_a", "pw", ip="10.0.0.9"))
    assert signed_in(at_portal("client_a", "pw", ip="10.0.0.10"))


def test_signing_in_as_yourself_doesnt_forgive_your_addresss_failures(client_of_a, client_of_b):
    for number in range(19):
        at_portal(f"guess{number}", "wrong", ip="10.0.0.9")
    assert signed_in(at_portal("client_b", "pw", ip="10.0.0.9"))

    at_portal("guess19", "wrong", ip="10.0.0.9")

    assert_locked_out(at_portal("client_a", "pw", ip="10.0.0.9"))


# Unknown usernames --------------------------------------------------------------------------------


def answer(response, username):
    """Everything a visitor sees, less what differs by design: the CSRF token and the username
    they typed, echoed back in the form."""
    body = re.sub(r"\b[A-Za-z0-9]{64}\b", "CSRF-TOKEN", response.content.decode())
    return response.status_code, response.get("Retry-After"), body.replace(username, "USERNAME")


@pytest.mark.parametrize("way", SIGN_INS)
def test_unknown_usernames_are_answered_exactly_like_known_ones(way, client_of_a):
    def answers(username, ip):
        return [answer(SIGN_INS[way](username, "wrong", ip=ip), username) for _ in range(7)]

    known, unknown = answers("client_a", "10.0.1.1"), answers("nobody", "10.0.1.2")

    assert known == unknown
    assert [status for status, *_ in known] == [200 if way != "token" else 400] * 4 + [429] * 3


# Success, the cool-off, the message ------------------------------------------------------------------


@pytest.mark.parametrize("way", SIGN_INS)
def test_signing_in_before_the_limit_forgets_the_usernames_failures(way, client_of_a):
    fail(way, "client_a", 4)
    assert signed_in(SIGN_INS[way]("client_a", "pw"))

    fail(way, "client_a", 4)

    assert signed_in(SIGN_INS[way]("client_a", "pw"))


@pytest.mark.parametrize("way", SIGN_INS)
def test_the_lockout_ends_with_the_cool_off(way, client_of_a):
    fail(way, "client_a", 5)

    backdate_failures(minutes=14)
    assert_locked_out(SIGN_INS[way]("client_a", "pw"), LOCKED.replace("15 minutes", "1 minute"))

    backdate_failures(minutes=1)
    assert signed_in(SIGN_INS[way]("client_a", "pw"))


def test_attempts_while_locked_out_dont_prolong_the_wait(client_of_a):
    fail("portal", "client_a", 5)
    backdate_failures(minutes=10)

    for _ in range(3):
        assert_locked_out(at_portal("client_a", "wrong"), LOCKED.replace("15", "5"))

    backdate_failures(minutes=5)
    assert signed_in(at_portal("client_a", "pw"))


def test_the_cool_off_follows_the_setting(client_of_a, settings):
    settings.SIGNOFF_PORTAL_ATTEMPT_WINDOW_MINUTES = 1
    settings.SIGNOFF_PORTAL_MAX_ATTEMPTS = 2
    fail("portal", "client_a", 2)

    assert_locked_out(at_portal("client_a", "pw"), LOCKED.replace("15 minutes", "1 minute"))
    backdate_failures(minutes=1)
    assert signed_in(at_portal("client_a", "pw"))


def test_the_portal_page_says_when_to_try_again(client_of_a):
    fail("portal", "client_a", 5)

    page = at_portal("client_a", "pw")

    assert page.status_code == 429
    assert 890 <= int(page["Retry-After"]) <= 900
    assert re.search(r'<div class="portal-error" role="alert">\s*' + re.escape(LOCKED), page.text)
    assert reverse("portal:password-reset") in page.text  # the way forward is still on the page


def test_the_admin_page_says_when_to_try_again(lead):
    fail("admin", "lead", 5)

    page = at_admin("lead", "pw")

    assert page.status_code == 429
    assert re.search(r'<li class="error">\s*' + re.escape(LOCKED), page.text)


def test_the_api_answers_429_with_a_detail(lead):
    fail("token", "lead", 5)

    response = at_api("lead", "pw")

    assert response.status_code == 429
    assert response.json() == {"detail": LOCKED}
    assert 890 <= int(response["Retry-After"]) <= 900


def test_an_existing_token_or_session_keeps_working_while_its_user_is_locked_out(lead, brand_a):
    token = at_api("lead", "pw").json()["token"]
    session = Client()
    assert signed_in(at_admin("lead", "pw", browser=session))

    fail("token", "lead", 5)

    assert_locked_out(at_api("lead", "pw"))
    api = Client(headers={"Authorization": f"Token {token}"})
    assert [brand["slug"] for brand in api.get("/api/v1/brands/").json()["results"]] == [brand_a.slug]
    assert session.get(reverse("wagtailadmin_home")).status_code == 200


def test_a_magic_link_still_signs_a_locked_out_client_in(client_of_a, brand_a):
    """A link is a secret sent to the client's mailbox, not a guess: it is their way back in."""
    fail("portal", "client_a", 5)
    _link, url = create_magic_link(client_of_a, brand_a)
    browser = Client()

    response = browser.get(urlsplit(url).path, REMOTE_ADDR=HERE)

    assert response.status_code == 302
    assert int(browser.session[SESSION_KEY]) == client_of_a.pk


# E-mail requests -----------------------------------------------------------------------------------


@pytest.mark.parametrize("way", EMAIL_REQUESTS)
def test_email_requests_from_a_locked_out_address_are_refused(way, client_of_a, lead):
    for number in range(20):
        at_api(f"guess{number}", "wrong", ip="10.0.0.9")

    for email in [client_of_a.email, lead.email, "nobody@example.com"]:
        assert_request_refused(EMAIL_REQUESTS[way](email, ip="10.0.0.9"))
    assert mail.outbox == []

    assert EMAIL_REQUESTS[way](client_of_a.email, ip="10.0.0.10").status_code == 302


@pytest.mark.parametrize("way", EMAIL_REQUESTS)
def test_email_requests_for_a_locked_out_account_answer_like_any_other(way, client_of_a):
    fail("portal", "client_a", 5)

    answers = [
        EMAIL_REQUESTS[way](email, ip=ELSEWHERE) for email in [client_of_a.email, "nobody@example.com"]
    ]

    assert {(response.status_code, response["Location"]) for response in answers} == {
        (answers[0].status_code, answers[0]["Location"])
    }
    assert answers[0].status_code == 302
    # The e-mail goes to the account's own mailbox: that person's way back in.
    assert [message.to for message in mail.outbox] == [[client_of_a.email]]


def test_email_requests_dont_count_as_failed_sign_ins(client_of_a):
    for request_email in EMAIL_REQUESTS.values():
        for _ in range(6):
            request_email(client_of_a.email)
            request_email(f"someone{_}@example.com")

    assert signed_in(at_portal("client_a", "pw"))


def test_the_admin_password_reset_is_limited_per_address(lead):
    for _ in range(5):
        assert admin_reset(lead.email, ip=f"10.0.2.{_}").status_code == 302

    refused = admin_reset(lead.email, ip="10.0.2.9")

    assert refused.status_code == 200
    assert TOO_MANY_REQUESTS in refused.text
    assert len(mail.outbox) == 5


def test_the_admin_password_reset_answers_the_same_for_any_address(lead, client_of_a):
    answers = [admin_reset(email) for email in [lead.email, client_of_a.email, "nobody@example.com"]]

    assert {(response.status_code, response["Location"]) for response in answers} == {
        (302, reverse("wagtailadmin_password_reset_done"))
    }


def test_a_password_reset_doesnt_lift_the_lockout(client_of_a):
    fail("portal", "client_a", 5)
    portal_reset(client_of_a.email, ip=ELSEWHERE)
    (message,) = mail.outbox
    (reset_url,) = [link for link in re.findall(r"https?://\S+", message.body) if "/password-reset/" in link]
    browser = Client()
    form = browser.get(urlsplit(reset_url).path, follow=True)
    browser.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a-long-new-passphrase", "new_password2": "a-long-new-passphrase"},
    )

    assert_locked_out(at_portal("client_a", "a-long-new-passphrase", ip=ELSEWHERE))
    backdate_failures(minutes=15)
    assert signed_in(at_portal("client_a", "a-long-new-passphrase", ip=ELSEWHERE))


def test_an_operator_lifts_a_lockout_early(client_of_a, lead):
    fail("portal", "client_a", 5)
    fail("admin", "lead", 5)

    call_command("axes_reset_username", "Client_A", stdout=io.StringIO())

    assert signed_in(at_portal("client_a", "pw"))
    assert_locked_out(at_admin("lead", "pw"))


# The client's address -------------------------------------------------------------------------------


def meta(remote_addr, forwarded=None):
    request = Client().get("/").wsgi_request
    request.META["REMOTE_ADDR"] = remote_addr
    if forwarded is not None:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    return request


def test_without_trusted_proxies_the_address_is_remote_addr(settings):
    settings.SIGNOFF_TRUSTED_PROXIES = 0

    assert client_ip(meta("198.51.100.7", "203.0.113.1")) == "198.51.100.7"


def test_behind_a_proxy_the_address_is_the_one_the_proxy_saw(settings):
    settings.SIGNOFF_TRUSTED_PROXIES = 1
    assert client_ip(meta("10.1.1.1", "forged, 203.0.113.5")) == "203.0.113.5"

    settings.SIGNOFF_TRUSTED_PROXIES = 2
    assert client_ip(meta("10.1.1.1", "forged, 203.0.113.5, 10.1.1.2")) == "203.0.113.5"


def test_a_header_that_isnt_an_address_falls_back_to_remote_addr(settings):
    settings.SIGNOFF_TRUSTED_PROXIES = 1

    assert client_ip(meta("10.1.1.1", "not-an-address")) == "10.1.1.1"
    assert client_ip(meta("10.1.1.1", "")) == "10.1.1.1"
    assert client_ip(meta("10.1.1.1")) == "10.1.1.1"


def test_forged_forwarded_for_headers_dont_walk_around_the_address_lockout(client_of_a, settings):
    settings.SIGNOFF_TRUSTED_PROXIES = 1
    proxy = "10.1.1.1"
    for number in range(20):
        Client().post(
            reverse("portal:login"),
            {"username": f"guess{number}", "password": "wrong"},
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR=f"198.51.100.{number}, 203.0.113.5",
        )

    locked = Client().post(
        reverse("portal:login"),
        {"username": "client_a", "password": "pw"},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.5",
    )
    someone_else = Client().post(
        reverse("portal:login"),
        {"username": "client_a", "password": "pw"},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR="203.0.113.6",
    )

    assert_locked_out(locked)
    assert signed_in(someone_else)


# Wiring and processes ---------------------------------------------------------------------------------


def test_axes_is_wired_in_with_no_warnings():
    assert django_settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert [message.id for message in run_checks() if message.id.startswith("axes.")] == []


def database_url() -> str:
    """The test database, for another process."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


ANOTHER_PROCESS = """
import django, json
django.setup()
from django.test import Client
response = Client().post(
    "/api/v1/auth/token/", {"username": "client_a", "password": "pw"},
    content_type="application/json", REMOTE_ADDR="10.0.0.2",
)
print(json.dumps({"status": response.status_code, "body": response.json()}))
"""


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_lockout_is_shared_with_other_processes(client_of_a):
    """Another web process (its own memory, its own cache) refuses the locked-out username too:
    the lockout is kept in the database."""
    fail("portal", "client_a", 5)

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "DATABASE_URL": database_url(),
        "ALLOWED_HOSTS": "testserver",
        "REDIS_URL": "",
    }
    result = subprocess.run(
        [sys.executable, "-c", ANOTHER_PROCESS],
        cwd=Path(django_settings.BASE_DIR),
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )

    assert json.loads(result.stdout.strip().splitlines()[-1]) == {"status": 429, "body": {"detail": LOCKED}}
