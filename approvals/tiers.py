"""Which tiers of the agency workflow review a post: each tier decides as it starts whether it
applies (the brand's policy, the post's risk) and skips itself, on the record, when it does not."""

from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import TaskState, WorkflowState

from brands.checks import check_caption, is_high_risk
from cms.posts.checking import content_of, kit_rules_for
from cms.posts.models import Post

from .models import ApprovalPolicy, ReviewTier
from .selectors import brand_policy


def policy_for(post: Post) -> ApprovalPolicy:
    return brand_policy(post.brand)


def post_is_high_risk(post: Post) -> bool:
    """High-risk: a lead overrode blocking findings, or it goes out on or near a sensitive date."""
    if post.finding_overrides.exists():
        return True
    return is_high_risk(check_caption(content_of(post), kit_rules_for(post.brand)))


def tier_applies(tier: str, post: Post) -> tuple[bool, str]:
    """Whether a tier reviews this post, and why (recorded when it is skipped)."""
    policy = policy_for(post)
    if tier == ReviewTier.SENIOR:
        return True, "every post gets a senior review"
    if tier == ReviewTier.LEAD:
        if policy.lead_review == ApprovalPolicy.LeadReview.ALWAYS:
            return True, f"{post.brand} wants every post reviewed by a lead"
        if post_is_high_risk(post):
            return True, "the post is high-risk"
        return False, "the post is not high-risk"
    if tier == ReviewTier.CLIENT:
        if policy.client_approval_required:
            return True, f"{post.brand} signs off every post"
        return False, f"{post.brand} does not ask to sign off posts"
    return True, ""


def tiers_the_policy_asks_for(policy: ApprovalPolicy) -> str:
    """The tiers a brand's policy puts its posts through, in words, as tier_applies decides them
    (for telling people before they send a post back through them)."""
    tiers = ["senior review by two reviewers" if policy.senior_approvals_required > 1 else "senior review"]
    if policy.lead_review == ApprovalPolicy.LeadReview.ALWAYS:
        tiers.append("account-lead review")
    else:
        tiers.append("account-lead review if it is high-risk (an override, a sensitive date)")
    if policy.client_approval_required:
        tiers.append("the client's approval")
    return ", ".join(tiers[:-1]) + f" and {tiers[-1]}"


def tier_to_start(task, workflow_state: WorkflowState):
    """The tier to start when the workflow moves on to `task`: `task` itself, or an earlier tier
    whose approval no longer covers the latest content.

    Wagtail resumes a workflow whose changes were requested at the tier that asked for them; if
    the content changed since an earlier tier approved it, that earlier tier goes first.
    """
    # The editor hands over a workflow state holding the post as loaded before it saved the new
    # revision; Wagtail would then bind the tier (and judge earlier approvals) by the old one.
    workflow_state.content_object.refresh_from_db(fields=["latest_revision"])
    first = workflow_state.get_next_task()
    return first.specific if first is not None and first.pk != task.pk else task


def skip_tier_if_not_applicable(
    task, workflow_state: WorkflowState, user, *, revision=None
) -> TaskState | None:
    """Called as a tier starts: record a skipped task state when the tier does not apply to the
    revision under review (by default the latest)."""
    post = workflow_state.content_object
    revision = revision or post.get_latest_revision()
    # Judge the version under review: a live post's row keeps its live content until then.
    applies, why = tier_applies(task.tier, revision.as_object())
    if applies:
        return None
    task_state = TaskState.objects.create(
        workflow_state=workflow_state,
        revision=revision,
        task=task.task_ptr,
        status=TaskState.STATUS_SKIPPED,
        finished_at=timezone.now(),
    )
    log(
        instance=post,
        action="signoff.tier_skipped",
        user=user,
        data={"tier": task.get_tier_display(), "why": why},
    )
    return task_state
