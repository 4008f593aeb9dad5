"""The Brands area of the Wagtail admin: clients and brands for admins, kits for leads; and
users on the record (brands.people) kept from deletion."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from wagtail import hooks
from wagtail.admin.panels import ObjectList
from wagtail.images import get_image_model
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .filters import BrandFilterSet
from .forms import BrandKitForm
from .image_bulk_actions import DeleteImagesNotHeldBulkAction
from .image_chooser import brand_image_chooser_viewset
from .image_operations import StripMetadataOperation
from .image_permissions import image_permission_policy
from .image_scoping import BrandImagesAdminAPIViewSet
from .models import Brand, BrandKit, Client
from .people import kept_on_record_message, records_naming
from .roles import KIT_EDITOR_ROLES
from .scoping import BrandScopedChooserViewSet, BrandScopedPermissionPolicy, BrandScopedViewSetMixin

register_permission_policy(
    BrandKit,
    # Kits are made with their brand, never added by hand.
    BrandScopedPermissionPolicy(
        BrandKit, roles_for_action={"change": KIT_EDITOR_ROLES}, nobody_may={"add", "delete"}
    ),
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
    filterset_class = BrandFilterSet
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


@hooks.register("construct_reports_menu")
def hide_site_history_from_non_superusers(request, menu_items):
    # See cms/urls.py: the report is not scoped by brand.
    if not request.user.is_superuser:
        menu_items[:] = [item for item in menu_items if item.name != "site-history"]


# Images in a brand kit are the leads' to change or delete (brands/image_permissions.py).
# exact_class: Wagtail's images app registers its own policy for the model when it is ready,
# which can be after this module loads; an exact-class registration wins either way.
register_permission_policy(get_image_model(), image_permission_policy(), exact_class=True)


# The admin API's images, scoped to the user's brands (brands/image_scoping.py). Ordered after
# the images app's own hook, which registers Wagtail's unscoped endpoint under the same name.
@hooks.register("construct_admin_api", order=1)
def scope_admin_api_images(router):
    router.register_endpoint("images", BrandImagesAdminAPIViewSet)


# Bulk delete sets aside the images held by approvals and says why (brands/image_bulk_actions.py);
# ordered after the images app's own hook, which registers Wagtail's delete under the same name.
hooks.register("register_bulk_action", DeleteImagesNotHeldBulkAction, order=1)


# The image chooser of a brand's posts: that brand's images, uploads into its collection.
@hooks.register("register_admin_viewset")
def register_brand_image_chooser():
    return brand_image_chooser_viewset


@hooks.register("register_image_operations")
def register_strip_metadata_operation():
    return [("stripmetadata", StripMetadataOperation)]


@hooks.register("before_delete_user")
def keep_people_on_record(request, user):
    records = records_naming(user)
    if records:
        messages.error(request, kept_on_record_message(user, records))
        return redirect("wagtailusers_users:edit", user.pk)
    return None


@hooks.register("before_bulk_action")
def keep_people_on_record_in_bulk(request, action_type, objects, action_class_instance):
    if action_type != "delete" or not objects or objects[0]._meta.label != settings.AUTH_USER_MODEL:
        return None
    kept = [(user, records) for user in objects if (records := records_naming(user))]
    for user, records in kept:
        messages.error(request, kept_on_record_message(user, records))
    return redirect("wagtailusers_users:index") if kept else None
