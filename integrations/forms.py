from django import forms
from wagtail.admin.forms import WagtailAdminModelForm

from brands.scoping import brand_field_for_user

from .models import EventType, WebhookSubscription
from .subscriptions import MANAGER_ROLES


class WebhookSubscriptionForm(WagtailAdminModelForm):
    """A brand's leads pick one of their brands, the URL and the events; the secret is made for
    them (shown once) and never edited here."""

    url = forms.URLField(
        max_length=500,
        assume_scheme="https",
        label="URL",
        help_text="Where each event is POSTed, as JSON. http:// or https:// only.",
    )
    events = forms.MultipleChoiceField(
        choices=EventType.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="What this URL hears about, for this brand's posts only.",
        error_messages={"required": "Choose at least one event."},
    )

    class Meta:
        model = WebhookSubscription
        fields = ["brand", "name", "url", "events", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["brand"].disabled = True  # a subscription stays with its brand
        else:
            brand_field_for_user(self, roles=MANAGER_ROLES)
        self.initial.setdefault("events", list(self.instance.events or EventType.values))

    def clean_events(self):
        chosen = self.cleaned_data["events"]
        return [event for event in EventType.values if event in chosen]

    def save(self, commit=True):
        if not self.instance.pk and self.for_user is not None:
            self.instance.created_by = self.for_user
        return super().save(commit=commit)
