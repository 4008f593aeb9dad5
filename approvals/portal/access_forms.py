"""Forms for getting into the portal: password reset, a new magic link, and (in the admin) making one.

The two e-mail forms answer the same for any address: they only hand it to a background task
(approvals.portal.access_emails), which decides whether anyone gets an e-mail.
"""

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm

from cms.lockout import LimitedEmailRequestForm

from .access_emails import send_fresh_magic_links, send_password_reset
from .magic_links import MAX_DAYS, brands_managed_by, is_client_of_brand


class PortalPasswordResetForm(LimitedEmailRequestForm, PasswordResetForm):
    request_kind = "password-reset"

    def save(self, **kwargs) -> None:
        # Instead of Django's e-mail in the request: only client users get one (agency staff reset
        # theirs in the admin), from the worker.
        send_password_reset.enqueue(self.cleaned_data["email"])


class NewMagicLinkForm(LimitedEmailRequestForm):
    request_kind = "new-link"

    email = forms.EmailField(label="Your e-mail address", max_length=254)

    def send(self, *, brand_id: int | None, next_path: str | None) -> None:
        send_fresh_magic_links.enqueue(self.cleaned_data["email"], brand_id, next_path)


class CreateMagicLinkForm(forms.Form):
    """In the admin: a link for one of a brand's client users, by one of the brand's leads."""

    brand = forms.ModelChoiceField(queryset=None)
    user = forms.ModelChoiceField(queryset=None, label="Client user")
    days = forms.IntegerField(
        min_value=1, max_value=MAX_DAYS, label="Works for (days)", help_text=f"From 1 to {MAX_DAYS} days."
    )

    def __init__(self, *args, for_user, **kwargs):
        super().__init__(*args, **kwargs)
        brands = brands_managed_by(for_user).select_related("client").order_by("name")
        self.fields["brand"].queryset = brands
        self.fields["user"].queryset = (
            get_user_model()
            .objects.filter(is_active=True, client_user__client__brands__in=brands)
            .select_related("client_user__client")
            .distinct()
            .order_by("first_name", "last_name", "username")
        )
        self.fields["user"].label_from_instance = _client_user_label
        self.fields["days"].initial = settings.SIGNOFF_MAGIC_LINK_DAYS

    def clean(self):
        cleaned = super().clean()
        brand, user = cleaned.get("brand"), cleaned.get("user")
        if brand and user and not is_client_of_brand(user, brand):
            self.add_error("user", f"{_client_user_label(user)} is not a client user of {brand}.")
        return cleaned


def _client_user_label(user) -> str:
    name = user.get_full_name() or user.username
    return f"{name} <{user.email}> · {user.client_user.client}"
