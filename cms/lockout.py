"""Limits on getting in: one sign-in lockout per username and per address across every way in, and
a limit on the e-mails that let people back in.

Sign-ins are django-axes'. Its backend, first in AUTHENTICATION_BACKENDS, refuses a locked-out
username or address inside authenticate(), so every way in that signs in with a password is covered
by the same count: the Wagtail admin's login, the portal's, the API's token. Its signal handlers
count each failure and, on a sign-in, forget that username's failures; its middleware hands the
refused request to `lockout_response`. The counts are rows in the database (axes' database
handler), so every web process shares them with no extra setup and a restart forgets nothing.
This module gives axes what Signoff needs: the visitor's address behind reverse proxies
(`client_ip`), the username as counted (`username_of`), a limit per username and a higher one per
address (`SignInLockouts`), and a refusal that says when to try again (`lockout_response`,
`LockoutMessage`).

E-mail requests (a password reset, a new magic link) are not sign-ins: they don't count towards the
lockout, or anyone could lock a client out by asking for their reset e-mail. They are refused from
a locked-out address, and otherwise limited per address typed and per IP (`EmailRequests`, in the
cache: short-lived counts where an eviction only forgives a few e-mails).
"""

import hashlib
import ipaddress
import math
import time
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username, get_cool_off, get_credentials, get_failure_limit
from axes.models import AccessAttempt
from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import ngettext
from rest_framework.response import Response as ApiResponse

# The settings that hold each lockout parameter's limit (AXES_LOCKOUT_PARAMETERS).
LIMIT_SETTINGS = {
    "username": "SIGNOFF_PORTAL_MAX_ATTEMPTS",
    "ip_address": "SIGNOFF_PORTAL_MAX_ATTEMPTS_PER_IP",
}


def client_ip(request: HttpRequest) -> str | None:
    """The visitor's address (AXES_CLIENT_IP_CALLABLE): REMOTE_ADDR, or the entry the nearest of
    SIGNOFF_TRUSTED_PROXIES trusted proxies added to X-Forwarded-For (entries further left are
    whatever the visitor sent, so never trusted). Anything that isn't an address, e.g. with the
    proxy count set too high, falls back to REMOTE_ADDR."""
    proxies = settings.SIGNOFF_TRUSTED_PROXIES
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if proxies and len(forwarded) >= proxies and _is_address(forwarded[-proxies]):
        return forwarded[-proxies]
    remote = request.META.get("REMOTE_ADDR", "")
    return remote if _is_address(remote) else None


