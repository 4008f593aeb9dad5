"""Filters for the post listing in the admin."""

import django_filters
from django import forms
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet

from brands.models import Brand, Platform
from brands.selectors import brands_for

from .models import Intent, Post, PostFormat, PostStatus


def _user_brands(request):
    return brands_for(request.user) if request else Brand.objects.none()


class PostFilterSet(WagtailFilterSet):
    brand = django_filters.ModelChoiceFilter(queryset=_user_brands, empty_label="All brands")
    status = django_filters.ChoiceFilter(field_name="status_code", choices=PostStatus.choices, label="Status")
    platform = django_filters.ModelChoiceFilter(
        field_name="platforms", queryset=Platform.objects.all(), label="Platform"
    )
    intent = django_filters.ChoiceFilter(choices=Intent.choices)
    format = django_filters.ChoiceFilter(choices=PostFormat.choices)
    scheduled = django_filters.DateFromToRangeFilter(
        field_name="go_live_at", label="Scheduled between", widget=DateRangePickerWidget
    )

    class Meta:
        model = Post
        fields = []
        form = forms.Form
