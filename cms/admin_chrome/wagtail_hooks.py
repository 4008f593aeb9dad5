"""The admin's furniture: Signoff's, not stock Wagtail's. Branding is in templates/wagtailadmin/."""

from django.urls import reverse
from wagtail import hooks
from wagtail.admin.search import SearchArea
from wagtail.permissions import policy_registry

# Wagtail's help items point agency staff at Wagtail's release notes and editor guide; the
# keyboard shortcuts stay.
WAGTAIL_HELP_ITEMS = ("editor-guide", "whats-new-in-wagtail-")


@hooks.register("construct_help_menu")
def keep_signoff_help_only(request, menu_items):
    menu_items[:] = [item for item in menu_items if not item.name.startswith(WAGTAIL_HELP_ITEMS)]


class PostSearchArea(SearchArea):
    def is_shown(self, request):
        from cms.posts.models import Post

        return policy_registry.get_by_type(Post).user_has_any_permission(request.user, ["view", "change"])


@hooks.register("register_admin_search_area")
def register_post_search_area():
    # Ordered before Wagtail's Pages area, so the sidebar's search box searches posts.
    return PostSearchArea(
        "Posts", reverse("wagtailsnippets_posts_post:list"), name="posts", icon_name="doc-full", order=50
    )
