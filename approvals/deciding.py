"""The statements a decision on a tier runs, hand-written.

A decision is a click that should cost about what a single write does (benchmarks/approvals.py
holds it to 3× a bare UPDATE). Through the ORM the same work is six statements, or fewer whose
subqueries take longer to plan than to run; here it is two: lock the tier and read every fact
(lock_and_read), then record the decision, count the approvals before it and close the tier if
it decides it (record_decision: one statement on PostgreSQL, two on SQLite). The rules that use
the facts stay in approvals.services. Portable SQL except where marked.

On PostgreSQL this relies on READ COMMITTED, Django's default: each statement sees what was
committed before it started, so record_decision, run once the lock is granted, counts every
approval made before it.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone
from wagtail.models import Revision, TaskState

from cms.posts.models import Post

from .models import ReviewDecision


@dataclass(frozen=True)
class DecisionFacts:
    """What deciding on one tier of one post needs to know."""

    status: str  # the task state's, as it is once the tier is locked
    tier: str
    post_id: int
    created_by_id: int | None
    requested_by_id: int | None  # who submitted the post
    brand_id: int
    brand_client_id: int
    approvals_needed: int | None  # the brand policy's senior approvals (None: no policy row)
    revision_id: int  # the post's latest revision: what a decision binds to
    revision_user_id: int | None
    revision_content: dict
    blocking_count: int | None  # findings on that revision (None: not checked yet)
    deciders_role: str | None  # the decider's role on the post's brand
    deciders_client_id: int | None  # the client the decider works for (None: agency staff)
    decider_saved_a_revision: bool  # of this post, ever: only then can some of its content be theirs
    # on another tier of this workflow run: only then may they have approved this content already
    decider_approved_another_tier: bool


# FOR UPDATE OF ts: deciders on one tier take turns, and the one that waited reads the tier's own
# row (its status) as the one before it left it. (SQLite has no row locks: its IMMEDIATE
# transactions already serialize writers.) Every other row is read as it was when the statement
# started, which for a decider that waited is before the one ahead of it committed: fine for the
# post, its revision and the decider's rights, which deciding doesn't change, but not for the
# decisions, so nothing here counts them; record_decision does, in a statement that starts after
# the lock is granted. The content type keeps out any other object a review task might be given.
_LOCK_AND_READ_SQL = """
SELECT ts.status, rt.tier, p.id, p.created_by_id, ws.requested_by_id, p.brand_id, b.client_id,
       (SELECT pol.senior_approvals_required FROM approvals_approvalpolicy pol WHERE pol.brand_id = p.brand_id),
       r.id, r.user_id, r.content,
       (SELECT chk.blocking_count FROM posts_checkedrevision chk WHERE chk.revision_id = r.id),
       (SELECT m.role FROM brands_brandmembership m WHERE m.brand_id = p.brand_id AND m.user_id = %(user)s),
       (SELECT cu.client_id FROM brands_clientuser cu WHERE cu.user_id = %(user)s),
       EXISTS (SELECT 1 FROM wagtailcore_revision dr
               WHERE dr.base_content_type_id = %(post_type)s AND dr.object_id = ws.object_id
                 AND dr.user_id = %(user)s),
       EXISTS (SELECT 1 FROM approvals_reviewdecision od
               JOIN wagtailcore_taskstate ots ON ots.id = od.task_state_id
               WHERE ots.workflow_state_id = ts.workflow_state_id AND ots.task_id <> ts.task_id
                 AND od.user_id = %(user)s AND od.outcome = %(approved)s)
FROM wagtailcore_taskstate ts
JOIN approvals_reviewtask rt ON rt.task_ptr_id = ts.task_id
JOIN wagtailcore_workflowstate ws ON ws.id = ts.workflow_state_id
JOIN posts_post p ON p.id = CAST(ws.object_id AS BIGINT) AND ws.base_content_type_id = %(post_type)s
JOIN brands_brand b ON b.id = p.brand_id
JOIN wagtailcore_revision r ON r.id = p.latest_revision_id
WHERE ts.id = %(task_state)s
"""


def lock_and_read(*, task_state_id: int, user_id: int | None) -> DecisionFacts | None:
    """Lock the tier for the rest of the transaction and read what `user_id` deciding on it
    needs (None if the tier or its post is gone)."""
    lock = ""
    if connection.features.has_select_for_update:
        lock = " FOR UPDATE OF ts" if connection.features.has_select_for_update_of else " FOR UPDATE"
    with _cursor() as cursor:
        post_type = ContentType.objects.get_for_model(Post).pk  # cached after the first call
        cursor.execute(
            _LOCK_AND_READ_SQL + lock,
            {
                "user": user_id,
                "task_state": task_state_id,
                "post_type": post_type,
                "approved": ReviewDecision.Outcome.APPROVED,
            },
        )
        row = cursor.fetchone()
    if row is None:
        return None
    content_field = Revision._meta.get_field("content")
    *before, content, blocking, role, client_id, saved_a_revision, approved_another_tier = row
    return DecisionFacts(
        *before,
        revision_content=content_field.from_db_value(content, None, connection),
        blocking_count=blocking,
        deciders_role=role,
        deciders_client_id=client_id,
        decider_saved_a_revision=bool(saved_a_revision),
        decider_approved_another_tier=bool(approved_another_tier),
    )


@dataclass(frozen=True)
class Recorded:
    """A decision as record_decision left it."""

    decision: ReviewDecision
    others_approvals: int  # the approvals others made on this tier visit before this decision
    closed: bool  # whether this decision closed the tier


# ON CONFLICT: a second decision by the same person on the same tier visit (a double-click that
# waited for the first) inserts nothing, so returns nothing, without aborting the transaction.
# The count is of the others' approvals: the decider has at most this one (the unique constraint).
# The row waits for the relay to follow it up (followed_up_at stays empty; approvals.moving_on).
_INSERT_SQL = """
INSERT INTO approvals_reviewdecision
    (task_state_id, user_id, outcome, reason, comment, revision_id, content_hash, created_at, approvals_needed,
     follow_up_due_at)
