"""The client portal: small function views; every object is looked up through the client's scope
(approvals.portal.selectors), and every decision goes through approvals.services, the same
functions as the Wagtail task and the API, so a portal decision is the same event in the post's
history.

Each page works without JavaScript (links and plain form POSTs that redirect); with htmx, the
decision forms and the bulk approve swap in their part of the page instead (one view, one
template: the view renders the template's named partial when `request.htmx` is set).
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import ngettext
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_POST

from approvals.forms import ApproveForm, RequestChangesForm
from approvals.models import ReviewDecision
from approvals.services import AlreadyDecided, ChangedSinceSeen, approve_task, request_changes
from brands.models import Brand
from cms.archive.exporting import csv_response
from cms.archive.forms import ArchiveSearchForm
from cms.archive.selectors import NEWEST, highlighted_page, search_archive
from cms.calendar.grid import MONTH, WEEK, parse_day
from cms.ids import as_id
from cms.media import outgoing_copy, serve_file
from cms.posts.models import Post
from cms.posts.previews import PREVIEW_MODES, build_mockup

from .forms import PortalLoginForm
from .selectors import (
    PortalStatus,
    approval_outcome,
    archive_thumbnails,
    awaiting_client,
    awaiting_review_of,
    brand_time,
    calendar_for,
    choose_brand,
    chosen_reviews,
    client_history,
    client_title_of,
    client_view_of,
    get_portal_post,
    image_of,
    images_of,
    list_page,
    portal_branding,
    portal_brands,
    preview_modes_for,
    queue_page,
    review_of_post,
    revision_of,
    shown_rendition,
    upcoming_posts,
)

portal_login_required = login_required(login_url=reverse_lazy("portal:login"))

# The brand the client last chose; the access part's magic links set it too.
SESSION_BRAND = "portal_brand_id"


class PortalLoginView(auth_views.LoginView):
    template_name = "portal/login.html"
    authentication_form = PortalLoginForm
    redirect_authenticated_user = True
    next_page = reverse_lazy("portal:dashboard")


@dataclass
class Portal:
    """The client's brands and the one being looked at (the frame of every portal page)."""

    brands: list[Brand]
    brand: Brand | None


def _portal(request: HttpRequest, *, brand: Brand | None = None) -> Portal:
    """The client's brands and the current one: `?brand=` (remembered), else the remembered
    one, else the first. A brand id not of this client is 404, like one that does not exist."""
    brands = list(portal_brands(request.user))
    if not brands and not hasattr(request.user, "client_user"):
        raise PermissionDenied("The portal is for clients.")
    if brand is None:
        wanted = request.GET.get("brand")
        brand = choose_brand(brands, wanted, request.session.get(SESSION_BRAND))
        if wanted is not None:
            if brand is None:
                raise Http404("No such brand.")
            request.session[SESSION_BRAND] = brand.pk
    return Portal(brands=brands, brand=brand)


def _render(
    request: HttpRequest, template: str, portal: Portal, context: dict, *, awaiting_count=None
) -> HttpResponse:
    """Render a portal page (or one of its partials) in its frame: the brands, the brand shown
    and the count of posts awaiting the client there."""
    if awaiting_count is None and portal.brand is not None:
        awaiting_count = awaiting_client(request.user, portal.brand).count()
    page_context = {
        "portal": portal,
        "brand": portal.brand,
        "brands": portal.brands,
        # Links between sections name the brand when there are several (a post page's brand may
        # not be the one remembered).
        "brand_query": f"?brand={portal.brand.pk}" if portal.brand and len(portal.brands) > 1 else "",
        "awaiting_count": awaiting_count,
        "statuses": PortalStatus,
        **context,
    }
    return render(request, template, page_context)


def _get_post_for_client(request: HttpRequest, pk: int) -> Post:
    """The post as the client may see it; 404, the same as a missing id, for anything outside
    their brands or not shown to them yet."""
    post = get_portal_post(request.user, pk)
    if post is None:
        raise Http404("No such post.")
    return post


