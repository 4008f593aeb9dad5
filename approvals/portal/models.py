"""The client portal's own data: magic links for client users and the agency's branding."""

from django.conf import settings
from django.db import models
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
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["brand", "-created_at"])]

    def __str__(self):
        return f"Magic link for {self.user} on {self.brand}"


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
