"""Who may do what to a post: the brand-scoped policy every admin view, bulk action and service
asks (https://docs.wagtail.org/en/stable/extending/permission_policies.html)."""

from django.db.models import QuerySet

from brands.roles import POST_ROLES_FOR_ACTION
from brands.scoping import BrandScopedPermissionPolicy

from .models import Post


class PostPermissionPolicy(BrandScopedPermissionPolicy):
    """The brand's roles (brands.roles.POST_ROLES_FOR_ACTION), and two rules of the product.

    Nobody publishes a post by hand: the approval workflow publishes what every tier approved.
    Nobody deletes a post that ever went for approval, superusers included: deleting it would take
    its reviews, decisions and history with it. Drafts that never went are the leads' to delete.
    """

    def __init__(self):
        super().__init__(Post, roles_for_action=POST_ROLES_FOR_ACTION, nobody_may={"publish"})

    def user_has_permission_for_instance(self, user, action, instance):
        if action == "delete" and went_for_approval(instance):
            return False
        return super().user_has_permission_for_instance(user, action, instance)

    def instances_user_has_any_permission_for(self, user, actions) -> QuerySet[Post]:
        instances = super().instances_user_has_any_permission_for(user, actions)
        if set(actions) == {"delete"}:
            instances = instances.with_went_for_approval().filter(went_for_approval=False)
        return instances


def went_for_approval(post: Post) -> bool:
    """Whether `post` was ever submitted for approval or published; read from the listing's
    annotation when it has one (Post.objects.with_went_for_approval)."""
    if post.pk is None:
        return False
    if hasattr(post, "went_for_approval"):
        return post.went_for_approval
    return Post.objects.with_went_for_approval().filter(pk=post.pk, went_for_approval=True).exists()
