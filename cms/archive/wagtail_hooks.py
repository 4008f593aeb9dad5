"""Publishing in the admin: each brand's channels (its leads configure them) and the publishing
desk (to post now, deliveries in trouble, delivered lately)."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, HelpPanel, ObjectList
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from brands.models import BrandRole
from brands.scoping import (
    BrandScopedChooserViewSet,
    BrandScopedPermissionPolicy,
    BrandScopedViewSetMixin,
    brand_roles_of,
)

from . import admin_views
from .models import Channel

# Channels come with each brand platform (cms.archive.signals); leads set them up.
register_permission_policy(
    Channel,
    BrandScopedPermissionPolicy(
        Channel, roles_for_action={"change": {BrandRole.LEAD}}, nobody_may={"add", "delete", "publish"}
    ),
)


class ChannelViewSet(BrandScopedViewSetMixin, SnippetViewSet):
    model = Channel
    icon = "upload"
    menu_label = "Channels"
    add_to_admin_menu = False
    list_display = ["brand", "platform", "kind", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["brand__name"]
    search_backend_name = None
    inspect_view_enabled = True
    chooser_viewset_class = BrandScopedChooserViewSet
    edit_handler = ObjectList(
        [
            HelpPanel(
                content="<p>Manual: at its time the post appears under Publishing for someone to post "
                "and record its link. Webhook: Signoff POSTs it as JSON, signed with the secret "
                "below (header X-Signoff-Signature, HMAC-SHA256 of the body), with an "
                "X-Signoff-Idempotency-Key that stays the same on every retry.</p>"
            ),
            FieldPanel("kind"),
            FieldPanel("webhook_url"),
            FieldPanel("webhook_secret", read_only=True),
            FieldPanel("active"),
        ]
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("brand", "platform")


register_snippet(ChannelViewSet)


@hooks.register("register_admin_urls")
def register_publishing_urls():
    return [
        path("publishing/", admin_views.PublishingView.as_view(), name="archive_publishing"),
        path("publishing/<int:delivery_id>/posted/", admin_views.posted, name="archive_publishing_posted"),
        path("publishing/<int:delivery_id>/retry/", admin_views.retry, name="archive_publishing_retry"),
        path("archive/", admin_views.ArchiveSearchView.as_view(), name="archive_search"),
        path("archive/export.csv", admin_views.archive_export, name="archive_search_export"),
        path("archive/entries/<int:entry_id>/", admin_views.ArchiveEntryView.as_view(), name="archive_entry"),
    ]


class PublishingMenuItem(MenuItem):
    def is_shown(self, request):
        # From the roles the request has read already: the menu costs no query of its own.
        return request.user.is_superuser or bool(brand_roles_of(request.user))


@hooks.register("register_admin_menu_item")
def register_publishing_menu_item():
    return PublishingMenuItem("Publishing", reverse("archive_publishing"), icon_name="upload", order=160)


@hooks.register("register_admin_menu_item")
def register_archive_menu_item():
    return PublishingMenuItem("Archive", reverse("archive_search"), icon_name="search", order=165)
