from django.db import models
from django.utils import timezone


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
