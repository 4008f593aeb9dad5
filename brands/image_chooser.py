"""The image chooser of a brand's content: that brand's images, and uploads into its collection.

Wagtail's image chooser offers every collection the user may use. A creative on two brands,
picking a picture for a post of one, saw both brands' images, and the chooser's upload tab put a
new picture in whichever collection its menu showed first; the post then refused the image as
another brand's. This chooser takes the brand from the form it is opened from (`?brand=<id>`,
the widget's linked field, widgets.py; kept on the chooser's own links and its upload tab's action): it lists
only that brand's images and uploads only into that brand's collection, with no collection menu.
A brand the user doesn't work on is not found; a user who may not upload there gets no upload
tab. Opened without a brand (a new post before its brand is picked) it is Wagtail's chooser,
which already keeps to the user's own brands (image_permissions.py), and the post checks the
brand of each image when it is saved (brands.forms.refuse_images_of_other_brands).
"""

from django.http import Http404
from django.utils.functional import cached_property
from wagtail.images import get_image_model
from wagtail.images.views.chooser import (
    ImageChooseResultsView,
    ImageChooserViewSet,
    ImageChooseView,
    ImageUploadView,
)
from wagtail.models import Collection

from cms.ids import as_id

from .models import Brand
from .selectors import brands_for
from .widgets import BRAND_PARAMETER


class BrandImagesMixin:
    """For the chooser's views: the brand it was opened for, if any."""

    @cached_property
    def brand(self) -> Brand | None:
        raw = self.request.GET.get(BRAND_PARAMETER)
        if raw is None or raw == "":
            return None
        brand = brands_for(self.request.user).filter(pk=as_id(raw)).first()
        if brand is None or brand.collection_id is None:
            raise Http404("No such brand.")
        return brand

    def can_create(self):
        if not super().can_create():
            return False
        return self.brand is None or (
            self.permission_policy.collections_user_has_permission_for(self.request.user, "add")
            .filter(pk=self.brand.collection_id)
            .exists()
        )

    def get_creation_form(self):
        form = super().get_creation_form()
        if form is not None and self.brand is not None:
            # One collection: the form then has no collection field and saves into it
            # (wagtail.admin.forms.collections.BaseCollectionMemberForm).
            form.fields.pop("collection", None)
            form.collections = Collection.objects.filter(pk=self.brand.collection_id)
        return form


class BrandImagesListingMixin(BrandImagesMixin):
    def get_object_list(self):
        images = super().get_object_list()
        if self.brand is None:
            return images
        return images.filter(collection_id=self.brand.collection_id)

    @cached_property
    def collections(self):
        # No collection filter when the brand decides the collection.
        return None if self.brand is not None else super().collections


class BrandImageChooseView(BrandImagesListingMixin, ImageChooseView):
    pass


class BrandImageChooseResultsView(BrandImagesListingMixin, ImageChooseResultsView):
    pass


class BrandImageUploadView(BrandImagesMixin, ImageUploadView):
    pass


class BrandImageChooserViewSet(ImageChooserViewSet):
    choose_view_class = BrandImageChooseView
    choose_results_view_class = BrandImageChooseResultsView
    create_view_class = BrandImageUploadView
    preserve_url_parameters = [*ImageChooserViewSet.preserve_url_parameters, BRAND_PARAMETER]


brand_image_chooser_viewset = BrandImageChooserViewSet(
    "brand_image_chooser", model=get_image_model(), url_prefix="images/brand-chooser"
)
