"""Magic links in the Wagtail admin: a brand's leads (and admins) list its links — each with its
user, brand, when it was made and last used, how often, and until when it works, grouped by user
and filterable — make one for a client user (the URL is shown once, to copy) and revoke one, after
confirming. One Wagtail viewset (`MagicLinkViewSet`) at /admin/magic-links/.

Every view looks links and brands up through approvals.portal.magic_links' selectors, so a creative
or reviewer of the brand, or a lead of another brand, gets a 404 (or, where they lead no brand,
Wagtail's "no permission" redirect).
"""

import django_filters
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.generic import TemplateView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import IndexView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.widgets.button import HeaderButton

from brands.models import BrandRole
from brands.scoping import brand_roles_of
from cms.ids import as_id

from .access_forms import CreateMagicLinkForm
from .magic_links import active, brands_managed_by, create_magic_link, links_manageable_by, revoke
from .models import MagicLink

INDEX_LABEL = "Portal magic links"
NAMESPACE = "portal_magic_links"


def url(view_name: str, *args) -> str:
    return reverse(f"{NAMESPACE}:{view_name}", args=args)


class LeadsOnly:
    """For the account leads of some brand, and admins: anyone else is refused (Wagtail sends
    them to the dashboard with a message)."""

    def dispatch(self, request, *args, **kwargs):
        self.brands = brands_managed_by(request.user).select_related("client").order_by("name")
        if not self.brands.exists():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


# The listing ------------------------------------------------------------------------------------


class LinkStatus:
    WORKING, EXPIRED, REVOKED = "working", "expired", "revoked"
    CHOICES = [(WORKING, "Working"), (EXPIRED, "Expired"), (REVOKED, "Revoked")]


def status_of(link: MagicLink, now=None) -> str:
    if link.revoked_at is not None:
        return LinkStatus.REVOKED
    return LinkStatus.EXPIRED if link.expires_at <= (now or timezone.now()) else LinkStatus.WORKING


def _users_with_links(request):
    return (
        get_user_model()
        .objects.filter(magic_links__in=links_manageable_by(request.user))
        .distinct()
        .order_by("username")
    )


def _managed_brands(request):
    return brands_managed_by(request.user).order_by("name")


class MagicLinkFilterSet(WagtailFilterSet):
    user = django_filters.ModelChoiceFilter(
        label="Client user", queryset=_users_with_links, empty_label="All client users"
    )
    brand = django_filters.ModelChoiceFilter(queryset=_managed_brands, empty_label="All your brands")
    status = django_filters.ChoiceFilter(
        label="Status", choices=LinkStatus.CHOICES, empty_label="Any status", method="filter_status"
    )

    class Meta:
        model = MagicLink
        fields = ["user", "brand", "status"]

    def filter_status(self, queryset, name, value):
        now = timezone.now()
        if value == LinkStatus.WORKING:
            return active(queryset)
        if value == LinkStatus.EXPIRED:
            return queryset.filter(revoked_at__isnull=True, expires_at__lte=now)
        if value == LinkStatus.REVOKED:
            return queryset.filter(revoked_at__isnull=False)
        return queryset


def _when(moment) -> str:
    return f"{timezone.localtime(moment):%-d %b %Y, %H:%M}" if moment else ""


class UserColumn(Column):
    """The link's client user, once per group of their links (the listing is ordered by user
    unless sorted otherwise): name and address."""

    cell_template_name = "portal/access/user_cell.html"


class LinkActionsColumn(Column):
    """Its status, and Revoke while it works."""

    cell_template_name = "portal/access/link_actions_cell.html"


