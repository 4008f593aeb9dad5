"""Secure defaults: a Content-Security-Policy on every kind of page (cms/csp.py), portal session
cookies that last no longer than portal sessions, and a production configuration that passes
Django's deployment check."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in policy.split(";") if part.strip())}


def test_the_portal_runs_no_inline_script(client):
    policy = directives(client.get(reverse("portal:login")))

    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'self'"] and policy["form-action"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["style-src-elem"]


def test_a_clients_post_page_and_its_mockups_run_no_inline_script(login, client_of_a, brand_a):
    from cms.posts.factories import PostFactory

    post = PostFactory(brand=brand_a)
    signed_in = login(client_of_a)

    for url in [reverse("portal:dashboard"), reverse("portal:post-detail", args=[post.pk])]:
        response = signed_in.get(url)
        if response.status_code == 200:
            assert directives(response)["script-src"] == ["'self'"], url


def test_the_admin_allows_inline_script_only_because_wagtails_widgets_need_it(login, creative):
    policy = directives(login(creative).get(reverse("wagtailadmin_home")))

    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'self'"]
    assert policy["connect-src"] == ["'self'"]


def test_api_answers_carry_the_strict_policy_too(api, creative):
    response = api(creative).get("/api/v1/posts/")

    assert directives(response)["script-src"] == ["'self'"]


PORTAL_TEMPLATES = [
    *ROOT.joinpath("templates", "portal").rglob("*.html"),
    *ROOT.joinpath("templates", "previews").rglob("*.html"),
]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I)


@pytest.mark.parametrize("template", PORTAL_TEMPLATES, ids=lambda path: str(path.relative_to(ROOT)))
def test_no_portal_or_preview_template_has_inline_script_or_handlers(template):
    """The policy would block them in the browser: the page would silently lose behaviour."""
    text = template.read_text()

    assert not INLINE_SCRIPT.search(text)
    assert not EVENT_HANDLER.search(text)


def test_a_portal_session_cookie_ends_when_the_portal_session_does(client, client_of_a):
    response = client.post(reverse("portal:login"), {"username": client_of_a.username, "password": "pw"})

    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert int(cookie["max-age"]) == settings.SIGNOFF_PORTAL_SESSION_HOURS * 3600


def test_production_settings_pass_the_deployment_check():
    env = {
        **{name: value for name, value in os.environ.items() if name != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "SECRET_KEY": "x" * 30 + "-a-long-random-production-key-for-the-check",
        "ALLOWED_HOSTS": "signoff.example",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
