"""`Authorization: Token <key>` with personal API tokens, and the read-only scope."""

from rest_framework import authentication, exceptions, permissions
from wagtail.models import APIToken

from .tokens import is_read_only, token_for_key


class PersonalTokenAuthentication(authentication.TokenAuthentication):
    """DRF's token header, checked against hashed personal tokens. First in the list, so a
    request without credentials gets 401 with `WWW-Authenticate: Token` (DRF takes the header
    from the first class)."""

    def authenticate_credentials(self, key):
        token = token_for_key(key)
        if token is None:
            raise exceptions.AuthenticationFailed("Invalid, expired or revoked token.")
        return token.user, token


class TokenScopeAllows(permissions.BasePermission):
    """A read-only token reads; a read-and-write token (or a signed-in session) changes things."""

    message = "This token is read-only: make a read-and-write token to change things."

    def has_permission(self, request, view):
        if isinstance(request.auth, APIToken) and is_read_only(request.auth):
            return request.method in permissions.SAFE_METHODS
        return True
