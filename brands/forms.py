"""Form pieces shared by editors of brand-owned content (posts, kits)."""

from wagtail.admin.forms import WagtailAdminModelForm


def live_rows(formset) -> list:
    """The valid inline rows of a formset that are not marked for deletion."""
    return [
        form
        for form in formset.forms
        if form.is_valid() and form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


def refuse_images_of_other_brands(brand, formset, field: str = "image") -> None:
    """Flag inline rows whose image is not in the brand's collection.

    Wagtail's image chooser offers every collection the user may use, so a creative on two
    brands could pick the wrong brand's image; the inline rows don't know their parent's brand
    while they validate, so the parent form checks them.
    """
    for row in live_rows(formset):
        image = row.cleaned_data.get(field)
        if image is not None and not brand.owns_image(image):
            row.add_error(field, brand.foreign_image_message(image))


class BrandKitForm(WagtailAdminModelForm):
    def clean(self):
        cleaned_data = super().clean()
        refuse_images_of_other_brands(self.instance.brand, self.formsets["approved_images"])
        return cleaned_data
