"""Wagtail's image views and admin image API, scoped to the user's brands.

Wagtail's views of one image look it up by id and then ask the permission policy, answering 403
(or a redirect) when it says no. That tells a creative on brand A that brand B's image 123
exists, and some views show its title anyway (the chooser's chosen view, bulk actions), or all
of it (the admin API, which asks no policy at all). One check, before any of these views runs,
answers 404 for an image outside the user's brands, exactly like an id that does not exist; it
sits in a middleware because Wagtail registers these views itself, and it covers any view it
adds under the same names. Listings, choosers and bulk actions on "all" are scoped by the
permission policy (image_permissions.py); the admin API, a DRF viewset answering JSON, by its
queryset (its detail and find views look images up there too).
"""

from django.http import Http404
from wagtail.images import get_image_model
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet

from cms.ids import as_id

from .selectors import images_visible_to

# Wagtail's image admin, its image chooser and ours for a brand's posts (image_chooser.py).
IMAGE_VIEW_NAMESPACES = {"wagtailimages", "wagtailimages_chooser", "brand_image_chooser"}
IMAGE_ID_KWARGS = ("image_id", "pk")
# Views that name their images in the query string (?id=1&id=2).
IDS_IN_QUERY = {"wagtailimages_chooser:chosen_multiple", "brand_image_chooser:chosen_multiple"}


def _image_ids_named(request) -> list[str]:
    """The image ids the request's view is about to look up, as given."""
    match = request.resolver_match
    if match.url_name == "wagtail_bulk_action":
        image_opts = get_image_model()._meta
        if (match.kwargs.get("app_label"), match.kwargs.get("model_name")) != (
            image_opts.app_label,
            image_opts.model_name,
        ):
            return []
        # "all" is the listing's own query, which the permission policy scopes.
        return [value for value in request.GET.getlist("id") if value != "all"]
    if match.namespace not in IMAGE_VIEW_NAMESPACES:
        return []
    ids = [str(match.kwargs[name]) for name in IMAGE_ID_KWARGS if name in match.kwargs]
    if match.view_name in IDS_IN_QUERY:
        ids += request.GET.getlist("id")
    return ids


class ImageScopeMiddleware:
    """404 for any of Wagtail's image views asked about an image outside the user's brands."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        # Signed-out users are sent to sign in by the admin itself; superusers see every brand.
        if not user.is_authenticated or user.is_superuser:
            return None
        named = _image_ids_named(request)
        if not named:
            return None
        ids = {as_id(value) for value in named}
        if None in ids or images_visible_to(user).filter(pk__in=ids).count() != len(ids):
            raise Http404("No such image.")
        return None


class BrandImagesAdminAPIViewSet(ImagesAdminAPIViewSet):
    """The admin API's images (the admin's own JavaScript uses it): only the user's brands'."""

    def get_queryset(self):
        return super().get_queryset().filter(pk__in=images_visible_to(self.request.user).values("pk"))
