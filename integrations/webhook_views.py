"""The admin's pages for one webhook subscription beyond Wagtail's create/edit/delete: its delivery
log (with the secret, once, after it was made or rotated), "Send test event" and rotating the
secret. Only subscriptions the user manages are found (404 otherwise)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from .events import send_test_event
from .subscriptions import events_of, rotate_secret, secret_hint, subscriptions_managed_by

NEW_SECRET = "signoff_new_webhook_secret"


def _subscription(request, pk: int):
    return get_object_or_404(subscriptions_managed_by(request.user), pk=pk)


def show_secret_once(request, subscription) -> None:
    request.session[NEW_SECRET] = {"subscription": subscription.pk, "secret": subscription.secret}


def deliveries(request, pk: int):
    subscription = _subscription(request, pk)
    new_secret = request.session.get(NEW_SECRET)
    if new_secret and new_secret.get("subscription") == subscription.pk:
        del request.session[NEW_SECRET]
    else:
        new_secret = None
    page = Paginator(events_of(subscription), 25).get_page(request.GET.get("p"))
    return TemplateResponse(
        request,
        "integrations/webhook_deliveries.html",
        {
            "subscription": subscription,
            "page": page,
            "new_secret": new_secret and new_secret["secret"],
            "secret_hint": secret_hint(subscription),
        },
    )


@require_POST
def send_test(request, pk: int):
    subscription = _subscription(request, pk)
    event = send_test_event(subscription=subscription, user=request.user)
    attempt = event.log.first()
    if event.status == event.Status.DELIVERED:
        messages.success(
            request,
            f"Test event delivered: {subscription.url} answered {attempt.status_code} in {attempt.duration_ms} ms.",
        )
    else:
        messages.error(request, f"Test event not delivered: {event.last_error}")
    return redirect("integrations_webhook_deliveries", pk=subscription.pk)


def rotate(request, pk: int):
    """Asks first (GET), then makes a new secret (POST), shown once on the delivery log."""
    subscription = _subscription(request, pk)
    if request.method != "POST":
        return TemplateResponse(request, "integrations/confirm_rotate.html", {"subscription": subscription})
    rotate_secret(user=request.user, subscription=subscription)
    subscription.refresh_from_db()
    show_secret_once(request, subscription)
    messages.success(request, "New secret made: the old one no longer verifies. Copy it below.")
    return redirect("integrations_webhook_deliveries", pk=subscription.pk)
