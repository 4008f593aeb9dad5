"""Clients, their brands, each brand's kit and who works on which brand."""

import zoneinfo

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.text import slugify
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Collection, Orderable
from wagtail.search import index

from cms.time_zones import usable_time_zones

from .checks.platforms import PLATFORM_CHOICES

TIME_ZONE_CHOICES = [(name, name.replace("_", " ")) for name in usable_time_zones()]


def validate_time_zone(value: str) -> None:
    # Checked against the installed tz database rather than stored choices, so a tzdata update
    # needs no migration.
    if value not in usable_time_zones():
        raise ValidationError(f"“{value}” is not a known time zone, e.g. Europe/London.")


class Platform(models.Model):
    """A social platform a brand posts on. Rows mirror `checks.platforms.PLATFORM_SPECS`."""

    code = models.CharField(max_length=20, primary_key=True, choices=PLATFORM_CHOICES)
    name = models.CharField(max_length=50)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order"]

    def __str__(self):
        return self.name


class Client(ClusterableModel, index.Indexed):
    """A company the agency works for; owns one or more brands."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        InlinePanel("client_users", heading="Client users", label="Client user"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class ClientUser(models.Model):
    """A person at the client. They use the portal only, never the Wagtail admin."""

    client = ParentalKey(Client, on_delete=models.CASCADE, related_name="client_users")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="client_user"
    )

    panels = [FieldPanel("user")]

    def __str__(self):
        return f"{self.user} ({self.client})"

    def clean(self):
        if self.user_id and (self.user.is_superuser or self.user.brand_memberships.exists()):
            raise ValidationError(
                {"user": "This user works at the agency. Client users need their own account."}
            )


class Brand(ClusterableModel, index.Indexed):
    """A brand the agency posts for. Its assets live in a Wagtail collection of its own."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="brands")
    name = models.CharField(max_length=120)
    slug = models.SlugField(
        max_length=120, unique=True, help_text="Used in links and the API; letters, numbers and hyphens."
    )
    time_zone = models.CharField(
        max_length=64,
        validators=[validate_time_zone],
        default="Europe/London",
        help_text="Scheduled times and due dates are shown in this time zone.",
    )
    collection = models.OneToOneField(
        Collection, on_delete=models.PROTECT, null=True, blank=True, editable=False, related_name="brand"
    )

    panels = [
        FieldPanel("client"),
        FieldRowPanel([FieldPanel("name"), FieldPanel("slug")]),
        FieldPanel("time_zone", widget=forms.Select(choices=TIME_ZONE_CHOICES)),
        InlinePanel("platforms", heading="Platforms and handles", label="Platform"),
        InlinePanel("memberships", heading="Team", label="Team member"),
    ]
    # "id": the brand chooser searches within the user's brands (brands.scoping filters by id).
    search_fields = [index.SearchField("name"), index.AutocompleteField("name"), index.FilterField("id")]

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), "client", name="brand_name_unique_per_client")]

    def __str__(self):
        return self.name

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def save(self, *args, **kwargs):
        from .services import ensure_brand_resources

        if not self.slug:
            self.slug = slugify(self.name)
        super().save(*args, **kwargs)
        ensure_brand_resources(brand=self)

    def owns_image(self, image) -> bool:
        """Posts and kits may only use images from the brand's own collection."""
        return image.collection_id == self.collection_id

    def foreign_image_message(self, image) -> str:
        return f"“{image.title}” is not in the {self} collection. Choose one of {self}’s images."

    def handle_on(self, platform_code: str) -> str:
        for brand_platform in self.platforms.all():
            if brand_platform.platform_id == platform_code:
                return brand_platform.handle
        return slugify(self.name).replace("-", "")


class BrandPlatform(Orderable):
    """A platform the brand posts on and its handle there."""

    brand = ParentalKey(Brand, on_delete=models.CASCADE, related_name="platforms")
    platform = models.ForeignKey(Platform, on_delete=models.PROTECT, related_name="+")
    handle = models.CharField(
        max_length=64,
        validators=[
            RegexValidator(r"^[A-Za-z0-9._-]+$", "Use the handle without @: letters, numbers, . _ -")
        ],
        help_text="Without the @.",
    )

    panels = [FieldRowPanel([FieldPanel("platform"), FieldPanel("handle")])]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(fields=["brand", "platform"], name="one_handle_per_brand_platform")
        ]

    def __str__(self):
        return f"{self.platform_id}: @{self.handle}"