class MagicLinksView(LeadsOnly, IndexView):
    model = MagicLink
    # Links are scoped by brand below (links_manageable_by), not by Wagtail's model permissions,
    # which no lead holds.
    permission_policy = None
    any_permission_required = None
    page_title = INDEX_LABEL
    header_icon = "link"
    paginate_by = 50
    filterset_class = MagicLinkFilterSet
    default_ordering = ("user__username", "user_id", "-created_at")
    template_name = "portal/access/admin_links.html"
    verbose_name = "magic link"
    verbose_name_plural = "magic links"

    columns = [
        UserColumn("user", label="Client user", sort_key="user__username"),
        Column("brand", label="Brand", sort_key="brand__name"),
        Column(
            "created", label="Created", accessor=lambda link: _when(link.created_at), sort_key="created_at"
        ),
        Column(
            "last_used",
            label="Last used",
            accessor=lambda link: _when(link.last_used_at) or "Never",
            sort_key="last_used_at",
        ),
        Column("use_count", label="Uses", sort_key="use_count"),
        Column(
            "expires", label="Expires", accessor=lambda link: _when(link.expires_at), sort_key="expires_at"
        ),
        LinkActionsColumn("status", label="Status", accessor=status_of),
    ]

    def dispatch(self, request, *args, **kwargs):
        # A brand the lead doesn't lead is not found, as before this was a filter.
        wanted = request.GET.get("brand")
        if wanted and not brands_managed_by(request.user).filter(pk=as_id(wanted) or 0).exists():
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self):
        return links_manageable_by(self.request.user).select_related("user", "brand")

    def get_table(self, object_list):
        rows = list(object_list)
        grouped = not self.is_explicitly_ordered or self.ordering in ("user__username", "-user__username")
        previous = None
        for link in rows:
            link.starts_group = not grouped or link.user_id != previous
            previous = link.user_id
        return super().get_table(rows)

    @property
    def header_buttons(self):
        brand = as_id(self.request.GET.get("brand"))
        return [
            HeaderButton(
                "New magic link",
                url("create") + (f"?brand={brand}" if brand is not None else ""),
                icon_name="plus",
            )
        ]


# Making and revoking ------------------------------------------------------------------------------


class LeadsOnlyMixin(LeadsOnly, WagtailAdminTemplateMixin):
    header_icon = "link"

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": "Home"},
            {"url": url("index"), "label": INDEX_LABEL},
            {"url": "", "label": self.page_title},
        ]


class CreateMagicLinkView(LeadsOnlyMixin, TemplateView):
    template_name = "portal/access/admin_create.html"
    page_title = "New magic link"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        initial = {"brand": as_id(self.request.GET.get("brand"))}
        context.setdefault("form", CreateMagicLinkForm(for_user=self.request.user, initial=initial))
        return context

    def post(self, request, *args, **kwargs):
        form = CreateMagicLinkForm(request.POST, for_user=request.user)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        link, link_url = create_magic_link(
            form.cleaned_data["user"],
            form.cleaned_data["brand"],
            days=form.cleaned_data["days"],
            by=request.user,
        )
        self.page_title = "Magic link created"
        response = self.render_to_response(self.get_context_data(link=link, url=link_url, created=True))
        add_never_cache_headers(response)  # the only time the URL is shown: keep it out of caches
        return response


class RevokeMagicLinkView(LeadsOnlyMixin, TemplateView):
    template_name = "portal/access/admin_revoke.html"
    page_title = "Revoke magic link"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.link = get_object_or_404(
            active(links_manageable_by(request.user)).select_related("user", "brand"), pk=kwargs["pk"]
        )

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "link": self.link, "back": self._index_url()}

    def post(self, request, *args, **kwargs):
        revoke(self.link, by=request.user)
        messages.success(
            request, f"The magic link for {_name(self.link.user)} to {self.link.brand} no longer works."
        )
        return redirect(self._index_url())

    def _index_url(self) -> str:
        return f"{url('index')}?user={self.link.user_id}"


def _name(user) -> str:
    return user.get_full_name() or user.username


# The viewset --------------------------------------------------------------------------------------


class LeadsMenuItem(MenuItem):
    def is_shown(self, request):
        user = request.user
        return user.is_superuser or BrandRole.LEAD in brand_roles_of(user).values()


class MagicLinkViewSet(ViewSet):
    """/admin/magic-links/: the listing, a new link, revoking one; in the menu for leads."""

    name = NAMESPACE
    url_prefix = "magic-links"
    icon = "link"
    menu_label = INDEX_LABEL
    menu_order = 250
    add_to_admin_menu = True

    menu_item_class = LeadsMenuItem

    def get_urlpatterns(self):
        index = MagicLinksView.as_view(
            index_url_name=url_name("index"), index_results_url_name=url_name("results")
        )
        results = MagicLinksView.as_view(
            index_url_name=url_name("index"), index_results_url_name=url_name("results"), results_only=True
        )
        return [
            path("", index, name="index"),
            path("results/", results, name="results"),
            path("new/", CreateMagicLinkView.as_view(), name="create"),
            path("<int:pk>/revoke/", RevokeMagicLinkView.as_view(), name="revoke"),
        ]


def url_name(view_name: str) -> str:
    return f"{NAMESPACE}:{view_name}"
