"""A social post: drafted by a creative, reviewed through the workflow, previewed per platform."""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django import forms
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxLengthValidator
from django.db import models, transaction
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    Value,
    When,
)
from django.db.models.functions import Cast
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    Orderable,
    PreviewableMixin,
    Revision,
    RevisionMixin,
    WorkflowMixin,
    WorkflowState,
)
from wagtail.search import index

from approvals.hashing import content_of_object, same_draft
from brands.widgets import BrandImageChooser

from .content import to_the_minute, with_lf_line_endings
from .panels import (
    BrandKitPanel,
    CaptionWithKitPanel,
    FindingOverridesPanel,
    LiveChecksPanel,
    OverrideReasonPanel,
    SimilarPostsPanel,
)

# Long enough for the most generous platform; the checker reports per-platform limits.
CAPTION_MAX_LENGTH = 10_000


class PostFormat(models.TextChoices):
    FEED = "feed", "Feed post"
    CAROUSEL = "carousel", "Carousel"
    STORY = "story", "Story"
    REEL = "reel", "Reel / short video"
    POLL = "poll", "Poll"
    REPLY = "reply", "Reply"


class Intent(models.TextChoices):
    """The micro-moment the post serves (Google's I-want-to-know / go / do / buy)."""

    KNOW = "know", "Know – inform or inspire"
    GO = "go", "Go – bring people somewhere"
    DO = "do", "Do – help people do something"
    BUY = "buy", "Buy – help people choose and buy"


class PostStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    APPROVED = "approved", "Approved"
    SCHEDULED = "scheduled", "Scheduled"
    PUBLISHED = "published", "Published"


# How much of the caption's first line a client sees as the post's name.
CLIENT_TITLE_LENGTH = 70


# Where the first line's first sentence ends, or its lead-in before a colon (when long enough to
# name the post: "Cupping evening at the roastery, Thursday 6–8pm: …", not "New on the shelf: …").
_SENTENCE_END = re.compile(r"(?<=.{15})[.!?](?=\s)|(?<=.{25}):(?=\s)")


