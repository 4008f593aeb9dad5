"""The tiered approval workflow: brand policies, the tiers (Wagtail tasks) and the decisions."""

import datetime

from django.conf import settings
from django.db import models
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.models import Task, TaskState


class ReviewTier(models.TextChoices):
    SENIOR = "senior", "Senior review"
    LEAD = "lead", "Account-lead review"
    CLIENT = "client", "Client approval"


class ApprovalPolicy(models.Model):
    """How a brand wants its posts approved. Edited by the brand's account leads."""

    class LeadReview(models.TextChoices):
        HIGH_RISK = "high_risk", "High-risk posts only (overrides, sensitive dates)"
        ALWAYS = "always", "Every post"

    brand = models.OneToOneField("brands.Brand", on_delete=models.CASCADE, related_name="approval_policy")
    senior_approvals_required = models.PositiveSmallIntegerField(
        choices=[(1, "Any one reviewer"), (2, "Two different reviewers")], default=1
    )
    lead_review = models.CharField(max_length=10, choices=LeadReview.choices, default=LeadReview.HIGH_RISK)
    client_approval_required = models.BooleanField(
        default=False, help_text="The client signs off every post in the portal before it goes out."
    )
    show_client_drafts_early = models.BooleanField(
        default=False,
        help_text="Clients see posts in the portal while the agency still reviews them (read-only "
        "until they reach the client tier). Off: only posts awaiting the client or approved.",
    )
    senior_turnaround_hours = models.PositiveSmallIntegerField(default=8, help_text="Working hours.")
    lead_turnaround_hours = models.PositiveSmallIntegerField(default=8, help_text="Working hours.")
    client_turnaround_hours = models.PositiveSmallIntegerField(default=24, help_text="Working hours.")
    # The brand's working week, in its own time zone: turnaround targets count only these hours.
    # ISO weekday digits, 1 = Monday ... 7 = Sunday.
    working_days = models.CharField(max_length=7, default="12345")
    working_day_starts = models.TimeField(default=datetime.time(9, 0))
    working_day_ends = models.TimeField(default=datetime.time(18, 0))

    panels = [
        FieldPanel("senior_approvals_required"),
        FieldPanel("lead_review"),
        FieldPanel("client_approval_required"),
        FieldPanel("show_client_drafts_early"),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("senior_turnaround_hours"),
                        FieldPanel("lead_turnaround_hours"),
                        FieldPanel("client_turnaround_hours"),
                    ]
                )
            ],
            heading="Turnaround targets",
        ),
        # Edited through approvals.forms.ApprovalPolicyForm (weekday checkboxes, end after start).
        MultiFieldPanel(
            [
                FieldPanel("working_days"),
                FieldRowPanel([FieldPanel("working_day_starts"), FieldPanel("working_day_ends")]),
            ],
            heading="Working hours",
        ),
    ]

    class Meta:
        verbose_name = "approval policy"
        verbose_name_plural = "approval policies"

    def __str__(self):
        return f"{self.brand} approval policy"


class ReviewTask(Task):
    """One tier of the agency workflow. It decides when it starts whether it applies to the post
    and skips itself, on the record, when it does not (see approvals.tiers.tier_applies)."""

    tier = models.CharField(max_length=10, choices=ReviewTier.choices, unique=True)

    admin_form_fields = Task.admin_form_fields + ["tier"]

    class Meta:
        verbose_name = "review tier"

    def start(self, workflow_state, user=None):
        from .notifications import notify_review_requested
        from .tiers import skip_tier_if_not_applicable, tier_to_start

        tier = tier_to_start(self, workflow_state)
        if tier.pk != self.pk:
            return tier.start(workflow_state, user)
        skipped = skip_tier_if_not_applicable(self, workflow_state, user)
        if skipped is not None:
            return skipped
        task_state = super().start(workflow_state, user)
        notify_review_requested(task_state)
        return task_state

    def on_action(self, task_state, user, action_name, **kwargs):
        self.decide(task_state, user, action_name, **kwargs)
        # Wagtail takes what on_action returns for a URL to redirect to: nothing here.

    def decide(self, task_state, user, action_name, **kwargs):
        """Record `user`'s decision (`action_name`: "approve" or "reject") on this tier of the
        post through the services, and return it.

        The decision's data comes from the browser (Wagtail's workflow forms): text only.
        `seen_revision_id`: the revision the decider saw, when the caller knows it (the post
        page does): the decision is refused if the post changed since.
        """
        from .services import approve_task, request_changes

        comment = str(kwargs.get("comment") or "")
        seen = kwargs.get("seen_revision_id")
        if action_name == "approve":
            return approve_task(task_state=task_state, user=user, comment=comment, seen_revision_id=seen)
        if action_name == "reject":
            return request_changes(
                task_state=task_state,
                user=user,
                reason=str(kwargs.get("reason") or ReasonCode.OTHER),
                comment=comment,
                seen_revision_id=seen,
            )
        return None

    def user_can_access_editor(self, obj, user):
        from .services import user_can_decide

        return user_can_decide(self, obj, user)

    def locked_for_user(self, obj, user):
        return False  # edits are allowed; they send the post back through the tiers

    def get_actions(self, obj, user):
        from .services import user_can_decide

        task_state = obj.current_workflow_task_state
        if task_state is None or task_state.status != TaskState.STATUS_IN_PROGRESS:
            return []  # decided; the workflow is moving on (approvals.moving_on)
        if not user_can_decide(self, obj, user):
            return []
        return [
            ("reject", "Request changes", True),
            ("approve", "Approve", False),
            ("approve", "Approve with comment", True),
        ]

    def get_form_for_action(self, action):
        from .forms import ApproveForm, RequestChangesForm

        return RequestChangesForm if action == "reject" else ApproveForm

    def get_task_states_user_can_moderate(self, user, **kwargs):
        from .selectors import reviews_awaiting

        return reviews_awaiting(user).filter(task=self)

    @classmethod
    def get_description(cls):
        return "A tier of the agency's approval workflow, acted on by the post's brand's own people"


