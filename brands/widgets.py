"""Form widgets of brand content. (Imported by models' panels: nothing here may load models.)"""

from wagtail.images.widgets import AdminImageChooser

# The query parameter naming the brand the image chooser is opened for (image_chooser.py).
BRAND_PARAMETER = "brand"


class BrandImageChooser(AdminImageChooser):
    """Wagtail's image chooser widget, opening the chooser for the brand picked in the same
    form (the field matching `brand_field`, a CSS selector): that brand's images, and uploads
    into its collection (image_chooser.py)."""

    chooser_modal_url_name = "brand_image_chooser:choose"

    def __init__(self, brand_field: str = "#id_brand", **kwargs):
        kwargs.setdefault("linked_fields", {BRAND_PARAMETER: brand_field})
        super().__init__(**kwargs)
