"""Benchmarks for "how have we said it before?" and seed_archive (issue 15, items 5 and 6).

Run: .venv/bin/python benchmarks/similar_posts.py            (SQLite, a throwaway database)
     DATABASE_URL=postgres://postgres@127.0.0.1:5432/signoff .venv/bin/python benchmarks/similar_posts.py
     SIGNOFF_BENCH_ENTRIES=100000 …                             (how many archive entries; default
                                                                 100,000 on PostgreSQL, 20,000 elsewhere)

It builds a throwaway test database (never your data) with one brand in Kiln Coffee's voice (the
demo's; its captions come from a handful of templates, so thousands of them are alike: the hard
case for a similarity search) and a second client's brand with a tenth as many, then measures:

- seed_archive writing the entries (target on PostgreSQL: 100,000 in under 60 s);
- the editor's similar-posts selector (similar_archived_posts) for a short draft, a long one
  and one like nothing in the archive: p50 and p95 of 20 runs each;
- the near-duplicate check as the checker runs it (candidates from the database, then the pure
  comparison), for the same drafts.

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

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

RUNS = 20
DRAFTS = {
    "short": "Brew guide: 18g of Kenya",
    "long": "New on the shelf: Kenya Nyeri, grown by the Abebe family. Expect peach and honey; "
    "it shines in your V60.",
    "unlike_anything": "Our new loyalty card gives every tenth drink on the house at any of our cafes.",
}


def _percentiles(timings: list[float]) -> dict:
    ordered = sorted(timings)
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 1),
        "p95_ms": round(ordered[max(0, int(len(ordered) * 0.95) - 1)] * 1000, 1),
    }


def bench() -> dict:
    from brands.checks.similarity import check_near_duplicates
    from brands.factories import BrandFactory, ClientFactory, UserFactory, membership
    from brands.models import BrandRole
    from cms.archive.seeding import seed_archive
    from cms.archive.selectors import near_duplicate_candidates, similar_archived_posts

    default = 100_000 if connection.vendor == "postgresql" else 20_000
    entries = int(os.environ.get("SIGNOFF_BENCH_ENTRIES", default))
    brand = BrandFactory(client=ClientFactory(slug="kiln"), slug="kiln-coffee-roasters", name="Kiln Coffee")
    other = BrandFactory(client=ClientFactory(slug="rival"), slug="rival-beans", name="Rival Beans")
    for role in BrandRole:
        membership(UserFactory(username=f"kiln-{role}"), brand, role)

    started = time.perf_counter()
    seed_archive(brand=brand, count=entries, seed="bench")
    seeded = time.perf_counter() - started
    seed_archive(brand=other, count=max(1, entries // 10), seed="bench-other")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE archive_archiveentry")

    results = {
        "entries": entries,
        "seed_archive_s": round(seeded, 1),
        "seed_archive_entries_per_s": round(entries / seeded),
    }
    for name, draft in DRAFTS.items():
        similar_timings, duplicate_timings, found = [], [], 0
        for _ in range(RUNS):
            started = time.perf_counter()
            found = len(similar_archived_posts(brand=brand, caption=draft))
            similar_timings.append(time.perf_counter() - started)
            started = time.perf_counter()
            check_near_duplicates(
                draft,
                near_duplicate_candidates(brand=brand, caption=draft, now=timezone.now()),
                time_zone=brand.tz,
            )
            duplicate_timings.append(time.perf_counter() - started)
        results[name] = {
            "similar": {**_percentiles(similar_timings), "found": found},
            "near_duplicate": _percentiles(duplicate_timings),
        }
    return results


def main() -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        results = bench()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    print(f"database: {connection.vendor}, load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(
        f"seed_archive: {results['entries']:,} entries in {results['seed_archive_s']} s "
        f"({results['seed_archive_entries_per_s']:,}/s; target on PostgreSQL: 100,000 in < 60 s)"
    )
    for name in DRAFTS:
        figures = results[name]
        print(
            f"{name} draft: similar posts p50 {figures['similar']['p50_ms']} ms, "
            f"p95 {figures['similar']['p95_ms']} ms ({figures['similar']['found']} found); "
            f"near-duplicate check p50 {figures['near_duplicate']['p50_ms']} ms, "
            f"p95 {figures['near_duplicate']['p95_ms']} ms"
        )
    print(
        json.dumps({"database": connection.vendor, "load_average": round(os.getloadavg()[0], 1), **results})
    )


if __name__ == "__main__":
    main()
