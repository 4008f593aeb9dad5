"""Benchmarks for the approval workflow (issue 4).

Run: .venv/bin/python benchmarks/approvals.py        (SQLite, a throwaway database)
     DATABASE_URL=postgres://postgres@127.0.0.1:5432/signoff .venv/bin/python benchmarks/approvals.py

It builds a throwaway test database (never your data), then measures:
- the approve action (approvals.services.approve_task, the function the inbox, the API, the
  portal and the Wagtail task all call) beside a bare single-row UPDATE through Django, in the
  same run (target: approve p95 ≤ 3× the UPDATE's p95): an approval towards a tier that needs
  two, and the approval that closes the tier, 300 of each on one connection, as a web process
  with kept-open connections (CONN_MAX_AGE) makes them. What the relay then does for each (the
  history entries, the workflow moving on, the post published) is timed and reported beside them;
- the review inbox page (/admin/reviews/, rendered by Django's test client with a logged-in
  reviewer) with 10 and with 500 pending items (target: 500 within 1.5× the time of 10).

The last line printed is one JSON object with the results.
"""

import gc
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")

import django  # noqa: E402
from django.test import override_settings  # noqa: E402

django.setup()
# As in production: decisions are followed up by the relay, after they commit, and background
# work (e-mails) is queued in the database, not run inline. (Through override_settings:
# django-tasks builds its backends as Django starts and rebuilds them only when told the setting
# changed.)
override_settings(
    SIGNOFF_FOLLOW_UP_AT_ONCE=False, TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
).enable()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

APPROVE_RUNS = 300
INBOX_RUNS = 25


def _percentiles(timings: list[float]) -> dict:
    ordered = sorted(timings)
    return {
        "p50_ms": round(statistics.median(ordered), 3),
        "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1], 3),
    }


def _settled() -> None:
    """Collect the garbage the setup left (hundreds of posts taken through the workflow), so the
    timings that follow don't pay for it, as a server process wouldn't."""
    gc.collect()


def _timed(function) -> float:
    start = time.perf_counter()
    function()
    return (time.perf_counter() - start) * 1000


def _people(tag: str):
    """A brand of its own with a creative and three reviewers."""
    from brands.factories import BrandFactory, ClientFactory, UserFactory, membership
    from brands.models import BrandRole

    client = ClientFactory(name=f"Bench Client {tag}", slug=f"bench-{tag}")
    brand = BrandFactory(client=client, name=f"Bench Brew {tag}", slug=f"bench-{tag}")
    creative, reviewer, second, third = (
        UserFactory(username=f"{name}-{tag}") for name in ("creative", "reviewer", "reviewer2", "reviewer3")
    )
    membership(creative, brand, BrandRole.CREATIVE)
    for person in (reviewer, second, third):
        membership(person, brand, BrandRole.REVIEWER)
    return brand, creative, reviewer, second, third


def _submitted(brand, creative, count: int) -> list:
    from approvals.services import submit_post
    from cms.posts.factories import PostFactory

    posts = []
    for n in range(count):
        post = PostFactory(brand=brand, created_by=creative, title=f"Bench post {n}", caption="Fresh start.")
        post.save_revision(user=creative)
        submit_post(post=post, user=creative)
        posts.append(post)
    return posts


def _floor(state, user) -> None:
    """The least a guarded decision can cost, for scale: one transaction that locks the task
    state's row, inserts a decision and updates the row, in hand-written SQL (no checks)."""
    from django.db import transaction
    from django.utils import timezone

    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT status FROM wagtailcore_taskstate WHERE id = %s" + lock, [state.pk])
        cursor.execute(
            "INSERT INTO approvals_reviewdecision (task_state_id, user_id, outcome, reason, comment,"
            " revision_id, content_hash, created_at) VALUES (%s, %s, 'changes_requested', 'other', '', %s, %s, %s)",
            [state.pk, user.pk, state.revision_id, "0" * 64, timezone.now()],
        )
        cursor.execute("UPDATE wagtailcore_taskstate SET comment = 'floor' WHERE id = %s", [state.pk])