class BrandRole(models.TextChoices):
    CREATIVE = "creative", "Creative"
    REVIEWER = "reviewer", "Reviewer"
    LEAD = "lead", "Account lead"


class BrandMembership(models.Model):
    """Who works on a brand, and as what. Every permission inside a brand follows from this."""

    brand = ParentalKey(Brand, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="brand_memberships"
    )
    role = models.CharField(max_length=20, choices=BrandRole.choices)

    panels = [FieldRowPanel([FieldPanel("user"), FieldPanel("role")])]

    class Meta:
        constraints = [models.UniqueConstraint(fields=["brand", "user"], name="one_role_per_user_per_brand")]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} on {self.brand}"

    def clean(self):
        if self.user_id and ClientUser.objects.filter(user_id=self.user_id).exists():
            raise ValidationError({"user": "Client users cannot join the agency team of a brand."})


class BrandAccessGroup(models.Model):
    """The Wagtail group holding one role's permissions on one brand's collection.

    Wagtail grants collection permissions to groups, not users; membership changes move users
    in and out of these groups (see `services.sync_user_access`).
    """

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="access_groups")
    role = models.CharField(max_length=20, choices=BrandRole.choices)
    group = models.OneToOneField("auth.Group", on_delete=models.CASCADE, related_name="brand_access")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["brand", "role"], name="one_group_per_brand_role")]

    def __str__(self):
        return self.group.name


class EmojiPolicy(models.TextChoices):
    FREE = "free", "Emoji welcome"
    SPARING = "sparing", "Sparingly (up to the limit below)"
    NONE = "none", "No emoji"


class Severity(models.TextChoices):
    INFO = "info", "Info"
    WARN = "warn", "Warning"
    BLOCK = "block", "Blocks submission"


class BrandKit(ClusterableModel):
    """Everything a creative needs to stay on brand: assets, palette, voice, rules and dates."""

    brand = models.OneToOneField(Brand, on_delete=models.CASCADE, related_name="kit")
    logo = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    voice_guidelines = RichTextField(
        blank=True, features=["h3", "bold", "italic", "ol", "ul", "link"], help_text="How the brand sounds."
    )
    heading_font = models.CharField(max_length=80, blank=True)
    body_font = models.CharField(max_length=80, blank=True)
    sponsored_disclaimer = models.CharField(
        max_length=30, default="#ad", help_text="Must appear early in the caption of every sponsored post."
    )
    emoji_policy = models.CharField(max_length=10, choices=EmojiPolicy.choices, default=EmojiPolicy.FREE)
    emoji_limit = models.PositiveSmallIntegerField(
        default=3,
        validators=[MaxValueValidator(50)],
        help_text="Most emoji in one caption when used sparingly.",
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("logo"), InlinePanel("approved_images", label="Approved image")], heading="Imagery"
        ),
        InlinePanel("colours", heading="Palette", label="Colour"),
        FieldRowPanel([FieldPanel("heading_font"), FieldPanel("body_font")], heading="Fonts"),
        FieldPanel("voice_guidelines"),
        MultiFieldPanel(
            [
                InlinePanel("banned_phrases", label="Banned phrase"),
                InlinePanel("hashtag_rules", label="Hashtag rule"),
                InlinePanel("name_spellings", label="Name spelling"),
                FieldPanel("sponsored_disclaimer"),
                FieldRowPanel([FieldPanel("emoji_policy"), FieldPanel("emoji_limit")]),
            ],
            heading="Voice rules",
        ),
        InlinePanel("sensitive_dates", heading="Sensitive dates", label="Sensitive date"),
    ]

    class Meta:
        verbose_name = "brand kit"

    def __str__(self):
        return f"{self.brand} brand kit"

    def clean(self):
        if self.logo_id and self.brand_id and not self.brand.owns_image(self.logo):
            raise ValidationError({"logo": self.brand.foreign_image_message(self.logo)})