def client_title(caption: str, post_format: str = PostFormat.FEED) -> str:
    """What a client sees as a post's name: the first sentence of its caption's first line, cut
    at a word to CLIENT_TITLE_LENGTH. The internal title is the team's shorthand ("(first
    draft)", "v2") and never shown to clients; the caption is what the client is there to
    approve."""
    line = next((line for line in (caption or "").splitlines() if line.strip()), "")
    line = " ".join(line.split())
    end = _SENTENCE_END.search(line)
    if end is not None:
        line = line[: end.start() + (end.group() in "!?")]
    elif line.endswith(".") and not line.endswith(".."):
        line = line[:-1]  # a name, not a sentence: "Our winter blend is back", no full stop
    if len(line) > CLIENT_TITLE_LENGTH:
        cut = line[: CLIENT_TITLE_LENGTH - 1]
        line = (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(" ,.;:–—-") + "…"
    if line:
        return line
    label = PostFormat(post_format).label if post_format in PostFormat.values else PostFormat.FEED.label
    return f"{label} without a caption"


caption_length_validator = MaxLengthValidator(
    CAPTION_MAX_LENGTH,
    message=f"Captions can be at most {CAPTION_MAX_LENGTH:,} characters (this one has %(show_value)s).",
)


# What only publishing changes on a post's row: whether and what is live, the pointer to the latest
# revision, and the editor's lock. See Post.save.
PUBLISHING_STATE_FIELDS = (
    "live",
    "live_revision",
    "has_unpublished_changes",
    "first_published_at",
    "last_published_at",
    "expired",
    "latest_revision",
    "locked",
    "locked_at",
    "locked_by",
)

_changing_publishing_state: ContextVar[bool] = ContextVar("signoff_changing_publishing_state", default=False)


@contextmanager
def publishing_state_changes() -> Iterator[None]:
    """Let Post.save write the publishing state: for the code that publishes (a finished
    workflow, the schedule), and nothing else."""
    token = _changing_publishing_state.set(True)
    try:
        yield
    finally:
        _changing_publishing_state.reset(token)


class PostQuerySet(models.QuerySet):
    def with_status(self):
        """Annotate `status_code`, derived from Wagtail's live flag, schedule and workflow state."""
        content_type = ContentType.objects.get_for_model(self.model)
        object_id = Cast(OuterRef("pk"), CharField())
        workflow_states = WorkflowState.objects.filter(base_content_type=content_type, object_id=object_id)
        return self.annotate(
            status_code=Case(
                When(
                    Exists(workflow_states.filter(status=WorkflowState.STATUS_IN_PROGRESS)),
                    then=Value(PostStatus.IN_REVIEW),
                ),
                When(
                    Exists(workflow_states.filter(status=WorkflowState.STATUS_NEEDS_CHANGES)),
                    then=Value(PostStatus.CHANGES_REQUESTED),
                ),
                When(
                    Exists(
                        Revision.objects.filter(
                            base_content_type=content_type,
                            object_id=object_id,
                            approved_go_live_at__isnull=False,
                        )
                    ),
                    then=Value(PostStatus.SCHEDULED),
                ),
                When(live=True, then=Value(PostStatus.PUBLISHED)),
                default=Value(PostStatus.DRAFT),
                output_field=CharField(),
            )
        )

    def with_went_for_approval(self):
        """Annotate `went_for_approval`: whether the post was ever submitted for approval (or
        published). Its reviews, decisions and what went out are on the record through it, so
        such a post is kept (cms.posts.permissions)."""
        content_type = ContentType.objects.get_for_model(self.model)
        workflow_states = WorkflowState.objects.filter(
            base_content_type=content_type, object_id=Cast(OuterRef("pk"), CharField())
        )
        return self.annotate(
            went_for_approval=ExpressionWrapper(
                Exists(workflow_states)
                | Q(first_published_at__isnull=False)
                | Q(live_revision__isnull=False),
                output_field=BooleanField(),
            )
        )


class Post(
    WorkflowMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    PreviewableMixin,
    index.Indexed,
    ClusterableModel,
):
    """One piece of social content for one brand, possibly going to several platforms."""

    brand = models.ForeignKey("brands.Brand", on_delete=models.PROTECT, related_name="posts")
    title = models.CharField(
        "internal title", max_length=200, help_text="For the team only; never published."
    )
    caption = models.TextField(blank=True, validators=[caption_length_validator])
    platforms = ParentalManyToManyField("brands.Platform", related_name="posts", blank=False)
    format = models.CharField(max_length=10, choices=PostFormat.choices, default=PostFormat.FEED)
    intent = models.CharField(
        "micro-moment intent", max_length=10, choices=Intent.choices, default=Intent.KNOW
    )
    cta_label = models.CharField("call to action", max_length=40, blank=True, help_text="e.g. Shop now")
    cta_url = models.URLField("call to action link", blank=True)
    campaign = models.CharField(max_length=80, blank=True, help_text="Group posts of one campaign.")
    sponsored = models.BooleanField(
        default=False, help_text="Paid partnership: needs the brand's disclaimer."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PostQuerySet.as_manager()

    panels = [
        FieldPanel("brand", widget=forms.Select),
        FieldPanel("title"),
        CaptionWithKitPanel(
            [
                FieldPanel("caption"),
                LiveChecksPanel(heading="Brand checks"),
                SimilarPostsPanel(heading="How have we said it before?"),
                BrandKitPanel(heading="Brand kit"),
            ],
            heading="Caption and brand kit",
        ),
        FindingOverridesPanel(heading="Blocking findings overridden by a lead"),
        OverrideReasonPanel("override_reason"),
        FieldPanel("platforms", widget=forms.CheckboxSelectMultiple),
        InlinePanel("media", heading="Media", label="Image", max_num=20),
        FieldRowPanel([FieldPanel("format"), FieldPanel("intent")]),
        InlinePanel("poll_options", heading="Poll options", label="Option", max_num=4),
        FieldRowPanel([FieldPanel("cta_label"), FieldPanel("cta_url")], heading="Call to action"),
        FieldRowPanel([FieldPanel("campaign"), FieldPanel("sponsored")]),
        FieldPanel(
            "go_live_at",
            heading="Scheduled for",
            help_text="In the brand's time zone. It goes out at this time once every tier has approved it.",
        ),
        MultiFieldPanel(
            [InlinePanel("caption_variants", label="Variant")],
            heading="Per-platform captions",
            help_text="Only where a platform needs different words; otherwise the main caption is used.",
        ),
    ]

    search_fields = [
        index.SearchField("title", boost=2),
        index.SearchField("caption"),
        index.AutocompleteField("title"),
        index.FilterField("brand"),
        index.FilterField("format"),
        index.FilterField("intent"),
        index.FilterField("live"),
    ]

    preview_modes = [
        ("instagram_feed", "Instagram feed"),
        ("instagram_story", "Instagram story"),
        ("facebook", "Facebook"),
        ("x", "X"),
        ("linkedin", "LinkedIn"),
        ("tiktok", "TikTok"),
    ]

    class Meta:
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["brand", "-updated_at"])]

    def get_workflow(self):
        # The post editor reads the workflow once per page (wagtail_hooks.ReadOnceMixin): Wagtail
        # asks for it again for each action menu item, a query each time.
        if hasattr(self, "_workflow_read_once"):
            return self._workflow_read_once
        return super().get_workflow()

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        self.keep_content_in_one_form()

    def keep_content_in_one_form(self) -> None:
        """LF line endings in the caption, the scheduled time to the minute (cms.posts.content):
        equal content saved from the browser and from the API is then stored equal."""
        self.caption = with_lf_line_endings(self.caption)
        self.go_live_at = to_the_minute(self.go_live_at)

    def save_revision(
        self,
        user=None,
        approved_go_live_at=None,
        changed=True,
        log_action=False,
        previous_revision=None,
        clean=True,
        overwrite_revision=None,
    ):
        """Save the post's content as a new revision; never rewrite one, never repeat one.

        A revision is what reviewers saw, approved or asked to change, and what authorship is
        judged by, so it stays as it was saved: Wagtail's `overwrite_revision` (its autosave
        rewriting the author's latest revision in place) is not honoured. And a save that
        changes nothing (the same content and title as the latest revision) makes no revision,
        which would lapse the approvals of the latest: the latest revision is returned instead.
        """
        self.keep_content_in_one_form()
        latest = self.get_latest_revision() if self.pk is not None else None
        if (
            latest is not None
            and approved_go_live_at is None
            and same_draft(content_of_object(self), latest.content)
        ):
            if clean:
                self.full_clean()
            return latest
        return super().save_revision(
            user=user,
            approved_go_live_at=approved_go_live_at,
            changed=changed,
            log_action=log_action,
            previous_revision=previous_revision,
            clean=clean,
        )

    def save(self, *args, **kwargs):
        """Save the post; an edit never changes its publishing state.

        An editor, the API or a script saves a copy of the post it loaded a moment ago. If the
        post was published in between (the last tier's approval, the schedule), saving that
        copy whole would write its stale "not live" back and silently unpublish what every tier
        approved. So an edit takes the row's lock and keeps the publishing state the database
        has; and once the post is live its row holds the live content, so the edit lives only in
        its new revision until that is approved and published in turn. Saves naming their
        fields (Wagtail's own bookkeeping, the lock) and publishing itself
        (publishing_state_changes) write as asked.
        """
        if kwargs.get("update_fields") is None:
            self.keep_content_in_one_form()
        if self.pk is None or kwargs.get("update_fields") is not None or _changing_publishing_state.get():
            return super().save(*args, **kwargs)
        columns = [self._meta.get_field(name).attname for name in PUBLISHING_STATE_FIELDS]
        with transaction.atomic():
            current = (
                type(self)._default_manager.select_for_update().filter(pk=self.pk).values(*columns).first()
            )
            if current is None:
                return super().save(*args, **kwargs)
            for column, value in current.items():
                setattr(self, column, value)
            if self.live:
                return None
            return super().save(*args, **kwargs)

    @property
    def scheduled_at(self):
        return self.go_live_at

    @property
    def client_title(self) -> str:
        """The post's name as clients see it (the portal, their e-mails): see client_title()."""
        return client_title(self.caption, self.format)

    @property
    def status(self) -> str:
        """The post's status; uses the queryset annotation when present."""
        if hasattr(self, "status_code"):
            return self.status_code
        return type(self).objects.with_status().values_list("status_code", flat=True).get(pk=self.pk)

    def get_status_display(self) -> str:
        return PostStatus(self.status).label

    def caption_for(self, platform_code: str) -> str:
        for variant in self.caption_variants.all():
            if variant.platform_id == platform_code:
                return variant.caption
        return self.caption

    # Previews
    @property
    def default_preview_mode(self):
        """The mock-up the editor's preview opens on: the post's first platform's (an Instagram
        story as a story), so a post not on Instagram never opens on an Instagram mock-up."""
        from .previews import PREVIEW_MODES

        codes = {platform.pk for platform in self.platforms.all()}
        story = self.format == PostFormat.STORY
        for mode, (code, post_format) in PREVIEW_MODES.items():
            if code in codes and (code != "instagram" or (post_format == "story") == story):
                return mode
        return "instagram_feed"

    def get_preview_template(self, request, mode_name):
        return f"previews/{mode_name}.html"

    def get_preview_context(self, request, mode_name):
        from .previews import build_mockup

        context = super().get_preview_context(request, mode_name)
        context["mockup"] = build_mockup(self, mode_name)
        return context


