"""Publishing and the archive: where each brand's posts go (channels), the handing over of each
approved version to each channel exactly once (deliveries), and the immutable record of what
went out (archive entries)."""

import secrets

import pgtrigger
from django.conf import settings
from django.db import models
from wagtail.search import index

from cms.posts.models import Intent, PostFormat
from integrations.urls_safety import validate_webhook_url


def new_webhook_secret() -> str:
    return secrets.token_urlsafe(32)


class Channel(models.Model):
    """Where a brand's posts for one platform go when they go out: a person who posts them by
    hand, or the agency's scheduler or automation tool through a signed webhook. Adapters live in
    cms.archive.channels; native network APIs can join them later."""

    class Kind(models.TextChoices):
        MANUAL = "manual", "Manual: someone posts it and records the link"
        WEBHOOK = "webhook", "Webhook: a signed POST to your scheduler or automation tool"

    brand = models.ForeignKey("brands.Brand", on_delete=models.CASCADE, related_name="channels")
    platform = models.ForeignKey("brands.Platform", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.MANUAL)
    webhook_url = models.URLField(
        blank=True,
        max_length=500,
        # Never the server's own network (SSRF), checked again before each send.
        validators=[validate_webhook_url],
        help_text="Webhook channels: where each post is POSTed, as JSON. http:// or https:// only.",
    )
    webhook_secret = models.CharField(
        max_length=100,
        default=new_webhook_secret,
        help_text="Signs each webhook (X-Signoff-Signature: HMAC-SHA256 of the body); keep it secret.",
    )
    active = models.BooleanField(
        default=True, help_text="Off: posts for this platform go nowhere but the archive."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["brand", "platform"], name="one_channel_per_brand_platform")
        ]
        ordering = ["brand__name", "platform__sort_order"]

    def __str__(self):
        return f"{self.brand} · {self.platform} ({self.get_kind_display().split(':')[0]})"


class Delivery(models.Model):
    """One approved version of a post handed to one channel: made when the version goes out,
    then sent by the worker, retried with backoff until it is delivered or given up; never
    twice (one row per revision and channel, and a webhook carries an idempotency key)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENDING = "sending", "Sending"
        RETRYING = "retrying", "Failed; will be retried"
        TO_POST = "to_post", "To post now (by hand)"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed; gave up"

    post = models.ForeignKey("posts.Post", on_delete=models.PROTECT, related_name="deliveries")
    revision = models.ForeignKey("wagtailcore.Revision", on_delete=models.PROTECT, related_name="+")
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="deliveries")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # A sender holds the delivery until then; one killed mid-send leaves it to be picked up again.
    lease_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    live_url = models.URLField(blank=True, max_length=500)
    delivered_at = models.DateTimeField(null=True, blank=True)
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "deliveries"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["revision", "channel"], name="one_delivery_per_revision_and_channel"
            )
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"{self.post} → {self.channel}"

    @property
    def caption(self) -> str:
        """The caption as it goes to this channel's platform (its own variant, if it has one)."""
        content = self.revision.content
        for variant in content.get("caption_variants") or []:
            if variant.get("platform") == self.channel.platform_id:
                return variant.get("caption", "")
        return content.get("caption", "")

    @property
    def idempotency_key(self) -> str:
        """The same for every attempt, so a receiver that sees it twice posts once."""
        return f"signoff-{self.revision_id}-{self.channel_id}"


