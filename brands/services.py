"""Writes for brands: the resources a brand owns, and keeping access in step with memberships."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q
from wagtail.models import Collection, GroupCollectionPermission

from .models import Brand, BrandAccessGroup, BrandKit, BrandRole, ClientUser
from .roles import CLIENT_GROUP_NAME, ROLE_COLLECTION_PERMISSIONS, ROLE_GROUP_NAMES


def _collection_name(brand: Brand) -> str:
    return f"{brand.client.name} · {brand.name}"


@transaction.atomic
def ensure_brand_resources(*, brand: Brand) -> None:
    """Give a brand its collection, its kit and one access group per role; keep names in step."""
    if brand.collection_id is None:
        root = Collection.get_first_root_node()
        brand.collection = root.add_child(name=_collection_name(brand))
        Brand.objects.filter(pk=brand.pk).update(collection=brand.collection)
    elif brand.collection.name != _collection_name(brand):
        brand.collection.name = _collection_name(brand)
        brand.collection.save(update_fields=["name"])

    BrandKit.objects.get_or_create(brand=brand)

    existing_roles = set(brand.access_groups.values_list("role", flat=True))
    for role in BrandRole:
        if role in existing_roles:
            continue
        # Named by id, not slug: a slug can be renamed or reused by a later brand.
        group = Group.objects.create(name=f"Brand {brand.pk} · {role.label} (brand access)")
        BrandAccessGroup.objects.create(brand=brand, role=role, group=group)
        GroupCollectionPermission.objects.bulk_create(
            GroupCollectionPermission(group=group, collection=brand.collection, permission=permission)
            for permission in Permission.objects.filter(
                content_type__app_label="wagtailimages", codename__in=ROLE_COLLECTION_PERMISSIONS[role]
            )
        )


@transaction.atomic
def sync_user_access(*, user) -> None:
    """Put the user in exactly the role and brand-access groups their memberships imply.

    Called whenever a membership or client account changes, so adding a membership opens the
    brand's collection to the user and removing it closes it again.
    """
    memberships = set(user.brand_memberships.values_list("brand_id", "role"))
    wanted_role_groups = {ROLE_GROUP_NAMES[BrandRole(role)] for _, role in memberships}
    if ClientUser.objects.filter(user=user).exists():
        wanted_role_groups.add(CLIENT_GROUP_NAME)
    wanted_access_groups = {
        group_id
        for brand_id, role, group_id in BrandAccessGroup.objects.filter(
            brand_id__in={brand_id for brand_id, _ in memberships}
        ).values_list("brand_id", "role", "group_id")
        if (brand_id, role) in memberships
    }

    managed_role_groups = [*ROLE_GROUP_NAMES.values(), CLIENT_GROUP_NAME]
    user.groups.remove(
        *user.groups.filter(
            (Q(name__in=managed_role_groups) & ~Q(name__in=wanted_role_groups))
            | (Q(brand_access__isnull=False) & ~Q(pk__in=wanted_access_groups))
        )
    )
    user.groups.add(*Group.objects.filter(Q(name__in=wanted_role_groups) | Q(pk__in=wanted_access_groups)))
    # This user object may live on (a script, a test, the demo seed): forget what it cached about itself.
    for cached in ("_signoff_brand_roles", "_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        user.__dict__.pop(cached, None)


@transaction.atomic
def remove_brand_access(*, brand: Brand) -> None:
    """Before a brand goes: drop its access groups and re-sync its team, so nobody keeps rights."""
    team = [membership.user for membership in brand.memberships.select_related("user")]
    Group.objects.filter(brand_access__brand=brand).delete()
    for membership in brand.memberships.all():
        membership.delete()
    for user in team:
        sync_user_access(user=user)
