"""Wagtail's image permissions, with two rules of ours.

Only the user's own brands count: Wagtail grants collection permissions to groups, and they flow
down the collection tree, so a group given the root collection (Wagtail's own "Editors", say)
would open every brand's images. Grants count only on the collections of the user's brands.

Images in a brand kit are the leads': Wagtail lets an uploader edit or delete their own images.
Once an image is the kit's logo or an approved image, only the brand's leads (and admins) may
change or delete it, so a creative can't swap the file behind every post that trusts the kit.

Listings, searches, choosers and bulk actions ask this policy; views of one image answer 404
outside the user's brands (image_scoping.py).
"""

from django.db.models import Q
from wagtail.images import get_image_model
from wagtail.permission_policies.collections import CollectionOwnershipPermissionPolicy

from .models import BrandKit, BrandRole, KitImage
from .scoping import brand_roles_of
from .selectors import brands_for


def _kit_brand_ids(image) -> set[int]:
    from_logo = BrandKit.objects.filter(logo=image).values_list("brand_id", flat=True)
    from_kit = KitImage.objects.filter(image=image).values_list("kit__brand_id", flat=True)
    return set(from_logo) | set(from_kit)


class BrandImagePermissionPolicy(CollectionOwnershipPermissionPolicy):
    def get_all_permissions_for_user(self, user):
        # Every other check of the policy starts from these grants (cached on the user).
        return (
            super()
            .get_all_permissions_for_user(user)
            .filter(collection__in=brands_for(user).values("collection_id"))
        )

    def user_has_permission_for_instance(self, user, action, instance):
        if action in ("change", "delete") and not user.is_superuser:
            brand_ids = _kit_brand_ids(instance)
            roles = brand_roles_of(user)
            if brand_ids and not all(roles.get(brand_id) == BrandRole.LEAD for brand_id in brand_ids):
                return False
        return super().user_has_permission_for_instance(user, action, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        instances = super().instances_user_has_any_permission_for(user, actions)
        if user.is_superuser or not set(actions) <= {"change", "delete"}:
            return instances
        led = [brand_id for brand_id, role in brand_roles_of(user).items() if role == BrandRole.LEAD]
        # (A kit without a logo must not put a NULL in the list: "NOT IN (…, NULL)" is never true.)
        other_logos = BrandKit.objects.exclude(brand_id__in=led).exclude(logo=None).values("logo")
        in_other_kits = Q(pk__in=other_logos) | Q(
            pk__in=KitImage.objects.exclude(kit__brand_id__in=led).values("image")
        )
        return instances.exclude(in_other_kits)


def image_permission_policy():
    return BrandImagePermissionPolicy(
        get_image_model(), auth_model=get_image_model(), owner_field_name="uploaded_by_user"
    )
