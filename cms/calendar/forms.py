from django import forms

from brands.models import Brand, Platform
from brands.selectors import brands_for
from cms.posts.models import Intent

from .selectors import STATUSES, CalendarFilters, campaigns_of


def _not_applied(what: str) -> str:
    return f"“%(value)s” isn't {what}, so this filter is not applied."


class CalendarFilterForm(forms.Form):
    """The calendar's filters, offering only the user's own brands and campaigns. A value that
    isn't one of the choices (another brand's, say) is reported and left out; the rest apply."""

    brand = forms.ModelChoiceField(
        queryset=Brand.objects.none(),
        required=False,
        empty_label="All brands",
        error_messages={"invalid_choice": _not_applied("one of your brands")},
    )
    platform = forms.ModelChoiceField(
        queryset=Platform.objects.all(),
        required=False,
        empty_label="All platforms",
        error_messages={"invalid_choice": _not_applied("a platform")},
    )
    status = forms.ChoiceField(
        choices=[("", "All statuses"), *((status.value, status.label) for status in STATUSES)],
        required=False,
        error_messages={"invalid_choice": _not_applied("a status")},
    )
    campaign = forms.ChoiceField(
        required=False, error_messages={"invalid_choice": _not_applied("a campaign of your brands")}
    )
    intent = forms.ChoiceField(
        choices=[("", "All intents"), *Intent.choices],
        required=False,
        error_messages={"invalid_choice": _not_applied("an intent")},
    )

    def __init__(self, user, data=None):
        super().__init__(data)
        self.fields["brand"].queryset = brands_for(user).order_by("name")
        self.fields["campaign"].choices = [("", "All campaigns"), *((c, c) for c in campaigns_of(user))]

    def filters(self) -> CalendarFilters:
        if not self.is_bound or self.is_valid():
            data = self.cleaned_data if self.is_bound else {}
        else:
            data = {name: value for name, value in self.cleaned_data.items() if name not in self.errors}
        return CalendarFilters(
            brand=data.get("brand"),
            platform=data.get("platform"),
            status=data.get("status") or "",
            campaign=data.get("campaign") or "",
            intent=data.get("intent") or "",
        )


class MoveForm(forms.Form):
    date = forms.DateField(
        label="New day",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),  # what date inputs take
        error_messages={
            "required": "Pick the day to move it to.",
            "invalid": "Enter a date such as 2026-05-12.",
        },
        help_text="It keeps its time of day, in its brand's time zone.",
    )
    # Moving a post in review or scheduled sends it back through the tiers: the form says so,
    # and sends this, before such a move is made.
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)
    next = forms.CharField(required=False, widget=forms.HiddenInput)
