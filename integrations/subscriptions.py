"""Webhook subscriptions: who manages them (a brand's account leads; admins for every brand), and
the writes the admin and the API both call."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet

from brands.models import Brand, BrandRole
from brands.scoping import brand_roles_of
from brands.selectors import brands_for

from .models import WebhookEvent, WebhookSubscription, new_subscription_secret

MANAGER_ROLES = [BrandRole.LEAD]
EDITABLE_FIELDS = {"name", "url", "events", "active"}


def brands_managed_by(user) -> QuerySet[Brand]:
    """The brands whose subscriptions `user` manages: where they are an account lead (every brand
    for an admin)."""
    return brands_for(user, roles=MANAGER_ROLES)


def manages_any(user) -> bool:
    """From the roles the request has read already (brand_roles_of): the admin's menu asks this
    on every page, at no query of its own."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or any(role in MANAGER_ROLES for role in brand_roles_of(user).values())


def subscriptions_managed_by(user) -> QuerySet[WebhookSubscription]:
    return WebhookSubscription.objects.filter(brand__in=brands_managed_by(user)).select_related("brand")


def events_of(subscription: WebhookSubscription) -> QuerySet[WebhookEvent]:
    """The subscription's delivery log, newest first, with each event's attempts."""
    return subscription.events_sent.order_by("-created_at", "-pk").prefetch_related("log")


def _check_manages(user, brand: Brand) -> None:
    if not brands_managed_by(user).filter(pk=brand.pk).exists():
        raise PermissionDenied(f"Only {brand}'s account leads manage its webhooks.")


def _clean(subscription: WebhookSubscription) -> None:
    subscription.full_clean(exclude=["secret", "created_by"])


@transaction.atomic
def create_subscription(*, user, brand: Brand, **fields) -> WebhookSubscription:
    """A new subscription; its secret is new too (shown to its maker once)."""
    _check_manages(user, brand)
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"Unknown subscription fields: {', '.join(sorted(unknown))}")
    subscription = WebhookSubscription(brand=brand, created_by=user, **fields)
    _clean(subscription)
    subscription.save()
    return subscription


@transaction.atomic
def update_subscription(*, user, subscription: WebhookSubscription, **changes) -> WebhookSubscription:
    _check_manages(user, subscription.brand)
    if "brand" in changes:
        if changes.pop("brand") != subscription.brand:
            raise ValidationError(
                {"brand": "A subscription stays with its brand; make a new one for another."}
            )
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"Unknown subscription fields: {', '.join(sorted(unknown))}")
    for name, value in changes.items():
        setattr(subscription, name, value)
    _clean(subscription)
    subscription.save()
    return subscription


@transaction.atomic
def rotate_secret(*, user, subscription: WebhookSubscription) -> str:
    """A new secret at once (the old one stops verifying): returned to show once."""
    _check_manages(user, subscription.brand)
    subscription.secret = new_subscription_secret()
    subscription.save(update_fields=["secret", "updated_at"])
    return subscription.secret


@transaction.atomic
def delete_subscription(*, user, subscription: WebhookSubscription) -> None:
    _check_manages(user, subscription.brand)
    subscription.delete()


def secret_hint(subscription: WebhookSubscription) -> str:
    """What is shown of a secret after it was shown once: its last four characters."""
    return "…" + subscription.secret[-4:]