class ReasonCode(models.TextChoices):
    TONE = "tone", "Tone of voice"
    VISUAL = "visual", "Visual"
    COPY = "copy", "Copy error"
    FACTS = "facts", "Facts / legal"
    TIMING = "timing", "Timing / sensitivity"
    OTHER = "other", "Other"


class ReviewDecision(models.Model):
    """One person's decision on one tier, bound to the exact content they saw."""

    class Outcome(models.TextChoices):
        APPROVED = "approved", "Approved"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"

    task_state = models.ForeignKey(TaskState, on_delete=models.CASCADE, related_name="review_decisions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_decisions"
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    reason = models.CharField(max_length=10, choices=ReasonCode.choices, blank=True)
    comment = models.TextField(blank=True)
    revision = models.ForeignKey("wagtailcore.Revision", on_delete=models.PROTECT, related_name="+")
    content_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    # The decision is its own outbox: the relay (manage.py follow_up_decisions) writes its history
    # entry and moves the workflow on after it commits, then sets followed_up_at
    # (approvals.moving_on), not before follow_up_due_at: the undo window after the decision
    # (SIGNOFF_UNDO_SECONDS), or, after a follow-up failed, its retry, backing off.
    # (Database defaults: a web process still running the code from before these columns keeps
    # recording decisions until it is restarted.)
    followed_up_at = models.DateTimeField(null=True, blank=True)
    follow_up_failures = models.PositiveSmallIntegerField(default=0, db_default=0)
    follow_up_due_at = models.DateTimeField(null=True, blank=True)
    # How many approvals the tier needed when this approval was made (None: changes requested),
    # for the history entry of an approval that doesn't close its tier yet.
    approvals_needed = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            # One decision per person per tier visit: a double-click can't count twice.
            models.UniqueConstraint(fields=["task_state", "user"], name="one_decision_per_reviewer_per_task")
        ]
        indexes = [
            # The relay's poll, every second: only the few decisions still waiting are indexed.
            models.Index(
                fields=["id"], condition=models.Q(followed_up_at__isnull=True), name="decisions_to_follow_up"
            )
        ]

    def __str__(self):
        return f"{self.get_outcome_display()} by {self.user} ({self.task_state_id})"

    def headline(self) -> str:
        """What the decider is told once their decision is recorded."""
        title = self.revision.object_str
        if self.outcome == self.Outcome.CHANGES_REQUESTED:
            return f"Changes requested on “{title}”: it goes back to its author."
        if self.task_state.status == TaskState.STATUS_IN_PROGRESS:
            return f"Approved “{title}”: the tier waits for another reviewer's approval."
        return f"Approved “{title}”: it moves on to the next step."


class ReviewComment(models.Model):
    """A reviewer's comment on a post: on a span of its caption, on one image, or on the whole
    post; replies hang off the first comment of a thread. Wagtail's own commenting is page-only."""

    class Anchor(models.TextChoices):
        POST = "post", "Whole post"
        CAPTION = "caption", "Caption"
        IMAGE = "image", "Image"

    post = models.ForeignKey("posts.Post", on_delete=models.CASCADE, related_name="review_comments")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    anchor = models.CharField(max_length=10, choices=Anchor.choices, default=Anchor.POST)
    # Caption spans in code points of the caption as it was in `revision`; `quote` keeps the text
    # commented on, so the comment still reads right after the caption changed.
    span_start = models.PositiveIntegerField(null=True, blank=True)
    span_end = models.PositiveIntegerField(null=True, blank=True)
    quote = models.TextField(blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Agency comments stay internal; the portal shows clients only their own.
    visible_to_client = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["post", "resolved_at"])]

    def __str__(self):
        return f"Comment by {self.author} on {self.post_id}"


class NotificationPreference(models.Model):
    """A person's say over Signoff's e-mails to them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email_muted = models.BooleanField(
        default=False, help_text="Send me no review e-mails (I check the inbox myself)."
    )

    def __str__(self):
        return f"Notification preference of {self.user}"


class TurnaroundNotice(models.Model):
    """A reminder or escalation sent for one tier visit: recorded so each goes out once."""

    class Kind(models.TextChoices):
        REMINDER = "reminder", "Reminder"
        ESCALATION = "escalation", "Escalation"

    task_state = models.ForeignKey(TaskState, on_delete=models.CASCADE, related_name="turnaround_notices")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["task_state", "kind"], name="one_notice_of_a_kind_per_task")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} for task state {self.task_state_id}"
