"""The post editor's form: brand choices limited to the user's brands, format-specific rules."""

from django.core.exceptions import ValidationError
from wagtail.admin.forms import WagtailAdminModelForm

from brands.scoping import brand_field_for_user

from .models import PostFormat

POLL_MIN_OPTIONS, POLL_MAX_OPTIONS = 2, 4


def _live_rows(formset) -> list:
    return [
        form
        for form in formset.forms
        if form.is_valid() and form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


class PostForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        brand_field_for_user(self)

    def clean(self):
        cleaned_data = super().clean()
        post_format = cleaned_data.get("format")
        if "poll_options" in self.formsets:
            options = _live_rows(self.formsets["poll_options"])
            if post_format == PostFormat.POLL and not POLL_MIN_OPTIONS <= len(options) <= POLL_MAX_OPTIONS:
                raise ValidationError(
                    f"A poll needs {POLL_MIN_OPTIONS} to {POLL_MAX_OPTIONS} options; it has {len(options)}."
                )
        return cleaned_data

    def save(self, commit=True):
        if self.instance.pk is None and self.for_user is not None:
            self.instance.created_by = self.for_user
        return super().save(commit=commit)
