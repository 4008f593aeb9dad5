"""The Brands area of the Wagtail admin: clients and brands for admins, kits for leads."""

from wagtail.admin.panels import ObjectList
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .forms import BrandKitForm
from .models import Brand, BrandKit, Client
from .roles import KIT_EDITOR_ROLES
from .scoping import BrandScopedChooserViewSet, BrandScopedPermissionPolicy, BrandScopedViewSetMixin

register_permission_policy(
    BrandKit, BrandScopedPermissionPolicy(BrandKit, roles_for_action={"change": KIT_EDITOR_ROLES})
)
register_permission_policy(Brand, BrandScopedPermissionPolicy(Brand, brand_id_field="id"))


class ClientViewSet(SnippetViewSet):
    model = Client
    icon = "group"
    list_display = ["name", "slug"]
    search_fields = ["name"]
    search_backend_name = None


class BrandViewSet(BrandScopedViewSetMixin, SnippetViewSet):
    model = Brand
    icon = "tag"
    list_display = ["name", "client", "time_zone"]
    list_filter = ["client"]
    search_fields = ["name"]
    search_backend_name = None
    chooser_viewset_class = BrandScopedChooserViewSet
    inspect_view_enabled = True


class BrandKitViewSet(BrandScopedViewSetMixin, SnippetViewSet):
    model = BrandKit
    icon = "image"
    menu_label = "Brand kits"
    list_display = ["brand", "emoji_policy", "sponsored_disclaimer"]
    search_fields = ["brand__name"]
    search_backend_name = None
    inspect_view_enabled = True
    chooser_viewset_class = BrandScopedChooserViewSet

    def get_edit_handler(self):
        return ObjectList(BrandKit.panels, base_form_class=BrandKitForm).bind_to_model(BrandKit)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("brand")


class BrandsGroup(SnippetViewSetGroup):
    menu_label = "Brands"
    menu_icon = "tag"
    menu_order = 200
    items = (BrandKitViewSet, BrandViewSet, ClientViewSet)


register_snippet(BrandsGroup)
