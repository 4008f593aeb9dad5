from django import forms
from django.contrib.auth.forms import AuthenticationForm

from cms.lockout import LockoutMessage


class PortalLoginForm(LockoutMessage, AuthenticationForm):
    """The portal is for client users; agency staff are pointed to the admin instead.

    Failed sign-ins count towards the lockout shared by every way in (cms.lockout).
    """

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not hasattr(user, "client_user"):
            raise forms.ValidationError(
                "This login is for clients. Agency team members sign in at /admin/.", code="not_a_client"
            )
