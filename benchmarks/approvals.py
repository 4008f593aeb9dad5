"""Benchmarks for the approval workflow (issue 4).

Run: .venv/bin/python benchmarks/approvals.py        (SQLite, a throwaway database)
     DATABASE_URL=postgres://postgres@127.0.0.1:5432/signoff .venv/bin/python benchmarks/approvals.py

It builds a throwaway test database (never your data), then measures:
- the approve action (approvals.services.approve_task, the function the inbox, the API and the
  Wagtail task all call) beside a bare single-row UPDATE through Django, in the same run
  (target: approve p95 ≤ 3× the UPDATE's p95), on a tier that needs two approvals (the
  decision write and its guards) and on one that closes and moves the workflow on;
- the review inbox page (/admin/reviews/, rendered by Django's test client with a logged-in
  reviewer) with 10 and with 500 pending items (target: 500 within 1.5× the time of 10).

The last line printed is one JSON object with the results.
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")

import django  # noqa: E402
from django.conf import settings  # noqa: E402

django.setup()
# As in production: background work (e-mails) is queued in the database, not run inline.
settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

APPROVE_RUNS = 100
INBOX_RUNS = 15


def _percentiles(timings: list[float]) -> dict:
    ordered = sorted(timings)
    return {
        "p50_ms": round(statistics.median(ordered), 3),
        "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1], 3),
    }


def _timed(function) -> float:
    start = time.perf_counter()
    function()
    return (time.perf_counter() - start) * 1000


def _people(tag: str):
    """A brand of its own with a creative and two reviewers."""
    from brands.factories import BrandFactory, ClientFactory, UserFactory, membership
    from brands.models import BrandRole

    client = ClientFactory(name=f"Bench Client {tag}", slug=f"bench-{tag}")
    brand = BrandFactory(client=client, name=f"Bench Brew {tag}", slug=f"bench-{tag}")
    creative, reviewer, second = (
        UserFactory(username=f"{name}-{tag}") for name in ("creative", "reviewer", "reviewer2")
    )
    membership(creative, brand, BrandRole.CREATIVE)
    membership(reviewer, brand, BrandRole.REVIEWER)
    membership(second, brand, BrandRole.REVIEWER)
    return brand, creative, reviewer, second


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


def bench_approve(brand, creative, reviewer, second) -> dict:
    from wagtail.models import TaskState

    from approvals.models import ApprovalPolicy
    from approvals.services import approve_task

    # Two approvals needed: the first approval of each post is the decision write alone.
    ApprovalPolicy.objects.filter(brand=brand).update(senior_approvals_required=2)
    posts = _submitted(brand, creative, APPROVE_RUNS)
    states = [post.current_workflow_task_state for post in posts]
    first = [_timed(lambda state=state: approve_task(task_state=state, user=reviewer)) for state in states]
    closing = [_timed(lambda state=state: approve_task(task_state=state, user=second)) for state in states]

    pks = [state.pk for state in states]
    update = [_timed(lambda pk=pk: TaskState.objects.filter(pk=pk).update(comment="bench")) for pk in pks]
    baseline = _percentiles(update)
    decision, closing_stats = _percentiles(first), _percentiles(closing)
    return {
        "bare_update": baseline,
        "approve_decision": decision,
        "approve_and_advance": closing_stats,
        "decision_p95_ratio": round(decision["p95_ms"] / baseline["p95_ms"], 2),
        "advance_p95_ratio": round(closing_stats["p95_ms"] / baseline["p95_ms"], 2),
    }


def bench_inbox(brand, creative, reviewer) -> dict:
    from approvals.models import ApprovalPolicy

    ApprovalPolicy.objects.filter(brand=brand).update(senior_approvals_required=1)
    client = Client()
    client.force_login(reviewer)

    def render_ms() -> float:
        client.get("/admin/reviews/")  # warm: renditions, template caches
        timings = []
        for _ in range(INBOX_RUNS):
            start = time.perf_counter()
            response = client.get("/admin/reviews/")
            timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
        return round(statistics.median(timings), 2)

    results = {}
    pending = 0
    for size in (10, 500):
        _submitted(brand, creative, size - pending)
        pending = size
        results[size] = render_ms()
    return {
        "inbox_10_ms": results[10],
        "inbox_500_ms": results[500],
        "ratio": round(results[500] / results[10], 2),
    }


def main() -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        approve = bench_approve(*_people("approve"))
        brand, creative, reviewer, _ = _people("inbox")
        inbox = bench_inbox(brand, creative, reviewer)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    print(f"database: {connection.vendor}")
    print(f"bare UPDATE p50 {approve['bare_update']['p50_ms']} ms, p95 {approve['bare_update']['p95_ms']} ms")
    print(
        f"approve (decision) p50 {approve['approve_decision']['p50_ms']} ms, "
        f"p95 {approve['approve_decision']['p95_ms']} ms → {approve['decision_p95_ratio']}× (target ≤ 3×)"
    )
    print(
        f"approve (closing the tier, workflow moves on) p50 {approve['approve_and_advance']['p50_ms']} ms, "
        f"p95 {approve['approve_and_advance']['p95_ms']} ms → {approve['advance_p95_ratio']}×"
    )
    print(
        f"inbox with 10 pending {inbox['inbox_10_ms']} ms, with 500 {inbox['inbox_500_ms']} ms "
        f"→ {inbox['ratio']}× (target ≤ 1.5×)"
    )
    print(json.dumps({"database": connection.vendor, "approve": approve, "inbox": inbox}))


if __name__ == "__main__":
    main()
