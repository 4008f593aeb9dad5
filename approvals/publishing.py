"""The end of the workflow: publish (or schedule) exactly the revision every tier approved.

A workflow is finished by the decision that closes its last tier, and that decision is bound to
one revision: the one the reviewer saw. That revision goes out, checked once more by content
hash against every approval that counts, whatever happened to the draft since. If the post was
edited while the last tier decided, the edit is not lost and not published: it starts a review of
its own.
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone
from django_tasks import task
from wagtail.log_actions import log
from wagtail.models import Revision, Task, TaskState, WorkflowState

from cms.posts.checking import content_of, findings_for, record_findings
from cms.posts.models import Post, publishing_state_changes
from integrations import events
from integrations.models import EventType

from .hashing import content_hash
from .models import ReviewDecision
from .tiers import skip_tier_if_not_applicable, tier_applies

logger = logging.getLogger(__name__)

CHANGED_AFTER_APPROVAL = "The content changed after it was approved; it must be approved again."

# The revision the finishing decision approved, for Wagtail's finish action (approvals.finish),
# which Wagtail calls with the workflow state only.
_approved_revision: ContextVar[Revision | None] = ContextVar("signoff_approved_revision", default=None)


@contextmanager
def finishing_with(revision: Revision | None) -> Iterator[None]:
    token = _approved_revision.set(revision)
    try:
        yield
    finally:
        _approved_revision.reset(token)


def revision_to_publish(workflow_state: WorkflowState) -> Revision:
    """What a finishing workflow publishes: the revision its last decision approved (the latest
    revision when Wagtail finishes it by itself, as the last tiers skip themselves)."""
    return _approved_revision.get() or workflow_state.content_object.get_latest_revision()


def _tiers(workflow_state: WorkflowState):
    return Task.objects.filter(workflow_tasks__workflow=workflow_state.workflow_id, active=True).order_by(
        "workflow_tasks__sort_order"
    )


def done_on(workflow_state: WorkflowState, revision: Revision):
    """The tier visits of this workflow that approved `revision` or skipped it."""
    return workflow_state.task_states.filter(
        revision=revision, status__in=[TaskState.STATUS_APPROVED, TaskState.STATUS_SKIPPED]
    )


def every_tier_approved(workflow_state: WorkflowState, revision: Revision) -> bool:
    """Whether each tier of the workflow approved exactly `revision`'s content or skipped it,
    with at least one approval: what publishing requires (fail closed)."""
    done = done_on(workflow_state, revision)
    if _tiers(workflow_state).exclude(pk__in=done.values("task_id")).exists():
        return False
    approvals = ReviewDecision.objects.filter(
        task_state__in=done.filter(status=TaskState.STATUS_APPROVED), outcome=ReviewDecision.Outcome.APPROVED
    )
    return approvals.exists() and not approvals.exclude(content_hash=content_hash(revision)).exists()


def publish_approved_content(*, workflow_state: WorkflowState, revision: Revision | None = None, user=None):
    """Publish `revision` (by default the one the finishing decision approved), or schedule it
    by its go-live time, if every tier approved exactly its content."""
    revision = revision or revision_to_publish(workflow_state)
    if not every_tier_approved(workflow_state, revision):
        raise PermissionDenied(CHANGED_AFTER_APPROVAL)
    # An edit saving the post at the same moment waits for this, then finds it published
    # (Post.save): it can't write the stale "not live" back.
    Post.objects.select_for_update().filter(pk=workflow_state.object_id).exists()
    # The permission check is the workflow itself: nobody holds a publish permission for posts.
    # Approved before it goes live (post.published follows, from the publish itself); a go-live
    # time still to come is when Wagtail schedules it instead.
    approved = revision.as_object()
    go_live_at = approved.go_live_at if approved.go_live_at and approved.go_live_at > timezone.now() else None
    events.emit(
        EventType.POST_APPROVED,
        post=approved,
        actor=user,
        data={"revision": revision.pk, "scheduled_at": go_live_at.isoformat() if go_live_at else None},
    )
    with publishing_state_changes():
        revision.publish(user=user, skip_permission_checks=True)
    revision.refresh_from_db(fields=["approved_go_live_at"])
    if revision.approved_go_live_at is not None:
        # Scheduled: the worker publishes it at its time (and the watcher's runs catch up on any
        # whose task was lost).
        at = revision.approved_go_live_at
        transaction.on_commit(lambda: _publish_when_due_at(at), robust=True)


def _publish_when_due_at(at) -> None:
    run = publish_when_due
    if run.get_backend().supports_defer:
        run = run.using(run_after=at)
        run.enqueue()
    # A backend that can't defer (the immediate one, in tests) would publish now: the watcher's
    # regular run publishes it instead.


@task()
def publish_when_due() -> int:
    """The worker's task, queued for a scheduled post's time: publish whatever is due."""
    return publish_due_revisions(now=timezone.now())


def finishes_on(workflow_state: WorkflowState, revision: Revision, user) -> bool:
    """Whether every tier has approved `revision` once the tiers still to come that don't apply
    to it skip themselves (recorded, bound to it). Nothing is recorded when some tier applies."""
    done = done_on(workflow_state, revision).values("task_id")
    left = [task.specific for task in _tiers(workflow_state).exclude(pk__in=done)]
    if any(tier_applies(tier.tier, revision.as_object())[0] for tier in left):
        return False
    for tier in left:
        skip_tier_if_not_applicable(tier, workflow_state, user, revision=revision)
    return True


def review_newer_version(post: Post, *, published: Revision) -> None:
    """After `published` went out (or was scheduled), start a review of the post's newer version,
    edited while the last tier decided, as any edit during review continues the review. Its
    findings are kept so the inbox shows them and a blocking one stops its approval."""
    post.refresh_from_db()
    latest = post.get_latest_revision()
    if latest is None or latest.pk == published.pk or content_hash(latest) == content_hash(published):
        return
    draft = latest.as_object()
    record_findings(latest, findings_for(content_of(draft), post.brand, post_id=post.pk))
    log(instance=post, action="signoff.newer_version_in_review", user=latest.user, revision=latest)
    post.get_workflow().start(post, latest.user)


def move_on_after(workflow_state: WorkflowState, decision: ReviewDecision) -> None:
    """Move an in-progress workflow on after the decision that closed its current tier.

    An approval moves it to the next tier that applies, or finishes it by publishing the
    revision the approval was bound to. If the post was edited since, the tiers' approvals don't
    cover the new version, and Wagtail would send it back to the first tier; but when this
    approval completes the workflow for the version it approved, that version goes out and the
    newer one gets a review of its own.
    """
    user = decision.user
    approved = decision.outcome == ReviewDecision.Outcome.APPROVED
    post = workflow_state.content_object
    post.refresh_from_db(fields=["latest_revision"])
    edited_since = approved and post.latest_revision_id != decision.revision_id
    if edited_since and finishes_on(workflow_state, decision.revision, user):
        with finishing_with(decision.revision):
            workflow_state.finish(user=user)
        review_newer_version(post, published=decision.revision)
        return
    with finishing_with(decision.revision if approved and not edited_since else None):
        workflow_state.update(user=user)


def publish_due_revisions(*, now) -> int:
    """Publish each post's scheduled revision whose time has come, each on its own (its own
    transaction, its post locked, so an edit saved at the same moment can't undo it: Post.save).
    A revision withdrawn meanwhile stays unpublished; one whose content no longer matches what
    every tier approved is refused, taken off the schedule and reported, never published; one
    whose publishing fails (a broken image, a refusal part-way) is refused the same way, with
    what went wrong, and the others due go out all the same. Only trouble reaching the database
    leaves a revision on the schedule, for the next run."""
    due = (
        Revision.objects.filter(
            base_content_type=ContentType.objects.get_for_model(Post), approved_go_live_at__lte=now
        )
        .order_by("approved_go_live_at", "pk")
        .values_list("pk", "object_id")
    )
    published = 0
    for revision_id, post_id in list(due):
        try:
            with transaction.atomic():
                published += _publish_if_due(revision_id, post_id, now=now)
        except (OperationalError, InterfaceError):
            logger.exception(
                "Could not reach the database to publish revision %s; trying again later", revision_id
            )
        except Exception as error:  # whatever it was, it concerns this revision: the others go on
            logger.exception("Could not publish revision %s of post %s", revision_id, post_id)
            _could_not_publish(revision_id, error)
    return published


def _publish_if_due(revision_id: int, post_id, *, now) -> int:
    """Publish one scheduled revision if it is still due and approved: 1 if it went out."""
    Post.objects.select_for_update().filter(pk=post_id).exists()
    revision = Revision.objects.filter(pk=revision_id, approved_go_live_at__lte=now).first()
    if revision is None:
        return 0
    workflow_state = (
        WorkflowState.objects.filter(status=WorkflowState.STATUS_APPROVED, task_states__revision=revision)
        .order_by("-created_at")
        .first()
    )
    if workflow_state is None or not every_tier_approved(workflow_state, revision):
        _refuse_to_publish(revision, reason=CHANGED_AFTER_APPROVAL)
        return 0
    with publishing_state_changes():
        revision.publish(log_action="wagtail.publish.scheduled")
    return 1


def _could_not_publish(revision_id: int, error: Exception) -> None:
    """Refuse a scheduled revision whose publishing failed (rolled back), saying what failed."""
    detail = (str(error).strip().splitlines() or [type(error).__name__])[0][:300]
    try:
        with transaction.atomic():
            revision = Revision.objects.filter(pk=revision_id, approved_go_live_at__isnull=False).first()
            if revision is not None:
                _refuse_to_publish(revision, reason=f"could not publish: {detail}")
    except Exception:
        logger.exception("Could not take revision %s off the schedule after it failed", revision_id)


def _refuse_to_publish(revision: Revision, *, reason: str) -> None:
    """Take a scheduled revision off the schedule, with the reason on the post's history, and
    tell its author and the brand's leads."""
    from .notifications import notify_publish_refused

    logger.error("Refused to publish revision %s: %s", revision.pk, reason)
    Revision.objects.filter(pk=revision.pk).update(approved_go_live_at=None)
    post = Post.objects.get(pk=revision.object_id)
    log(instance=post, action="signoff.publish_refused", revision=revision, data={"reason": reason})
    notify_publish_refused(revision)
    events.emit(
        EventType.POST_PUBLISH_FAILED,
        post=post,
        data={"stage": "publishing", "revision": revision.pk, "platform": None, "error": reason},
    )