class DeliveryAttempt(models.Model):
    """One try at sending a delivery, kept for the admin's delivery log."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="log")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    ok = models.BooleanField(default=False)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self):
        return f"Attempt on {self.delivery_id} at {self.started_at:%Y-%m-%d %H:%M:%S}"


def approval_steps(approvals: list[dict]) -> list[dict]:
    """The approvals of an entry's chain (`ArchiveEntry.approvals`), in order: the chain holds
    overrides too, which approved nothing."""
    return [step for step in approvals if step.get("kind") == "approval"]


class ArchiveEntry(index.Indexed, models.Model):
    """What went out to one channel, exactly as it went out and who approved it. Never changed
    or deleted (refused by the model and, on PostgreSQL, by a database trigger); a correction is
    a new entry that supersedes the old."""

    post = models.ForeignKey("posts.Post", on_delete=models.PROTECT, related_name="archive_entries")
    revision = models.ForeignKey("wagtailcore.Revision", on_delete=models.PROTECT, related_name="+")
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="archive_entries")
    delivery = models.ForeignKey(
        Delivery, null=True, on_delete=models.PROTECT, related_name="archive_entries"
    )
    brand = models.ForeignKey("brands.Brand", on_delete=models.PROTECT, related_name="archive_entries")
    platform = models.ForeignKey("brands.Platform", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    caption = models.TextField(help_text="As sent to the platform.")
    media = models.JSONField(default=list, help_text="[{image, url, alt_text}] as sent.")
    format = models.CharField(max_length=10, choices=PostFormat.choices)
    intent = models.CharField(max_length=10, choices=Intent.choices)
    campaign = models.CharField(max_length=80, blank=True)
    hashtags = models.JSONField(default=list, help_text="Lower-case, without '#'.")
    # PROTECT, as the approvers': an entry is never changed (SET_NULL would be an UPDATE, which
    # PostgreSQL refuses), so whoever wrote or approved an archived post stays; deactivate them.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    approvals = models.JSONField(
        default=list, help_text="[{tier, user, username, decided_at, comment}] in order; overrides too."
    )
    content_hash = models.CharField(max_length=64)
    published_at = models.DateTimeField()
    live_url = models.URLField(blank=True, max_length=500)
    supersedes = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "archive entries"
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(fields=["brand", "-published_at"]),
            # Newest first across several brands (a lead's or an agency's search): the archive
            # search walks this and stops at a page, or at its relevance window, for common words.
            models.Index(fields=["-published_at", "-id"], name="archive_entry_newest"),
        ]
        # PostgreSQL refuses any change, whatever the code does (https://django-pgtrigger.readthedocs.io).
        triggers = [
            pgtrigger.Protect(
                name="archive_entry_is_immutable", operation=pgtrigger.Update | pgtrigger.Delete
            )
        ]

    # For SIGNOFF_ARCHIVE_SEARCH="wagtail" (cms.archive.wagtail_search): what Wagtail's search
    # backend indexes. The words (the title for staff only: clients search the other three, with
    # `fields=`), and the columns the search's filters name; the filters no backend can be asked
    # (a campaign in any case, an approver, a hashtag) reach it as `id__in`.
    # https://docs.wagtail.org/en/stable/topics/search/indexing.html
    search_fields = [
        index.SearchField("title", boost=2),
        index.SearchField("caption"),
        index.SearchField("campaign"),
        index.SearchField("hashtags"),
        index.FilterField("id"),
        index.FilterField("brand"),
        index.FilterField("platform"),
        index.FilterField("published_at"),
        index.FilterField("intent"),
        index.FilterField("format"),
        index.FilterField("author"),
    ]
    # Indexed by cms.archive.wagtail_search as entries are written, and only on that setting; not
    # by Wagtail's own signal handlers, which would index every entry whatever the setting. Either
    # way only Wagtail's index rows are written: an entry itself is never saved again.
    search_auto_update = False

    @classmethod
    def get_indexed_objects(cls):
        # `update_index` leaves the archive out unless it is searched through Wagtail.
        if settings.SIGNOFF_ARCHIVE_SEARCH != "wagtail":
            return cls.objects.none()
        return super().get_indexed_objects()

    def __str__(self):
        return f"{self.title} on {self.platform_id} ({self.published_at:%Y-%m-%d})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ArchiveEntryIsImmutable()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ArchiveEntryIsImmutable()


class ArchiveApprover(models.Model):
    """Who approved an archived post, one row per approval: what the archive's approver filter
    reads. Written with the entry, never changed."""

    entry = models.ForeignKey(ArchiveEntry, on_delete=models.PROTECT, related_name="approvers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    tier = models.CharField(max_length=10)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entry", "user", "tier"], name="one_row_per_approval")]
        triggers = [
            pgtrigger.Protect(
                name="archive_approver_is_immutable", operation=pgtrigger.Update | pgtrigger.Delete
            )
        ]


class ArchiveEntryIsImmutable(Exception):
    def __str__(self):
        return "Archive entries are never changed or deleted; record a correction as a new entry."
