import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from .urls_safety import validate_webhook_url


class TokenPolicy(models.Model):
    """What Signoff adds to Wagtail's personal API token (`wagtailcore.APIToken`, which keeps only
    the token's hash, shows the token once, and records its last use and revocation): a scope
    and an optional expiry. A token without a policy (e.g. made with Wagtail's `api_tokens`
    command) reads and writes and does not expire."""

    class Scope(models.TextChoices):
        READ = "read", "Read only"
        WRITE = "write", "Read and write"

    token = models.OneToOneField(
        "wagtailcore.APIToken", on_delete=models.CASCADE, related_name="signoff_policy"
    )
    scope = models.CharField(max_length=5, choices=Scope.choices, default=Scope.WRITE)
    expires_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.token} ({self.scope})"

    def has_expired(self, now=None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())


class EventType(models.TextChoices):
    """What a subscription can hear about. `ping` is only ever sent by "Send test event"."""

    POST_SUBMITTED = "post.submitted", "A post was submitted for approval"
    POST_CHANGES_REQUESTED = "post.changes_requested", "A reviewer asked for changes"
    POST_APPROVED = "post.approved", "A post was approved by every tier"
    POST_PUBLISHED = "post.published", "A post went live"
    POST_PUBLISH_FAILED = "post.publish_failed", "A post could not be published or handed to its channel"


PING = "ping"


def new_subscription_secret() -> str:
    return secrets.token_urlsafe(32)


def _no_events():
    return []


class WebhookSubscription(models.Model):
    """An agency's tool listening to one brand's post events: Signoff POSTs each event it
    subscribed to, signed like the webhook channel (cms.archive.channels.sign) with its own
    secret. Managed by the brand's account leads and admins."""

    brand = models.ForeignKey("brands.Brand", on_delete=models.CASCADE, related_name="webhook_subscriptions")
    name = models.CharField(max_length=80, help_text="So you can tell them apart, e.g. “Slack relay”.")
    url = models.URLField(
        max_length=500,
        validators=[validate_webhook_url],
        help_text="Where each event is POSTed, as JSON. http:// or https:// only.",
    )
    events = models.JSONField(default=_no_events, help_text="Event types this URL hears about.")
    secret = models.CharField(
        max_length=100,
        default=new_subscription_secret,
        help_text="Signs each event (X-Signoff-Signature: HMAC-SHA256 of the body); keep it secret.",
    )
    active = models.BooleanField(default=True, help_text="Off: no events are sent to this URL.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["brand__name", "name", "pk"]

    def __str__(self):
        return f"{self.name} ({self.brand})"

    def clean(self):
        from django.core.exceptions import ValidationError

        unknown = [event for event in self.events or [] if event not in EventType.values]
        if not isinstance(self.events, list) or unknown:
            raise ValidationError({"events": f"Unknown events: {', '.join(map(str, unknown))}."})
        if not self.events:
            raise ValidationError({"events": "Choose at least one event."})

    def listens_to(self, event_type: str) -> bool:
        return event_type in (self.events or [])


class WebhookEvent(models.Model):
    """One event sent to one subscription: the payload as sent (the same on every attempt, with
    the same event id for the receiver to de-duplicate on), sent by the worker, retried with
    backoff until delivered or given up. Its attempts are the subscription's delivery log."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENDING = "sending", "Sending"
        RETRYING = "retrying", "Failed; will be retried"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed; gave up"

    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="events_sent"
    )
    event_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event_type = models.CharField(max_length=40)
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"{self.event_type} → {self.subscription}"


class WebhookAttempt(models.Model):
    """One try at sending an event: when, what the receiver answered, how long it took."""

    event = models.ForeignKey(WebhookEvent, on_delete=models.CASCADE, related_name="log")
    started_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    ok = models.BooleanField(default=False)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self):
        return f"Attempt on {self.event_id} at {self.started_at:%Y-%m-%d %H:%M:%S}"
