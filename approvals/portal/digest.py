"""One e-mail per client batch: review requests and reminders for a client user are gathered into a
digest, sent SIGNOFF_CLIENT_DIGEST_MINUTES after the first of them, that lists every post awaiting
them with one magic link, the same in every e-mail while it is valid (magic_links.link_to_email).

- approvals.notifications hands each client it would e-mail about a review request or reminder to
  `gather` (in the background task that works out who to tell): a ClientDigestItem row and, when
  it opens the user's window, a run of `send_client_digests` queued for the window's end.
- `send_due_digests` sends every digest whose window has passed. That task runs it, and so does
  every run of the turnaround watcher (approvals.watcher), which is how a send that failed is
  tried again: the items stay unsent until an e-mail carrying them has gone out.

Staff e-mails are not gathered: reviewers and leads get one e-mail per notice, as before.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Max, Min, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import ngettext
from django_tasks import task
from wagtail.models import Revision, TaskState

from approvals.models import NotificationPreference, ReviewTier
from approvals.selectors import brand_policy, reviews_awaiting, tier_due_at
from brands.checks.platforms import PLATFORM_SPECS
from cms.posts.models import Post

from .magic_links import link_to_email, magic_link_url
from .models import ClientDigestItem
from .selectors import brand_time, client_title_of

logger = logging.getLogger(__name__)
User = get_user_model()

# A digest being sent is held this long, so a second run at the same moment leaves it alone; a
# run that dies mid-way lets go of it after this.
HOLD = timedelta(minutes=10)
# A failed send is tried again on the first run after 1, 2, 4… minutes, at most an hour apart.
FIRST_RETRY_AFTER = timedelta(minutes=1)
LONGEST_RETRY_AFTER = timedelta(hours=1)
# The e-mail lists at most this many posts, then says how many more the portal has.
MOST_LISTED = 50


def window() -> timedelta:
    return timedelta(minutes=max(settings.SIGNOFF_CLIENT_DIGEST_MINUTES, 0))


# Gathering ---------------------------------------------------------------------------------------


def gather(user, task_state: TaskState, kind: str, *, now: datetime | None = None) -> None:
    """Keep a review request or reminder for the user's next digest (once: a retried task adds
    nothing), and make sure a run is queued for when their window ends."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            item = ClientDigestItem.objects.create(
                user=user, task_state=task_state, kind=kind, created_at=now
            )
    except IntegrityError:
        return
    opens_window = not (
        ClientDigestItem.objects.filter(user=user, done_at__isnull=True).exclude(pk=item.pk).exists()
    )
    if opens_window:
        _run_at(now + window())


def _run_at(at: datetime) -> None:
    run = send_client_digests
    # A backend that can't run tasks later (the immediate one, in tests) would run it now, too
    # early to send anything: the watcher's runs send it instead.
    if run.get_backend().supports_defer:
        transaction.on_commit(lambda: run.using(run_after=at).enqueue(), robust=True)


@task()
def send_client_digests() -> int:
    """The worker's task, queued for the end of a client's window: send whatever digest is due."""
    return send_due_digests(now=timezone.now())


# Sending -----------------------------------------------------------------------------------------


def send_due_digests(*, now: datetime) -> int:
    """Send each client user's digest whose window has passed (and whose failed send is due to
    be tried again); returns how many e-mails went out. One user's trouble doesn't hold up the
    others: it is logged and their digest tried again on a later run."""
    due = (
        ClientDigestItem.objects.filter(done_at__isnull=True)
        .values("user")
        .annotate(first=Min("created_at"), held_until=Max("not_before"))
        .filter(first__lte=now - window())
        .filter(Q(held_until__isnull=True) | Q(held_until__lte=now))
        .order_by("first")
        .values_list("user", flat=True)
    )
    sent = 0
    for user_id in list(due):
        try:
            sent += send_digest(user_id=user_id, now=now)
        except Exception:
            logger.exception("Could not send the client digest to user %s; it will be tried again", user_id)
    return sent


def send_digest(*, user_id: int, now: datetime) -> int:
    """Send one user's digest now (1), or find nothing left to tell them (0)."""
    unsent = ClientDigestItem.objects.filter(user_id=user_id, done_at__isnull=True)
    free = Q(not_before__isnull=True) | Q(not_before__lte=now)
    held_until = now + HOLD
    # Take the items for this run with one conditional UPDATE: a second run finds them held.
    if not unsent.filter(free).update(not_before=held_until):
        return 0
    items = list(unsent.filter(not_before=held_until))
    mine = ClientDigestItem.objects.filter(pk__in=[item.pk for item in items])
    user = User.objects.filter(pk=user_id).first()
    digest = build_digest(user, items, now=now) if user is not None else None
    if digest is None:
        # Decided meanwhile, or the user can't be reached (muted, inactive, no longer a client
        # user): nothing to say, and nothing to keep.
        mine.update(done_at=now, not_before=None)
        return 0
    try:
        digest.message().send()
    except OSError:  # smtplib.SMTPException is one, as are refused connections and timeouts
        attempts = max(item.attempts for item in items) + 1
        retry_at = now + min(FIRST_RETRY_AFTER * 2 ** (attempts - 1), LONGEST_RETRY_AFTER)
        mine.update(attempts=attempts, not_before=retry_at)
        logger.warning(
            "E-mailing the client digest to user %s failed (attempt %s); trying again after %s",
            user_id,
            attempts,
            retry_at,
            exc_info=True,
        )
        _run_at(retry_at)
        return 0
    mine.update(done_at=now, not_before=None)
    return 1


