"""Reads for the approval workflow, scoped to the user."""

from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, IntegerField, Prefetch, Q, QuerySet, TextChoices
from django.db.models.functions import Cast
from wagtail.images import get_image_model
from wagtail.models import TaskState, WorkflowState

from brands.models import BrandRole
from brands.scoping import brand_roles_of
from cms.posts.models import FindingOverride, Post
from cms.posts.selectors import posts_visible_to

from .models import ApprovalPolicy, ReviewComment, ReviewDecision, ReviewTier
from .turnaround import WorkingHours, add_working_hours, halfway, parse_working_days

# Who may decide on each tier, by their role on the post's brand.
TIER_ROLES = {
    ReviewTier.SENIOR: {BrandRole.REVIEWER, BrandRole.LEAD},
    ReviewTier.LEAD: {BrandRole.LEAD},
}
REVIEWING_ROLES = set().union(*TIER_ROLES.values())


def reviews_decidable_by(user) -> QuerySet[TaskState]:
    """Task states of any status, on tiers this user may decide on, never on their own posts.

    The API looks a decision's task state up here, so someone who could have decided it hears
    "already decided by …" (409) once it is decided, while everyone else gets 404.
    """
    states = TaskState.objects.filter(
        workflow_state__base_content_type__app_label="posts",
        workflow_state__base_content_type__model="post",
    )
    if not user.is_authenticated or not user.is_active:
        return states.none()
    posts = Post.objects.all()
    if hasattr(user, "client_user"):
        client_brands = Post.objects.filter(brand__client_id=user.client_user.client_id)
        condition = Q(
            task__reviewtask__tier=ReviewTier.CLIENT, workflow_state__object_id__in=_ids(client_brands)
        )
    else:
        roles = brand_roles_of(user)
        condition = Q(pk__in=[])
        for tier, allowed in TIER_ROLES.items():
            brand_ids = [brand_id for brand_id, role in roles.items() if role in allowed]
            if user.is_superuser:
                tier_posts = posts
            else:
                tier_posts = posts.filter(brand_id__in=brand_ids)
            condition |= Q(task__reviewtask__tier=tier, workflow_state__object_id__in=_ids(tier_posts))
    return (
        states.filter(condition)
        .exclude(workflow_state__requested_by=user)
        .exclude(workflow_state__object_id__in=_ids(posts.filter(created_by=user)))
    )


def reviews_awaiting(user) -> QuerySet[TaskState]:
    """Task states in progress that this user may decide on and has not yet, never their own posts."""
    return (
        reviews_decidable_by(user)
        .filter(status=TaskState.STATUS_IN_PROGRESS)
        .exclude(review_decisions__user=user)
    )


class DueStatus(TextChoices):
    ON_TIME = "on_time", "On time"
    DUE_SOON = "due_soon", "Due soon"  # half of the target has passed: the reminder went out
    OVERDUE = "overdue", "Overdue"


def working_hours_of(post: Post) -> WorkingHours:
    """The working week of the post's brand, in its time zone: turnaround targets count only it.

    Reads post.brand.approval_policy, so load it with select_related("brand__approval_policy")
    to keep this free of queries.
    """
    return policy_working_hours(_policy_of(post))


def policy_working_hours(policy: ApprovalPolicy) -> WorkingHours:
    """The brand's working week from its policy (with policy.brand loaded)."""
    return WorkingHours(
        days=parse_working_days(policy.working_days),
        opens=policy.working_day_starts,
        closes=policy.working_day_ends,
        tz=policy.brand.tz,
    )


def tier_target(policy: ApprovalPolicy, tier: str) -> timedelta:
    return timedelta(hours=getattr(policy, f"{tier}_turnaround_hours"))


def due_at(task_state: TaskState, post: Post) -> datetime:
    """When a tier's decision is due: its start plus the brand's turnaround target for the tier,
    counted in the brand's working hours and time zone."""
    return tier_due_at(_policy_of(post), task_state.task.reviewtask.tier, task_state.started_at)


def tier_due_at(policy: ApprovalPolicy, tier: str, started_at: datetime) -> datetime:
    return add_working_hours(started_at, tier_target(policy, tier), policy_working_hours(policy))


def reminder_at(task_state: TaskState, post: Post) -> datetime:
    """When half of the tier's target has passed (in working hours): reminders go out then."""
    return tier_reminder_at(_policy_of(post), task_state.task.reviewtask.tier, task_state.started_at)


def tier_reminder_at(policy: ApprovalPolicy, tier: str, started_at: datetime) -> datetime:
    return halfway(started_at, tier_target(policy, tier), policy_working_hours(policy))


def tier_due_status(policy: ApprovalPolicy, tier: str, started_at: datetime, now: datetime) -> DueStatus:
    if now >= tier_due_at(policy, tier, started_at):
        return DueStatus.OVERDUE
    if now >= tier_reminder_at(policy, tier, started_at):
        return DueStatus.DUE_SOON
    return DueStatus.ON_TIME


def brand_policy(brand) -> ApprovalPolicy:
    """The brand's approval policy (load brand with select_related("approval_policy"))."""
    try:
        return brand.approval_policy
    except ApprovalPolicy.DoesNotExist:
        # Every brand gets a policy when it is made (approvals.signals); the defaults stand in
        # for a brand that somehow has none.
        return ApprovalPolicy(brand=brand)


def _policy_of(post: Post) -> ApprovalPolicy:
    return brand_policy(post.brand)


def _ids(posts: QuerySet[Post]):
    # WorkflowState.object_id is a string column (Wagtail's generic relation).
    return posts.annotate(object_id=Cast("pk", CharField())).values("object_id")


# Review comments ----------------------------------------------------------------------------------