VALUES (%(task_state)s, %(user)s, %(outcome)s, %(reason)s, %(comment)s, %(revision)s, %(hash)s, %(at)s,
        %(approvals_needed)s, %(due)s)
ON CONFLICT (task_state_id, user_id) DO NOTHING
"""
_OTHERS_APPROVALS_SQL = """
SELECT COUNT(*) FROM approvals_reviewdecision d
WHERE d.task_state_id = %(task_state)s AND d.outcome = %(approved)s AND d.user_id <> %(user)s
"""
# The tier closes on a request for changes (`needed` 0) or on the approval that makes `needed`.
# Closing only while in progress is the database's guard that a tier is decided once.
_CLOSE_SQL = """
UPDATE wagtailcore_taskstate SET status = %(status)s, finished_at = %(at)s, finished_by_id = %(user)s,
       comment = %(comment)s
WHERE id = %(task_state)s AND status = %(in_progress)s
"""
_RECORD_SQL = {
    # SQLite: the insert, then the close if this decision makes it (in record_decision).
    "sqlite": _INSERT_SQL + "RETURNING id, (" + _OTHERS_APPROVALS_SQL + ")",
    # PostgreSQL: all three in one statement, one round trip fewer for the decision that closes.
    "postgresql": f"""
WITH new AS ({_INSERT_SQL} RETURNING id),
     others AS ({_OTHERS_APPROVALS_SQL}),
     closed AS ({_CLOSE_SQL}
                AND EXISTS (SELECT 1 FROM new) AND (SELECT * FROM others) + 1 >= %(needed)s
                RETURNING id)
SELECT (SELECT id FROM new), (SELECT * FROM others), EXISTS (SELECT 1 FROM closed)
""",
}


def record_decision(decision: ReviewDecision, *, needed: int) -> Recorded | None:
    """Save `decision` (not yet saved) and close its tier when it decides it: a request for
    changes, or the approval that makes the `needed` count. None, saving nothing, if its user has
    decided on this tier visit already.

    Call it after lock_and_read, in the same transaction: the count then includes every approval
    committed before the lock was granted.
    """
    approved = decision.outcome == ReviewDecision.Outcome.APPROVED
    now = timezone.now()
    undo_window = settings.SIGNOFF_UNDO_SECONDS
    due = now + timedelta(seconds=undo_window) if undo_window > 0 else None
    db_time = ReviewDecision._meta.get_field("created_at")
    params = {
        "task_state": decision.task_state_id,
        "user": decision.user_id,
        "outcome": decision.outcome,
        "reason": decision.reason,
        "comment": decision.comment,
        "revision": decision.revision_id,
        "hash": decision.content_hash,
        "at": db_time.get_db_prep_value(now, connection),
        "due": db_time.get_db_prep_value(due, connection),
        "approved": ReviewDecision.Outcome.APPROVED,
        "needed": needed if approved else 0,
        "approvals_needed": needed if approved else None,
        "status": TaskState.STATUS_APPROVED if approved else TaskState.STATUS_REJECTED,
        "in_progress": TaskState.STATUS_IN_PROGRESS,
    }
    with _cursor() as cursor:
        cursor.execute(_RECORD_SQL[connection.vendor], params)
        row = cursor.fetchone()
        if row is None or row[0] is None:
            return None
        decision_id, others_approvals = row[:2]
        if len(row) > 2:  # PostgreSQL: the statement has closed the tier or not
            closed = bool(row[2])
        elif others_approvals + 1 >= params["needed"]:
            cursor.execute(_CLOSE_SQL, params)
            closed = cursor.rowcount == 1
        else:
            closed = False
    decision.pk, decision.created_at, decision.approvals_needed = decision_id, now, params["approvals_needed"]
    decision.follow_up_due_at = due
    decision._state.adding = False  # as if saved by the ORM
    decision._state.db = connection.alias
    if closed:
        task_state = decision.task_state
        task_state.status, task_state.finished_at, task_state.finished_by = (
            params["status"],
            now,
            decision.user,
        )
        task_state.comment = decision.comment
    return Recorded(decision, others_approvals, closed)


def _cursor():
    """A cursor for these statements. On PostgreSQL it binds parameters on the server, so psycopg
    prepares each statement on its second run on a connection (prepare_threshold in
    cms/settings/base.py) and the server plans it once, not on every decision: planning
    lock_and_read's statement takes longer than running it. (psycopg prepares them again after a
    rollback on the connection.)"""
    if connection.vendor != "postgresql" or connection.queries_logged:
        # Logged queries (DEBUG, tests that count queries) need each statement's text, which
        # psycopg doesn't keep for a prepared one.
        return connection.cursor()
    from django.db.backends.postgresql.base import ServerBindingCursor

    connection.ensure_connection()
    psycopg_connection = connection.connection
    client_binding = psycopg_connection.cursor_factory
    psycopg_connection.cursor_factory = ServerBindingCursor
    try:
        return connection.cursor()  # with Django's health check, thread check and error wrapping
    finally:
        psycopg_connection.cursor_factory = client_binding
