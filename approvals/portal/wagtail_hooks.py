"""The client portal's corner of the Wagtail admin: magic links, for the brands' account leads."""

from django.urls import reverse
from wagtail import hooks
from wagtail.admin.widgets.button import Button

from brands.models import Brand

from . import admin_views
from .magic_links import may_manage_links


@hooks.register("register_admin_viewset")
def register_magic_links_viewset():
    return admin_views.MagicLinkViewSet()


@hooks.register("register_snippet_listing_buttons")
def brand_magic_links_button(snippet, user, next_url=None):
    """In the Brands listing, each brand the user leads links to its magic links."""
    if isinstance(snippet, Brand) and may_manage_links(user, snippet):
        yield Button(
            "Portal magic links",
            f"{reverse('portal_magic_links:index')}?brand={snippet.pk}",
            icon_name="link",
            priority=60,
        )


@hooks.register("register_log_actions")
def register_magic_link_log_actions(actions):
    actions.register_action("signoff.magic_link_created", "Create magic link", "Magic link created")
    actions.register_action("signoff.magic_link_revoked", "Revoke magic link", "Magic link revoked")