# What the digest says ----------------------------------------------------------------------------


@dataclass
class DigestPost:
    title: str
    brand: str
    platforms: str
    goes_out: str  # when, in the brand's time zone, or "As soon as you approve"
    due: str
    url: str
    is_new: bool
    is_reminder: bool


@dataclass
class Digest:
    """One client user's digest e-mail; rendered by templates/emails/client_digest.{txt,html}."""

    to: str
    subject: str
    heading: str
    lead: str
    posts: list[DigestPost]
    more: int
    action: tuple[str, str]
    why: str
    brands: list[str] = field(default_factory=list)

    def message(self) -> EmailMultiAlternatives:
        context = {"email": self}
        message = EmailMultiAlternatives(
            subject=self.subject, body=render_to_string("emails/client_digest.txt", context), to=[self.to]
        )
        message.attach_alternative(render_to_string("emails/client_digest.html", context), "text/html")
        return message


def build_digest(user, items: list[ClientDigestItem], *, now: datetime) -> Digest | None:
    """The digest for these items: every post awaiting the user now, the items' own first
    (new requests, then reminders); None when none of the items still awaits them or the user
    can't be reached."""
    if not _reachable(user):
        return None
    awaiting = list(
        reviews_awaiting(user)
        .filter(task__reviewtask__tier=ReviewTier.CLIENT)
        .select_related("workflow_state", "revision")
        .order_by("started_at", "pk")
    )
    new = {item.task_state_id for item in items if item.kind == ClientDigestItem.Kind.REQUESTED}
    reminded = {item.task_state_id for item in items if item.kind == ClientDigestItem.Kind.REMINDER}
    if not any(state.pk in new | reminded for state in awaiting):
        return None
    awaiting.sort(key=lambda state: (state.pk not in new, state.pk not in reminded))

    posts = Post.objects.select_related("brand__approval_policy").in_bulk(
        [int(state.workflow_state.object_id) for state in awaiting]
    )
    awaiting = [state for state in awaiting if int(state.workflow_state.object_id) in posts]
    shown = awaiting[:MOST_LISTED]
    latest = Revision.objects.in_bulk(
        [posts[int(s.workflow_state.object_id)].latest_revision_id for s in shown]
    )
    first_post = posts[int(shown[0].workflow_state.object_id)]
    link, token = link_to_email(user, first_post.brand, now=now)

    listed = []
    for state in shown:
        post = posts[int(state.workflow_state.object_id)]
        # Described as the client will see it: the version they are asked to approve.
        revision = latest.get(post.latest_revision_id) or state.revision
        content = revision.content
        go_live_at = parse_datetime(content["go_live_at"]) if content.get("go_live_at") else None
        goes_out = (
            brand_time(go_live_at, post.brand)
            if go_live_at and go_live_at > now
            else "As soon as you approve"
        )
        codes = content.get("platforms") or []
        listed.append(
            DigestPost(
                title=client_title_of(revision),
                brand=post.brand.name,
                platforms=", ".join(PLATFORM_SPECS[code].name for code in codes if code in PLATFORM_SPECS),
                goes_out=goes_out,
                due=brand_time(
                    tier_due_at(brand_policy(post.brand), ReviewTier.CLIENT, state.started_at), post.brand
                ),
                url=magic_link_url(token, reverse("portal:post-detail", args=[post.pk])),
                is_new=state.pk in new,
                is_reminder=state.pk in reminded,
            )
        )

    count, fresh = len(awaiting), sum(1 for post in listed if post.is_new)
    client = user.client_user.client
    brands = sorted({post.brand for post in listed})
    label = brands[0] if len(brands) == 1 else client.name
    if count == 1:
        subject = f"[{label}] {'Waiting' if fresh else 'Still waiting'} for your approval: {listed[0].title}"
        heading = "A post is waiting for your approval"
    else:
        subject = f"[{label}] {count} posts are waiting for your approval"
        heading = f"{count} posts are waiting for your approval"
    lead = []
    if fresh:
        lead.append(
            ngettext(
                "Your agency has sent you %(n)d post to approve.",
                "Your agency has sent you %(n)d posts to approve.",
                fresh,
            )
            % {"n": fresh}
        )
    if count > fresh:
        lead.append(
            ngettext(
                "%(n)d more is still waiting for you.", "%(n)d more are still waiting for you.", count - fresh
            )
            % {"n": count - fresh}
            if fresh
            else "They are still waiting for you; please have a look before they are due."
        )
    lead.append("Open a post to see it as it will look on each platform, then approve it or ask for changes.")
    minutes = settings.SIGNOFF_CLIENT_DIGEST_MINUTES
    return Digest(
        to=user.email,
        subject=subject,
        heading=heading,
        lead=" ".join(lead),
        posts=listed,
        more=count - len(listed),
        action=("Open your approvals", magic_link_url(token, reverse("portal:dashboard"))),
        why=(
            f"You get this because you sign off {client.name}’s posts. Signoff gathers your agency’s "
            f"requests into one e-mail every {'minute' if minutes == 1 else f'{minutes} minutes'} at most; "
            f"the links in it sign you in and work until {brand_time(link.expires_at, first_post.brand)}."
        ),
        brands=brands,
    )


def _reachable(user) -> bool:
    """Active, with an address, not muted, and still a client user."""
    if not (user.is_active and user.email and hasattr(user, "client_user")):
        return False
    return not NotificationPreference.objects.filter(user=user, email_muted=True).exists()
