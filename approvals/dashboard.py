"""The Wagtail dashboard's panels for reviewers, creatives and leads (replacing Wagtail's
generic workflow panels, which know nothing of brands, tiers or due times)."""

from django.utils import timezone
from wagtail.admin.ui.components import Component

from brands.models import BrandRole
from brands.scoping import brand_roles_of

from .inbox import inbox_page
from .selectors import REVIEWING_ROLES, overdue_on_brands_led_by, posts_needing_changes

SHOWN = 5


def _roles(user) -> set[str]:
    return set(brand_roles_of(user).values())


class AwaitingReviewPanel(Component):
    name = "signoff_awaiting_review"
    template_name = "approvals/dashboard/awaiting_review.html"
    order = 100

    def __init__(self, user):
        self.user = user

    def is_shown(self) -> bool:
        return self.user.is_superuser or bool(_roles(self.user) & REVIEWING_ROLES)

    def get_context_data(self, parent_context=None):
        page = inbox_page(self.user, per_page=SHOWN)
        return {"items": page.object_list, "count": page.paginator.count}


class NeedsChangesPanel(Component):
    name = "signoff_needs_changes"
    template_name = "approvals/dashboard/needs_changes.html"
    order = 110

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        return {"rows": posts_needing_changes(self.user)}


class OverduePanel(Component):
    name = "signoff_overdue"
    template_name = "approvals/dashboard/overdue.html"
    order = 120

    def __init__(self, user):
        self.user = user

    def is_shown(self) -> bool:
        return self.user.is_superuser or BrandRole.LEAD in _roles(self.user)

    def get_context_data(self, parent_context=None):
        rows = overdue_on_brands_led_by(self.user, timezone.now())
        return {"rows": rows[:10], "count": len(rows)}


def signoff_panels(user) -> list[Component]:
    panels = [AwaitingReviewPanel(user), NeedsChangesPanel(user), OverduePanel(user)]
    return [panel for panel in panels if getattr(panel, "is_shown", lambda: True)()]
