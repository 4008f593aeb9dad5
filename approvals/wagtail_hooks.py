"""Approvals in the Wagtail admin: brand approval policies (edited by leads) and our log actions."""

import datetime

from django.templatetags.static import static
from django.urls import include, path, reverse
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import ObjectList
from wagtail.admin.views.account import BaseSettingsPanel, notifications_tab
from wagtail.log_actions import LogFormatter
from wagtail.permissions import policy_registry, register_permission_policy
from wagtail.snippets.action_menu import ActionMenuItem, CancelWorkflowMenuItem, WorkflowMenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from brands.roles import KIT_EDITOR_ROLES
from brands.scoping import (
    BrandScopedChooserViewSet,
    BrandScopedPermissionPolicy,
    BrandScopedViewSetMixin,
    brand_roles_of,
)
from cms.posts.models import Post

from . import admin_views, comment_views, dashboard
from .forms import ApprovalPolicyForm, NotificationPreferenceForm
from .models import ApprovalPolicy, NotificationPreference
from .selectors import REVIEWING_ROLES
from .services import is_scheduled

register_permission_policy(
    ApprovalPolicy,
    BrandScopedPermissionPolicy(
        ApprovalPolicy, roles_for_action={"change": KIT_EDITOR_ROLES}, nobody_may={"add"}
    ),
)


class ApprovalPolicyViewSet(BrandScopedViewSetMixin, SnippetViewSet):
    model = ApprovalPolicy
    icon = "tasks"
    menu_label = "Approval policies"
    add_to_admin_menu = False
    list_display = ["brand", "senior_approvals_required", "lead_review", "client_approval_required"]
    search_fields = ["brand__name"]
    search_backend_name = None
    inspect_view_enabled = True
    chooser_viewset_class = BrandScopedChooserViewSet

    def get_edit_handler(self):
        # Wagtail takes the form class from the top panel: the working-week checkboxes live there.
        return ObjectList(ApprovalPolicy.panels, base_form_class=ApprovalPolicyForm).bind_to_model(
            ApprovalPolicy
        )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("brand")


register_snippet(ApprovalPolicyViewSet)


@hooks.register("register_account_settings_panel")
class ReviewEmailsPanel(BaseSettingsPanel):
    """Each person mutes Signoff's review e-mails themselves, in their account settings; every
    e-mail links here. https://docs.wagtail.org/en/stable/reference/hooks.html#register-account-settings-panel
    """

    name = "review_emails"
    title = "Review e-mails"
    tab = notifications_tab
    order = 300
    form_class = NotificationPreferenceForm

    def get_form(self):
        # No row until someone changes it: most people never do.
        preference = NotificationPreference.objects.filter(user=self.user).first()
        kwargs = {"instance": preference or NotificationPreference(user=self.user), "prefix": self.name}
        if self.request.method == "POST":
            return self.form_class(self.request.POST, **kwargs)
        return self.form_class(**kwargs)


@hooks.register("register_log_actions")
def register_approval_log_actions(actions):
    actions.register_action(
        "signoff.tier_skipped", "Skip tier", "Tier skipped: it does not apply to this post"
    )
    actions.register_action(
        "signoff.partial_approval", "Approve (more needed)", "Approved; another approval needed"
    )
    actions.register_action("signoff.reminder_sent")(ReminderSent)
    actions.register_action("signoff.withdrawn")(Withdrawn)
    actions.register_action("signoff.publish_refused")(PublishRefused)
    actions.register_action(
        "signoff.newer_version_in_review",
        "Review the newer version",
        "Edited while the last tier approved: the approved version goes out, this newer one is reviewed",
    )
    actions.register_action("signoff.escalated")(Escalated)
    actions.register_action("signoff.reapproval_required")(ReapprovalRequired)
    actions.register_action("signoff.comment_added")(CommentAdded)
    actions.register_action("signoff.comment_resolved")(CommentResolved)
    actions.register_action("signoff.comment_reopened")(CommentReopened)


def _due(log_entry) -> str:
    # Stored in the brand's time zone, so the history reads as the brand's people see the clock.
    due = datetime.datetime.fromisoformat(log_entry.data["due_at"])
    return f"{due:%a} {due.day} {due:%b %H:%M} ({log_entry.data['time_zone']})"


class Withdrawn(LogFormatter):
    label = "Withdraw from schedule"

    def format_message(self, log_entry):
        return f"Withdrawn from the schedule: {log_entry.data.get('reason', '')}"


class PublishRefused(LogFormatter):
    label = "Refuse to publish"

    def format_message(self, log_entry):
        reason = log_entry.data.get("reason") or "the content is not what every tier approved"
        return f"Not published at its time, and taken off the schedule: {reason}"


class ReminderSent(LogFormatter):
    label = "Remind reviewers"

    def format_message(self, log_entry):
        return f"Reminder sent: half of the {log_entry.data['tier']} turnaround has passed; due {_due(log_entry)}"


class Escalated(LogFormatter):
    label = "Escalate to leads"

    def format_message(self, log_entry):
        return f"Escalated to the account leads: {log_entry.data['tier']} was due {_due(log_entry)}"


