"""Magic links: sign a client user in to one brand's portal from an e-mail, without a password.

A link is a random token (only its SHA-256 is stored, in MagicLink.token_hash) that works until it
expires or a lead or admin revokes it; it is reusable, so an e-mail scanner that opens it first
doesn't use it up. The links Signoff e-mails to clients (`link_to_email`) are sent again in later
e-mails while they have at least half their life left, rather than a new link in every e-mail:
their token is an HMAC of a random key stored with them, so it can be had again with SECRET_KEY
(the database alone still opens nothing). It works only while its user is active and still a client user of the brand's
client. Following it is a full portal sign-in: the brand only decides where the portal opens
(`request.session[SESSION_BRAND_KEY]`); the user sees what any sign-in shows them.
"""

import base64
import enum
import hashlib
import posixpath
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import unquote, urlencode, urlsplit

from django.conf import settings
from django.contrib.auth import login
from django.core.exceptions import PermissionDenied
from django.db.models import F, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.http import url_has_allowed_host_and_scheme
from wagtail.log_actions import log

from brands.models import Brand, BrandRole, ClientUser
from brands.scoping import brand_roles_of
from brands.selectors import brands_for, brands_of_client_user

from .middleware import start_portal_session
from .models import MagicLink

SESSION_BRAND_KEY = "portal_brand_id"
# Magic links are not tied to a password, so only this backend signs them in; see
# https://docs.djangoproject.com/en/5.2/topics/auth/default/#selecting-the-authentication-backend
BACKEND = "django.contrib.auth.backends.ModelBackend"
MAX_DAYS = 90


class LinkProblem(enum.StrEnum):
    UNKNOWN = "unknown"  # never issued, or mistyped / tampered with
    EXPIRED = "expired"
    REVOKED = "revoked"
    NO_ACCESS = "no_access"  # its user is inactive, or no longer a client user of the brand's client


@dataclass(frozen=True)
class Resolution:
    """What a token stands for: the link (None when unknown) and what stops it working, if anything."""

    link: MagicLink | None
    problem: LinkProblem | None = None


class NotAClientOfBrand(ValueError):
    pass


# Services ----------------------------------------------------------------------------------------


def create_magic_link(
    user, brand: Brand, *, days: int | None = None, next_path: str | None = None, by=None
) -> tuple[MagicLink, str]:
    """A new link for `user` to `brand`, and its URL (with `next_path` if it is a portal path).

    The URL is the only place the token ever is: show or send it now, it can't be had again.
    """
    if not is_client_of_brand(user, brand):
        raise NotAClientOfBrand(f"{user} is not an active client user of {brand}’s client.")
    days = settings.SIGNOFF_MAGIC_LINK_DAYS if days is None else days
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"A magic link lasts from 1 to {MAX_DAYS} days.")
    token = secrets.token_urlsafe(32)
    link = MagicLink.objects.create(
        user=user, brand=brand, token_hash=_hash(token), expires_at=timezone.now() + timedelta(days=days)
    )
    if by is not None:
        log(instance=link, action="signoff.magic_link_created", user=by)
    return link, magic_link_url(token, next_path)


def link_to_email(user, brand: Brand, *, now: datetime | None = None) -> tuple[MagicLink, str]:
    """The magic link to put in an e-mail to `user`, and its token (for `magic_link_url`, with
    any portal path as `next`): the link e-mailed to them before, while it works for at least
    half of SIGNOFF_MAGIC_LINK_DAYS more, to any of their client's brands (any brand opens all of
    them); otherwise a new one to `brand`. A revoked or expired link is never sent again."""
    now = now or timezone.now()
    if not is_client_of_brand(user, brand):
        raise NotAClientOfBrand(f"{user} is not an active client user of {brand}’s client.")
    days = settings.SIGNOFF_MAGIC_LINK_DAYS
    reusable = MagicLink.objects.filter(
        user=user,
        brand__in=brands_of_client_user(user),
        revoked_at__isnull=True,
        expires_at__gt=now + timedelta(days=days) / 2,
    ).exclude(reissue_key="")
    for link in reusable.order_by("-created_at")[:5]:
        token = _reissued_token(link.reissue_key)
        if _hash(token) == link.token_hash:  # not after SECRET_KEY changed: then a new one
            return link, token
    key = secrets.token_urlsafe(32)
    token = _reissued_token(key)
    link = MagicLink.objects.create(
        user=user,
        brand=brand,
        token_hash=_hash(token),
        reissue_key=key,
        expires_at=now + timedelta(days=days),
    )
    return link, token