# The queue ----------------------------------------------------------------------------------------


@require_GET
@portal_login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The posts of the current brand awaiting the client's approval, soonest due first."""
    portal = _portal(request)
    page = queue_page(request.user, portal.brand, request.GET.get("page")) if portal.brand else None
    count = page.paginator.count if page else 0
    return _render(
        request, "portal/dashboard.html", portal, {"page": page, "section": "queue"}, awaiting_count=count
    )


@require_POST
@portal_login_required
def bulk_approve(request: HttpRequest) -> HttpResponse:
    """Approve the posts ticked in the queue; say which could not be and why."""
    chosen = chosen_reviews(request.user, request.POST.getlist("review"))
    if chosen is None:
        raise Http404("No such review.")
    approved = 0
    for review in chosen:
        title = client_title_of(review.seen)
        try:
            approve_task(task_state=review.task_state, user=request.user, seen_revision_id=review.seen.pk)
            approved += 1
        except (AlreadyDecided, PermissionDenied) as refused:
            messages.error(request, f"“{title}”: {_refusal(refused)}")
    if approved:
        messages.success(request, ngettext("Approved %d post.", "Approved %d posts.", approved) % approved)
    if not chosen:
        messages.warning(request, "Tick the posts to approve first.")
    if request.htmx:
        portal = _portal(request)
        page = queue_page(request.user, portal.brand, request.POST.get("page")) if portal.brand else None
        return _render(
            request,
            "portal/dashboard.html#queue",
            portal,
            {"page": page, "section": "queue"},
            awaiting_count=page.paginator.count if page else 0,
        )
    return redirect(reverse("portal:dashboard") + _page_query(request.POST.get("page")))


def _page_query(page) -> str:
    number = as_id(page)
    return f"?page={number}" if number is not None and number > 1 else ""


# Lists ------------------------------------------------------------------------------------------


@require_GET
@portal_login_required
def upcoming(request: HttpRequest) -> HttpResponse:
    portal = _portal(request)
    page = (
        list_page(upcoming_posts(request.user, portal.brand), request.GET.get("page"))
        if portal.brand
        else None
    )
    return _render(request, "portal/upcoming.html", portal, {"page": page, "section": "upcoming"})


