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


class ImageRefused(Exception):
    """An upload the admin would refuse too: `errors` is {field: [message, …]}."""

    def __init__(self, errors: dict):
        self.errors = errors
        super().__init__("; ".join(message for messages in errors.values() for message in messages))


@transaction.atomic
def upload_image(*, user, brand: Brand, file, title: str = ""):
    """Put an image into the brand's collection, through the admin's own upload form
    (WAGTAILIMAGES_IMAGE_FORM_BASE, brands.image_forms): the same checks on format, size, pixel
    count and a file that decodes completely, so the API lets in nothing the admin refuses."""
    from django.core.exceptions import PermissionDenied
    from wagtail.images import get_image_model
    from wagtail.images.forms import get_image_form
    from wagtail.permissions import policy_registry

    Image = get_image_model()
    policy = policy_registry.get_by_type(Image)
    if not policy.collections_user_has_permission_for(user, "add").filter(pk=brand.collection_id).exists():
        raise PermissionDenied(f"You cannot add images to {brand}.")
    title = (title or "").strip() or (getattr(file, "name", "") or "Untitled image").rsplit(".", 1)[0][:255]
    form = get_image_form(Image)(
        data={"title": title, "collection": brand.collection_id},
        files={"file": file},
        instance=Image(collection_id=brand.collection_id, uploaded_by_user=user),
        user=user,
    )
    if not form.is_valid():
        raise ImageRefused(
            {field: [str(message) for message in messages] for field, messages in form.errors.items()}
        )
    image = form.save(commit=False)
    image.collection_id = brand.collection_id
    image.uploaded_by_user = user
    image.save()
    return image
