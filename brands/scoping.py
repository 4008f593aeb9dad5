"""Brand scoping for Wagtail's admin: a permission policy and viewset pieces that use it.

Wagtail's snippet views check model-level permissions only, so a creative on brand A could
otherwise open brand B's posts by their URL. The policy narrows every instance check to the
user's brands (see https://docs.wagtail.org/en/stable/extending/permission_policies.html);
the viewset mixin makes every view of a snippet viewset answer 404 for objects outside them.
"""

from functools import wraps

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
    SnippetChosenMultipleView,
    SnippetChosenView,
)

from .models import BrandRole
from .selectors import brands_for

ANY_ACTION = ["add", "change", "delete", "view", "publish", "lock", "unlock"]


def brand_roles_of(user) -> dict[int, str]:
    """{brand id: role} for the user, fetched once per user object (i.e. once per request)."""
    if not user.is_authenticated or not user.is_active:
        return {}
    if not hasattr(user, "_signoff_brand_roles"):
        user._signoff_brand_roles = dict(user.brand_memberships.values_list("brand_id", "role"))
    return user._signoff_brand_roles


class BrandScopedPermissionPolicy(ModelPermissionPolicy):
    """Model permissions, narrowed to the brands the user works on.

    `roles_for_action` narrows some actions further, e.g. only a brand's leads change its kit.
    """

    def __init__(self, model, *, brand_id_field: str = "brand_id", roles_for_action=None, nobody_may=()):
        super().__init__(model)
        self.brand_id_field = brand_id_field
        self.roles_for_action: dict[str, set[BrandRole]] = roles_for_action or {}
        # Actions no user takes by hand, superusers included (e.g. publishing a post: only a
        # finished approval workflow publishes).
        self.nobody_may = set(nobody_may)

    def user_has_permission(self, user, action):
        return action not in self.nobody_may and super().user_has_permission(user, action)

    def _brand_id(self, instance) -> int | None:
        return getattr(instance, self.brand_id_field, None)

    def _user_may_act_on_brand(self, user, action: str, brand_id) -> bool:
        if user.is_superuser:
            return True
        role = brand_roles_of(user).get(brand_id)
        allowed_roles = self.roles_for_action.get(action)
        return role is not None and (allowed_roles is None or role in allowed_roles)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and self._user_may_act_on_brand(
            user, action, self._brand_id(instance)
        )

    def instances_user_has_any_permission_for(self, user, actions) -> QuerySet:
        objects = self.model._default_manager.all()
        actions = [action for action in actions if self.user_has_permission(user, action)]
        if not actions:
            return objects.none()
        if user.is_superuser:
            return objects
        roles = brand_roles_of(user)
        brand_ids = {
            brand_id
            for brand_id, role in roles.items()
            for action in actions
            if self.roles_for_action.get(action) is None or role in self.roles_for_action[action]
        }
        return objects.filter(**{f"{self.brand_id_field}__in": brand_ids})

    def users_with_any_permission_for_instance(self, actions, instance):
        role_filter = Q(brand_memberships__brand_id=self._brand_id(instance))
        roles = set().union(*(self.roles_for_action.get(action, set(BrandRole)) for action in actions))
        role_filter &= Q(brand_memberships__role__in=roles)
        return self.users_with_any_permission(actions).filter(Q(is_superuser=True) | role_filter).distinct()


def scoped_queryset(user, model) -> QuerySet:
    """Objects of `model` the user may see in the admin, by the model's registered policy."""
    return policy_registry.get_by_type(model).instances_user_has_any_permission_for(user, ANY_ACTION)


# Actions Wagtail's object views check only at model level; we check them on the object too, so a
# role on one brand doesn't carry over to another (lock/unlock views check themselves).
INSTANCE_CHECKED_ACTIONS = {"add", "change", "delete"}


def _only_objects_in_scope(view, view_class, model):
    """Wrap a view so that any object it is asked for by `pk` must be within the user's brands,
    and the user's role on that object's brand must allow the view's action."""
    action = getattr(view_class, "permission_required", None)

    @wraps(view)
    def scoped_view(request, *args, **kwargs):
        pk = kwargs.get("pk")
        if pk is not None:
            obj = scoped_queryset(request.user, model).filter(pk=unquote(str(pk))).first()
            if obj is None:
                raise Http404
            policy = policy_registry.get_by_type(model)
            if action in INSTANCE_CHECKED_ACTIONS and not policy.user_has_permission_for_instance(
                request.user, action, obj
            ):
                raise PermissionDenied
        return view(request, *args, **kwargs)

    return scoped_view


class BrandScopedViewSetMixin:
    """For a SnippetViewSet: list only in-scope objects, and 404 on any view of another brand's."""

    def get_queryset(self, request):
        return scoped_queryset(request.user, self.model)

    def construct_view(self, view_class, **kwargs):
        return _only_objects_in_scope(super().construct_view(view_class, **kwargs), view_class, self.model)


class _ScopedChooserListMixin:
    def get_object_list(self):
        return scoped_queryset(self.request.user, self.model_class)


class _ScopedChosenMixin:
    def get_object(self, pk):
        return scoped_queryset(self.request.user, self.model_class).get(pk=pk)

    def get_objects(self, pks):
        return scoped_queryset(self.request.user, self.model_class).filter(pk__in=pks)


class BrandScopedChooserViewSet(SnippetChooserViewSet):
    """The snippet chooser, showing and accepting only objects of the user's brands."""

    choose_view_class = type("ScopedChooseView", (_ScopedChooserListMixin, ChooseView), {})
    choose_results_view_class = type(
        "ScopedChooseResultsView", (_ScopedChooserListMixin, ChooseResultsView), {}
    )
    chosen_view_class = type("ScopedChosenView", (_ScopedChosenMixin, SnippetChosenView), {})
    chosen_multiple_view_class = type(
        "ScopedChosenMultipleView", (_ScopedChosenMixin, SnippetChosenMultipleView), {}
    )


def brand_field_for_user(form, field_name: str = "brand", *, roles=None) -> None:
    """Limit a form's brand choices to the user's brands (and pick the only one if there is one)."""
    field = form.fields.get(field_name)
    if field is None or form.for_user is None:
        return
    field.queryset = brands_for(form.for_user, roles=roles).select_related("client")
    if not form.instance.pk and field.queryset.count() == 1:
        field.initial = field.queryset.first().pk
