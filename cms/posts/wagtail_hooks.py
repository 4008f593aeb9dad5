"""The Posts area of the Wagtail admin, scoped to the user's brands."""

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import path
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn, TitleColumn
from wagtail.log_actions import LogFormatter
from wagtail.models import TaskState
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, EditView, IndexView, SnippetViewSet

from approvals.admin_views import PostWorkflowActionView
from approvals.hashing import content_of_object, same_draft
from approvals.inbox import revision_thumbnails
from approvals.services import (
    AlreadyDecided,
    AlreadyInReview,
    BlockingFindings,
    ChangedSinceSeen,
    submit_post,
)
from brands.scoping import BrandScopedChooserViewSet, BrandScopedViewSetMixin
from brands.selectors import brands_for
from cms.ids import as_id

from . import admin_views
from .filters import PostFilterSet
from .forms import post_edit_handler
from .models import Post
from .permissions import PostPermissionPolicy
from .services import record_finding_override

register_permission_policy(Post, PostPermissionPolicy())


class PlatformsColumn(Column):
    def get_value(self, instance):
        return ", ".join(platform.name for platform in instance.platforms.all())


class ThumbnailColumn(Column):
    """The post's first image, small (a rendition made once, read for the page in one query by
    PostIndexView); a post without images shows none."""

    cell_template_name = "posts/listing/thumbnail_cell.html"

    def get_value(self, instance):
        return getattr(instance, "thumbnail", None)


class ScheduledColumn(Column):
    """When the post goes out, in its brand's time zone (the team plans in the brand's local time)."""

    def get_value(self, instance):
        if instance.go_live_at is None:
            return "—"
        local = timezone.localtime(instance.go_live_at, instance.brand.tz)
        return f"{local:%a %-d %b, %H:%M} {local.tzname()}"


class RecordOverrideMixin:
    """After the form saves, record a lead's override of blocking findings (before any workflow starts)."""

    def save_instance(self):
        instance = super().save_instance()
        override = getattr(self.form, "override", None)
        if override is not None:
            record_finding_override(
                post=instance, user=self.request.user, reason=override.reason, findings=override.findings
            )
        return instance


