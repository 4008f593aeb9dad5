"""The approval workflow's operations. The Wagtail task, the API and (later) the portal and the
review inbox all call these, so every path behaves and logs the same."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Q, Subquery
from wagtail.log_actions import log
from wagtail.models import Revision, TaskState, WorkflowState
from wagtail.permissions import policy_registry

from brands.scoping import brand_roles_of
from cms.posts.checking import (
    checked_revisions,
    content_of,
    findings_for,
    not_overridden,
    record_findings,
)
from cms.posts.models import FindingOverride, Post
from integrations import events
from integrations.models import EventType

from .authorship import describe, parts_written_by
from .deciding import DecisionFacts, Recorded, lock_and_read, record_decision
from .hashing import content_hash, hash_content
from .models import ApprovalPolicy, ReasonCode, ReviewDecision, ReviewTier
from .moving_on import follow_up, move_decided_workflow_on
from .publishing import CHANGED_AFTER_APPROVAL
from .selectors import TIER_ROLES


class Refusal(models.TextChoices):
    """Why a decision was refused: the `reason` the API answers with, beside its `detail`."""

    NOT_A_DECIDER = "not_a_decider", "You are not one of the deciders of this tier of this post (403)"
    WROTE_THIS_VERSION = "wrote_this_version", "You wrote a piece of this version: four eyes (403)"
    APPROVED_ANOTHER_TIER = (
        "approved_another_tier",
        "You approved another tier of this version: one person approves one tier (403)",
    )
    BLOCKING_FINDINGS = "blocking_findings", "The version has blocking findings no lead overrode (403)"
    CHANGED_AFTER_APPROVAL = (
        "changed_after_approval",
        "The content changed after an earlier tier approved it (403)",
    )
    ALREADY_DECIDED = "already_decided", "The tier was decided already (409)"
    CHANGED_SINCE_SEEN = (
        "changed_since_seen",
        "The post changed since the revision you decided on (409)",
    )


class DecisionRefused(PermissionDenied):
    """A decision the rules refuse, with the reason (a Refusal) and a message that says why."""

    def __init__(self, message: str, reason: Refusal = Refusal.NOT_A_DECIDER):
        super().__init__(message)
        self.reason = reason


class AlreadyDecided(Exception):
    """Someone else decided this tier first (a double-click, two reviewers, admin and API at once)."""

    reason = Refusal.ALREADY_DECIDED

    def __init__(self, task_state: TaskState, *, decider):
        task_state.refresh_from_db()
        by = task_state.finished_by
        self.task_state = task_state
        if task_state.status == TaskState.STATUS_IN_PROGRESS:
            # Only the decider's own approval keeps them out of an open tier (one per person): a
            # double-click, or a second try on a tier that needs two approvals.
            super().__init__("Already decided by you: the tier waits for another reviewer's approval.")
            return
        if by is not None and by.pk == decider.pk:  # a double-click that closed the tier first
            name = "you"
        else:
            name = by.get_full_name() or by.username if by else "someone else"
        super().__init__(f"Already decided by {name} ({task_state.get_status_display().lower()}).")


class ChangedSinceSeen(DecisionRefused):
    """The post changed between the decider opening it and deciding: a decision binds to what
    they saw, so they look at the new version first."""

    def __init__(self, title: str):
        super().__init__(
            f"“{title}” has changed since you opened it: review the new version before you decide. "
            "Nothing was decided.",
            Refusal.CHANGED_SINCE_SEEN,
        )


class BlockingFindings(Exception):
    def __init__(self, findings):
        self.findings = findings
        super().__init__(
            "Fix the blocking findings before submitting: " + " ".join(f.message for f in findings)
        )


def log_lapsed_approvals(*, revision: Revision) -> None:
    """Say in the post's history when a new revision makes earlier approvals stop counting.

    With WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT an approved tier counts only while the
    revision it approved is the latest (WorkflowState.successful_task_states); Wagtail does
    nothing else on an edit during review, and the post goes back to the first tier when the
    workflow next moves (tier_to_start). What lapses is what counted just before: tiers approved
    on the previous revision, and approvals made on it towards a tier that needs two. Later
    edits find nothing approved on their previous revision, so each lapse is logged once.
    """
    previous = (
        Revision.objects.filter(
            base_content_type_id=revision.base_content_type_id, object_id=revision.object_id
        )
        .exclude(pk=revision.pk)
        .order_by("-created_at", "-pk")
        .values("pk")[:1]
    )
    lapsed = (
        TaskState.objects.filter(
            workflow_state__base_content_type_id=revision.base_content_type_id,
            workflow_state__object_id=revision.object_id,
            workflow_state__status__in=[WorkflowState.STATUS_IN_PROGRESS, WorkflowState.STATUS_NEEDS_CHANGES],
        )
        .filter(
            Q(status=TaskState.STATUS_APPROVED, revision_id=Subquery(previous))
            | Q(
                status=TaskState.STATUS_IN_PROGRESS,
                review_decisions__outcome=ReviewDecision.Outcome.APPROVED,
                review_decisions__revision_id=Subquery(previous),
            )
        )
        .select_related("task__reviewtask")
        .order_by("started_at", "pk")
        .distinct()
    )
    tiers = list(dict.fromkeys(task_state.task.reviewtask.get_tier_display() for task_state in lapsed))
    if tiers:
        log(
            instance=revision.content_object,
            action="signoff.reapproval_required",
            user=revision.user,
            revision=revision,
            data={"tiers": tiers},
        )


def user_can_decide(task, post: Post, user, *, workflow_state: WorkflowState | None = None) -> bool:
    """Only the brand's own people for the tier, never the post's author or submitter."""
    if not user.is_authenticated:
        return False
    workflow_state = workflow_state or post.current_workflow_state
    client_user = getattr(user, "client_user", None)
    return may_decide(
        task.tier,
        user,
        created_by_id=post.created_by_id,
        requested_by_id=workflow_state.requested_by_id if workflow_state else None,
        brand_client_id=post.brand.client_id,
        role=brand_roles_of(user).get(post.brand_id),
        client_id=client_user.client_id if client_user else None,
    )


def may_decide(
    tier: str,
    user,
    *,
    created_by_id: int | None,
    requested_by_id: int | None,
    brand_client_id: int,
    role: str | None,
    client_id: int | None,
) -> bool:
    """The rule behind user_can_decide, from plain facts: the post's author and submitter, the
    brand's client, the user's `role` on the brand and the client they work for (`client_id`,
    None for agency staff)."""
    if not user.is_authenticated or not user.is_active or user.pk in (created_by_id, requested_by_id):
        return False
    if tier == ReviewTier.CLIENT:
        return client_id is not None and client_id == brand_client_id
    if client_id is not None:
        return False
    return user.is_superuser or role in TIER_ROLES[tier]


def _facts_for_deciding(task_state: TaskState, user, seen_revision_id: int | None = None) -> DecisionFacts:
    """Lock the tier and read what the decision needs (approvals.deciding), if `user` may decide.

    Deciders on one tier take turns (a row lock; SQLite's IMMEDIATE transactions already
    serialize writers), so each finds the tier as the one before left it, and records its
    decision after the decisions before it: two approvals at once both count.
    """
    user_id = user.pk if user.is_authenticated else None
    facts = lock_and_read(task_state_id=task_state.pk, user_id=user_id)
    if facts is None:
        raise TaskState.DoesNotExist("This review is gone.")
    allowed = may_decide(
        facts.tier,
        user,
        created_by_id=facts.created_by_id,
        requested_by_id=facts.requested_by_id,
        brand_client_id=facts.brand_client_id,
        role=facts.deciders_role,
        client_id=facts.deciders_client_id,
    )
    if not allowed:
        raise DecisionRefused("You cannot decide on this tier of this post.", Refusal.NOT_A_DECIDER)
    if facts.status != TaskState.STATUS_IN_PROGRESS:
        raise AlreadyDecided(task_state, decider=user)
    if seen_revision_id is not None and seen_revision_id != facts.revision_id:
        # Named by the post's own latest version: the id sent may be any revision's, another
        # brand's post included, so it is compared and never looked up.
        raise ChangedSinceSeen(facts.revision_content.get("title") or "This post")
    return facts


def _record(
    task_state: TaskState,
    user,
    facts: DecisionFacts,
    outcome: str,
    reason: str,
    comment: str,
    *,
    needed: int = 0,
) -> Recorded:
    """Record the decision, bound to the content it decides on, and close the tier if it decides
    it (approvals.deciding.record_decision): a request for changes always does, an approval when
    it makes the `needed` count. One decision per person per tier visit."""
    decision = ReviewDecision(
        task_state=task_state,
        user=user,
        outcome=outcome,
        reason=reason,
        comment=comment,
        revision_id=facts.revision_id,
        content_hash=hash_content(facts.revision_content),
    )
    recorded = record_decision(decision, needed=needed)
    if recorded is None:
        raise AlreadyDecided(task_state, decider=user)
    return recorded


def _check_no_blocking_findings(facts: DecisionFacts) -> None:
    """Blocking findings stop a post at submission unless a lead overrides them: content edited
    while in review must not get past them by being approved instead, nor past an override
    that named other findings (checking.not_overridden)."""
    if facts.blocking_count == 0:
        return  # kept per revision (CheckedRevision): checked once, at submission or first sight
    [checked] = checked_revisions([Revision.objects.get(pk=facts.revision_id)]).values()
    if not checked.blocking_count:
        return
    left = not_overridden(checked.findings, FindingOverride.objects.filter(post_id=facts.post_id))
    if left:
        messages = " ".join(finding["message"] for finding in left)
        raise DecisionRefused(
            "This version has blocking findings no lead has overridden, so it can't be approved: "
            f"request changes, or a lead overrides them when it is submitted again. {messages}",
            Refusal.BLOCKING_FINDINGS,
        )


def _check_not_their_own_changes(facts: DecisionFacts, user) -> None:
    """Four eyes: nobody approves words they wrote. Judged by content, piece by piece
    (approvals.authorship): any piece of this version the decider set to its current value since
    the post was last approved, whoever saved last; saving it unchanged, or changing only its
    internal title, writes none."""
    if not facts.decider_saved_a_revision:
        return  # the common case, known from the decision's first statement
    post = Post.objects.get(pk=facts.post_id)
    theirs = parts_written_by(user.pk, post=post, revision=Revision.objects.get(pk=facts.revision_id))
    if theirs:
        raise DecisionRefused(
            f"You wrote {describe(theirs)} of this version, so someone else has to approve it. "
            "Your changes are saved.",
            Refusal.WROTE_THIS_VERSION,
        )


def _check_one_tier_each(task_state: TaskState, facts: DecisionFacts, user) -> None:
    """One person approves one tier of a review: a lead who is also the brand's reviewer, say,
    approves the senior tier or the lead tier of a version, not both. Only approvals of this
    same content count: one of words since rewritten (and approved anew by someone else) covers
    nothing that goes out."""
    if not facts.decider_approved_another_tier:
        return  # the common case, known from the decision's first statement
    other = (
        ReviewDecision.objects.filter(
            user=user,
            outcome=ReviewDecision.Outcome.APPROVED,
            content_hash=hash_content(facts.revision_content),
            task_state__workflow_state_id=task_state.workflow_state_id,
        )
        .exclude(task_state__task_id=task_state.task_id)
        .select_related("task_state__task__reviewtask")
        .first()
    )
    if other is not None:
        approved = other.task_state.task.reviewtask.get_tier_display()
        raise DecisionRefused(
            f"You approved the {approved} of this version, so someone else approves its "
            f"{ReviewTier(facts.tier).label}: one person approves one tier of a post.",
            Refusal.APPROVED_ANOTHER_TIER,
        )


@transaction.atomic
def approve_task(
    *, task_state: TaskState, user, comment: str = "", seen_revision_id: int | None = None
) -> ReviewDecision:
    """Approve a tier, bound to the post's current content: the revision the decider saw, when
    the caller knows it (`seen_revision_id`; refused if the post changed since). With a
    two-reviewer policy the tier closes on the second approval. The history entry and the
    workflow moving on follow, once the decision commits, on the relay (approvals.moving_on):
    the reviewer waits for two statements."""
    facts = _facts_for_deciding(task_state, user, seen_revision_id)
    _check_no_blocking_findings(facts)
    _check_not_their_own_changes(facts, user)
    _check_one_tier_each(task_state, facts, user)
    _check_earlier_approvals_hold(task_state, facts)
    needed = 1
    if facts.tier == ReviewTier.SENIOR:
        needed = facts.approvals_needed or ApprovalPolicy().senior_approvals_required
    recorded = _record(task_state, user, facts, ReviewDecision.Outcome.APPROVED, "", comment, needed=needed)
    # An approval that makes the count yet didn't close the tier: closed meanwhile, only possible
    # if the row lock were bypassed.
    if recorded.others_approvals + 1 >= needed and not recorded.closed:
        raise AlreadyDecided(task_state, decider=user)
    follow_up(recorded.decision)
    return recorded.decision


@transaction.atomic
def request_changes(
    *, task_state: TaskState, user, reason: str, comment: str, seen_revision_id: int | None = None
) -> ReviewDecision:
    """Send the post back to its author with a reason code and a comment."""
    facts = _facts_for_deciding(task_state, user, seen_revision_id)
    if reason not in ReasonCode.values:
        raise ValueError(f"Unknown reason: {reason}")
    if not comment.strip():
        raise ValueError("Say what needs to change.")
    recorded = _record(task_state, user, facts, ReviewDecision.Outcome.CHANGES_REQUESTED, reason, comment)
    if not recorded.closed:
        raise AlreadyDecided(task_state, decider=user)
    follow_up(recorded.decision)
    return recorded.decision


class TooLateToUndo(Exception):
    def __str__(self):
        return "Too late to undo: the decision has taken effect. Ask for the post to be sent back if needed."


@transaction.atomic
def undo_decision(*, decision_id: int, user) -> ReviewDecision:
    """Take back one's own decision while it waits out its undo window (SIGNOFF_UNDO_SECONDS):
    the relay hasn't followed it up, so nothing happened yet but the tier closing. The tier
    opens again as it was; the decision leaves no trace in the history, which it never reached.
    Refused once the relay has it or had it."""
    mine = ReviewDecision.objects.filter(pk=decision_id, user=user)
    decision = mine.select_for_update(of=("self",), skip_locked=True).first()
    if decision is None:
        if mine.exists():  # locked: the relay is following it up right now
            raise TooLateToUndo()
        raise ReviewDecision.DoesNotExist("No such decision of yours.")
    if decision.followed_up_at is not None:
        raise TooLateToUndo()
    TaskState.objects.filter(
        pk=decision.task_state_id,
        finished_by=user,
        status__in=[TaskState.STATUS_APPROVED, TaskState.STATUS_REJECTED],
    ).update(status=TaskState.STATUS_IN_PROGRESS, finished_at=None, finished_by=None, comment="")
    decision.delete()
    return decision


@transaction.atomic
def submit_post(*, post: Post, user) -> WorkflowState:
    """Send a post into the agency workflow (or back in, after changes were requested)."""
    if not policy_registry.get_by_type(Post).user_has_permission_for_instance(user, "change", post):
        raise PermissionDenied("You cannot submit this post.")
    # Check the version going for approval: a live post's row keeps its live content until then.
    findings = findings_for(content_of(post.get_latest_revision_as_object()), post.brand, post_id=post.pk)
    blockers = not_overridden(findings, post.finding_overrides.all())
    if blockers:
        raise BlockingFindings(blockers)
    # Changes requested a moment ago may still wait for the relay to hand the post back.
    move_decided_workflow_on(post.current_workflow_state)
    workflow_state = post.current_workflow_state
    if workflow_state and workflow_state.status == WorkflowState.STATUS_IN_PROGRESS:
        raise AlreadyInReview()
    if post.latest_revision is None:
        post.save_revision(user=user)
    if is_scheduled(post):
        # Changes to an approved, scheduled post: from now on only what the tiers approve anew
        # goes out (the old version no longer does, and the history says why).
        withdraw_from_schedule(post=post, user=user, reason=RESUBMITTED)
    record_findings(post.latest_revision, findings)  # the review inbox shows them
    if workflow_state and workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        workflow_state.resume(user)
    else:
        workflow_state = post.get_workflow().start(post, user)
    events.emit(EventType.POST_SUBMITTED, post=post, actor=user)
    return workflow_state


class AlreadyInReview(Exception):
    def __str__(self):
        return "This post is already in review."


def _approved_other_content(workflow_state: WorkflowState, revision: Revision) -> bool:
    """Whether a tier that still counts (Wagtail counts only those approved on the latest
    revision, as re-approval on edit is on) approved content other than `revision`'s."""
    return (
        ReviewDecision.objects.filter(
            task_state__in=workflow_state.successful_task_states.filter(status=TaskState.STATUS_APPROVED),
            outcome=ReviewDecision.Outcome.APPROVED,
        )
        .exclude(content_hash=content_hash(revision))
        .exists()
    )


