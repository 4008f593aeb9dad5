import logging
import sys

from django.core.exceptions import PermissionDenied
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.defaults import page_not_found
from django.views.defaults import server_error as default_server_error

from approvals.moving_on import relay_backlog

from .task_fallback import fallback_backlog

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def healthz(request):
    """200 when the database answers, 503 when it does not (for load balancers and uptime checks).

    It also says whether the relay keeps up with review decisions ("relay": "behind" when one
    has waited minutes to move on): worth an alert, but no reason to take the web app out.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any database failure means "not healthy"
        response = JsonResponse({"status": "error", "database": str(error.__class__.__name__)}, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)  # as every other page answers then
        return response
    try:
        backlog = relay_backlog(now=timezone.now())
    except Exception:  # e.g. new code before `migrate`: the web app still serves
        logger.exception("/healthz could not read the relay's backlog")
        return JsonResponse({"status": "ok", "database": "ok", "relay": "unknown"})
    health = {
        "status": "ok",
        "database": "ok",
        "relay": "behind" if backlog.behind else "ok",
        "decisions_waiting": backlog.waiting,
    }
    waiting_for_redis = fallback_backlog()
    if waiting_for_redis is not None:
        health["tasks_waiting_in_fallback"] = waiting_for_redis
    return JsonResponse(health)


def home(request):
    """The agency team works in the admin; clients in the portal."""
    if request.user.is_authenticated and hasattr(request.user, "client_user"):
        return redirect("portal:dashboard")
    return redirect("wagtailadmin_home")


def superusers_only(view):
    """Let superusers through to `view`; others get Wagtail's usual "permission denied"."""

    def guarded(request, *args, **kwargs):
        if not request.user.is_superuser:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return guarded


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def not_found(request, exception=None):
    """Django's 404 page, or for an API route a JSON error like the API's own (never HTML)."""
    if _is_api(request):
        return JsonResponse({"detail": "Not found."}, status=404)
    return page_not_found(request, exception)


# How long a client should wait before trying again while the database is away.
RETRY_AFTER_SECONDS = 30
UNAVAILABLE = "Signoff can’t reach its database just now. Nothing you sent was lost; try again in a minute."


def server_error(request):
    """Django's 500 page, or for an API route a JSON error. While the database is away (restarted,
    failed over, out of connections) the answer is 503 with Retry-After instead: the request can
    be repeated, and load balancers and API clients know to wait rather than give up."""
    error = sys.exc_info()[1]
    if isinstance(error, (OperationalError, InterfaceError)):
        if _is_api(request):
            response = JsonResponse({"detail": UNAVAILABLE, "code": "database_unavailable"}, status=503)
        else:
            response = HttpResponse(
                f"<!doctype html><title>Back in a minute</title><h1>Back in a minute</h1><p>{UNAVAILABLE}</p>",
                status=503,
            )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    if _is_api(request):
        return JsonResponse({"detail": "Something went wrong on our side; it has been logged."}, status=500)
    return default_server_error(request)


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on pages that name none (and on the portal's plain files).
    The static URL is looked up per request: with hashed static names (production) the manifest
    exists only after collectstatic, which runs after the code is imported."""
    return HttpResponsePermanentRedirect(static("signoff/favicon.svg"))
