"""Personal API tokens: made, listed, found and revoked here, for the admin's token page, the
API's sign-in and the authentication class alike. Wagtail's `APIToken` holds the hash; Signoff's
`TokenPolicy` adds scope and expiry."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from wagtail.models import APIToken

from .models import TokenPolicy


@transaction.atomic
def create_token(
    *, user, name: str, scope: str = TokenPolicy.Scope.WRITE, expires_in_days: int | None = None
):
    """Make a token for `user`; returns (token, the key to show once: only its hash is kept)."""
    token, key = APIToken.create_token(user=user, name=name)
    expires_at = timezone.now() + dt.timedelta(days=expires_in_days) if expires_in_days else None
    TokenPolicy.objects.create(token=token, scope=scope, expires_at=expires_at)
    return token, key


def tokens_of(user):
    return APIToken.objects.filter(user=user).select_related("signoff_policy").order_by("-created", "-pk")


def token_status(token: APIToken) -> str:
    policy = getattr(token, "signoff_policy", None)
    if token.revoked_at is not None:
        return "Revoked"
    if policy is not None and policy.has_expired():
        return "Expired"
    return "Active"


def token_for_key(key: str) -> APIToken | None:
    """The usable token `key` is the secret of, or None (malformed, unknown, revoked, expired, or
    its user deactivated)."""
    if not APIToken.validate_token_format(key):
        return None
    token = (
        APIToken.objects.select_related("user", "signoff_policy")
        .filter(key_hash__in=APIToken.candidate_key_hashes(key), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active or token_status(token) != "Active":
        return None
    now = timezone.now()
    interval = dt.timedelta(seconds=getattr(settings, "WAGTAILAPI_TOKEN_LAST_USED_INTERVAL", 60))
    if token.last_used_at is None or now - token.last_used_at >= interval:
        APIToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def is_read_only(token: APIToken) -> bool:
    policy = getattr(token, "signoff_policy", None)
    return policy is not None and policy.scope == TokenPolicy.Scope.READ


def revoke_token(*, token: APIToken, user) -> None:
    """Revoke one of `user`'s own tokens (anyone else's is not found)."""
    if token.user_id != user.pk:
        raise APIToken.DoesNotExist
    if token.revoked_at is None:
        token.revoke()
