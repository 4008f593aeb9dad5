from wagtail.images import get_image_model
from wagtail.models import Collection
from wagtail.permissions import policy_registry

from brands.factories import BrandFactory, UserFactory, membership
from brands.models import BrandKit, BrandMembership, BrandRole

image_policy = policy_registry.get_by_type(get_image_model())


def collections_for(user, action):
    """Collections the user may act on, read fresh (Wagtail caches permissions on the user object)."""
    user = type(user).objects.get(pk=user.pk)
    return list(image_policy.collections_user_has_permission_for(user, action))


def test_creating_a_brand_creates_its_collection_and_kit(client_a):
    brand = BrandFactory(client=client_a, name="Acme Tea", slug="acme-tea")

    assert brand.collection.name == "Acme Holdings · Acme Tea"
    assert brand.collection.get_parent() == Collection.get_first_root_node()
    assert BrandKit.objects.filter(brand=brand).exists()


def test_renaming_a_brand_renames_its_collection(brand_a):
    brand_a.name = "Acme Roasters"
    brand_a.save()

    brand_a.collection.refresh_from_db()
    assert brand_a.collection.name == "Acme Holdings · Acme Roasters"


def test_a_membership_opens_the_brand_collection_and_removing_it_closes_it(brand_a, brand_b):
    user = UserFactory(username="newbie")
    assert not collections_for(user, "add")

    joined = membership(user, brand_a, BrandRole.CREATIVE)

    assert collections_for(user, "add") == [brand_a.collection]
    assert user.groups.filter(name="Creative").exists()

    joined.delete()

    assert not collections_for(user, "add")
    assert not collections_for(user, "choose")
    assert not user.groups.exists()


def test_role_change_swaps_collection_rights(brand_a):
    user = UserFactory(username="promoted")
    member = membership(user, brand_a, BrandRole.REVIEWER)
    assert not collections_for(user, "add")

    member.role = BrandRole.LEAD
    member.save()

    assert collections_for(user, "delete") == [brand_a.collection]
    assert set(user.groups.values_list("name", flat=True)) >= {"Account lead"}
    assert not user.groups.filter(name="Reviewer").exists()


def test_client_users_get_the_client_group_and_no_admin_access(client_of_a):
    assert list(client_of_a.groups.values_list("name", flat=True)) == ["Client"]
    assert not client_of_a.has_perm("wagtailadmin.access_admin")


def test_memberships_on_two_brands_give_both_collections(brand_a, brand_b):
    user = UserFactory(username="both")
    membership(user, brand_a, BrandRole.CREATIVE)
    membership(user, brand_b, BrandRole.CREATIVE)
    BrandMembership.objects.get(user=user, brand=brand_b).delete()

    assert collections_for(user, "add") == [brand_a.collection]
    assert user.groups.filter(name="Creative").exists()