class PaletteColour(Orderable):
    kit = ParentalKey(BrandKit, on_delete=models.CASCADE, related_name="colours")
    name = models.CharField(max_length=60)
    hex = models.CharField(
        max_length=7,
        validators=[
            RegexValidator(r"^#[0-9A-Fa-f]{6}$", "Enter a colour as # and six hex digits, e.g. #1A2B3C.")
        ],
    )

    panels = [FieldRowPanel([FieldPanel("name"), FieldPanel("hex")])]

    def __str__(self):
        return f"{self.name} {self.hex}"

    def save(self, *args, **kwargs):
        self.hex = self.hex.upper()
        super().save(*args, **kwargs)


class KitImage(Orderable):
    """An approved image from the brand's collection, shown in the kit for creatives to reuse."""

    kit = ParentalKey(BrandKit, on_delete=models.CASCADE, related_name="approved_images")
    # PROTECT: an approved image can't silently drop out of the kit because someone deleted it.
    image = models.ForeignKey("wagtailimages.Image", on_delete=models.PROTECT, related_name="+")

    panels = [FieldPanel("image")]


def _plain_phrase(value: str) -> None:
    if not value.strip():
        raise ValidationError("Enter a word or phrase.")


class BannedPhrase(Orderable):
    """A word or phrase the brand never uses, and what to say instead."""

    kit = ParentalKey(BrandKit, on_delete=models.CASCADE, related_name="banned_phrases")
    phrase = models.CharField(
        max_length=120, validators=[_plain_phrase], help_text="Plain words, not a pattern."
    )
    suggestion = models.CharField(max_length=120, blank=True)
    severity = models.CharField(max_length=5, choices=Severity.choices, default=Severity.WARN)
    exact = models.BooleanField(
        "exact phrase only",
        default=False,
        help_text="Only this phrase, not its other forms: “sale” but not “sales”. "
        "Disguises of it (“$ale”, “s a l e”) are still caught.",
    )

    panels = [
        FieldRowPanel(
            [FieldPanel("phrase"), FieldPanel("suggestion"), FieldPanel("severity"), FieldPanel("exact")]
        )
    ]

    class Meta(Orderable.Meta):
        constraints = [models.UniqueConstraint(Lower("phrase"), "kit", name="banned_phrase_unique_per_kit")]

    def __str__(self):
        return self.phrase


class HashtagRule(Orderable):
    class Kind(models.TextChoices):
        REQUIRED = "required", "Required"
        FORBIDDEN = "forbidden", "Forbidden"

    kit = ParentalKey(BrandKit, on_delete=models.CASCADE, related_name="hashtag_rules")
    hashtag = models.CharField(
        max_length=100,
        validators=[RegexValidator(r"^#\w+$", "Enter one hashtag starting with #, e.g. #BrewBetter.")],
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)

    panels = [FieldRowPanel([FieldPanel("hashtag"), FieldPanel("kind")])]

    class Meta(Orderable.Meta):
        constraints = [models.UniqueConstraint(Lower("hashtag"), "kit", name="hashtag_rule_unique_per_kit")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.hashtag}"


class NameSpelling(Orderable):
    """A brand or product name as it must be written, e.g. "BrewCo", "iPhone"."""

    kit = ParentalKey(BrandKit, on_delete=models.CASCADE, related_name="name_spellings")
    name = models.CharField(max_length=80, validators=[_plain_phrase])

    panels = [FieldPanel("name")]

    class Meta(Orderable.Meta):
        constraints = [models.UniqueConstraint(Lower("name"), "kit", name="name_spelling_unique_per_kit")]

    def __str__(self):
        return self.name


class SensitiveDate(models.Model):
    """A day on which posts for the brand need the highest approval tier."""

    kit = ParentalKey(BrandKit, on_delete=models.CASCADE, related_name="sensitive_dates")
    date = models.DateField()
    recurs_yearly = models.BooleanField(default=True)
    label = models.CharField(max_length=120)
    reason = models.TextField(blank=True, help_text="Why it matters for this brand.")
    window_days = models.PositiveSmallIntegerField(
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(30)],
        help_text="Also treat this many days before and after as sensitive.",
    )

    panels = [
        FieldRowPanel([FieldPanel("date"), FieldPanel("recurs_yearly"), FieldPanel("window_days")]),
        FieldPanel("label"),
        FieldPanel("reason"),
    ]

    class Meta:
        ordering = ["date"]

    def __str__(self):
        return f"{self.label} ({self.date:%d %b}{'' if self.recurs_yearly else f' {self.date:%Y}'})"