def protect_while_in_a_post(collector, field, sub_objs, using):
    """PostMedia.image's on_delete: an image a post shows can't be deleted; unlike PROTECT, the
    refusal (ImageInUse, a PermissionDenied) names the posts and every admin view answers it
    with a message, not a server error."""
    from .image_holds import refuse_to_delete_images_in_posts

    refuse_to_delete_images_in_posts(sub_objs)


class PostMedia(Orderable):
    """An image of the post, in order, with the alt text screen-reader users will hear."""

    post = ParentalKey(Post, on_delete=models.CASCADE, related_name="media")
    image = models.ForeignKey("wagtailimages.Image", on_delete=protect_while_in_a_post, related_name="+")
    alt_text = models.CharField(max_length=250, help_text="Describe the image for people who cannot see it.")

    # The chooser of the brand picked in the post's form: its images, uploads into its collection.
    panels = [
        FieldPanel("image", widget=BrandImageChooser),
        FieldPanel(
            "alt_text",
            help_text=(
                "Describe the image for people who cannot see it. Choosing an image fills this from "
                "the image's description (or title): check it says what matters in this post."
            ),
        ),
    ]


class PollOption(Orderable):
    post = ParentalKey(Post, on_delete=models.CASCADE, related_name="poll_options")
    label = models.CharField(max_length=30)

    panels = [FieldPanel("label")]


