"""Magic links in the Wagtail admin: a brand's leads (and admins) see its active links, make one for
a client user (the URL is shown once, to copy) and revoke one, after confirming.

Every view looks links and brands up through approvals.portal.magic_links' selectors, so a creative
or reviewer of the brand, or a lead of another brand, gets a 404 (or 403 where they lead no brand).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import HeaderButton

from cms.ids import as_id

from .access_forms import CreateMagicLinkForm
from .magic_links import active, brands_managed_by, create_magic_link, links_manageable_by, revoke

INDEX_LABEL = "Portal magic links"


class LeadsOnlyMixin(WagtailAdminTemplateMixin):
    header_icon = "link"

    def dispatch(self, request, *args, **kwargs):
        self.brands = brands_managed_by(request.user).select_related("client").order_by("name")
        if not self.brands.exists():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        items = [{"url": reverse("wagtailadmin_home"), "label": "Home"}]
        if self.page_title != INDEX_LABEL:
            items.append({"url": reverse("portal_magic_links"), "label": INDEX_LABEL})
        return [*items, {"url": "", "label": self.page_title}]


class MagicLinksView(LeadsOnlyMixin, TemplateView):
    template_name = "portal/access/admin_links.html"
    page_title = INDEX_LABEL

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        brand = None
        if self.request.GET.get("brand"):
            brand = self.brands.filter(pk=as_id(self.request.GET["brand"])).first()
            if brand is None:
                raise Http404
        links = active(links_manageable_by(self.request.user)).select_related("user", "brand")
        if brand is not None:
            links = links.filter(brand=brand)
        context.update(brands=self.brands, brand=brand, links=links.order_by("brand__name", "-created_at"))
        return context

    def get_header_buttons(self):
        brand = as_id(self.request.GET.get("brand"))
        url = reverse("portal_magic_links_create") + (f"?brand={brand}" if brand is not None else "")
        return [HeaderButton("New magic link", url, icon_name="plus")]


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
        link, url = create_magic_link(
            form.cleaned_data["user"],
            form.cleaned_data["brand"],
            days=form.cleaned_data["days"],
            by=request.user,
        )
        self.page_title = "Magic link created"
        response = self.render_to_response(self.get_context_data(link=link, url=url, created=True))
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
        return f"{reverse('portal_magic_links')}?brand={self.link.brand_id}"


def _name(user) -> str:
    return user.get_full_name() or user.username
