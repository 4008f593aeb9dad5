"""The tiered approval workflow: brand policies, the tiers (Wagtail tasks) and the decisions."""

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
    senior_turnaround_hours = models.PositiveSmallIntegerField(default=8, help_text="Working hours.")
    lead_turnaround_hours = models.PositiveSmallIntegerField(default=8, help_text="Working hours.")
    client_turnaround_hours = models.PositiveSmallIntegerField(default=24, help_text="Working hours.")

    panels = [
        FieldPanel("senior_approvals_required"),
        FieldPanel("lead_review"),
        FieldPanel("client_approval_required"),
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
    ]

    class Meta:
        verbose_name = "approval policy"
        verbose_name_plural = "approval policies"

    def __str__(self):
        return f"{self.brand} approval policy"


class ReviewTask(Task):
    """One tier of the agency workflow. It decides when it starts whether it applies to the post
    and skips itself, on the record, when it does not (see approvals.services.tier_applies)."""

    tier = models.CharField(max_length=10, choices=ReviewTier.choices, unique=True)

    admin_form_fields = Task.admin_form_fields + ["tier"]

    class Meta:
        verbose_name = "review tier"

    def start(self, workflow_state, user=None):
        from .services import skip_tier_if_not_applicable, tier_to_start

        tier = tier_to_start(self, workflow_state)
        if tier.pk != self.pk:
            return tier.start(workflow_state, user)
        return skip_tier_if_not_applicable(self, workflow_state, user) or super().start(workflow_state, user)

    def on_action(self, task_state, user, action_name, **kwargs):
        from .services import approve_task, request_changes

        if action_name == "approve":
            approve_task(task_state=task_state, user=user, comment=kwargs.get("comment", ""))
        elif action_name == "reject":
            request_changes(
                task_state=task_state,
                user=user,
                reason=kwargs.get("reason", ReasonCode.OTHER),
                comment=kwargs.get("comment", ""),
            )

    def user_can_access_editor(self, obj, user):
        from .services import user_can_decide

        return user_can_decide(self, obj, user)

    def locked_for_user(self, obj, user):
        return False  # edits are allowed; they send the post back through the tiers

    def get_actions(self, obj, user):
        from .services import user_can_decide

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

    class Meta:
        ordering = ["created_at"]
        constraints = [
            # One decision per person per tier visit: a double-click can't count twice.
            models.UniqueConstraint(fields=["task_state", "user"], name="one_decision_per_reviewer_per_task")
        ]

    def __str__(self):
        return f"{self.get_outcome_display()} by {self.user} ({self.task_state_id})"
