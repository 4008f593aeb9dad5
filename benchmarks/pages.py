"""Every main admin and portal page: server time and queries, at demo scale and at 20× (issue 14, item 8).

Run: .venv/bin/python benchmarks/pages.py [--times 20] [--runs 15]

It builds a throwaway demo in a temporary directory (SQLite, never your data: migrate and
`seed_demo`), measures each page, then grows the same demo `--times` over (`seed_demo --times N`:
copies of every demo post in the same states, brought there through the real workflow) and
measures again. Each page is requested through Django's test client as the demo user who works
there (junior, senior, lead or client), with the development settings but DEBUG off: one request
to warm up, one counting its queries, then `--runs` timed ones (the server's time, from the request
in to the response out, rendering included). The pages are the same at both scales (the same demo
post, the first review in the queue, this month's calendar).

Targets: each page's query count the same at both scales (independent of the data size), and its
p50 ≤ 150 ms at 20×. The last line printed is one JSON object with the results.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_P50_MS = 150


def _manage(database_url: str, *args: str) -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "cms.settings.dev", "DATABASE_URL": database_url}
    subprocess.run([sys.executable, "manage.py", *args, "-v", "0"], cwd=ROOT, env=env, check=True)


def _measure_in_a_fresh_process(database_url: str, runs: int) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "cms.settings.dev", "DATABASE_URL": database_url}
    done = subprocess.run(
        [sys.executable, __file__, "--measure", "--runs", str(runs)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _pages() -> list[tuple[str, str, str]]:
    """(name, demo user, path) of each main page, for the demo as it is now."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from approvals.selectors import reviews_awaiting
    from cms.posts.models import Post

    draft = Post.objects.get(title="Weekend flash sale (first draft)")
    in_review = Post.objects.get(title="Brew guide: the AeroPress")
    first_review = reviews_awaiting(get_user_model().objects.get(username="senior")).order_by("pk").first()
    client_post = Post.objects.get(title="Roastery open day")
    return [
        ("admin: dashboard (junior)", "junior", "/admin/"),
        ("admin: dashboard (senior)", "senior", "/admin/"),
        ("admin: dashboard (lead)", "lead", "/admin/"),
        ("admin: posts", "junior", reverse("wagtailsnippets_posts_post:list")),
        ("admin: new post", "junior", reverse("wagtailsnippets_posts_post:add")),
        ("admin: edit post (draft)", "junior", reverse("wagtailsnippets_posts_post:edit", args=[draft.pk])),
        (
            "admin: edit post (in review, as reviewer)",
            "senior",
            reverse("wagtailsnippets_posts_post:edit", args=[in_review.pk]),
        ),
        ("admin: post history", "junior", reverse("wagtailsnippets_posts_post:history", args=[in_review.pk])),
        ("admin: review inbox", "senior", reverse("approvals_inbox")),
        (
            "admin: review inbox, one review",
            "senior",
            reverse("approvals_inbox_review", args=[first_review.pk]),
        ),
        ("admin: calendar month", "junior", reverse("agency_calendar")),
        ("admin: calendar week", "junior", reverse("agency_calendar") + "?view=week"),
        ("admin: calendar list", "junior", reverse("agency_calendar") + "?view=list"),
        ("admin: publishing", "lead", reverse("archive_publishing")),
        ("admin: images", "junior", reverse("wagtailimages:index")),
        ("admin: account", "junior", reverse("wagtailadmin_account")),
        ("admin: magic links", "lead", "/admin/magic-links/"),
        ("portal: dashboard", "client", "/portal/"),
        ("portal: upcoming", "client", "/portal/upcoming/"),
        ("portal: calendar", "client", "/portal/calendar/"),
        ("portal: archive", "client", "/portal/archive/"),
        ("portal: post", "client", f"/portal/posts/{client_post.pk}/"),
    ]


def measure(runs: int) -> dict:
    """In this process (the database is DATABASE_URL's): each page's queries and server times."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from cms.posts.models import Post

    # Not setup_test_environment(): its instrumented template rendering would be timed too.
    override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver"]).enable()
    users = get_user_model().objects
    clients = {}
    results = {}
    for name, username, path in _pages():
        if username not in clients:
            clients[username] = Client()
            clients[username].force_login(users.get(username=username))
        client = clients[username]
        warm = client.get(path)
        if warm.status_code != 200:
            raise SystemExit(f"{name}: {path} answered {warm.status_code}")
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        query_count = len(queries)  # now: the next request empties the log it reads
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        results[name] = {
            "path": path,
            "queries": query_count,
            "p50_ms": round(statistics.median(times), 1),
            "max_ms": round(max(times), 1),
        }
    return {"posts": Post.objects.count(), "pages": results}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--times", type=int, default=20, help="How many times over to grow the demo.")
    parser.add_argument("--runs", type=int, default=15, help="Timed requests per page.")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.measure:
        print(json.dumps(measure(options.runs)))
        return

    with tempfile.TemporaryDirectory(prefix="signoff-pages-") as directory:
        database_url = f"sqlite:///{directory}/pages.sqlite3"
        print("Building the demo (migrate, seed_demo)…", flush=True)
        _manage(database_url, "migrate")
        _manage(database_url, "seed_demo")
        demo = _measure_in_a_fresh_process(database_url, options.runs)
        print(f"Growing it {options.times}× (seed_demo --times {options.times})…", flush=True)
        started = time.perf_counter()
        _manage(database_url, "seed_demo", "--times", str(options.times))
        grown_in = time.perf_counter() - started
        grown = _measure_in_a_fresh_process(database_url, options.runs)

    pages = {}
    print(f"\n{'page':<45} {'queries':>13} {'p50 ms':>17}")
    print(f"{'':<45} {'demo':>6} {f'{options.times}×':>6} {'demo':>8} {f'{options.times}×':>8}")
    for name, at_demo in demo["pages"].items():
        at_scale = grown["pages"][name]
        pages[name] = {
            "path": at_demo["path"],
            "queries_demo": at_demo["queries"],
            "queries_scaled": at_scale["queries"],
            "p50_ms_demo": at_demo["p50_ms"],
            "p50_ms_scaled": at_scale["p50_ms"],
            "queries_independent_of_size": at_demo["queries"] == at_scale["queries"],
            "within_target": at_scale["p50_ms"] <= TARGET_P50_MS,
        }
        flag = "" if pages[name]["queries_independent_of_size"] and pages[name]["within_target"] else "  ✗"
        print(
            f"{name:<45} {at_demo['queries']:>6} {at_scale['queries']:>6} "
            f"{at_demo['p50_ms']:>8} {at_scale['p50_ms']:>8}{flag}"
        )
    result = {
        "benchmark": "pages",
        "times": options.times,
        "posts_demo": demo["posts"],
        "posts_scaled": grown["posts"],
        "seconds_to_grow": round(grown_in, 1),
        "target_p50_ms": TARGET_P50_MS,
        "all_queries_independent_of_size": all(p["queries_independent_of_size"] for p in pages.values()),
        "all_within_target": all(p["within_target"] for p in pages.values()),
        "worst_p50_ms_scaled": max(p["p50_ms_scaled"] for p in pages.values()),
        "load_average": os.getloadavg()[0],
        "pages": pages,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
