"""The client portal's corner of the Wagtail admin: magic links, for the brands' account leads."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets.button import Button

from brands.models import Brand, BrandRole
from brands.scoping import brand_roles_of

from . import admin_views
from .magic_links import may_manage_links


@hooks.register("register_admin_urls")
def register_magic_link_urls():
    return [
        path("magic-links/", admin_views.MagicLinksView.as_view(), name="portal_magic_links"),
        path("magic-links/new/", admin_views.CreateMagicLinkView.as_view(), name="portal_magic_links_create"),
        path(
            "magic-links/<int:pk>/revoke/",
            admin_views.RevokeMagicLinkView.as_view(),
            name="portal_magic_links_revoke",
        ),
    ]


class LeadsMenuItem(MenuItem):
    def is_shown(self, request):
        user = request.user
        return user.is_superuser or BrandRole.LEAD in brand_roles_of(user).values()


@hooks.register("register_admin_menu_item")
def register_magic_links_menu_item():
    return LeadsMenuItem("Portal magic links", reverse("portal_magic_links"), icon_name="link", order=250)


@hooks.register("register_snippet_listing_buttons")
def brand_magic_links_button(snippet, user, next_url=None):
    """In the Brands listing, each brand the user leads links to its magic links."""
    if isinstance(snippet, Brand) and may_manage_links(user, snippet):
        yield Button(
            "Portal magic links",
            f"{reverse('portal_magic_links')}?brand={snippet.pk}",
            icon_name="link",
            priority=60,
        )


@hooks.register("register_log_actions")
def register_magic_link_log_actions(actions):
    actions.register_action("signoff.magic_link_created", "Create magic link", "Magic link created")
    actions.register_action("signoff.magic_link_revoked", "Revoke magic link", "Magic link revoked")