@require_GET
@portal_login_required
def archive(request: HttpRequest) -> HttpResponse:
    """What the brand published, exactly as it went out to each platform: searchable, filtered
    by platform, dates (the brand's days), campaign and hashtag, newest or most relevant first."""
    portal = _portal(request)
    form = page = None
    if portal.brand is not None:
        form = ArchiveSearchForm(request.GET, user=request.user, brand=portal.brand, client=True)
        if form.is_valid():
            entries = search_archive(
                user=request.user, brand=portal.brand, client_view=True, **form.search_arguments()
            )
            page = highlighted_page(entries, request.GET.get("page"), query=form.cleaned_data["q"])
            archive_thumbnails(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("brand", None)
    context = {
        "form": form,
        "page": page,
        "section": "archive",
        "filtered": any(value for key, value in query.items()),
        # The filters stay folded on a phone unless one of them is in use.
        "filters_used": any(value for key, value in query.items() if key not in ("q", "order")),
        "extra_query": query.urlencode() + "&" if query else "",
    }
    return _render(request, "portal/archive.html", portal, context)


@require_GET
@portal_login_required
def archive_export(request: HttpRequest) -> HttpResponse:
    """The CSV of the archive as searched and filtered: every match, not one page."""
    portal = _portal(request)
    if portal.brand is None:
        raise Http404("No brand.")
    form = ArchiveSearchForm(request.GET, user=request.user, brand=portal.brand, client=True)
    if not form.is_valid():
        messages.error(request, "Those filters aren’t valid; fix them and export again.")
        return redirect(reverse("portal:archive") + "?" + request.GET.urlencode())
    entries = search_archive(
        user=request.user,
        brand=portal.brand,
        client_view=True,
        **(form.search_arguments() | {"order": NEWEST}),
    )
    return csv_response(entries, client_view=True, filename=f"{portal.brand.slug}-archive.csv")


@require_GET
@portal_login_required
def calendar(request: HttpRequest) -> HttpResponse:
    """A month or a week of the current brand, in its time zone (`?view=week&date=2026-06-01`)."""
    portal = _portal(request)
    cal = None
    if portal.brand is not None:
        view = WEEK if request.GET.get("view") == WEEK else MONTH
        cal = calendar_for(request.user, portal.brand, view, parse_day(request.GET.get("date")))
    return _render(request, "portal/calendar.html", portal, {"calendar": cal, "section": "calendar"})


# One post -----------------------------------------------------------------------------------------


@require_GET
@portal_login_required
def post_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The post page; with htmx, its decision panel (which looks again while a post it approved
    is going out, until it is published)."""
    return _post_page(request, _get_post_for_client(request, pk), partial=bool(request.htmx))


def _post_page(request: HttpRequest, post: Post, *, changes_form=None, partial=False) -> HttpResponse:
    """The post page: the mock-ups of its platforms, its images, its history as the client may
    read it, and approve / request changes while it awaits them."""
    portal = _portal(request, brand=post.brand)
    shown = client_view_of(post)
    modes = preview_modes_for(shown)
    mode = request.GET.get("mode")
    if mode not in PREVIEW_MODES:  # any platform's mock-up on request; the tabs offer the post's
        mode = modes[0][0]
    review = awaiting_review_of(request.user, post) if post.portal_status == PortalStatus.AWAITING else None
    context = {
        "post": shown,
        "modes": modes,
        "mode": mode,
        "review": review,
        "outcome": approval_outcome(shown, review, post.latest_revision_id) if review else None,
        "poll": as_id(request.GET.get("poll")) or 0,
        "revision_id": post.latest_revision_id,
        "history": client_history(post),
        "images": images_of(shown),
        "approve_form": ApproveForm(),
        "changes_form": changes_form or RequestChangesForm(),
    }
    template = "portal/post.html#decision" if partial else "portal/post.html"
    return _render(request, template, portal, context)


@require_POST
@portal_login_required
def post_approve(request: HttpRequest, pk: int) -> HttpResponse:
    post = _get_post_for_client(request, pk)
    form = ApproveForm(request.POST)
    form.is_valid()  # only an optional comment
    return _decide(request, post, approve_task, comment=form.cleaned_data.get("comment", ""))


@require_POST
@portal_login_required
def post_request_changes(request: HttpRequest, pk: int) -> HttpResponse:
    post = _get_post_for_client(request, pk)
    form = RequestChangesForm(request.POST)
    if not form.is_valid():
        _review_and_revision(request, post)  # anything not theirs is 404 before any form error
        # The form again, with its errors and everything typed kept.
        return _post_page(request, post, changes_form=form, partial=request.htmx)
    return _decide(request, post, request_changes, **form.cleaned_data)


def _review_and_revision(request: HttpRequest, post: Post):
    """The review and the revision the client decided on, named in the form; 404 unless both are
    of this post and the review is the client's to decide."""
    review = review_of_post(request.user, post, request.POST.get("task_state"))
    seen = revision_of(post, request.POST.get("revision"))
    if review is None or seen is None:
        raise Http404("No such review.")
    return review, seen


def _decide(request: HttpRequest, post: Post, service, **data) -> HttpResponse:
    """Run a decision on what the client saw: if the agency changed the post since the page was
    opened, the client looks again first (the service checks, under the tier's lock)."""
    review, seen = _review_and_revision(request, post)
    try:
        decision = service(task_state=review, user=request.user, seen_revision_id=seen.pk, **data)
    except (AlreadyDecided, PermissionDenied) as refused:
        messages.error(request, _refusal(refused))
        post = _get_post_for_client(request, post.pk)
    else:
        post = _get_post_for_client(request, post.pk)  # as the decision left it
        messages.success(request, _decision_message(decision, post))
    if request.htmx:
        return _post_page(request, post, partial=True)
    return redirect("portal:post-detail", post.pk)


def _decision_message(decision: ReviewDecision, post: Post) -> str:
    """What the decision did, as it stands now: published at once, going out (the relay
    publishes it in a moment), scheduled, or back with the agency."""
    if decision.outcome == ReviewDecision.Outcome.CHANGES_REQUESTED:
        return "Thanks — your agency has your request for changes and will send the post back to you."
    if post.portal_status == PortalStatus.PUBLISHED:
        return "Approved and published. Thank you!"
    if post.portal_status == PortalStatus.GOING_OUT:
        return "Approved. It is going out now. Thank you!"
    if post.portal_status == PortalStatus.SCHEDULED and post.calendar_at:
        return f"Approved and scheduled for {brand_time(post.calendar_at, post.brand)}. Thank you!"
    return "Approved. Your agency takes it from here. Thank you!"


def _refusal(refused: Exception) -> str:
    """Why a decision was refused, in the client's words (the service's names the post by its
    internal title)."""
    if isinstance(refused, ChangedSinceSeen):
        return "This post has changed since you opened it. Have a look at the new version before you decide."
    return str(refused)


@require_GET
@portal_login_required
@xframe_options_sameorigin
def post_preview(request: HttpRequest, pk: int, mode: str) -> HttpResponse:
    """The platform mock-up on its own, framed by the post page (the admin preview uses the same)."""
    post = _get_post_for_client(request, pk)
    if mode not in PREVIEW_MODES:
        raise Http404("No such preview.")
    shown = client_view_of(post)

    def image_url(image, rendition) -> str:  # through post_rendition, which checks the post
        return reverse("portal:post-rendition", args=[post.pk, image.pk, rendition.filter_spec])

    # The mock-up says "Published" (or "Going out now") once it is, not "Draft" for a post that
    # had no time.
    published_at = shown.calendar_at if shown.portal_status == PortalStatus.PUBLISHED else None
    going_out = shown.portal_status == PortalStatus.GOING_OUT
    mockup = build_mockup(
        shown, mode, image_url=image_url, published_at=published_at, going_out_now=going_out
    )
    context = {"mockup": mockup, "object": shown, "preview_title": shown.client_title}
    return render(request, shown.get_preview_template(request, mode), context)


# Pictures: a portal page links each of its images here, never to the file itself (cms/media.py).


@require_GET
@portal_login_required
def post_image(request: HttpRequest, pk: int, image_id: int) -> HttpResponse:
    """One of the post's images, full size, without the original file's metadata."""
    post = _get_post_for_client(request, pk)
    image = image_of(client_view_of(post), image_id)
    if image is None:
        raise Http404("No such image.")
    return serve_file(outgoing_copy(image).file)


@require_GET
@portal_login_required
def post_rendition(request: HttpRequest, pk: int, image_id: int, filter_spec: str) -> HttpResponse:
    """One of the post's images at a size a portal page shows it (list thumbnail, mock-up, the
    post page's own)."""
    post = _get_post_for_client(request, pk)
    image = image_of(client_view_of(post), image_id)
    rendition = shown_rendition(image, filter_spec) if image is not None else None
    if rendition is None:
        raise Http404("No such image.")
    return serve_file(rendition.file)


@require_GET
def agency_logo(request: HttpRequest) -> HttpResponse:
    """The agency's logo in the portal's header: public, like the sign-in page that shows it."""
    logo = portal_branding().logo
    if logo is None:
        raise Http404("No logo.")
    return serve_file(logo.file, public=True)
