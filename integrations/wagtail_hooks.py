from datetime import timedelta

from django.db.models import Count, Q
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, HelpPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, SnippetViewSet

from brands.scoping import (
    ANY_ACTION,
    BrandScopedChooserViewSet,
    BrandScopedPermissionPolicy,
    BrandScopedViewSetMixin,
)

from . import admin_views, webhook_views
from .forms import WebhookSubscriptionForm
from .models import WebhookEvent, WebhookSubscription
from .subscriptions import MANAGER_ROLES, manages_any


@hooks.register("register_admin_urls")
def register_api_token_urls():
    return [
        path("account/api-tokens/", admin_views.ApiTokensView.as_view(), name="integrations_api_tokens"),
        path(
            "account/api-tokens/<int:token_id>/revoke/",
            admin_views.revoke,
            name="integrations_api_token_revoke",
        ),
        path(
            "webhooks/<int:pk>/deliveries/",
            webhook_views.deliveries,
            name="integrations_webhook_deliveries",
        ),
        path("webhooks/<int:pk>/test/", webhook_views.send_test, name="integrations_webhook_test"),
        path("webhooks/<int:pk>/rotate-secret/", webhook_views.rotate, name="integrations_webhook_rotate"),
    ]


@hooks.register("register_account_menu_item")
def api_tokens_account_item(request):
    return {
        "url": reverse("integrations_api_tokens"),
        "label": "API tokens",
        "help_text": "Make and revoke tokens for your scripts and tools to use Signoff's API.",
    }


# Webhook subscriptions ---------------------------------------------------------------------------


class WebhookSubscriptionPolicy(BrandScopedPermissionPolicy):
    """A brand's account leads (and admins) manage its subscriptions; nobody else sees them.
    Decided by brand role, not by Django's model permissions: no group needs granting."""

    def __init__(self):
        super().__init__(
            WebhookSubscription,
            roles_for_action={action: set(MANAGER_ROLES) for action in ANY_ACTION},
            nobody_may={"publish", "lock", "unlock"},
        )

    def user_has_permission(self, user, action):
        return action not in self.nobody_may and manages_any(user)

    def users_with_any_permission(self, actions):
        from django.contrib.auth import get_user_model

        return get_user_model().objects.filter(is_active=True)


register_permission_policy(WebhookSubscription, WebhookSubscriptionPolicy())


class CreateSubscriptionView(CreateView):
    """After making one, its secret is shown once, on its delivery log (with the test button)."""

    def form_valid(self, form):
        response = super().form_valid(form)
        if self.object is not None and self.object.pk:
            webhook_views.show_secret_once(self.request, self.object)
            return redirect("integrations_webhook_deliveries", pk=self.object.pk)
        return response


class DeliveriesColumn(Column):
    cell_template_name = "integrations/deliveries_cell.html"


class WebhookSubscriptionViewSet(BrandScopedViewSetMixin, SnippetViewSet):
    model = WebhookSubscription
    # Wagtail's chooser would list every brand's subscriptions to anyone in the admin.
    chooser_viewset_class = BrandScopedChooserViewSet
    icon = "link"
    menu_label = "Webhook subscriptions"
    add_to_settings_menu = True
    add_view_class = CreateSubscriptionView
    list_filter = ["active"]
    search_fields = ["name", "url"]
    search_backend_name = None
    edit_handler = ObjectList(
        [
            HelpPanel(
                content="<p>Signoff POSTs each chosen event of this brand's posts to the URL as JSON, "
                "signed like channel webhooks (X-Signoff-Signature: HMAC-SHA256 of the body with "
                "the subscription's secret, shown once when you save). See docs/webhooks.md.</p>"
            ),
            FieldPanel("brand"),
            FieldPanel("name"),
            FieldPanel("url"),
            FieldPanel("events"),
            FieldPanel("active"),
        ],
        base_form_class=WebhookSubscriptionForm,
    )

    @property
    def list_display(self):
        return [
            "name",
            "brand",
            "url",
            "active",
            Column("failed_events", label="Failed events (7 days)"),
            DeliveriesColumn("deliveries", label="Log"),
        ]

    def get_queryset(self, request):
        # Failures in sight on the listing, counted in the same query as the rows.
        week_ago = timezone.now() - timedelta(days=7)
        failed = Q(events_sent__status=WebhookEvent.Status.FAILED, events_sent__created_at__gte=week_ago)
        return (
            super()
            .get_queryset(request)
            .select_related("brand")
            .annotate(failed_events=Count("events_sent", filter=failed))
        )


register_snippet(WebhookSubscriptionViewSet)
