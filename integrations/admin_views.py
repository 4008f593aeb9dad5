"""Each user's own API tokens in the admin: list, make (the key shown once), revoke."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import APIToken

from .models import TokenPolicy
from .tokens import create_token, revoke_token, token_status, tokens_of

EXPIRY_CHOICES = [("30", "In 30 days"), ("90", "In 90 days"), ("365", "In a year"), ("", "Never")]


class NewTokenForm(forms.Form):
    name = forms.CharField(
        max_length=80,
        label="What is it for?",
        help_text="So you can tell your tokens apart, e.g. “Buffer sync” or “Weekly report script”.",
    )
    scope = forms.ChoiceField(
        choices=TokenPolicy.Scope.choices, initial=TokenPolicy.Scope.READ, widget=forms.RadioSelect
    )
    expires_in_days = forms.TypedChoiceField(
        choices=EXPIRY_CHOICES, coerce=int, empty_value=None, required=False, initial="90", label="Expires"
    )


class ApiTokensView(WagtailAdminTemplateMixin, FormView):
    template_name = "integrations/api_tokens.html"
    page_title = "API tokens"
    header_icon = "key"
    form_class = NewTokenForm

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_account"), "label": "Account"},
            {"url": "", "label": "API tokens"},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["tokens"] = [(token, token_status(token)) for token in tokens_of(self.request.user)]
        context["new_key"] = self.request.session.pop("signoff_new_api_token", None)
        return context

    def form_valid(self, form):
        token, key = create_token(user=self.request.user, **form.cleaned_data)
        # Shown once, on the page the redirect leads to; only its hash is kept.
        self.request.session["signoff_new_api_token"] = {"name": token.name, "key": key}
        return redirect("integrations_api_tokens")


def revoke(request, token_id: int):
    """Asks first (GET), then revokes (POST): anything using the token stops working at once."""
    token = get_object_or_404(APIToken, pk=token_id, user=request.user)
    if request.method != "POST":
        return TemplateResponse(request, "integrations/confirm_revoke.html", {"token": token})
    revoke_token(token=token, user=request.user)
    messages.success(request, f"Revoked “{token.name}”: it no longer works.")
    return redirect("integrations_api_tokens")