def _check_earlier_approvals_hold(task_state: TaskState, facts: DecisionFacts) -> None:
    """Refuse, in the request, an approval of content no earlier tier saw (publishing refuses
    it too, but on the relay, after the reviewer has gone).

    Only needed with Wagtail's re-approval on edit switched off: with it on, as Signoff runs,
    the tiers that still count approved the latest revision (an edit sends the post back to
    the first tier instead, see tier_to_start).
    """
    if getattr(settings, "WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT", False):
        return
    workflow_state = WorkflowState.objects.get(task_states=task_state.pk)
    if _approved_other_content(workflow_state, Revision.objects.get(pk=facts.revision_id)):
        raise DecisionRefused(CHANGED_AFTER_APPROVAL, Refusal.CHANGED_AFTER_APPROVAL)


RESUBMITTED = "Changes submitted for approval; the post goes out once they are approved."


class NotScheduled(Exception):
    def __str__(self):
        return "This post is not scheduled to go out."


@transaction.atomic
def withdraw_from_schedule(*, post: Post, user, reason: str) -> None:
    """Stop an approved post from going out at its scheduled time, with a reason on the record.

    Anyone who may edit the post may pull it: stopping a post is always the safe direction. It
    then needs the whole workflow again to be scheduled anew.
    """
    if not policy_registry.get_by_type(Post).user_has_permission_for_instance(user, "change", post):
        raise PermissionDenied("You cannot withdraw this post.")
    if not reason.strip():
        raise ValueError("Say why the post is withdrawn: the team sees it in the post's history.")
    # A post approved a moment ago is scheduled by the relay: schedule it now, to withdraw it.
    move_decided_workflow_on(post.current_workflow_state)
    scheduled = list(post.revisions.select_for_update().filter(approved_go_live_at__isnull=False))
    if not scheduled:
        raise NotScheduled()
    for revision in scheduled:
        revision.approved_go_live_at = None
        revision.save(user=user, update_fields=["approved_go_live_at"])  # Wagtail logs the cancel
    log(instance=post, action="signoff.withdrawn", user=user, data={"reason": reason.strip()})


def is_scheduled(post: Post) -> bool:
    return post.revisions.filter(approved_go_live_at__isnull=False).exists()
