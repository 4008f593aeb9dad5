from django import forms
from django.contrib.auth.forms import AuthenticationForm

from .ratelimit import attempts


class PortalLoginForm(AuthenticationForm):
    """The portal is for client users; agency staff are pointed to the admin instead.

    Failed attempts are counted per username and per IP address (approvals.portal.ratelimit).
    """

    def clean(self):
        tries = attempts(self.request, "login", self.cleaned_data.get("username"))
        tries.check()
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            tries.count()
            raise
        # Only a real sign-in forgets: a form missing its password skips authenticating altogether.
        if self.user_cache is not None:
            tries.forget_identity()
        return cleaned

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not hasattr(user, "client_user"):
            raise forms.ValidationError(
                "This login is for clients. Agency team members sign in at /admin/.", code="not_a_client"
            )
