"""Filters for the brand listings in the admin."""

import django_filters
from django import forms
from wagtail.admin.filters import WagtailFilterSet

from .models import Brand, Client
from .selectors import brands_for


def _clients_of_user_brands(request):
    # Only the clients of the user's own brands: the choices must not name anyone else's.
    if request is None:
        return Client.objects.none()
    return Client.objects.filter(brands__in=brands_for(request.user)).distinct()


class BrandFilterSet(WagtailFilterSet):
    client = django_filters.ModelChoiceFilter(queryset=_clients_of_user_brands, empty_label="All clients")

    class Meta:
        model = Brand
        fields = []
        form = forms.Form
