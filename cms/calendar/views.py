"""The agency calendar in the Wagtail admin. Thin views: the posts come from
cms.calendar.selectors, a move goes through cms.calendar.services (the normal editing path).

Every page works without JavaScript: the views and periods are links, the filters a GET form, and
a move a small form on its own page; with JavaScript, dragging a post to a day posts that same
form (after saying, for a post in review or scheduled, that it goes back through the tiers).
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from approvals.services import AlreadyInReview, BlockingFindings
from cms.posts.models import PostStatus

from .forms import CalendarFilterForm, MoveForm
from .grid import MONTH, WEEK, parse_day
from .selectors import LIST, STATUSES, VIEWS, agency_calendar, calendar_posts, entry_of, undated_count
from .services import CannotMove, move_post_to_day

FILTER_NAMES = ["brand", "platform", "status", "campaign", "intent"]


class CalendarView(WagtailAdminTemplateMixin, TemplateView):
    """`/admin/calendar/?view=week&date=2026-06-01&brand=3&status=draft`"""

    template_name = "calendar/index.html"
    page_title = "Calendar"
    header_icon = "date"

    def get_breadcrumbs_items(self):
        return [{"url": reverse("wagtailadmin_home"), "label": "Home"}, {"url": "", "label": "Calendar"}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        request = self.request
        view = request.GET.get("view") if request.GET.get("view") in VIEWS else MONTH
        chosen = {name: request.GET[name] for name in FILTER_NAMES if request.GET.get(name)}
        form = CalendarFilterForm(request.user, chosen or None)
        filters = form.filters()
        calendar = agency_calendar(
            request.user,
            view,
            parse_day(request.GET.get("date")),
            filters=filters,
            page=request.GET.get("page"),
        )
        kept = {name: value for name, value in chosen.items() if name not in form.errors}

        def url(view_name, day=None, **params):
            query = {**params, "view": view_name, **({"date": f"{day:%Y-%m-%d}"} if day else {})}
            return "?" + urlencode(query)

        context.update(
            calendar=calendar,
            view=view,
            form=form,
            filtered=filters.any,
            statuses=[(status.value, status.label) for status in STATUSES],
            previous_url=url(view, calendar.previous, **kept),
            next_url=url(view, calendar.next, **kept),
            today_url=url(view, **kept),
            view_urls=[(name, name.capitalize(), url(name, calendar.anchor, **kept)) for name in VIEWS],
            clear_url=url(view, calendar.anchor),
            has_brands=form.fields["brand"].queryset.exists(),
            undated=undated_count(request.user, filters),
            here=request.get_full_path(),
            # A busy day's "+N more": the month's opens its week, the week's the list on that day.
            more_view=WEEK if view == MONTH else LIST,
            more_params="".join(f"{urlencode({name: value})}&" for name, value in kept.items()),
            pages=_page_links(calendar.page, lambda number: url(view, calendar.anchor, **kept, page=number)),
        )
        return context


def _page_links(page, url_for) -> dict | None:
    """The list view's "Earlier" / "Later" links and where the page stands (None: one page)."""
    if page is None or page.paginator.num_pages < 2:
        return None
    return {
        "number": page.number,
        "count": page.paginator.num_pages,
        "first": page.start_index(),
        "last": page.end_index(),
        "total": page.paginator.count,
        "previous_url": url_for(page.previous_page_number()) if page.has_previous() else "",
        "next_url": url_for(page.next_page_number()) if page.has_next() else "",
    }


class MoveView(WagtailAdminTemplateMixin, TemplateView):
    """Move a post to another day: the form (GET) and the move (POST), which the calendar's
    drag-and-drop posts too. A post of another brand is not found."""

    template_name = "calendar/move.html"
    page_title = "Move to another day"
    header_icon = "date"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.post_obj = get_object_or_404(calendar_posts(request.user), pk=kwargs["pk"])
        self.entry = entry_of(request.user, self.post_obj)

    def back_url(self, form=None) -> str:
        wanted = (form.data.get("next") if form is not None else None) or self.request.GET.get("next")
        if wanted and url_has_allowed_host_and_scheme(
            wanted, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        ):
            return wanted
        return reverse("agency_calendar")

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("agency_calendar"), "label": "Calendar"},
            {"url": "", "label": f"Move “{self.post_obj}”"},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        entry = self.entry
        form = kwargs.get("form") or MoveForm(
            initial={"date": entry.at.date() if entry else None, "next": self.back_url(), "confirm": True}
        )
        context.update(
            post=self.post_obj,
            entry=entry,
            form=form,
            back_url=self.back_url(form if form.is_bound else None),
            edit_url=reverse("wagtailsnippets_posts_post:edit", args=[self.post_obj.pk]),
        )
        return context

    def post(self, request, *args, **kwargs):
        form = MoveForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        if self.entry and self.entry.move_note and not form.cleaned_data["confirm"]:
            # Moved without being told what it does (a post in review or scheduled): tell them here.
            form = MoveForm(initial={**form.cleaned_data, "confirm": True})
            return self.render_to_response(self.get_context_data(form=form))
        try:
            moved = move_post_to_day(user=request.user, post=self.post_obj, day=form.cleaned_data["date"])
        except (CannotMove, BlockingFindings, AlreadyInReview, PermissionDenied) as refused:
            form.add_error("date", str(refused))
            return self.render_to_response(self.get_context_data(form=form))
        except ValidationError as invalid:
            form.add_error("date", " ".join(invalid.messages))
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(request, moved_message(moved))
        return redirect(self.back_url(form))


def moved_message(moved) -> str:
    at = moved.at
    message = f"Moved “{moved.post}” to {at:%a} {at.day} {at:%b}, {at:%H:%M} {at.tzname()}."
    if moved.was == PostStatus.SCHEDULED:
        return f"{message} It is off the schedule and back in review: it goes out once the tiers approve it."
    if moved.was == PostStatus.IN_REVIEW:
        return f"{message} It stays in review; tiers that approved it before approve the new version again."
    return message
