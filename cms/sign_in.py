"""The ways in that aren't the portal's: the Wagtail admin's login and password reset, and the API's
token. Each goes through the sign-in lockout and the e-mail limits in cms.lockout, as the portal's do.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.signals import user_logged_in
from django_tasks import task
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.response import Response
from rest_framework.views import APIView
from wagtail.admin.forms.auth import LoginForm
from wagtail.admin.forms.auth import PasswordResetForm as WagtailPasswordResetForm
from wagtail.admin.views.account import PasswordResetView

from integrations.tokens import create_token

from .lockout import LimitedEmailRequestForm, LockoutMessage

ADMIN_RESET_EMAIL = "wagtailadmin/account/password_reset/email.txt"
ADMIN_RESET_SUBJECT = "wagtailadmin/account/password_reset/email_subject.txt"


class AdminLoginForm(LockoutMessage, LoginForm):
    """The admin's login form (WAGTAILADMIN_USER_LOGIN_FORM), saying when a locked-out sign-in may
    try again."""


class AdminPasswordResetForm(LimitedEmailRequestForm, WagtailPasswordResetForm):
    # The same count as the portal's reset: one address gets so many reset e-mails, whichever asked.
    request_kind = "password-reset"

    def save(self, **kwargs) -> None:
        # From the worker, as the portal's: the answer then takes as long for an address that has
        # an account as for one that doesn't.
        send_admin_password_reset.enqueue(self.cleaned_data["email"])


class AdminPasswordResetView(PasswordResetView):
    """Wagtail's password reset page, with a form that is limited per address and per IP."""

    def get_form_class(self):
        return AdminPasswordResetForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}


@task()
def send_admin_password_reset(email: str) -> None:
    """Wagtail's reset e-mail, to each active user with this address and a usable password."""
    form = PasswordResetForm({"email": email})
    if form.is_valid():
        base = urlsplit(settings.WAGTAILADMIN_BASE_URL)
        form.save(
            domain_override=base.netloc,
            use_https=base.scheme == "https",
            subject_template_name=ADMIN_RESET_SUBJECT,
            email_template_name=ADMIN_RESET_EMAIL,
        )


class TokenSignInApi(APIView):
    """Exchange a username and password for an API token (send it as `Authorization: Token …`).

    Failed attempts count towards the same lockout as the admin's and the portal's sign-in: after
    too many for a username, or from an address, it answers 429 with a `detail` saying when to try
    again (and Retry-After, in seconds), even for the right password. Tokens already issued keep
    working. Each sign-in makes a new personal token (listed under Account → API tokens, where
    it can be revoked) that expires after SIGNOFF_API_SIGN_IN_TOKEN_DAYS.
    """

    authentication_classes = ()
    permission_classes = ()
    throttle_classes = ()  # the lockout limits it
    serializer_class = AuthTokenSerializer

    def get_serializer(self, *args, **kwargs):
        # authenticate() gets Django's request, not DRF's wrapper: axes marks the request it is
        # given as locked out, and its middleware looks for the mark on Django's.
        return AuthTokenSerializer(*args, context={"request": self.request._request}, **kwargs)

    @extend_schema(
        request=AuthTokenSerializer,
        responses={
            200: inline_serializer("ApiToken", {"token": serializers.CharField()}),
            400: OpenApiResponse(description="Wrong username or password, or one missing."),
            429: OpenApiResponse(
                description='Locked out: {"detail": "Too many failed sign-ins. Please try again in 15 minutes."}'
            ),
        },
    )
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        # A token is a sign-in: axes forgets the username's failures, Django notes last_login.
        user_logged_in.send(sender=user.__class__, request=request._request, user=user)
        _token, key = create_token(
            user=user,
            name="Signed in through the API",
            expires_in_days=settings.SIGNOFF_API_SIGN_IN_TOKEN_DAYS,
        )
        return Response({"token": key})