# The thumbnail beside a comment on an image (the editor's comments panel).
COMMENT_THUMBNAIL = "fill-96x96"


def comment_threads(post: Post) -> QuerySet[ReviewComment]:
    """The post's comment threads, oldest first: each first comment with its author, its image
    (thumbnail included) and its replies with their authors. Four queries, however many there are.

    Filter on `resolved_at` for the open (`resolved_at=None`) or the resolved ones.
    """
    return (
        ReviewComment.objects.filter(post=post, parent=None)
        .select_related("author", "resolved_by")
        .prefetch_related(
            Prefetch("image", queryset=get_image_model().objects.prefetch_renditions(COMMENT_THUMBNAIL)),
            Prefetch("replies", queryset=ReviewComment.objects.select_related("author")),
        )
    )


def changes_requested(post: Post) -> ReviewDecision | None:
    """The decision that sent the post back to its author, while its workflow is still under way:
    the latest decision there, if it asked for changes. `resubmitted` says whether the author has
    sent it back for review since."""
    workflow_state = post.current_workflow_state
    if workflow_state is None:
        return None
    decision = (
        ReviewDecision.objects.filter(task_state__workflow_state=workflow_state)
        .select_related("user", "task_state__task__reviewtask")
        .order_by("-created_at", "-pk")
        .first()
    )
    if decision is None or decision.outcome != ReviewDecision.Outcome.CHANGES_REQUESTED:
        return None
    decision.resubmitted = workflow_state.status == workflow_state.STATUS_IN_PROGRESS
    return decision


# The dashboard -----------------------------------------------------------------------------------


def posts_needing_changes(user) -> list[tuple[Post, ReviewDecision | None]]:
    """The user's posts (written or submitted by them) sent back for changes, each with the
    decision that asked for them, most recently sent back first. Three queries."""
    asked = WorkflowState.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Post),
        status=WorkflowState.STATUS_NEEDS_CHANGES,
    )
    mine = Q(created_by=user) | Q(
        pk__in=asked.filter(requested_by=user)
        .annotate(pk_int=Cast("object_id", IntegerField()))
        .values("pk_int")
    )
    posts = list(
        posts_visible_to(user)
        .with_status()
        .filter(mine, status_code="changes_requested")
        .select_related("brand")
    )
    decisions = ReviewDecision.objects.filter(
        outcome=ReviewDecision.Outcome.CHANGES_REQUESTED,
        task_state__workflow_state__in=asked,
        task_state__workflow_state__object_id__in=[str(post.pk) for post in posts],
    ).select_related("user", "task_state__workflow_state")
    latest = {}
    for decision in decisions.order_by("created_at"):
        latest[int(decision.task_state.workflow_state.object_id)] = decision
    rows = [(post, latest.get(post.pk)) for post in posts]
    rows.sort(key=lambda row: row[1].created_at if row[1] else row[0].updated_at, reverse=True)
    return rows


def overdue_on_brands_led_by(user, now: datetime) -> list[tuple[TaskState, Post, datetime]]:
    """Tiers past their turnaround target on the brands this user leads, most overdue first."""
    if user.is_superuser:
        posts = Post.objects.all()
    else:
        led = [brand_id for brand_id, role in brand_roles_of(user).items() if role == BrandRole.LEAD]
        posts = Post.objects.filter(brand_id__in=led)
    states = list(
        TaskState.objects.filter(
            status=TaskState.STATUS_IN_PROGRESS,
            task__reviewtask__isnull=False,
            workflow_state__base_content_type=ContentType.objects.get_for_model(Post),
            workflow_state__object_id__in=_ids(posts),
        ).select_related("task__reviewtask", "workflow_state")
    )
    by_id = (
        Post.objects.filter(pk__in={int(state.workflow_state.object_id) for state in states})
        .select_related("brand__approval_policy")
        .in_bulk()
    )
    rows = []
    for state in states:
        post = by_id[int(state.workflow_state.object_id)]
        due = due_at(state, post)
        if due <= now:
            rows.append((state, post, due))
    rows.sort(key=lambda row: row[2])
    return rows


def approval_chain(revision) -> list[dict]:
    """Who let `revision` out, in order: each approval bound to it (tier, who, when, comment),
    each tier skipped on it, and any lead's override of blocking findings on the post (reason
    and findings). What the archive keeps with each published post."""
    steps = []
    task_states = (
        TaskState.objects.filter(
            revision=revision, status__in=[TaskState.STATUS_APPROVED, TaskState.STATUS_SKIPPED]
        )
        .select_related("task__reviewtask")
        .order_by("started_at", "pk")
    )
    for task_state in task_states:
        tier = task_state.task.reviewtask.tier
        if task_state.status == TaskState.STATUS_SKIPPED:
            steps.append({"kind": "skipped", "tier": tier, "at": task_state.finished_at.isoformat()})
            continue
        for decision in task_state.review_decisions.filter(
            outcome=ReviewDecision.Outcome.APPROVED
        ).select_related("user"):
            steps.append(
                {
                    "kind": "approval",
                    "tier": tier,
                    "user": decision.user_id,
                    "name": decision.user.get_full_name() or decision.user.username,
                    "at": decision.created_at.isoformat(),
                    "comment": decision.comment,
                }
            )
    for override in FindingOverride.objects.filter(post_id=revision.object_id).select_related("user"):
        steps.append(
            {
                "kind": "override",
                "user": override.user_id,
                "name": (override.user.get_full_name() or override.user.username) if override.user else "",
                "at": override.created_at.isoformat(),
                "reason": override.reason,
                "findings": [finding.get("message", "") for finding in override.findings],
            }
        )
    return steps
