"""The publishing desk in the admin: posts to put out by hand now, deliveries in trouble, and
what went out lately, each with its attempts. Thin views over cms.archive.delivering."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .delivering import AlreadyRecorded, record_manual_post, send_again
from .exporting import csv_response
from .forms import ArchiveSearchForm
from .models import approval_steps
from .selectors import (
    NEWEST,
    archive_entries_visible_to,
    deliveries_visible_to,
    highlighted_page,
    publishing_desk,
    search_archive,
)


class PostedForm(forms.Form):
    live_url = forms.URLField(
        label="Link to the live post",
        max_length=500,
        assume_scheme="https",
        error_messages={"required": "Paste the link to the post as it is live on the platform."},
    )


class PublishingView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "archive/publishing.html"
    page_title = "Publishing"
    header_icon = "upload"

    def get_breadcrumbs_items(self):
        return [{"url": reverse("wagtailadmin_home"), "label": "Home"}, {"url": "", "label": "Publishing"}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(publishing_desk(self.request.user), posted_form=PostedForm())
        return context


@require_POST
def posted(request, delivery_id: int):
    """Someone posted it by hand: record its link, which archives it."""
    delivery = get_object_or_404(deliveries_visible_to(request.user), pk=delivery_id)
    form = PostedForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["live_url"]))
        return redirect("archive_publishing")
    try:
        record_manual_post(delivery=delivery, user=request.user, live_url=form.cleaned_data["live_url"])
    except (AlreadyRecorded, PermissionDenied) as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, f"Recorded “{delivery.post}” on {delivery.channel.platform} as posted.")
    return redirect("archive_publishing")


@require_POST
def retry(request, delivery_id: int):
    delivery = get_object_or_404(deliveries_visible_to(request.user), pk=delivery_id)
    try:
        send_again(delivery=delivery, user=request.user)
    except PermissionDenied as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, f"Sending “{delivery.post}” to {delivery.channel.platform} again.")
    return redirect("archive_publishing")


class ArchiveEntryView(WagtailAdminTemplateMixin, TemplateView):
    """One archived post as it went out: caption, platform, time in the brand's time zone, the
    live link and who approved it. Only for the user's brands (404 for any other)."""

    template_name = "archive/entry.html"
    header_icon = "doc-full"

    def dispatch(self, request, *args, **kwargs):
        self.entry = get_object_or_404(
            archive_entries_visible_to(request.user).select_related("brand", "platform", "post", "author"),
            pk=kwargs["entry_id"],
        )
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"{self.entry.title} on {self.entry.platform}"

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": "Home"},
            {"url": "", "label": "Archive"},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["entry"] = self.entry
        context["approvals"] = approval_steps(self.entry.approvals)
        return context


class ArchiveSearchView(WagtailAdminTemplateMixin, TemplateView):
    """Search everything the user's brands published: words and filters in a GET form, results
    with their matches marked, pages, and the whole result as CSV."""

    template_name = "archive/search.html"
    page_title = "Archive"
    header_icon = "search"

    def get_breadcrumbs_items(self):
        return [{"url": reverse("wagtailadmin_home"), "label": "Home"}, {"url": "", "label": "Archive"}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = ArchiveSearchForm(self.request.GET, user=self.request.user)
        page = None
        if form.is_valid():
            entries = search_archive(user=self.request.user, client_view=False, **form.search_arguments())
            page = highlighted_page(entries, self.request.GET.get("page"), query=form.cleaned_data["q"])
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(form=form, page=page, query_string=query.urlencode(), filtered=bool(query))
        return context


def archive_export(request):
    """The CSV of the search as filtered on the archive page: every match, not one page."""
    form = ArchiveSearchForm(request.GET, user=request.user)
    if not form.is_valid():
        messages.error(request, "Those filters aren’t valid; fix them and export again.")
        return redirect(reverse("archive_search") + "?" + request.GET.urlencode())
    arguments = form.search_arguments() | {"order": NEWEST}
    return csv_response(search_archive(user=request.user, client_view=False, **arguments), client_view=False)
