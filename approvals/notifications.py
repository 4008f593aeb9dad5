"""Brand-scoped e-mails about reviews. Each function is called inside the workflow's transaction
and only enqueues a background task once that transaction commits; nothing is sent in the request.

The task gets ids only: it loads the objects and works out the recipients when it runs, so an
e-mail goes to the people concerned then (a reviewer who left the brand, or muted, gets nothing).
Each recipient gets their own e-mail; a failed send is retried for that recipient alone. Client
users are the exception: their review requests and reminders are gathered into one digest e-mail
per SIGNOFF_CLIENT_DIGEST_MINUTES (approvals.portal.digest).
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property, partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django_tasks import task
from wagtail.models import ModelLogEntry, Revision, TaskState, WorkflowState

from brands.models import Brand, BrandRole
from cms.archive.models import Delivery
from cms.posts.models import CheckedRevision, Post, PostStatus

from .models import ReviewDecision, ReviewTier
from .portal import digest
from .portal.models import ClientDigestItem
from .publishing import CHANGED_AFTER_APPROVAL
from .selectors import TIER_ROLES, due_at

logger = logging.getLogger(__name__)
User = get_user_model()

REVIEW_REQUESTED = "review_requested"
REMINDER = "reminder"
ESCALATION = "escalation"
DECISION = "decision"
DELIVERY_FAILED = "delivery_failed"
PUBLISH_REFUSED = "publish_refused"

# A failed send is tried again after 1, 4, 16 and 64 minutes, then given up (and logged).
MAX_ATTEMPTS = 5
FIRST_RETRY_AFTER = timedelta(minutes=1)

_suppressed: ContextVar[bool] = ContextVar("signoff_notifications_suppressed", default=False)


@contextmanager
def notifications_suppressed() -> Iterator[None]:
    """Send no review e-mails for what happens inside (e.g. seeding the demo's history)."""
    token = _suppressed.set(True)
    try:
        yield
    finally:
        _suppressed.reset(token)


# The interface the workflow and the turnaround watcher call ----------------------------------------


def notify_review_requested(task_state: TaskState) -> None:
    """A tier started on a post: tell the people who may decide it."""
    _send_after_commit(REVIEW_REQUESTED, task_state.pk)


def notify_decision(decision: ReviewDecision) -> None:
    """Someone approved or requested changes: tell the post's author (and submitter).

    Changes requested always; an approval only when it finished the workflow (the post is
    approved and scheduled or published). An approval that leaves the post waiting on another
    reviewer or the next tier tells nobody: the author hears once, at the end.
    """
    if decision.outcome == ReviewDecision.Outcome.APPROVED:
        status = WorkflowState.objects.filter(task_states=decision.task_state_id).values_list(
            "status", flat=True
        )
        if status.first() != WorkflowState.STATUS_APPROVED:
            return
    _send_after_commit(DECISION, decision.pk)


def notify_reminder(task_state: TaskState) -> None:
    """Half of the tier's turnaround target has passed: remind the people who may decide it."""
    _send_after_commit(REMINDER, task_state.pk)


def notify_escalation(task_state: TaskState) -> None:
    """The tier is overdue: tell the brand's account leads."""
    _send_after_commit(ESCALATION, task_state.pk)


def notify_delivery_failed(delivery) -> None:
    """A published post could not be handed to its channel, for good: tell its author and the
    brand's leads, so someone posts it another way."""
    _send_after_commit(DELIVERY_FAILED, delivery.pk)


def notify_publish_refused(revision) -> None:
    """A scheduled version was not what every tier approved, so it did not go out: tell its
    author and the brand's leads."""
    _send_after_commit(PUBLISH_REFUSED, revision.pk)


def _send_after_commit(kind: str, object_id: int) -> None:
    if _suppressed.get():
        return
    # After the commit, so the worker finds what the request wrote and a rolled-back decision
    # mails nobody. Robust: a queue that can't be reached must not fail a request that
    # already committed (Django logs the error).
    transaction.on_commit(partial(send_notifications.enqueue, kind, object_id), robust=True)


# The background tasks ----------------------------------------------------------------------------


@task()
def send_notifications(kind: str, object_id: int) -> None:
    """Send one notice to everyone it concerns as things stand now, one e-mail each."""
    notice = NOTICES[kind].load(object_id)
    if notice is None:
        return
    # client_user: whether each is a client (whose notices are gathered), in the same query.
    for user in notice.recipients().select_related("client_user"):
        _notify(notice, user, attempt=1)


@task()
def send_notification_to(kind: str, object_id: int, user_id: int, attempt: int) -> None:
    """Try again to send one notice to one person (after a failed attempt)."""
    notice = NOTICES[kind].load(object_id)
    user = notice.recipients().select_related("client_user").filter(pk=user_id).first() if notice else None
    if user is not None:
        _notify(notice, user, attempt=attempt)


def _notify(notice: "Notice", user, *, attempt: int) -> None:
    """A client's review request or reminder waits for their digest; anything else goes now."""
    if notice.client_digest_kind and _is_client(user):
        digest.gather(user, notice.task_state, notice.client_digest_kind)
    else:
        _deliver(notice, user, attempt=attempt)


def _deliver(notice: "Notice", user, *, attempt: int) -> None:
    message = notice.message_for(user)
    try:
        message.send()
    except OSError:  # smtplib.SMTPException is one, as are refused connections and timeouts
        if attempt >= MAX_ATTEMPTS:
            logger.error(
                "Gave up e-mailing %s about %s to user %s after %s attempts",
                notice.kind,
                notice.object_id,
                user.pk,
                attempt,
                exc_info=True,
            )
            return
        delay = FIRST_RETRY_AFTER * 4 ** (attempt - 1)
        logger.warning(
            "E-mailing %s about %s to user %s failed (attempt %s of %s); retrying in %s",
            notice.kind,
            notice.object_id,
            user.pk,
            attempt,
            MAX_ATTEMPTS,
            delay,
            exc_info=True,
        )
        retry = send_notification_to
        # The database backend runs it later; a backend that can't defer (the immediate one, in
        # tests) runs it now.
        if retry.get_backend().supports_defer:
            retry = retry.using(run_after=timezone.now() + delay)
        retry.enqueue(notice.kind, notice.object_id, user.pk, attempt + 1)


# What each notice says and to whom ---------------------------------------------------------------


@dataclass
class Email:
    """What one e-mail says; rendered by templates/emails/review_notice.{txt,html}."""

    subject: str
    heading: str
    lead: str
    details: list[tuple[str, str]]
    action: tuple[str, str]
    why: str
    settings_url: str | None
    quote: str = ""
    extra_links: list[tuple[str, str]] = field(default_factory=list)


class Notice:
    """One kind of e-mail about one object (a tier visit or a decision), to the people it concerns."""

    kind: str
    # Set on notices that a client user gets in their digest instead (ClientDigestItem.Kind).
    client_digest_kind: str | None = None

    def __init__(self, object_id: int):
        self.object_id = object_id

    @classmethod
    def load(cls, object_id: int) -> "Notice | None":
        """The notice about this object, or None when there is nothing to say any more."""
        raise NotImplementedError

    def recipients(self) -> QuerySet:
        raise NotImplementedError

    def email_for(self, user) -> Email:
        raise NotImplementedError

    def message_for(self, user) -> EmailMultiAlternatives:
        email = self.email_for(user)
        context = {"email": email}
        message = EmailMultiAlternatives(
            subject=email.subject,
            body=render_to_string("emails/review_notice.txt", context),
            to=[user.email],
        )
        message.attach_alternative(render_to_string("emails/review_notice.html", context), "text/html")
        return message


class TierNotice(Notice):
    """A tier waiting on people: the request to review, a reminder or an escalation."""

    def __init__(self, task_state: TaskState):
        super().__init__(task_state.pk)
        self.task_state = task_state
        self.workflow_state = task_state.workflow_state
        self.post = Post.objects.select_related("brand__approval_policy").get(
            pk=self.workflow_state.object_id
        )
        self.brand = self.post.brand
        self.tier = ReviewTier(task_state.task.reviewtask.tier)
        # The version under review now (edits during review make newer revisions than the one
        # the tier started on); a live post's row keeps its live content until then.
        self.revision = self.post.latest_revision
        self.content = self.revision.as_object() if self.revision else self.post

    @classmethod
    def load(cls, object_id: int) -> "TierNotice | None":
        task_state = (
            TaskState.objects.select_related("workflow_state__requested_by", "task__reviewtask", "revision")
            .filter(pk=object_id, status=TaskState.STATUS_IN_PROGRESS)
            .first()
        )
        # Decided or cancelled before this went out: nobody needs asking any more.
        return cls(task_state) if task_state else None

    def deciders(self) -> QuerySet:
        """The brand's people who may decide this tier, never the post's author or submitter."""
        if self.tier == ReviewTier.CLIENT:
            people = User.objects.filter(client_user__client_id=self.brand.client_id)
        else:
            people = User.objects.filter(
                brand_memberships__brand=self.brand, brand_memberships__role__in=TIER_ROLES[self.tier]
            )
        own = [pk for pk in (self.post.created_by_id, self.workflow_state.requested_by_id) if pk]
        return _reachable(people).exclude(pk__in=own)

    @cached_property
    def details(self) -> list[tuple[str, str]]:
        """The same for every recipient (all agency staff: clients get digests): worked out once
        per task run."""
        details = [
            ("Brand", self.brand.name),
            ("Post", self.content.title),
            ("Tier", self.tier.label),
            ("Submitted by", _name(self.workflow_state.requested_by)),
            ("Goes out", _local_time(self.content.go_live_at, self.brand) or "Not scheduled yet"),
        ]
        checked = CheckedRevision.objects.filter(revision=self.revision).first() if self.revision else None
        if checked is not None:
            details.append(("Brand-check findings", _findings(checked)))
        details.append(("Decision due", _local_time(due_at(self.task_state, self.post), self.brand)))
        return details

    def links(self) -> tuple[tuple[str, str], list[tuple[str, str]]]:
        inbox = _inbox_url()
        return ("Review the post", _admin_post_url(self.post)), (
            [("Everything awaiting your review", inbox)] if inbox else []
        )

    def why_tier(self) -> str:
        if self.tier == ReviewTier.LEAD:
            return f"You get this because you are an account lead on {self.brand}."
        return f"You get this because you review {self.brand}’s posts."


class ReviewRequested(TierNotice):
    kind = REVIEW_REQUESTED
    client_digest_kind = ClientDigestItem.Kind.REQUESTED

    def recipients(self) -> QuerySet:
        return self.deciders()

    def email_for(self, user) -> Email:
        action, extra = self.links()
        return Email(
            subject=f"[{self.brand}] Review requested: {self.content.title}",
            heading="Review requested",
            lead=f"“{self.content.title}” is waiting for {self.tier.label.lower()}.",
            details=self.details,
            action=action,
            extra_links=extra,
            why=self.why_tier(),
            settings_url=_settings_url(user),
        )


class Reminder(TierNotice):
    kind = REMINDER
    client_digest_kind = ClientDigestItem.Kind.REMINDER

    def recipients(self) -> QuerySet:
        # On a two-reviewer tier, whoever already approved has done their part.
        return self.deciders().exclude(review_decisions__task_state=self.task_state)

    def email_for(self, user) -> Email:
        action, extra = self.links()
        due = _local_time(due_at(self.task_state, self.post), self.brand)
        return Email(
            subject=f"[{self.brand}] Reminder: {self.content.title} is waiting for review",
            heading="Still waiting for review",
            lead=f"“{self.content.title}” is still waiting for {self.tier.label.lower()}; "
            f"a decision is due by {due}.",
            details=self.details,
            action=action,
            extra_links=extra,
            why=self.why_tier(),
            settings_url=_settings_url(user),
        )


class Escalation(TierNotice):
    kind = ESCALATION

    def recipients(self) -> QuerySet:
        leads = User.objects.filter(
            brand_memberships__brand=self.brand, brand_memberships__role=BrandRole.LEAD
        )
        return _reachable(leads)

    def email_for(self, user) -> Email:
        return Email(
            subject=f"[{self.brand}] Overdue: {self.tier.label} of {self.content.title}",
            heading="Review overdue",
            lead=f"“{self.content.title}” has passed its turnaround target for "
            f"{self.tier.label.lower()} with no decision.",
            details=self.details,
            action=("Open the post", _admin_post_url(self.post)),
            why=f"You get this because you are an account lead on {self.brand}.",
            settings_url=_settings_url(user),
        )


class DecisionMade(Notice):
    """Changes requested, or the post approved at last: told to its author and submitter."""

    kind = DECISION

    def __init__(self, decision: ReviewDecision):
        super().__init__(decision.pk)
        self.decision = decision
        self.workflow_state = decision.task_state.workflow_state
        self.post = Post.objects.select_related("brand").get(pk=self.workflow_state.object_id)
        self.brand = self.post.brand
        self.content = decision.revision.as_object()

    @classmethod
    def load(cls, object_id: int) -> "DecisionMade | None":
        decision = (
            ReviewDecision.objects.select_related(
                "user", "revision", "task_state__workflow_state", "task_state__task__reviewtask"
            )
            .filter(pk=object_id)
            .first()
        )
        return cls(decision) if decision else None

    def recipients(self) -> QuerySet:
        own = [pk for pk in (self.post.created_by_id, self.workflow_state.requested_by_id) if pk]
        # Only while they still work on the brand: someone who left it hears no more about it.
        on_brand = Q(brand_memberships__brand=self.brand) | Q(is_superuser=True)
        people = User.objects.filter(on_brand, pk__in=own).distinct()
        return _reachable(people).exclude(pk=self.decision.user_id)

    def email_for(self, user) -> Email:
        decision, title = self.decision, self.content.title
        tier = ReviewTier(decision.task_state.task.reviewtask.tier)
        by = _name(decision.user)
        details = [("Brand", self.brand.name), ("Post", title), ("Tier", tier.label), ("Decided by", by)]
        if decision.outcome == ReviewDecision.Outcome.CHANGES_REQUESTED:
            details.append(("Reason", decision.get_reason_display()))
            subject, heading = f"[{self.brand}] Changes requested: {title}", "Changes requested"
            lead = f"{by} asked for changes to “{title}” ({tier.label.lower()})."
        else:
            # As things stand when this goes out (a scheduled post may be out already).
            status = Post.objects.with_status().get(pk=self.post.pk).status
            heading = {
                PostStatus.SCHEDULED: "Approved and scheduled",
                PostStatus.PUBLISHED: "Approved and published",
            }.get(status, "Approved")
            subject = f"[{self.brand}] {heading}: {title}"
            lead = f"Every tier approved “{title}”."
            if status == PostStatus.SCHEDULED:
                goes_out = _local_time(self.content.go_live_at, self.brand)
                lead += f" It goes out {goes_out}."
                details.append(("Goes out", goes_out))
            elif status == PostStatus.PUBLISHED:
                lead += " It is published."
        is_author = user.pk == self.post.created_by_id
        return Email(
            subject=subject,
            heading=heading,
            lead=lead,
            quote=decision.comment,
            details=details,
            action=("Open the post", _admin_post_url(self.post)),
            why=f"You get this because you {'wrote' if is_author else 'submitted'} this post.",
            settings_url=_settings_url(user),
        )


class DeliveryFailed(Notice):
    """A published post's delivery to a channel failed for good: its author and the brand's leads."""

    kind = DELIVERY_FAILED

    def __init__(self, delivery: Delivery):
        super().__init__(delivery.pk)
        self.delivery = delivery
        self.post = delivery.post
        self.brand = delivery.channel.brand

    @classmethod
    def load(cls, object_id: int) -> "DeliveryFailed | None":
        delivery = (
            Delivery.objects.select_related("post", "channel__brand", "channel__platform")
            .filter(pk=object_id, status=Delivery.Status.FAILED)
            .first()
        )
        return cls(delivery) if delivery else None

    def recipients(self) -> QuerySet:
        leads = Q(brand_memberships__brand=self.brand, brand_memberships__role=BrandRole.LEAD)
        author = Q(pk=self.post.created_by_id, brand_memberships__brand=self.brand)
        return _reachable(User.objects.filter(leads | author).distinct())

    def email_for(self, user) -> Email:
        delivery, title = self.delivery, self.post.title
        channel = delivery.channel
        return Email(
            subject=f"[{self.brand}] Not delivered to {channel.platform}: {title}",
            heading="A published post was not delivered",
            lead=(
                f"“{title}” was approved and published, but handing it to the {channel.platform} "
                f"channel failed {delivery.attempts} times, so it has not gone out there. Post it "
                "another way, or fix the channel and send it again."
            ),
            details=[
                ("Brand", self.brand.name),
                ("Post", title),
                ("Channel", str(channel)),
                ("Last error", delivery.last_error or "—"),
            ],
            action=("Open the post", _admin_post_url(self.post)),
            why="You get this because you wrote this post or lead this brand.",
            settings_url=_settings_url(user),
        )


class PublishRefused(Notice):
    """A scheduled version was refused at its time: its author and the brand's leads, told why
    (the reason on the post's history)."""

    kind = PUBLISH_REFUSED

    def __init__(self, revision):
        super().__init__(revision.pk)
        self.post = Post.objects.select_related("brand").get(pk=revision.object_id)
        self.brand = self.post.brand
        refused = (
            ModelLogEntry.objects.filter(action="signoff.publish_refused", revision_id=revision.pk)
            .order_by("-timestamp", "-pk")
            .first()
        )
        self.reason = (refused.data.get("reason") if refused else "") or CHANGED_AFTER_APPROVAL

    @classmethod
    def load(cls, object_id: int) -> "PublishRefused | None":
        revision = Revision.objects.filter(pk=object_id).first()
        return cls(revision) if revision else None

    def recipients(self) -> QuerySet:
        leads = Q(brand_memberships__brand=self.brand, brand_memberships__role=BrandRole.LEAD)
        author = Q(pk=self.post.created_by_id, brand_memberships__brand=self.brand)
        return _reachable(User.objects.filter(leads | author).distinct())

    def email_for(self, user) -> Email:
        title = self.post.title
        return Email(
            subject=f"[{self.brand}] Not published: {title}",
            heading="A scheduled post was not published",
            lead=(
                f"“{title}” was due to go out, but Signoff did not publish it and took it off the "
                "schedule. Put right what the reason below says, then submit it again to have it "
                "approved and scheduled."
            ),
            details=[("Brand", self.brand.name), ("Post", title), ("Why", self.reason)],
            action=("Open the post", _admin_post_url(self.post)),
            why="You get this because you wrote this post or lead this brand.",
            settings_url=_settings_url(user),
        )


NOTICES: dict[str, type[Notice]] = {
    REVIEW_REQUESTED: ReviewRequested,
    REMINDER: Reminder,
    ESCALATION: Escalation,
    DECISION: DecisionMade,
    DELIVERY_FAILED: DeliveryFailed,
    PUBLISH_REFUSED: PublishRefused,
}


# Small helpers -----------------------------------------------------------------------------------


def _reachable(people: QuerySet) -> QuerySet:
    """Those of `people` we may e-mail: active, with an address, and not muted."""
    return people.filter(is_active=True).exclude(email="").exclude(notification_preference__email_muted=True)


def _is_client(user) -> bool:
    return hasattr(user, "client_user")


def _name(user) -> str:
    if user is None:
        return "someone no longer here"
    return user.get_full_name() or user.username


def _local_time(moment: datetime | None, brand: Brand) -> str:
    """A time as the brand's team plans it: in the brand's own time zone."""
    if moment is None:
        return ""
    local = timezone.localtime(moment, brand.tz)
    return f"{local:%a} {local.day} {local:%b %Y, %H:%M} {local.tzname()}"


def _findings(checked: CheckedRevision) -> str:
    if not checked.count:
        return "None"
    blocking = f"{checked.blocking_count} blocking" if checked.blocking_count else "none blocking"
    return f"{checked.count} ({blocking})"


def _absolute(path: str) -> str:
    # E-mails are read outside any request: links need the site's own address.
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _admin_post_url(post: Post) -> str:
    return _absolute(reverse("wagtailsnippets_posts_post:edit", args=[post.pk]))


def _inbox_url() -> str | None:
    try:
        return _absolute(reverse("approvals_inbox"))
    except NoReverseMatch:
        return None


def _settings_url(user) -> str | None:
    """Where the person mutes these e-mails; clients (no Wagtail admin) can't yet themselves."""
    if _is_client(user):
        return None
    return _absolute(reverse("wagtailadmin_account") + "#tab-notifications")
