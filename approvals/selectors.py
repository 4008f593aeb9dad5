"""Reads for the approval workflow, scoped to the user."""

from datetime import datetime, timedelta

from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from wagtail.models import TaskState

from brands.models import BrandRole
from brands.scoping import brand_roles_of
from cms.posts.models import Post

from .models import ApprovalPolicy, ReviewTier

# Who may decide on each tier, by their role on the post's brand.
TIER_ROLES = {
    ReviewTier.SENIOR: {BrandRole.REVIEWER, BrandRole.LEAD},
    ReviewTier.LEAD: {BrandRole.LEAD},
}


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


def with_posts(task_states: list[TaskState]) -> list[TaskState]:
    """Give each task state its `post` (with status, brand, policy and platforms) in two queries.

    A task state reaches its post through a generic relation, which select_related can't follow.
    """
    ids = {int(task_state.workflow_state.object_id) for task_state in task_states}
    posts = (
        Post.objects.with_status()
        .select_related("brand__approval_policy")
        .prefetch_related("platforms")
        .in_bulk(ids)
    )
    for task_state in task_states:
        task_state.post = posts[int(task_state.workflow_state.object_id)]
    return task_states


def due_at(task_state: TaskState, post: Post) -> datetime:
    """When a tier's decision is due: its start plus the brand's turnaround target for the tier.

    Plain hours for now; counting only the brand's working hours (in its time zone) comes with the
    reminders and escalation.
    """
    try:
        policy = post.brand.approval_policy
    except ApprovalPolicy.DoesNotExist:
        policy = ApprovalPolicy(brand=post.brand)
    hours = getattr(policy, f"{task_state.task.reviewtask.tier}_turnaround_hours")
    return task_state.started_at + timedelta(hours=hours)


def _ids(posts: QuerySet[Post]):
    # WorkflowState.object_id is a string column (Wagtail's generic relation).
    return posts.annotate(object_id=Cast("pk", CharField())).values("object_id")