class BrandTimeZoneMixin:
    """Read and show the editor's dates in the post's brand's time zone, as the team plans them."""

    def brand_time_zone(self, request) -> str | None:
        pk = self.kwargs.get("pk")
        if pk is not None:
            return Post.objects.filter(pk=pk).values_list("brand__time_zone", flat=True).first()
        brands = brands_for(request.user)
        chosen = request.POST.get("brand")
        if as_id(chosen) is not None:
            brands = brands.filter(pk=as_id(chosen))
        zones = set(brands.values_list("time_zone", flat=True)[:2])
        return zones.pop() if len(zones) == 1 else None

    def dispatch(self, request, *args, **kwargs):
        zone = self.brand_time_zone(request)
        if zone is None:
            return super().dispatch(request, *args, **kwargs)
        with timezone.override(zone):
            response = super().dispatch(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()  # render the form's dates inside the brand's time zone too
            return response


class SubmitThroughServiceMixin:
    """The editor's "Submit for approval" goes through the same service as the API."""

    def submit_action(self):
        try:
            submit_post(post=self.object, user=self.request.user)
        except (BlockingFindings, AlreadyInReview, PermissionDenied) as refused:
            messages.error(self.request, str(refused))
            return redirect(self.get_edit_url())
        return None


class NoAutosaveMixin:
    """Posts don't autosave: Wagtail 8's autosave rewrites the latest revision in place, and a
    post's revisions are what its reviewers decide on (Post.save_revision never rewrites one).
    Without it, the editor has no "Saved" / "Autosave paused" indicator to disagree with itself:
    a post is saved when its author saves it, and "Save draft" says so."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.autosave_enabled = False


class SaveOnlyChangesMixin:
    """An unchanged form saves nothing: no revision (which would lapse the approvals of the
    latest; Post.save_revision makes none either) and no "edited" entry in the history. "Save
    draft" then says there was nothing to save; a decision is a decision, not an edit."""

    saved_nothing = False

    def save_instance(self):
        if not self.form_changes(self.object.get_latest_revision()):
            self.new_revision = None
            self.saved_nothing = True
            return self.object
        return super().save_instance()

    def form_changes(self, revision) -> bool:
        """Whether the form as posted differs from `revision`'s content or title."""
        if revision is None:
            return True
        return not same_draft(content_of_object(self.form.save(commit=False)), revision.content)

    def get_success_message(self, instance=None):
        if self.action == "edit" and self.saved_nothing:
            return f"No changes to save: “{self.object}” is as it was last saved."
        return super().get_success_message(instance)


class DecideThroughServiceMixin:
    """The editor's decisions (Approve, Request changes), which post the whole form.

    A decision binds to the version the decider saw: the page sends it (Wagtail's
    loaded_revision_id) and the services refuse the decision if the post changed since
    (ChangedSinceSeen), so an approval is never applied to content the reviewer didn't see.
    Someone saved the post after this page was opened: nothing is decided, the reviewer is told
    and taken to the new version (or, had they typed changes, gets the form back as typed). An
    unchanged form is a decision, not an edit (SaveOnlyChangesMixin); a real change by the
    reviewer is saved as an edit first, and the four-eyes rule then keeps them from approving it.
    A tier decided already, a decision refused or tampered data answer with a message, never an
    error page, and never as if the post had merely been saved.
    """

    decision = None

    def post(self, request, *args, **kwargs):
        if request.POST.get("action-workflow-action") and self.action != "workflow-action":
            # Wagtail saves the form as a plain edit when the decision clicked is no longer
            # offered (decided meanwhile, a double-click): the reviewer would read "updated".
            messages.error(request, self.why_not_decidable())
            return redirect(self.get_edit_url())
        return super().post(request, *args, **kwargs)

    def why_not_decidable(self) -> str:
        task_states = TaskState.objects.filter(
            workflow_state__base_content_type_id=self.object.get_base_content_type().pk,
            workflow_state__object_id=str(self.object.pk),
        )
        decided = task_states.filter(status__in=[TaskState.STATUS_APPROVED, TaskState.STATUS_REJECTED])
        last = decided.order_by("-finished_at", "-pk").first()
        if last is not None:
            return str(AlreadyDecided(last, decider=self.request.user))
        return f"“{self.object}” is not waiting for your decision. Nothing was decided."

    def form_valid(self, form):
        if self.action != "workflow-action":
            return super().form_valid(form)
        self.form = form
        seen = self.seen_revision()
        if seen is None:
            messages.error(self.request, UNREADABLE_DECISION)
            return redirect(self.get_edit_url())
        if seen.pk != self.object.latest_revision_id:
            changed_since_seen = str(ChangedSinceSeen(self.object.title))
            if self.form_changes(seen):
                # Saving this page's copy would undo the other person's edit: the form comes back
                # as typed, nothing lost and nothing decided.
                self.produced_error_code = "out_of_date"
                self.produced_error_message = changed_since_seen
                return self.form_invalid(form)
            messages.error(self.request, changed_since_seen)
            return redirect(self.get_edit_url())
        return super().form_valid(form)

    def seen_revision(self):
        """The revision of this post the page was showing when the decider opened it."""
        seen_id = as_id(self.request.POST.get("loaded_revision_id"))
        return self.object.revisions.filter(pk=seen_id).first() if seen_id is not None else None

    def workflow_action_action(self):
        # Wagtail's own, with the version the decider saw (which it doesn't pass on), keeping the
        # decision to say what was decided.
        try:
            extra_data = json.loads(self.request.POST.get("workflow-action-extra-data") or "{}")
            if not isinstance(extra_data, dict):
                raise ValueError(extra_data)
            seen = self.new_revision or self.seen_revision()  # their edit, if they made one
            self.decision = self.object.current_workflow_task.decide(
                self.object.current_workflow_task_state,
                self.request.user,
                self.workflow_action,
                **{**extra_data, "seen_revision_id": seen.pk},
            )
        except (AlreadyDecided, PermissionDenied) as refused:
            messages.error(self.request, str(refused))
        except (ValueError, TypeError):  # unreadable decision data, an unknown reason code
            messages.error(self.request, UNREADABLE_DECISION)
        else:
            return None
        return redirect(self.get_edit_url())

    def get_success_message(self, instance=None):
        if self.action == "workflow-action" and self.decision is not None:
            return self.decision.headline()
        return super().get_success_message(instance)


UNREADABLE_DECISION = "The decision could not be read; nothing was decided. Try again."


class ReadOnceMixin:
    """The edit page reads the post, its latest revision and its workflow state once.

    Wagtail's EditView reads the object in setup() and Django's BaseUpdateView.get() reads it
    again (with its latest revision and every foreign key the revision's content names); and
    `current_workflow_state` is a query each time it is asked (the lock, the action menu, the
    side panels, the comments panel ask it some ten times per page), and so is `get_workflow()`. On a GET nothing changes the
    workflow while the page renders, so the state read once is handed to the object the way
    Wagtail's own `prefetch_workflow_states()` does. A POST reads afresh: it may change it.
    """

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        if obj is not None and self.request.method == "GET":
            state = obj.workflow_states.active().select_related("current_task_state__task").first()
            live = getattr(self, "live_object", obj)
            for post in {id(obj): obj, id(live): live}.values():
                post._current_workflow_states = [state] if state is not None else []
            if state is not None:
                state.content_object = live  # the action menu asks it of the state's post
            obj._workflow_read_once = obj.get_workflow()  # Post.get_workflow() answers from it
        return obj

    def get(self, request, *args, **kwargs):
        # BaseUpdateView.get() would read the object again; setup() has read it.
        return self.render_to_response(self.get_context_data())


class PostCreateView(
    NoAutosaveMixin, BrandTimeZoneMixin, RecordOverrideMixin, SubmitThroughServiceMixin, CreateView
):
    pass


class PostEditView(
    ReadOnceMixin,
    NoAutosaveMixin,
    BrandTimeZoneMixin,
    RecordOverrideMixin,
    SubmitThroughServiceMixin,
    DecideThroughServiceMixin,
    SaveOnlyChangesMixin,
    EditView,
):
    pass


class PostIndexView(IndexView):
    """The posts listing offers Delete only where the policy allows it on that post (Wagtail's
    listing asks only whether the user may delete posts at all), and a thumbnail of each post's
    first image as its latest version has it."""

    @cached_property
    def columns(self):
        # Before the title (Wagtail makes the first of list_display the linked title column).
        columns = list(super().columns)
        at = next((index for index, column in enumerate(columns) if isinstance(column, TitleColumn)), 0)
        columns.insert(at, ThumbnailColumn("thumbnail", label="", width="64px"))
        return columns

    def get_table(self, object_list):
        posts = list(object_list)
        thumbnails = revision_thumbnails([post.latest_revision for post in posts if post.latest_revision])
        for post in posts:
            post.thumbnail = thumbnails.get(post.latest_revision_id)
        return super().get_table(posts)

    def get_delete_url(self, instance):
        if not self.permission_policy.user_has_permission_for_instance(self.request.user, "delete", instance):
            return None
        return super().get_delete_url(instance)


class PostViewSet(BrandScopedViewSetMixin, SnippetViewSet):
    model = Post
    icon = "doc-full"
    menu_label = "Posts"
    menu_order = 100
    add_to_admin_menu = True
    chooser_viewset_class = BrandScopedChooserViewSet
    index_view_class = PostIndexView
    add_view_class = PostCreateView
    edit_view_class = PostEditView
    workflow_action_view_class = PostWorkflowActionView
    filterset_class = PostFilterSet
    search_fields = ["title", "caption"]
    search_backend_name = None  # plain database search, so it works on the annotated listing
    list_per_page = 25  # each row renders its thumbnail and actions: 50 took the page past 150 ms
    copy_view_enabled = True
    inspect_view_enabled = False
    list_display = [
        "title",
        Column("brand", label="Brand", accessor="brand"),
        PlatformsColumn("platforms", label="Platforms"),
        Column("format", label="Format", accessor="get_format_display"),
        StatusTagColumn(
            "status",
            label="Status",
            accessor="get_status_display",
            primary=lambda post: post.status == "published",
        ),
        ScheduledColumn("go_live_at", label="Scheduled", sort_key="go_live_at"),
        DateColumn("updated_at", label="Updated"),
    ]
    ordering = ["-updated_at"]

    def get_edit_handler(self):
        return post_edit_handler()

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .with_status()
            .with_went_for_approval()
            .select_related("brand", "latest_revision", "locked_by")
            .prefetch_related("platforms")
        )


