"""The Posts area of the Wagtail admin, scoped to the user's brands."""

from django.utils import timezone
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from brands.scoping import BrandScopedChooserViewSet, BrandScopedPermissionPolicy, BrandScopedViewSetMixin

from .filters import PostFilterSet
from .forms import PostForm
from .models import Post

register_permission_policy(Post, BrandScopedPermissionPolicy(Post))


class PlatformsColumn(Column):
    def get_value(self, instance):
        return ", ".join(platform.name for platform in instance.platforms.all())


class ScheduledColumn(Column):
    """When the post goes out, in its brand's time zone (the team plans in the brand's local time)."""

    def get_value(self, instance):
        if instance.go_live_at is None:
            return "—"
        local = timezone.localtime(instance.go_live_at, instance.brand.tz)
        return f"{local:%a %-d %b, %H:%M} {local.tzname()}"


class PostViewSet(BrandScopedViewSetMixin, SnippetViewSet):
    model = Post
    icon = "doc-full"
    menu_label = "Posts"
    menu_order = 100
    add_to_admin_menu = True
    chooser_viewset_class = BrandScopedChooserViewSet
    filterset_class = PostFilterSet
    search_fields = ["title", "caption"]
    search_backend_name = None  # plain database search, so it works on the annotated listing
    list_per_page = 50
    copy_view_enabled = True
    inspect_view_enabled = False
    list_display = [
        "title",
        Column("brand", label="Brand", accessor="brand"),
        PlatformsColumn("platforms", label="Platforms"),
        Column("format", label="Format", accessor="get_format_display"),
        StatusTagColumn(
            "status",
            label="Status",
            accessor="get_status_display",
            primary=lambda post: post.status == "published",
        ),
        ScheduledColumn("go_live_at", label="Scheduled", sort_key="go_live_at"),
        DateColumn("updated_at", label="Updated"),
    ]
    ordering = ["-updated_at"]

    def get_edit_handler(self):
        # Wagtail takes the form class from the top-level panel (or the model); ours limits brands.
        return ObjectList(Post.panels, base_form_class=PostForm).bind_to_model(Post)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .with_status()
            .select_related("brand", "latest_revision", "locked_by")
            .prefetch_related("platforms")
        )


register_snippet(PostViewSet)