class ReapprovalRequired(LogFormatter):
    label = "Re-approval required"

    def format_message(self, log_entry):
        tiers = " and ".join(log_entry.data["tiers"])
        return f"Edited after approval: {tiers} must approve the new content again"


@hooks.register("register_admin_urls")
def register_inbox_urls():
    return [
        path("reviews/", admin_views.inbox, name="approvals_inbox"),
        path("reviews/approve-selected/", admin_views.bulk_approve, name="approvals_inbox_bulk_approve"),
        path("reviews/<int:task_state_id>/", admin_views.inbox, name="approvals_inbox_review"),
        path("reviews/<int:task_state_id>/approve/", admin_views.approve, name="approvals_inbox_approve"),
        path("reviews/<int:task_state_id>/changes/", admin_views.changes, name="approvals_inbox_changes"),
        path(
            "reviews/<int:task_state_id>/preview/<int:revision_id>/<str:mode>/",
            admin_views.preview,
            name="approvals_inbox_preview",
        ),
        path("reviews/decisions/<int:decision_id>/undo/", admin_views.undo, name="approvals_inbox_undo"),
        path("posts/<int:pk>/withdraw/", admin_views.WithdrawView.as_view(), name="approvals_withdraw"),
    ]


class InboxMenuItem(MenuItem):
    """Only people who review (and have something to review in their brands) need the inbox."""

    def is_shown(self, request):
        user = request.user
        return user.is_superuser or any(role in REVIEWING_ROLES for role in brand_roles_of(user).values())


@hooks.register("register_admin_menu_item")
def register_inbox_menu_item():
    return InboxMenuItem("Review inbox", reverse("approvals_inbox"), icon_name="tasks", order=150)


# Review comments (approvals.comments) ------------------------------------------------------------

COMMENT_ON = {"caption": "on the caption", "image": "on an image", "post": "on the post"}


class CommentAdded(LogFormatter):
    label = "Comment"

    def format_message(self, log_entry):
        if log_entry.data.get("reply_to"):
            return "Replied to a review comment"
        return f"Review comment {COMMENT_ON.get(log_entry.data.get('on'), '')}".strip()

    def format_comment(self, log_entry):
        return log_entry.data.get("excerpt", "")


class CommentResolved(LogFormatter):
    label = "Resolve comment"
    message = "Review comment resolved"

    def format_comment(self, log_entry):
        return log_entry.data.get("excerpt", "")


class CommentReopened(LogFormatter):
    label = "Reopen comment"
    message = "Review comment reopened"

    def format_comment(self, log_entry):
        return log_entry.data.get("excerpt", "")


@hooks.register("register_admin_urls")
def register_review_comment_urls():
    return [path("", include(comment_views))]


@hooks.register("insert_editor_js")
def review_comments_js():
    return format_html('<script src="{}"></script>', static("js/review-comments.js"))


# Wagtail 8 has no editor-only CSS hook.
@hooks.register("insert_global_admin_css")
def review_comments_css():
    return format_html('<link rel="stylesheet" href="{}">', static("css/review-comments.css"))


@hooks.register("construct_homepage_panels")
def replace_workflow_panels(request, panels):
    """Our brand-aware panels in place of Wagtail's generic workflow ones."""
    panels[:] = [
        panel
        for panel in panels
        if panel.name not in {"workflow_objects_to_moderate", "user_objects_in_workflow_moderation"}
    ]
    panels.extend(dashboard.signoff_panels(request.user))


class WithdrawMenuItem(ActionMenuItem):
    """In a scheduled post's editor: stop it from going out."""

    name = "action-withdraw"
    label = "Withdraw from schedule"
    icon_name = "warning"

    def is_shown(self, context):
        post = context.get("instance")
        return (
            context["view"] == "edit"
            and post is not None
            and policy_registry.get_by_type(Post).user_has_permission_for_instance(
                context["request"].user, "change", post
            )
            and is_scheduled(post)
        )

    def get_url(self, context):
        return reverse("approvals_withdraw", args=[context["instance"].pk])


@hooks.register("register_snippet_action_menu_item")
def register_withdraw_menu_item(model):
    return WithdrawMenuItem(order=70) if model is Post else None


# The decisions first when the user decides the post's current tier: Approve is the main button,
# Request changes heads the menu, cancelling the workflow comes last. (Wagtail lists them after
# its own actions.) https://docs.wagtail.org/en/stable/reference/hooks.html#construct-snippet-action-menu
def _decision_order(item) -> int:
    if item.name == "approve" and not item.launch_modal:
        return 0  # Approve, in one click
    return 1 if item.name == "reject" else 2  # Request changes, then Approve with comment


@hooks.register("construct_snippet_action_menu")
def put_decisions_first(menu_items, request, context):
    if context.get("model") is not Post:
        return
    decisions = [item for item in menu_items if isinstance(item, WorkflowMenuItem)]
    if not decisions:
        return
    decisions.sort(key=_decision_order)
    cancel = [item for item in menu_items if isinstance(item, CancelWorkflowMenuItem)]
    others = [item for item in menu_items if item not in decisions and item not in cancel]
    menu_items[:] = [*decisions, *others, *cancel]