class CaptionVariant(models.Model):
    """A caption written for one platform, used there instead of the main caption."""

    post = ParentalKey(Post, on_delete=models.CASCADE, related_name="caption_variants")
    platform = models.ForeignKey("brands.Platform", on_delete=models.PROTECT, related_name="+")
    caption = models.TextField(validators=[caption_length_validator])

    panels = [FieldPanel("platform"), FieldPanel("caption")]

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "platform"], name="one_caption_variant_per_platform")
        ]

    def clean(self):
        super().clean()
        self.caption = with_lf_line_endings(
            self.caption
        )  # as the main caption (Post.keep_content_in_one_form)

    def save(self, *args, **kwargs):
        self.caption = with_lf_line_endings(self.caption)
        return super().save(*args, **kwargs)


class FindingOverride(models.Model):
    """A lead let a post go for approval despite blocking findings. The post then counts as high-risk."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="finding_overrides")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField()
    findings = models.JSONField(
        help_text="The blocking findings that were overridden, as the checker gave them."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Override on {self.post} by {self.user}"

    @property
    def by(self) -> str:
        """Who overrode, by name (an account since deleted: "a former lead")."""
        if self.user is None:
            return "a former lead"
        return self.user.get_full_name() or self.user.get_username()

    @property
    def finding_messages(self) -> list[str]:
        """The findings overridden, in the checker's words."""
        return [finding.get("message", "") for finding in self.findings if isinstance(finding, dict)]


class CheckedRevision(models.Model):
    """The checker's findings on one revision of a post, kept so lists of posts under review
    (the review inbox, the API) can show them without re-reading every image."""

    revision = models.OneToOneField(
        Revision, primary_key=True, on_delete=models.CASCADE, related_name="checked"
    )
    findings = models.JSONField(help_text="The findings as the checker gave them.")
    blocking_count = models.PositiveIntegerField()
    checked_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Findings on revision {self.revision_id}"

    @property
    def count(self) -> int:
        return len(self.findings)


def cascade_unless_held(collector, field, sub_objs, using):
    """RevisionImage.image's on_delete: an image that a held revision uses can't be deleted
    (ImageHeld, from cms/posts/image_holds.py); any other image takes its rows with it.

    Django calls this while it collects what a delete takes with it, before it starts
    deleting: the refusal comes before any change, on every path (one image, a queryset, the
    admin's views), and leaves the caller's transaction usable."""
    from .image_holds import refuse_to_delete_held_images

    refuse_to_delete_held_images(sub_objs)
    models.CASCADE(collector, field, sub_objs, using)


class RevisionImage(models.Model):
    """An image one revision of a post uses. Approvals are bound to a revision's content, which
    names its images by id only: these rows let an image that a version under review, approved
    or published uses be held as it was (cms/posts/image_holds.py). Written whenever a revision
    is saved."""

    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="post_images")
    image = models.ForeignKey("wagtailimages.Image", on_delete=cascade_unless_held, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["revision", "image"], name="one_row_per_revision_image")
        ]

    def __str__(self):
        return f"Image {self.image_id} in revision {self.revision_id}"
