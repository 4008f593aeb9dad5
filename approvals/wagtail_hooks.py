"""Approvals in the Wagtail admin: brand approval policies (edited by leads) and our log actions."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from brands.roles import KIT_EDITOR_ROLES
from brands.scoping import BrandScopedChooserViewSet, BrandScopedPermissionPolicy, BrandScopedViewSetMixin

from .models import ApprovalPolicy

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

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("brand")


register_snippet(ApprovalPolicyViewSet)


@hooks.register("register_log_actions")
def register_approval_log_actions(actions):
    actions.register_action(
        "signoff.tier_skipped", "Skip tier", "Tier skipped: it does not apply to this post"
    )
    actions.register_action(
        "signoff.partial_approval", "Approve (more needed)", "Approved; another approval needed"
    )
