"""The client portal's own data: magic links for client users, the review requests waiting to go
out in a client's next digest e-mail, and the agency's branding."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting


class MagicLink(models.Model):
    """A signed, expiring link that signs one client user in to one brand's portal, without a
    password. Reusable until it expires; revocable by the brand's leads and admins. Only the
    SHA-256 of its token is stored, so a database leak doesn't leak working links."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="magic_links")
    brand = models.ForeignKey("brands.Brand", on_delete=models.CASCADE, related_name="magic_links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    use_count = models.PositiveIntegerField("uses", default=0)
    # Set on the links Signoff e-mails to clients (approvals.portal.digest): with SECRET_KEY it
    # gives the link's URL again, so the next e-mail carries the same link instead of a new one.
    # Empty for links shown once in the admin. Alone (a database leak) it opens nothing.
    reissue_key = models.CharField(max_length=64, blank=True, default="", editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["brand", "-created_at"])]

    def __str__(self):
        return f"Magic link for {self.user} on {self.brand}"


class ClientDigestItem(models.Model):
    """A client-tier review that a client user is to hear about in their next digest e-mail: one
    e-mail per user per SIGNOFF_CLIENT_DIGEST_MINUTES, counted from the oldest item not yet
    sent. A row stays pending until an e-mail carrying it has gone out, so a failed send loses
    nothing: a later run tries again (approvals.portal.digest)."""

    class Kind(models.TextChoices):
        REQUESTED = "requested", "Review requested"
        REMINDER = "reminder", "Reminder"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    task_state = models.ForeignKey("wagtailcore.TaskState", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    created_at = models.DateTimeField(default=timezone.now)
    # When an e-mail carrying it went out, or it was dropped with nothing to say (the review
    # decided before the digest went out, the user muted or no longer a client user).
    done_at = models.DateTimeField(null=True, blank=True)
    # Failed sends of the user's digest so far, and when it may be tried next (also held briefly
    # while one run sends it, so two runs at once don't both send it).
    attempts = models.PositiveSmallIntegerField(default=0)
    not_before = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "task_state", "kind"], name="one_digest_item_per_user_review_and_kind"
            )
        ]
        indexes = [models.Index(fields=["done_at", "user"])]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.user} (task state {self.task_state_id})"


@register_setting(icon="view")
class PortalBranding(BaseGenericSetting):
    """How the client portal presents the agency: its name, logo and accent colour."""

    agency_name = models.CharField(max_length=80, default="Signoff")
    logo = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accent_colour = models.CharField(
        max_length=7,
        default="#0f766e",
        help_text="A hex colour such as #0f766e, used for buttons and links in the portal.",
    )

    panels = [FieldPanel("agency_name"), FieldPanel("logo"), FieldPanel("accent_colour")]

    class Meta:
        verbose_name = "client portal branding"
