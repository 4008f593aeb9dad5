"""The review inbox in the Wagtail admin: the queue beside the review it has selected, deciding
with one key (htmx), undoing, bulk approval.

Thin views: the queue and the pane come from approvals.inbox, every decision goes through
approvals.services (the same functions as the Wagtail task, the portal and the API). One
template, approvals/inbox/index.html: a full page without htmx (every review has its own URL,
every decision is a plain form that redirects), its named partials with htmx (a decision answers
the next review's pane, or only names it when the browser has loaded it ahead, with its own row
as decided and the toast with Undo, in one response).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import TaskState
from wagtail.snippets.views.snippets import WorkflowActionView

from cms.ids import as_id
from cms.posts.models import Post
from cms.posts.previews import PREVIEW_MODES, build_mockup
from cms.posts.selectors import posts_visible_to

from .comment_views import panel_context
from .forms import ApproveForm, RequestChangesForm, WithdrawForm
from .inbox import awaiting_by_due, awaiting_ids, inbox_items, inbox_page, review_detail
from .models import ReviewDecision
from .selectors import reviews_decidable_by
from .services import (
    AlreadyDecided,
    NotScheduled,
    TooLateToUndo,
    approve_task,
    request_changes,
    undo_decision,
    withdraw_from_schedule,
)

INBOX_TEMPLATE = "approvals/inbox/index.html"


def review_url(task_state_id: int | None) -> str:
    if task_state_id is None:
        return reverse("approvals_inbox")
    return reverse("approvals_inbox_review", args=[task_state_id])


class InboxView(WagtailAdminTemplateMixin, TemplateView):
    """The queue (a page of it, soonest due first) beside one review: the one in the URL, or the
    first in the queue."""

    template_name = INBOX_TEMPLATE
    page_title = "Review inbox"
    header_icon = "tasks"

    def get_breadcrumbs_items(self):
        return [{"url": reverse("wagtailadmin_home"), "label": "Home"}, {"url": "", "label": "Review inbox"}]

    def get_context_data(self, *, task_state_id=None, **pane_kwargs):
        context = super().get_context_data()
        request = self.request
        page = inbox_page(request.user, request.GET.get("p"))
        rows = list(page.object_list)
        ids = [row.task_state.pk for row in rows]
        if task_state_id is None and ids:
            task_state_id = ids[0]
        # Where a decision without JavaScript goes next: the row after this one on the page.
        following = ids[ids.index(task_state_id) + 1] if task_state_id in ids[:-1] else None
        context.update(
            page=page,
            items=rows,
            awaiting_count=page.paginator.count,
            toast=_toast(_own_decision(request, request.GET.get("decided"))),
        )
        if task_state_id is not None:
            context.update(pane_context(request, task_state_id, next_id=following, **pane_kwargs))
        return context


@require_GET
def inbox(request, task_state_id: int | None = None):
    """The inbox page, with the first review or this one selected; with htmx, its pane only."""
    return _page_or_pane(request, task_state_id)


def _page_or_pane(request, task_state_id: int | None, **pane_kwargs):
    if task_state_id is not None:
        get_object_or_404(reviews_decidable_by(request.user), pk=task_state_id)  # else 404
        if request.htmx:
            return _pane(request, task_state_id, **pane_kwargs)
    view = InboxView()
    view.setup(request)
    return view.render_to_response(view.get_context_data(task_state_id=task_state_id, **pane_kwargs))


def pane_context(
    request,
    task_state_id: int,
    *,
    next_id=None,
    changes_form=None,
    changes_open=False,
    error: str = "",
) -> dict:
    """What the pane shows of one review: all of it while it awaits the user, else who decided."""
    detail = review_detail(request.user, task_state_id)
    context = {
        "selected_id": task_state_id,
        "detail": detail,
        "next_id": next_id,
        "changes_form": changes_form or RequestChangesForm(),
        "changes_open": changes_open or changes_form is not None,
        "error": error,
    }
    if detail is None:
        task_state = TaskState.objects.select_related("finished_by").get(pk=task_state_id)
        context["gone"] = error or str(AlreadyDecided(task_state, decider=request.user))
        return context
    # The post editor's comments panel; without JavaScript its forms come back to this review.
    context.update(panel_context(request, detail.content, content=detail.content))
    context["comments_next"] = review_url(task_state_id)
    return context


def _pane(request, task_state_id: int, **pane_kwargs):
    """The pane of a review (htmx): what moving through the queue shows."""
    return TemplateResponse(
        request, f"{INBOX_TEMPLATE}#pane", pane_context(request, task_state_id, **pane_kwargs)
    )


def _pane_after(
    request,
    task_state_id: int | None,
    *,
    awaiting_count: int,
    toast=None,
    decided=None,
    held=None,
    **pane_kwargs,
):
    """The pane after a decision or an undo (htmx), with the queue rows it changed, the count
    and the toast, in one response.

    `held`: the review whose pane the browser has already loaded (the inbox's script loads the
    next one while the reviewer reads): when that is the one to show, the answer names it
    instead of rendering it again, so a decision costs little more than the decision."""
    context = {"selected_id": task_state_id, "detail": None}
    if task_state_id is not None and task_state_id == held:
        context["held"] = True
    elif task_state_id is not None:
        context = pane_context(request, task_state_id, **pane_kwargs)
    changed = []
    if decided is not None:
        changed.append({"task_state_id": decided.task_state_id, "item": None, "decided": decided})
    if task_state_id is not None and (decided is None or decided.task_state_id != task_state_id):
        # The review shown, in the queue as it stands: back (an undo), refreshed, or gone
        # (decided by someone else meanwhile). One the browser held is in its queue already.
        if not context.get("held"):
            detail = context["detail"]
            changed.append(
                {"task_state_id": task_state_id, "item": detail.item if detail else None, "decided": None}
            )
        elif decided is None:
            items = inbox_items(request.user, [task_state_id])
            changed.append(
                {"task_state_id": task_state_id, "item": items[0] if items else None, "decided": None}
            )
    context.update(changed_rows=changed, toast=toast, awaiting_count=awaiting_count)
    return TemplateResponse(request, f"{INBOX_TEMPLATE}#pane-response", context)


def _next_review(user, wanted: int | None) -> tuple[int | None, int]:
    """The review to show after a decision, and how many await the user now: the one the
    queue had next (`wanted`) while it still awaits the user, else the soonest due."""
    awaiting = awaiting_ids(user)
    if wanted in awaiting:
        return wanted, len(awaiting)
    if not awaiting:
        return None, 0
    by_due = awaiting_by_due(user, timezone.now())
    return (by_due[0].task_state_id if len(by_due) else None), len(by_due)


def _decidable_or_404(request, task_state_id: int) -> None:
    """Someone who could never decide on this review learns nothing of it: 404, as for an id
    that does not exist."""
    if not reviews_decidable_by(request.user).filter(pk=task_state_id).exists():
        raise Http404("No such review.")


def _decide(request, task_state_id: int, service, **data):
    """Run a decision on the version the pane showed, then show the next review. Refused (decided
    meanwhile, changed since it was shown, the four-eyes rule): the same review again, saying why.

    The service checks who may decide, under the tier's lock; the view only turns a refusal of
    someone who could never decide on it into a 404."""
    task_state = TaskState.objects.filter(pk=task_state_id).first()
    if task_state is None:
        raise Http404("No such review.")
    seen = as_id(request.POST.get("revision"))
    try:
        decision = service(task_state=task_state, user=request.user, seen_revision_id=seen, **data)
    except TaskState.DoesNotExist:
        raise Http404("No such review.") from None
    except (AlreadyDecided, PermissionDenied) as refused:
        _decidable_or_404(request, task_state_id)
        if request.htmx:
            count = len(awaiting_ids(request.user))
            return _pane_after(request, task_state_id, awaiting_count=count, error=str(refused))
        messages.error(request, str(refused))
        return redirect(review_url(task_state_id))
    following, count = _next_review(request.user, as_id(request.POST.get("next")))
    if request.htmx:
        held = as_id(request.POST.get("held"))
        return _pane_after(
            request, following, awaiting_count=count, toast=_toast(decision), decided=decision, held=held
        )
    return redirect(f"{review_url(following)}?decided={decision.pk}")


@require_POST
def approve(request, task_state_id: int):
    form = ApproveForm(request.POST)
    form.is_valid()  # only an optional comment
    return _decide(request, task_state_id, approve_task, comment=form.cleaned_data.get("comment", ""))


@require_http_methods(["GET", "POST"])
def changes(request, task_state_id: int):
    """GET: the review with its request-changes form open. POST: send the post back, or the form
    again with its errors and everything typed kept."""
    form = RequestChangesForm(request.POST) if request.method == "POST" else None
    if form is not None and form.is_valid():
        return _decide(request, task_state_id, request_changes, **form.cleaned_data)
    return _page_or_pane(request, task_state_id, changes_form=form, changes_open=True)


@require_POST
def undo(request, decision_id: int):
    """Take back one's own decision while it waits out its undo window: its review is shown
    again, awaiting the user as before."""
    try:
        decision = undo_decision(decision_id=decision_id, user=request.user)
    except ReviewDecision.DoesNotExist:
        raise Http404("No such decision of yours.") from None
    except TooLateToUndo as too_late:
        if request.htmx:  # the pane stays as it is; the toast says why
            response = render(
                request, f"{INBOX_TEMPLATE}#toast-body", {"toast": {"message": str(too_late), "error": True}}
            )
            response["HX-Retarget"], response["HX-Reswap"] = "#inbox-toast", "innerHTML"
            return response
        messages.error(request, str(too_late))
        return redirect("approvals_inbox")
    undone = {"message": f"Undone: “{decision.revision.object_str}” awaits your decision again."}
    if request.htmx:
        count = len(awaiting_ids(request.user))
        held = as_id(request.POST.get("held"))  # the pane it was decided on, kept by the browser
        return _pane_after(request, decision.task_state_id, awaiting_count=count, toast=undone, held=held)
    messages.success(request, undone["message"])
    return redirect(review_url(decision.task_state_id))


def _own_decision(request, decision_id) -> ReviewDecision | None:
    pk = as_id(decision_id)
    if pk is None:
        return None
    return ReviewDecision.objects.filter(pk=pk, user=request.user).select_related("revision").first()


def _toast(decision: ReviewDecision | None) -> dict | None:
    """What the toast says after a decision, with Undo while the decision waits out its window."""
    if decision is None:
        return None
    title = decision.revision.object_str
    if decision.outcome == ReviewDecision.Outcome.CHANGES_REQUESTED:
        message = f"Changes requested on “{title}” ({decision.get_reason_display()})."
    elif decision.task_state.status == TaskState.STATUS_IN_PROGRESS:
        message = f"Approved “{title}”: it still needs another reviewer's approval."
    else:
        message = f"Approved “{title}”."
    due = decision.follow_up_due_at
    undoable = decision.followed_up_at is None and due is not None and due > timezone.now()
    return {
        "message": message,
        "decision": decision,
        "undo_until": due if undoable else None,
        "undo_ms": round((due - timezone.now()).total_seconds() * 1000) if undoable else 0,
    }


@require_GET
@xframe_options_sameorigin
def preview(request, task_state_id: int, revision_id: int, mode: str) -> HttpResponse:
    """A platform mock-up of the version under review (the pane frames it), for anyone who may
    decide on the review."""
    task_state = get_object_or_404(
        reviews_decidable_by(request.user).select_related("workflow_state"), pk=task_state_id
    )
    if mode not in PREVIEW_MODES:
        raise Http404("No such preview.")
    post = get_object_or_404(Post, pk=int(task_state.workflow_state.object_id))
    shown = get_object_or_404(post.revisions, pk=revision_id).as_object()
    context = {"mockup": build_mockup(shown, mode), "object": shown}
    return render(request, shown.get_preview_template(request, mode), context)


def _seen_revisions(values: list[str]) -> dict[int, int]:
    """{task state id: revision id} from the rows' "<task state>:<revision>" checkboxes; a value
    without the revision its row showed is dropped (nothing is approved unseen)."""
    seen = {}
    for value in values:
        state_id, _, revision_id = value.partition(":")
        state_id, revision_id = as_id(state_id), as_id(revision_id)
        if state_id is not None and revision_id is not None:
            seen[state_id] = revision_id
    return seen


@require_POST
def bulk_approve(request):
    """Approve the selected posts that have no findings; say which were left and why."""
    seen = _seen_revisions(request.POST.getlist("task_state"))
    approved, skipped, refused = 0, [], []
    for item in inbox_items(request.user, list(seen)):
        if item.findings_count:
            skipped.append(item.title)
            continue
        try:
            # Bound to the version the row showed: a post changed since is refused, not approved.
            approve_task(
                task_state=item.task_state, user=request.user, seen_revision_id=seen[item.task_state.pk]
            )
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
