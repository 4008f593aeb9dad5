"""The review inbox in the Wagtail admin: list, decide inline (htmx), bulk-approve.

Thin views: the rows come from approvals.inbox, every decision goes through approvals.services
(the same functions as the Wagtail task and the API), and a row answers with its new state.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.snippets.views.snippets import WorkflowActionView

from cms.ids import as_id
from cms.posts.selectors import posts_visible_to

from .forms import ApproveForm, RequestChangesForm, WithdrawForm
from .inbox import inbox_items, inbox_page
from .models import ReviewDecision
from .selectors import reviews_decidable_by
from .services import (
    AlreadyDecided,
    NotScheduled,
    approve_task,
    request_changes,
    withdraw_from_schedule,
)

ROW_TEMPLATE = "approvals/inbox/_row.html"


class InboxView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "approvals/inbox/index.html"
    page_title = "Review inbox"
    header_icon = "tasks"

    def get_breadcrumbs_items(self):
        return [{"url": reverse("wagtailadmin_home"), "label": "Home"}, {"url": "", "label": "Review inbox"}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = inbox_page(self.request.user, self.request.GET.get("p"))
        context.update(page=page, items=page.object_list, request_changes_form=RequestChangesForm())
        return context


def _row(request, task_state_id: int, *, decided=None, error: str = "", form=None):
    """One inbox row: the item, or the outcome once it is no longer awaiting this user."""
    items = inbox_items(request.user, [task_state_id])
    return TemplateResponse(
        request,
        ROW_TEMPLATE,
        {
            "item": items[0] if items else None,
            "task_state_id": task_state_id,
            "decided": decided,
            "error": error,
            "form": form,
        },
    )


def _decide(request, task_state_id: int, service, **data):
    """Run a decision on the version the row showed; answer the row (htmx) or go back to the
    inbox with a message."""
    task_state = get_object_or_404(reviews_decidable_by(request.user), pk=task_state_id)
    seen = as_id(request.POST.get("revision"))
    try:
        decision = service(task_state=task_state, user=request.user, seen_revision_id=seen, **data)
    except (AlreadyDecided, PermissionDenied) as refused:
        if request.htmx:
            return _row(request, task_state_id, error=str(refused))
        messages.error(request, str(refused))
        return redirect("approvals_inbox")
    if request.htmx:
        return _row(request, task_state_id, decided=decision)
    messages.success(request, _decision_message(decision))
    return redirect("approvals_inbox")


def _decision_message(decision: ReviewDecision) -> str:
    title = decision.revision.object_str
    if decision.outcome == ReviewDecision.Outcome.CHANGES_REQUESTED:
        return f"Changes requested on “{title}”."
    return f"Approved “{title}”."


@require_POST
def approve(request, task_state_id: int):
    form = ApproveForm(request.POST)
    form.is_valid()  # only an optional comment
    return _decide(request, task_state_id, approve_task, comment=form.cleaned_data.get("comment", ""))


class ChangesPage(WagtailAdminTemplateMixin, TemplateView):
    """The request-changes form on a page of its own, for browsers without JavaScript."""

    template_name = "approvals/inbox/changes.html"
    page_title = "Request changes"
    header_icon = "tasks"

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": "Home"},
            {"url": reverse("approvals_inbox"), "label": "Review inbox"},
            {"url": "", "label": "Request changes"},
        ]


@require_http_methods(["GET", "POST"])
def changes(request, task_state_id: int):
    """GET: the request-changes form (in its row, or on a page). POST: send the post back."""
    get_object_or_404(reviews_decidable_by(request.user), pk=task_state_id)
    form = RequestChangesForm(request.POST) if request.method == "POST" else RequestChangesForm()
    if request.method == "POST" and form.is_valid():
        return _decide(request, task_state_id, request_changes, **form.cleaned_data)
    # The form, fresh or with its errors and everything typed kept.
    if request.htmx:
        return _row(request, task_state_id, form=form)
    items = inbox_items(request.user, [task_state_id])
    page = ChangesPage()
    page.setup(request)
    return page.render_to_response(page.get_context_data(item=items[0] if items else None, form=form))


@require_GET
def row(request, task_state_id: int):
    """The row as it stands (Cancel on the request-changes form)."""
    get_object_or_404(reviews_decidable_by(request.user), pk=task_state_id)
    if not request.htmx:  # opened as a page: a bare table row is no page
        return redirect("approvals_inbox")
    return _row(request, task_state_id)


@require_POST
def bulk_approve(request):
    """Approve the selected posts that have no findings; say which were left and why."""
    ids = [pk for pk in map(as_id, request.POST.getlist("task_state")) if pk is not None]
    approved, skipped, refused = 0, [], []
    for item in inbox_items(request.user, ids):
        if item.findings_count:
            skipped.append(item.title)
            continue
        try:
            approve_task(task_state=item.task_state, user=request.user)
            approved += 1
        except (AlreadyDecided, PermissionDenied) as error:
            refused.append(f"“{item.title}”: {error}")
    if approved:
        messages.success(request, ngettext("Approved %d post.", "Approved %d posts.", approved) % approved)
    if skipped:
        messages.warning(
            request,
            "Not approved, they have findings to look at first: " + ", ".join(f"“{t}”" for t in skipped),
        )
    for message in refused:
        messages.error(request, message)
    if not (approved or skipped or refused):
        messages.warning(request, "Select the posts to approve first.")
    return redirect("approvals_inbox")


class WithdrawView(WagtailAdminTemplateMixin, TemplateView):
    """Confirm, with a reason, that a scheduled post should not go out."""

    template_name = "approvals/withdraw.html"
    page_title = "Withdraw from schedule"
    header_icon = "warning"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.post_obj = get_object_or_404(posts_visible_to(request.user), pk=kwargs["pk"])
        self.edit_url = reverse("wagtailsnippets_posts_post:edit", args=[self.post_obj.pk])

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailsnippets_posts_post:list"), "label": "Posts"},
            {"url": self.edit_url, "label": str(self.post_obj)},
            {"url": "", "label": "Withdraw from schedule"},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        post = self.post_obj
        # When the scheduled version goes out: a live post's row keeps its live version's time.
        scheduled = post.scheduled_revision
        context.update(
            post=post,
            edit_url=self.edit_url,
            scheduled=scheduled is not None,
            goes_out=scheduled.approved_go_live_at if scheduled else None,
        )
        context.setdefault("form", WithdrawForm())
        return context

    def post(self, request, *args, **kwargs):
        form = WithdrawForm(request.POST)
        if form.is_valid():
            try:
                withdraw_from_schedule(
                    post=self.post_obj, user=request.user, reason=form.cleaned_data["reason"]
                )
            except NotScheduled as not_scheduled:
                messages.error(request, str(not_scheduled))
                return redirect(self.edit_url)
            messages.success(request, f"“{self.post_obj}” will not go out. Submit it again to reschedule it.")
            return redirect(self.edit_url)
        return self.render_to_response(self.get_context_data(form=form))


class PostWorkflowActionView(WorkflowActionView):
    """Wagtail's workflow action view for posts (the editor's Approve and Request changes buttons).

    A tier someone already decided (a double-click, a page left open, two reviewers at once)
    answers "Already decided by …" as the inbox and the API do, and a decision the services
    refuse says why, instead of an error page or Wagtail's generic "no permission".
    """

    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except (AlreadyDecided, PermissionDenied) as refused:
            messages.error(request, str(refused))
            if request.headers.get("x-requested-with") == "XMLHttpRequest":  # the modal's form
                return self.render_modal_json(request, {"step": "success", "redirect": self.redirect_url})
            return redirect(self.redirect_url)
