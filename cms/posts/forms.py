"""The post editor's form: brand choices limited to the user's brands, format-specific rules."""

from django.core.exceptions import ValidationError
from wagtail.admin.forms import WagtailAdminModelForm

from brands.forms import live_rows, refuse_images_of_other_brands
from brands.scoping import brand_field_for_user

from .models import PostFormat

POLL_MIN_OPTIONS, POLL_MAX_OPTIONS = 2, 4


class PostForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        brand_field_for_user(self)

    def clean(self):
        cleaned_data = super().clean()
        brand = cleaned_data.get("brand")
        if brand is not None and "media" in self.formsets:
            refuse_images_of_other_brands(brand, self.formsets["media"])
        post_format = cleaned_data.get("format")
        if "poll_options" in self.formsets:
            options = live_rows(self.formsets["poll_options"])
            if post_format == PostFormat.POLL and not POLL_MIN_OPTIONS <= len(options) <= POLL_MAX_OPTIONS:
                raise ValidationError(
                    f"A poll needs {POLL_MIN_OPTIONS} to {POLL_MAX_OPTIONS} options; it has {len(options)}."
                )
        return cleaned_data

    def save(self, commit=True):
        if self.instance.pk is None and self.for_user is not None:
            self.instance.created_by = self.for_user
        return super().save(commit=commit)
