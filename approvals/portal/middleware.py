"""Time limits on client users' portal sessions: an idle timeout and an absolute limit.

Clients sign in from shared and mobile devices, often through a magic link, so a portal session
ends after SIGNOFF_PORTAL_IDLE_MINUTES without a request and SIGNOFF_PORTAL_SESSION_HOURS after
sign-in, whatever the activity. Only /portal/ requests by client users are checked: agency staff's
admin sessions keep Django's own SESSION_COOKIE_AGE.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse
from django_htmx.http import HttpResponseClientRedirect

SIGNED_IN_AT = "portal_signed_in_at"
LAST_SEEN_AT = "portal_last_seen_at"
# Write the last-seen time at most once a minute: otherwise every page view saves the session.
SEEN_PRECISION_SECONDS = 60

# Where one signs in: a stale session there is ended quietly and the page goes on.
SIGN_IN_VIEW_NAMES = {
    "portal:login",
    "portal:magic-link",
    "portal:link-sent",
    "portal:password-reset",
    "portal:password-reset-sent",
    "portal:password-reset-confirm",
    "portal:password-reset-complete",
}


def start_portal_session(request: HttpRequest) -> None:
    """Start both clocks now (at sign-in). The session cookie lasts no longer than the session may:
    the browser forgets it when the absolute limit ends it here."""
    now = int(time.time())
    request.session.set_expiry(settings.SIGNOFF_PORTAL_SESSION_HOURS * 3600)
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN_AT] = now


def why_expired(session) -> str | None:
    """Why this session must end now, in words for the sign-in page; None while it may go on."""
    now = time.time()
    signed_in_at, last_seen_at = session.get(SIGNED_IN_AT), session.get(LAST_SEEN_AT)
    hours, minutes = settings.SIGNOFF_PORTAL_SESSION_HOURS, settings.SIGNOFF_PORTAL_IDLE_MINUTES
    if signed_in_at is not None and now - signed_in_at > hours * 3600:
        return f"For your security you are signed out {hours} hours after signing in. Please sign in again."
    if last_seen_at is not None and now - last_seen_at > minutes * 60:
        return f"You were signed out after {minutes} minutes without activity. Please sign in again."
    return None


class PortalSessionLimitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if _is_client_in_portal(request):
            reason = why_expired(request.session)
            if reason is not None:
                logout(request)
                if not _is_sign_in_page(request):
                    messages.info(request, reason)
                    return _to_sign_in(request)

        response = self.get_response(request)

        # After the view: a sign-in by password has just happened there, and starts the clocks.
        if _is_client_in_portal(request):
            session, now = request.session, int(time.time())
            if SIGNED_IN_AT not in session:
                start_portal_session(request)
            if now - session.get(LAST_SEEN_AT, 0) >= SEEN_PRECISION_SECONDS:
                session[LAST_SEEN_AT] = now
        return response


def _to_sign_in(request: HttpRequest) -> HttpResponse:
    # Back here after signing in, if "here" is a page (a form's POST can't be replayed).
    login_url = reverse("portal:login")
    if request.method == "GET":
        login_url = redirect_to_login(request.get_full_path(), login_url)["Location"]
    if request.headers.get("HX-Request") == "true":
        return HttpResponseClientRedirect(login_url)  # the whole page, not the fragment htmx asked for
    return HttpResponseRedirect(login_url)


def _is_client_in_portal(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return (
        request.path.startswith(reverse("portal:dashboard"))
        and user is not None
        and user.is_authenticated
        and hasattr(user, "client_user")
    )


def _is_sign_in_page(request: HttpRequest) -> bool:
    try:
        return resolve(request.path_info).view_name in SIGN_IN_VIEW_NAMES
    except Resolver404:
        return False