register_snippet(PostViewSet)


@hooks.register("register_admin_urls")
def register_live_checks_urls():
    return [
        path("posts/checks/", admin_views.live_checks, name="posts_live_checks"),
        path("posts/checks/<int:pk>/", admin_views.live_checks, name="posts_live_checks"),
        path("posts/similar/", admin_views.similar_posts, name="posts_similar"),
        path("posts/similar/<int:pk>/", admin_views.similar_posts, name="posts_similar"),
        path("posts/image-alt-text/<int:image_id>/", admin_views.image_alt_text, name="posts_image_alt_text"),
    ]


@hooks.register("insert_editor_js")
def editor_js():
    return format_html(
        '<script src="{}"></script><script src="{}"></script>',
        static("django_htmx/htmx-2.min.js"),
        static("js/editor.js"),
    )


@hooks.register("insert_global_admin_css")
def editor_css():
    return format_html('<link rel="stylesheet" href="{}">', static("css/editor.css"))


class FindingOverrideFormatter(LogFormatter):
    """A lead's override in the post's history: the exact findings overridden (the message), and
    the lead's reason (the entry's comment). The user column says which lead."""

    label = "Override blocking findings"

    def format_message(self, log_entry):
        findings = log_entry.data.get("findings") or []
        if not findings:  # recorded before the findings were kept in the entry
            rules = ", ".join(rule.replace("_", " ") for rule in log_entry.data.get("rules") or [])
            return f"Blocking findings overridden ({rules})" if rules else "Blocking findings overridden"
        count = f"{len(findings)} blocking finding{'s' if len(findings) != 1 else ''}"
        return f"Overrode {count}: " + " • ".join(findings)

    def format_comment(self, log_entry):
        reason = log_entry.data.get("reason") or ""
        return f"Reason: {reason}" if reason else ""


@hooks.register("register_log_actions")
def register_signoff_log_actions(actions):
    actions.register_action("signoff.override_findings")(FindingOverrideFormatter)


# Submitting is the creative's main step: a primary button of its own beside "Save draft", not an
# item in Save's dropdown. (Wagtail's action menu has one main button; the rest drop down.)
# https://docs.wagtail.org/en/stable/reference/hooks.html#construct-snippet-action-menu
SUBMIT_LABEL, RESUBMIT_LABEL = "Submit for approval", "Resubmit for approval"


@hooks.register("construct_snippet_action_menu")
def submit_as_its_own_button(menu_items, request, context):
    if context.get("model") is not Post:
        return
    submit = next((item for item in menu_items if item.name == "action-submit"), None)
    if submit is None:
        return
    menu_items.remove(submit)
    post = context.get("instance")
    state = post.current_workflow_state if post is not None and post.pk else None
    needs_changes = state is not None and state.status == state.STATUS_NEEDS_CHANGES
    context["signoff_submit_label"] = RESUBMIT_LABEL if needs_changes else SUBMIT_LABEL