def _is_address(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def username_of(request: HttpRequest, credentials: dict | None) -> str | None:
    """The username as counted (AXES_USERNAME_CALLABLE): as the forms clean it (NFKC, no surrounding
    spaces) and without case, so "Client " counts towards "client"; cut to the column's length."""
    if credentials is not None:
        username = credentials.get("username")
    else:
        username = getattr(request, "data", request.POST).get("username")
    if username is None:
        return None
    return unicodedata.normalize("NFKC", str(username)).replace("\x00", "").strip().casefold()[:255]


def failure_limit(request: HttpRequest, credentials: dict | None = None) -> int:
    """AXES_FAILURE_LIMIT: the per-username limit, read when used (tests and operators change it)."""
    return settings.SIGNOFF_PORTAL_MAX_ATTEMPTS


def cool_off(request: HttpRequest | None = None) -> timedelta:
    """AXES_COOLOFF_TIME: how long a lockout lasts, from the failure that reached the limit."""
    return timedelta(minutes=settings.SIGNOFF_PORTAL_ATTEMPT_WINDOW_MINUTES)


@dataclass(frozen=True)
class Count:
    """The failures of one username or one address within the cool-off, against its limit."""

    failures: int
    limit: int
    locked_until: datetime | None  # when enough of them are older than the cool-off; None: not locked


class SignInLockouts(AxesDatabaseHandler):
    """axes' database handler, with a limit of its own per lockout parameter: a username waits after
    SIGNOFF_PORTAL_MAX_ATTEMPTS failures, an address (an office shares one) after the higher
    SIGNOFF_PORTAL_MAX_ATTEMPTS_PER_IP, whatever usernames were tried from it."""

    def counts(self, request: HttpRequest, credentials: dict | None = None, *, only: str | None = None):
        """{parameter: Count} for this request's username and address (or `only` one of them)."""
        cool_off_time = get_cool_off(request)
        parameters = settings.AXES_LOCKOUT_PARAMETERS
        counts = {}
        for parameter, attempts in zip(parameters, self.get_user_attempts(request, credentials), strict=True):
            if only is not None and parameter != only:
                continue
            limit = getattr(settings, LIMIT_SETTINGS[parameter])
            failures, locked_until = 0, None
            # Newest first: once the newer rows alone reach the limit, the lockout lasts until the
            # row that reached it is older than the cool-off.
            for row_failures, at in attempts.order_by("-attempt_time").values_list(
                "failures_since_start", "attempt_time"
            ):
                failures += row_failures
                if locked_until is None and failures >= limit:
                    locked_until = at + cool_off_time
            counts[parameter] = Count(failures=failures, limit=limit, locked_until=locked_until)
        return counts

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        # axes compares one figure with one limit (AXES_FAILURE_LIMIT, the username's): give it the
        # failures of whichever count is nearest its own limit, in the username's limit's terms.
        headroom = min(count.limit - count.failures for count in self.counts(request, credentials).values())
        return get_failure_limit(request, credentials) - headroom

    def reset_attempts(self, *, ip_address=None, username=None, ip_or_username=False) -> int:
        # Operators' resets (manage.py axes_reset_username Client) name the username as counted.
        if username is not None:
            username = username_of(None, {"username": username})
        return super().reset_attempts(ip_address=ip_address, username=username, ip_or_username=ip_or_username)

    def reset_user_attempts(self, request: HttpRequest, credentials: dict | None = None) -> int:
        # A sign-in forgets that username's failures, not its address's: signing in as yourself
        # must not clear the way for more guesses at other usernames from the same address.
        deleted, _ = AccessAttempt.objects.filter(username=get_client_username(request, credentials)).delete()
        return deleted


def seconds_locked_out(request: HttpRequest, credentials: dict | None = None, *, address_only=False) -> int:
    """How long until this username (in `credentials`) and address may sign in again; 0: now."""
    AxesProxyHandler.update_request(request)
    handler = AxesProxyHandler.get_implementation()
    counts = handler.counts(request, credentials, only="ip_address" if address_only else None)
    ends = [count.locked_until for count in counts.values() if count.locked_until is not None]
    if not ends:
        return 0
    return max(0, math.ceil((max(ends) - timezone.now()).total_seconds()))


def _minutes(seconds: int) -> int:
    return max(1, math.ceil(seconds / 60))


def lockout_message(seconds: int) -> str:
    minutes = _minutes(seconds)
    return ngettext(
        "Too many failed sign-ins. Please try again in %(minutes)d minute.",
        "Too many failed sign-ins. Please try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


def lockout_response(request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None):
    """The answer to a refused sign-in (AXES_LOCKOUT_CALLABLE): 429 Too Many Requests with
    Retry-After, in the way in's own form. The API gets JSON with a `detail`; a sign-in page is
    answered with itself, since its form already says when to try again (LockoutMessage)."""
    seconds = max(1, seconds_locked_out(request, credentials))
    if isinstance(original_response, ApiResponse):
        response = JsonResponse({"detail": lockout_message(seconds)}, status=429)
    elif original_response is not None:
        response = original_response
        response.status_code = 429
    else:
        response = HttpResponse(
            lockout_message(seconds), status=429, content_type="text/plain; charset=utf-8"
        )
    response["Retry-After"] = str(seconds)
    return response


class LockoutMessage:
    """For an AuthenticationForm: a sign-in refused because the username or the address is locked
    out says so, and when to try again, instead of "wrong password" (the same for any username)."""

    def get_invalid_login_error(self):
        if getattr(self.request, "axes_locked_out", False):
            credentials = getattr(self.request, "axes_credentials", None) or get_credentials(
                self.cleaned_data.get("username")
            )
            return ValidationError(
                lockout_message(seconds_locked_out(self.request, credentials)), code="locked_out"
            )
        return super().get_invalid_login_error()


# E-mail requests ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EmailRequests:
    """The requests of one kind (e.g. "password-reset") for one address typed, from one IP, in fixed
    windows: the first starts a window of SIGNOFF_PORTAL_ATTEMPT_WINDOW_MINUTES, and once either
    count reaches its limit (SIGNOFF_PORTAL_MAX_ATTEMPTS, SIGNOFF_PORTAL_MAX_ATTEMPTS_PER_IP) that
    address or IP waits until the window ends. The counts are the same whether or not anyone has
    that address, so a refusal reveals nothing either."""

    kind: str
    email: str
    ip: str | None

    def _counters(self) -> list[tuple[str, int]]:
        counters = [
            (f"ip:{self.ip}", settings.SIGNOFF_PORTAL_MAX_ATTEMPTS_PER_IP),
            (f"id:{self.email.strip().lower()}", settings.SIGNOFF_PORTAL_MAX_ATTEMPTS),
        ]
        return [(self._key(counter), limit) for counter, limit in counters]

    def _key(self, counter: str) -> str:
        # Hashed: cache keys have a length and character limit, and needn't hold addresses.
        return f"signoff:attempts:{self.kind}:{hashlib.sha256(counter.encode()).hexdigest()}"

    def wait_seconds(self) -> int:
        """How long until another request is allowed; 0 when it is allowed now."""
        now = time.time()
        waits = [
            (cache.get(f"{key}:until") or now) - now
            for key, limit in self._counters()
            if (cache.get(key) or 0) >= limit
        ]
        return math.ceil(max(waits, default=0))

    def count(self) -> None:
        window = settings.SIGNOFF_PORTAL_ATTEMPT_WINDOW_MINUTES * 60
        for key, _limit in self._counters():
            # add() only sets what isn't there: the first request in a window starts it.
            cache.add(f"{key}:until", time.time() + window, timeout=window)
            cache.add(key, 0, timeout=window)
            try:
                cache.incr(key)  # atomic on Redis and in memory, and keeps the key's expiry
            except ValueError:  # expired between add() and incr()
                cache.set(key, 1, timeout=window)


def limit_email_request(request: HttpRequest, *, kind: str, email: str) -> None:
    """Count a request for an e-mail, or refuse it with a form error that says when to try again:
    past its limits, or from an address locked out of signing in."""
    requests = EmailRequests(kind=kind, email=email, ip=client_ip(request))
    seconds = max(requests.wait_seconds(), seconds_locked_out(request, address_only=True))
    if seconds:
        minutes = _minutes(seconds)
        raise ValidationError(
            ngettext(
                "Too many attempts. Please try again in %(minutes)d minute.",
                "Too many attempts. Please try again in %(minutes)d minutes.",
                minutes,
            ),
            code="too_many_attempts",
            params={"minutes": minutes},
        )
    requests.count()


class LimitedEmailRequestForm(forms.Form):
    """A form that asks for an e-mail to `email` (a reset link, a magic link): each request is
    counted, and refused past the limits (limit_email_request). Takes the request."""

    request_kind: str

    def __init__(self, *args, request: HttpRequest, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean(self):
        cleaned = super().clean()
        if "email" in cleaned:
            limit_email_request(self.request, kind=self.request_kind, email=cleaned["email"])
        return cleaned
