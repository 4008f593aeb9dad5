"""Benchmarks for the client portal (issue 5).

Run: .venv/bin/python benchmarks/portal.py        (SQLite, a throwaway database)
     DATABASE_URL=postgres://postgres@127.0.0.1:5432/signoff .venv/bin/python benchmarks/portal.py

It builds a throwaway test database (never your data) with a brand whose client signs off every
post, then brings posts through the real workflow (submit, senior approval) to the client tier,
one a day from the first of next month, each with an image. With 30 and with 300 posts in
flight it renders, through Django's test client as the brand's client user:

- the queue ("awaiting your approval", /portal/, the first page of 25);
- the calendar's month (next month) and week (its first full week) views;

and reports the queries of one request and the median render time of several. Targets: at most
10 queries per page whatever the count; 300 posts within 1.5× the time of 30 (the queue pages,
and the calendar reads only the range it shows).

The last line printed is one JSON object with the results.
"""

import datetime as dt
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
# As in production: background work (e-mails) is queued in the database, not run inline.
# (Through override_settings: django-tasks builds its backends as Django starts and rebuilds them
# only when told the setting changed.)
override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}).enable()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

RUNS = 25
SIZES = (30, 300)


def _people():
    """A client, its brand (signing off every post), a creative, a reviewer and a client user."""
    from approvals.portal.tests.helpers import client_signs_off
    from brands.factories import (
        BrandFactory,
        ClientFactory,
        UserFactory,
        brand_image,
        client_user,
        membership,
    )
    from brands.models import BrandRole

    client = ClientFactory(name="Bench Roasters Ltd", slug="bench-roasters")
    brand = BrandFactory(client=client, name="Bench Roasters", slug="bench-roasters")
    client_signs_off(brand)
    creative, reviewer, client_person = (
        UserFactory(username=name) for name in ("bench-creative", "bench-reviewer", "bench-client")
    )
    membership(creative, brand, BrandRole.CREATIVE)
    membership(reviewer, brand, BrandRole.REVIEWER)
    client_user(client_person, client)
    picture = brand_image(brand, title="Bench picture")
    return brand, creative, reviewer, client_person, picture


def _first_of_next_month(brand) -> dt.date:
    today = dt.datetime.now(brand.tz).date()
    return (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def _bring_to_client_tier(brand, creative, reviewer, picture, numbers) -> None:
    from approvals.moving_on import decisions_followed_up_inline
    from approvals.services import approve_task, submit_post
    from cms.posts.factories import PostFactory, add_media

    start = _first_of_next_month(brand)
    for n in numbers:
        at = dt.datetime.combine(start + dt.timedelta(days=n), dt.time(9, 0), tzinfo=brand.tz)
        post = PostFactory(
            brand=brand, created_by=creative, title=f"Bench post {n}", caption="Fresh start.", go_live_at=at
        )
        add_media(post, [picture])
        post.save_revision(user=creative)
        submit_post(post=post, user=creative)
        with decisions_followed_up_inline():  # no relay runs here to move it on to the client
            approve_task(task_state=post.current_workflow_task_state, user=reviewer)


def _settle() -> None:
    """PostgreSQL plans by statistics, which autovacuum keeps in a live database; tables filled a
    moment ago have none (the plans would be for empty tables), and autovacuum would soon wake up
    and compete for the CPU during the timings. So do its work first. (SQLite keeps no statistics
    unless told, so it is measured as it runs.)"""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def _measure(client: Client, url: str) -> dict:
    client.get(url)  # warm: renditions on first sight, template caches, the session's clocks
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    count = len(queries)  # now: the next request empties the connection's query log
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    return {"queries": count, "median_ms": round(statistics.median(timings), 2)}


def bench() -> dict:
    brand, creative, reviewer, client_person, picture = _people()
    client = Client()
    client.force_login(client_person)
    month = _first_of_next_month(brand)
    week = month + dt.timedelta(days=(7 - month.weekday()) % 7)  # its first Monday
    pages = {
        "queue": "/portal/",
        "calendar_month": f"/portal/calendar/?view=month&date={month:%Y-%m-%d}",
        "calendar_week": f"/portal/calendar/?view=week&date={week:%Y-%m-%d}",
    }
    results = {name: {} for name in pages}
    in_flight = 0
    for size in SIZES:
        _bring_to_client_tier(brand, creative, reviewer, picture, range(in_flight, size))
        in_flight = size
        _settle()
        for name, url in pages.items():
            results[name][size] = _measure(client, url)
    for figures in results.values():
        small, large = figures[SIZES[0]], figures[SIZES[1]]
        figures["ratio"] = round(large["median_ms"] / small["median_ms"], 2)
        figures["queries_constant"] = small["queries"] == large["queries"]
    return results


def main() -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        results = bench()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    print(f"database: {connection.vendor}")
    for name, figures in results.items():
        small, large = figures[SIZES[0]], figures[SIZES[1]]
        print(
            f"{name}: {SIZES[0]} in flight {small['median_ms']} ms / {small['queries']} queries, "
            f"{SIZES[1]} in flight {large['median_ms']} ms / {large['queries']} queries "
            f"→ {figures['ratio']}× (target ≤ 1.5×, ≤ 10 queries)"
        )
    print(json.dumps({"database": connection.vendor, **results}))


if __name__ == "__main__":
    main()