def bench_approve(brand, creative, reviewer, second, third) -> dict:
    from django.contrib.auth import get_user_model
    from django.utils import timezone
    from wagtail.models import TaskState

    from approvals.models import ApprovalPolicy, ReviewDecision
    from approvals.moving_on import follow_up_decision
    from approvals.services import approve_task

    def approve(state, user) -> float:
        decider = get_user_model().objects.get(pk=user.pk)  # loaded afresh, as for each request
        return _timed(lambda: approve_task(task_state=state, user=decider))

    def bare_update(state, value) -> float:
        return _timed(lambda: TaskState.objects.filter(pk=state.pk).update(comment=value))

    # Two approvals needed: the first approval of each post is the decision alone; the second
    # closes the tier (the workflow then moves on, on the relay). Each is timed next to a bare
    # UPDATE (a new value each time, so it really writes), so the machine's ups and downs fall
    # on both alike.
    ApprovalPolicy.objects.filter(brand=brand).update(senior_approvals_required=2)
    posts = _submitted(brand, creative, APPROVE_RUNS)
    states = [post.current_workflow_task_state for post in posts]
    first, closing, floor, update = [], [], [], []
    _settled()
    for state in states:
        first.append(approve(state, reviewer))
        update.append(bare_update(state, "bench 1"))
        closing.append(approve(state, second))
        update.append(bare_update(state, "bench 2"))
        floor.append(_timed(lambda state=state: _floor(state, third)))
    # What the relay then does for each (the history entries, the workflow moving on, the post
    # scheduled or published): reported, not part of the action the reviewer waits for. (The
    # floor's rows are no decisions to follow up.)
    ReviewDecision.objects.filter(user=third).update(followed_up_at=timezone.now())
    waiting = ReviewDecision.objects.filter(followed_up_at__isnull=True).order_by("pk")
    _settled()
    follow_ups = [
        _timed(lambda decision_id=decision_id: follow_up_decision(decision_id))
        for decision_id in waiting.values_list("pk", flat=True)
    ]
    moved_on = TaskState.objects.filter(
        pk__in=[state.pk for state in states], workflow_state__status="approved"
    )
    assert moved_on.count() == len(states), "every post's workflow finished on the relay"
    assert not waiting.exists(), "every decision was followed up"

    baseline = _percentiles(update)
    decision, closing_stats, floor_stats = _percentiles(first), _percentiles(closing), _percentiles(floor)
    return {
        "bare_update": baseline,
        "approve_decision": decision,
        "approve_closing_tier": closing_stats,
        "decision_p95_ratio": round(decision["p95_ms"] / baseline["p95_ms"], 2),
        "closing_p95_ratio": round(closing_stats["p95_ms"] / baseline["p95_ms"], 2),
        "floor": floor_stats,
        "floor_p95_ratio": round(floor_stats["p95_ms"] / baseline["p95_ms"], 2),
        "relay_follow_up": _percentiles(follow_ups),
    }


def bench_inbox() -> dict:
    """Two reviewers on two brands, one with 10 posts awaiting them and one with 500, their
    inbox pages requested in turn (so the machine's ups and downs fall on both alike)."""
    reviewers = {}
    for size in (10, 500):
        brand, creative, reviewer, *_ = _people(f"inbox-{size}")
        _submitted(brand, creative, size)
        client = Client()
        client.force_login(reviewer)
        client.get("/admin/reviews/")  # warm: renditions, template caches
        reviewers[size] = client

    def render_ms(client) -> float:
        start = time.perf_counter()
        response = client.get("/admin/reviews/")
        elapsed = (time.perf_counter() - start) * 1000
        assert response.status_code == 200
        return elapsed

    timings = {10: [], 500: []}
    _settled()
    for _ in range(INBOX_RUNS):
        for size, client in reviewers.items():
            timings[size].append(render_ms(client))
    small, large = (round(statistics.median(timings[size]), 2) for size in (10, 500))
    return {"inbox_10_ms": small, "inbox_500_ms": large, "ratio": round(large / small, 2)}


def main() -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        approve = bench_approve(*_people("approve"))
        inbox = bench_inbox()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    print(f"database: {connection.vendor}")
    print(f"bare UPDATE p50 {approve['bare_update']['p50_ms']} ms, p95 {approve['bare_update']['p95_ms']} ms")
    print(
        f"approve (decision) p50 {approve['approve_decision']['p50_ms']} ms, "
        f"p95 {approve['approve_decision']['p95_ms']} ms → {approve['decision_p95_ratio']}× (target ≤ 3×)"
    )
    print(
        f"approve (closing the tier) p50 {approve['approve_closing_tier']['p50_ms']} ms, "
        f"p95 {approve['approve_closing_tier']['p95_ms']} ms → {approve['closing_p95_ratio']}× (target ≤ 3×)"
    )
    print(
        f"for scale, the least a guarded decision costs (lock, insert, update in hand-written SQL) "
        f"p50 {approve['floor']['p50_ms']} ms, p95 {approve['floor']['p95_ms']} ms → {approve['floor_p95_ratio']}×"
    )
    print(
        f"then on the relay (history, workflow moves on, post published) "
        f"p50 {approve['relay_follow_up']['p50_ms']} ms, p95 {approve['relay_follow_up']['p95_ms']} ms"
    )
    print(
        f"inbox with 10 pending {inbox['inbox_10_ms']} ms, with 500 {inbox['inbox_500_ms']} ms "
        f"→ {inbox['ratio']}× (target ≤ 1.5×)"
    )
    print(json.dumps({"database": connection.vendor, "approve": approve, "inbox": inbox}))


if __name__ == "__main__":
    main()