def resolve(token: str) -> Resolution:
    """The link a token stands for, and whether it may sign someone in now."""
    link = MagicLink.objects.select_related("user", "brand").filter(token_hash=_hash(token)).first()
    if link is None:
        return Resolution(None, LinkProblem.UNKNOWN)
    if link.revoked_at is not None:
        return Resolution(link, LinkProblem.REVOKED)
    if link.expires_at <= timezone.now():
        return Resolution(link, LinkProblem.EXPIRED)
    if not is_client_of_brand(link.user, link.brand):
        return Resolution(link, LinkProblem.NO_ACCESS)
    return Resolution(link)


def revoke(link: MagicLink, *, by) -> MagicLink:
    """Stop the link working, at once. Only the brand's leads and superusers may."""
    if not may_manage_links(by, link.brand):
        raise PermissionDenied("Only the brand’s account leads and admins revoke its magic links.")
    # Conditional: revoking twice keeps the first revocation on the record.
    if MagicLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=by
    ):
        link.refresh_from_db()
        log(instance=link, action="signoff.magic_link_revoked", user=by)
    return link


def log_in_with(request: HttpRequest, link: MagicLink) -> None:
    """Sign the link's user in (a resolved, working link) and open the portal on its brand."""
    login(request, link.user, backend=BACKEND)
    MagicLink.objects.filter(pk=link.pk).update(last_used_at=timezone.now(), use_count=F("use_count") + 1)
    request.session[SESSION_BRAND_KEY] = link.brand_id
    start_portal_session(request)


# Selectors ---------------------------------------------------------------------------------------


def is_client_of_brand(user, brand: Brand) -> bool:
    return user.is_active and ClientUser.objects.filter(user=user, client_id=brand.client_id).exists()


def may_manage_links(user, brand: Brand) -> bool:
    """The brand's account leads and superusers see, create and revoke its magic links."""
    if not (user.is_authenticated and user.is_active):
        return False
    # brand_roles_of is fetched once per user object: cheap on every row of a listing.
    return user.is_superuser or brand_roles_of(user).get(brand.pk) == BrandRole.LEAD


def brands_managed_by(user) -> QuerySet[Brand]:
    return brands_for(user, roles=[BrandRole.LEAD])


def links_manageable_by(user) -> QuerySet[MagicLink]:
    """Every link (active or not) of the brands the user leads; all of them for a superuser."""
    return MagicLink.objects.filter(brand__in=brands_managed_by(user))


def active(links: QuerySet[MagicLink]) -> QuerySet[MagicLink]:
    return links.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


# URLs --------------------------------------------------------------------------------------------


def safe_next(value: str | None) -> str | None:
    """`value` if it is a path inside the portal on this site; None for anything else (another
    host, a scheme, `//host`, a path outside the portal or climbing out of it with `..`)."""
    if not value or not url_has_allowed_host_and_scheme(value, allowed_hosts=set()):
        return None
    parts = urlsplit(value)
    path = unquote(parts.path)  # browsers resolve %2e%2e as ..
    portal = reverse("portal:dashboard")
    if parts.scheme or parts.netloc or not path.startswith(portal) or "\\" in path:
        return None
    if not (posixpath.normpath(path) + "/").startswith(portal):
        return None
    return value


def magic_link_url(token: str, next_path: str | None = None) -> str:
    path = reverse("portal:magic-link", args=[token])
    next_path = safe_next(next_path)
    if next_path:
        path += "?" + urlencode({"next": next_path})
    # E-mailed and copied outside any request: the site's own address.
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _reissued_token(reissue_key: str) -> str:
    digest = salted_hmac("approvals.portal.magic_links.reissue", reissue_key, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
