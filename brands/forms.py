"""Form pieces shared by editors of brand-owned content (posts, kits)."""

from wagtail.admin.forms import WagtailAdminModelForm

from .checks.normalise import folded_words


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


def refuse_duplicate_rows(formset, field: str, what: str) -> set[str]:
    """Flag rows whose value matches an earlier row the way the checker reads text.

    "Cheap", "cheap" and "c-h-e-a-p" are one rule to the checker, so they are one rule here too
    (the database's own unique constraint would only see exact case-insensitive repeats, and as a
    crash rather than a message). Returns the keys seen.
    """
    seen: dict[str, str] = {}
    for row in live_rows(formset):
        value = row.cleaned_data.get(field) or ""
        # Phrases without letters (an emoji, say) are compared as typed, case-folded.
        key = "".join(folded_words(value)) or value.strip().casefold()
        if not key:
            row.add_error(field, f"Enter a {what} with at least one letter or number.")
        elif key in seen:
            row.add_error(field, f"“{value}” repeats the {what} “{seen[key]}”. Remove one of them.")
        else:
            seen[key] = value
    return set(seen)


class BrandKitForm(WagtailAdminModelForm):
    def clean(self):
        cleaned_data = super().clean()
        refuse_images_of_other_brands(self.instance.brand, self.formsets["approved_images"])
        refuse_duplicate_rows(self.formsets["banned_phrases"], "phrase", "banned phrase")
        refuse_duplicate_rows(self.formsets["name_spellings"], "name", "name")
        refuse_duplicate_rows(self.formsets["hashtag_rules"], "hashtag", "hashtag")
        return cleaned_data
