"""Reads scoped to the user. Every view, API and admin queryset asks these, so scoping lives here."""

from collections.abc import Iterable

from django.db.models import QuerySet
from wagtail.images import get_image_model

from .models import Brand, BrandRole


def brands_for(user, *, roles: Iterable[BrandRole] | None = None) -> QuerySet[Brand]:
    """The brands a user works on (optionally only in some roles); every brand for a superuser."""
    if not user.is_authenticated or not user.is_active:
        return Brand.objects.none()
    if user.is_superuser:
        return Brand.objects.all()
    memberships = user.brand_memberships.all()
    if roles is not None:
        memberships = memberships.filter(role__in=list(roles))
    return Brand.objects.filter(pk__in=memberships.values("brand_id"))


def brands_of_client_user(user) -> QuerySet[Brand]:
    """The brands of the client a portal user belongs to."""
    if not user.is_authenticated or not user.is_active:
        return Brand.objects.none()
    return Brand.objects.filter(client__client_users__user=user)


def images_visible_to(user) -> QuerySet:
    """The images a member of the agency may see: those in their brands' collections (every
    image for a superuser). Nobody else sees any here: clients see images only as part of the
    posts shown to them (approvals.portal.selectors)."""
    Image = get_image_model()
    if not user.is_authenticated or not user.is_active:
        return Image.objects.none()
    if user.is_superuser:
        return Image.objects.all()
    return Image.objects.filter(collection__in=brands_for(user).values("collection_id"))


def user_has_brand_role(user, brand_id, *, roles: Iterable[BrandRole] | None = None) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    memberships = user.brand_memberships.filter(brand_id=brand_id)
    if roles is not None:
        memberships = memberships.filter(role__in=list(roles))
    return memberships.exists()
