"""Benchmark of the archive search (issue 15, item 7). PostgreSQL.

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/signoff .venv/bin/python benchmarks/archive_search.py
     ... --no-1m        stop at 100k entries (10k and 100k only)
     ... --only-10k     10k entries only (while developing)
     ... --runs 40      timed requests per measurement (default 30)
     ... --engine both  the database's own index and Wagtail's search backend side by side
                        (SIGNOFF_ARCHIVE_SEARCH; `wagtail` alone, or `database`, the default)

It builds a throwaway test database (never your data) and fills it with archive entries by
COPY (10k, then 100k, then 1M; realistic captions from a large vocabulary, ten brands, five years
of dates), then, at each size, for a selective term (about 1 entry in 5,000) and a common term
(in about a third of all entries) measures in the same run:

- the endpoint: GET /api/v1/archive/?q=TERM as a lead of all ten brands, through the view
  itself (ArchiveSearchApi.as_view() with a DRF request factory: authentication, the token
  scope permission, throttling, parameter validation, search_archive, pagination, the
  serializer with highlights, JSON rendering — everything but Django's middleware), in the
  default order (relevance) and with order=newest; and, for scale, the same request through
  Django's test client (URL routing, sessions, every middleware);
- the raw SQL full-text query: the very statement the endpoint sent for its page (captured as
  it ran) executed on a cursor, so the difference is Django's and DRF's share; besides, every
  statement the endpoint sent (the user's scope, then the search), and a minimal hand-written
  version of the search (the newest RELEVANCE_WINDOW matches of the ten brands, ranked with
  ts_rank, first 50; ids and captions only, no joins);
- for scale, the floor: the same view class answering without a query (what DRF's dispatch,
  authentication, throttling and rendering cost on this machine); and the same view class running
  the endpoint's statements as precompiled SQL text (what is left without the ORM and DRF's
  parameter validation);
- ranking every match instead (for scale: what the window saves on a common term);
- an ILIKE scan: the first page of 50 newest matches plus the count, as a search without a
  full-text index (Django admin's search_fields with its paginator) does.

With --engine wagtail (or both), the entries are indexed into Wagtail's search index after each
load, as seed_archive does (timed: `wagtail_index_build`), and the endpoint, its own SQL and its
plan's scans are measured through Wagtail's database backend too; besides, Wagtail's `.search()`
as it comes (every match ranked) and its upstream `fields=` for a client (tsvectors built row by
row, which cms/search_backend.py avoids). Each engine's endpoint is also asked as a client user
of all ten brands (no titles matched). The load average is recorded, as the machine is shared.

Targets (issue 15, item 7): endpoint p50 ≤ 2× the raw query's; at 1M endpoint p50 ≤ 1/50 of the
ILIKE scan's; endpoint p50 at 1M ≤ 2× at 10k; common-term p95 ≤ 5× selective-term p95.
The last line printed is one JSON object with every number and each target's pass/fail.
"""

import argparse
import gc
import json
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
os.environ.setdefault("SIGNOFF_API_RATE", "100000000/minute")  # measure the search, not the throttle

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

SELECTIVE, COMMON = "affogato", "today"
SIZES = (10_000, 100_000, 1_000_000)
BRANDS = 10
PAGE = 50

_SYLLABLES = "ka lo mi ne ru sa ti vo be da fe gi ho ju pa ri so tu ve zo".split()
_SEEN = [
    "fresh",
    "roast",
    "morning",
    "blend",
    "winter",
    "summer",
    "cup",
    "beans",
    "new",
    "launch",
    "shop",
    "weekend",
    "team",
    "story",
    "recipe",
    "sunrise",
    "friends",
    "city",
    "menu",
    "season",
    "spring",
    "autumn",
    "limited",
    "edition",
    "local",
    "farm",
    "harvest",
    "brew",
    "cold",
    "latte",
    "flat",
    "white",
]
_INTENTS = ["know", "go", "do", "buy"]
_FORMATS = ["feed", "carousel", "story", "reel", "poll"]
_PLATFORMS = ["facebook", "instagram", "linkedin", "x", "tiktok"]


def _vocabulary(rng: random.Random, size: int = 5000) -> list[str]:
    words = set()
    while len(words) < size:
        words.add("".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def _caption(rng: random.Random, vocabulary: list[str]) -> tuple[str, list[str]]:
    words = [
        rng.choice(_SEEN) if rng.random() < 0.4 else rng.choice(vocabulary)
        for _ in range(rng.randint(12, 40))
    ]
    if rng.random() < 0.33:
        words.insert(rng.randrange(len(words)), COMMON)
    if rng.random() < 1 / 5000:
        words.insert(rng.randrange(len(words)), SELECTIVE)
    tags = sorted(
        {rng.choice(_SEEN) + rng.choice(["", "time", "love", "co"]) for _ in range(rng.randint(0, 3))}
    )
    return " ".join(words).capitalize() + ". " + " ".join(f"#{tag}" for tag in tags), tags


def _setup():
    """Ten brands with their channels, a post and revision per brand for the entries to point at,
    a lead of every brand (the user the endpoint is asked as) and a client user of all ten."""
    from brands.factories import BrandFactory, ClientFactory, UserFactory, client_user, membership
    from brands.models import BrandRole
    from cms.archive.models import Channel
    from cms.posts.factories import PostFactory

    client = ClientFactory(name="Bench Client", slug="bench")
    lead = UserFactory(username="bench-lead")
    customer = UserFactory(username="bench-client")
    client_user(customer, client)
    rows = []
    for n in range(BRANDS):
        brand = BrandFactory(client=client, name=f"Bench Brand {n}", slug=f"bench-{n}")
        membership(lead, brand, BrandRole.LEAD)
        post = PostFactory(brand=brand, title="Bench", caption="Bench")
        revision = post.save_revision()
        channels = {
            code: Channel.objects.get_or_create(brand=brand, platform_id=code)[0].pk for code in _PLATFORMS
        }
        rows.append((brand.pk, post.pk, revision.pk, channels))
    return lead, customer, rows


COLUMNS = (
    "post_id, revision_id, channel_id, brand_id, platform_id, title, caption, media, format, intent, campaign, "
    "hashtags, author_id, approvals, content_hash, published_at, live_url, created_at"
)


# The full-text GIN indexes (migrations 0003 and 0006): dropped for a bulk load, built after.
SEARCH_INDEXES = {
    "archive_entry_search_gin": "search_vector",
    "archive_entry_client_search_gin": "ts_filter(search_vector, '{b,c}')",
}


def _load(count: int, brands, author_id: int, rng: random.Random, vocabulary) -> float:
    """`count` more entries by COPY, the GIN indexes dropped during the load and built again after
    (as one would for a bulk import). Returns the seconds it took."""
    start = time.perf_counter()
    now = datetime(2026, 12, 1, tzinfo=UTC)
    approvals = json.dumps([{"kind": "approval", "tier": "senior", "user": author_id, "name": "bench-lead"}])
    with connection.cursor() as cursor:
        for index in SEARCH_INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {index}")
        with cursor.cursor.copy(f"COPY archive_archiveentry ({COLUMNS}) FROM STDIN") as copy:
            for n in range(count):
                brand_id, post_id, revision_id, channels = brands[n % len(brands)]
                platform = rng.choice(_PLATFORMS)
                caption, tags = _caption(rng, vocabulary)
                published = now - timedelta(seconds=rng.randrange(5 * 365 * 86400))
                copy.write_row(
                    (
                        post_id, revision_id, channels[platform], brand_id, platform,
                        f"Post {rng.choice(vocabulary)} {n}", caption, "[]", rng.choice(_FORMATS),
                        rng.choice(_INTENTS), f"Campaign {rng.randrange(200)}", json.dumps(tags), author_id,
                        approvals, "0" * 64, published, "", published,
                    )
                )  # fmt: skip
        cursor.execute("SET maintenance_work_mem = '512MB'")
        for index, expression in SEARCH_INDEXES.items():
            cursor.execute(f"CREATE INDEX {index} ON archive_archiveentry USING gin (({expression}))")
        cursor.execute("ANALYZE archive_archiveentry")
    return time.perf_counter() - start


def _percentiles(timings: list[float]) -> dict:
    ordered = sorted(timings)
    return {
        "p50_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(ordered[max(0, int(len(ordered) * 0.95) - 1)], 2),
    }


def _measure(function, runs: int) -> dict:
    function()  # warm: plans, caches
    gc.collect()
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        timings.append((time.perf_counter() - start) * 1000)
    return _percentiles(timings)


def _raw(sql: str, params) -> callable:
    def run():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            cursor.fetchall()

    return run


def _raw_all(statements: list[str]) -> callable:
    def run():
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                cursor.fetchall()

    return run


def _scans(sql: str, params) -> list[str]:
    """How PostgreSQL reads the tables for this SQL (the scan nodes of its plan)."""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        plan = [row[0] for row in cursor.fetchall()]
    return [line.strip().removeprefix("->  ").split("  (")[0] for line in plan if "Scan" in line]


def _index_for_wagtail(after_pk: int) -> tuple[float, int]:
    """Index the entries after `after_pk` into Wagtail's search index, as seed_archive does after
    a bulk load (cms.archive.wagtail_search.index_entries: Wagtail's own add_bulk, in chunks).
    Returns the seconds it took and the highest id indexed."""
    from django.test import override_settings

    from cms.archive.models import ArchiveEntry
    from cms.archive.wagtail_search import index_entries

    start = time.perf_counter()
    with override_settings(SIGNOFF_ARCHIVE_SEARCH="wagtail"):
        index_entries(ArchiveEntry.objects.filter(pk__gt=after_pk))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE wagtailsearch_indexentry")
        cursor.execute("SELECT max(id) FROM archive_archiveentry")
        highest = cursor.fetchone()[0]
    return time.perf_counter() - start, highest


def _measure_size(client: Client, lead, client_user, brand_ids: list[int], runs: int, engines) -> dict:
    from django.test import override_settings
    from rest_framework.response import Response
    from rest_framework.test import APIRequestFactory, force_authenticate
    from wagtail.search.backends import database as wagtail_database

    from cms.archive.api import ArchiveSearchApi
    from cms.archive.models import ArchiveEntry
    from cms.archive.selectors import RELEVANCE_WINDOW, parse_query
    from cms.archive.wagtail_search import CLIENT_FIELDS, wagtail_query

    view = ArchiveSearchApi.as_view()
    factory = APIRequestFactory()

    tsquery = "websearch_to_tsquery('english'::regconfig, %s)"
    in_brands = "brand_id IN (" + ",".join(str(pk) for pk in brand_ids) + ")"
    window_raw = (
        f"SELECT id, caption, ts_rank(search_vector, {tsquery}) AS rank FROM archive_archiveentry "
        f"WHERE id IN (SELECT id FROM archive_archiveentry WHERE {in_brands} AND search_vector @@ {tsquery} "
        f"ORDER BY published_at DESC, id DESC LIMIT {RELEVANCE_WINDOW}) "
        f"ORDER BY rank DESC, published_at DESC, id DESC LIMIT {PAGE}"
    )
    rank_all = (
        f"SELECT id, caption, ts_rank(search_vector, {tsquery}) AS rank FROM archive_archiveentry "
        f"WHERE {in_brands} AND search_vector @@ {tsquery} ORDER BY rank DESC, published_at DESC, id DESC LIMIT {PAGE}"
    )
    ilike_where = f"{in_brands} AND (title ILIKE %s OR caption ILIKE %s OR campaign ILIKE %s)"
    results = {}

    class Floor(ArchiveSearchApi):
        """The same view class (authentication, token scope, throttle, DRF dispatch and JSON
        rendering) answering without asking the database: what any endpoint costs here."""

        def list(self, request, *args, **kwargs):
            return Response({"next": None, "previous": None, "results": []})

    floor_view = Floor.as_view()

    def floor():
        request = factory.get("/api/v1/archive/", {"q": "x"})
        force_authenticate(request, user=lead)
        floor_view(request).render()

    results["drf_floor"] = _measure(floor, runs)

    class RunningItsSQL(ArchiveSearchApi):
        """The same view class running the endpoint's statements as already-compiled SQL text and
        answering their rows as they come (no ORM, no parameter validation, no highlights): the
        least an endpoint asking this SQL through DRF could cost here."""

        statements: list[str] = []

        def list(self, request, *args, **kwargs):
            with connection.cursor() as cursor:
                for sql in self.statements:
                    cursor.execute(sql)
                    rows = cursor.fetchall()
                names = [column.name for column in cursor.description]
            return Response(
                {
                    "next": None,
                    "previous": None,
                    "results": [dict(zip(names, row, strict=True)) for row in rows],
                }
            )

    def running_its_sql(statements: list[str]):
        view = RunningItsSQL.as_view(statements=statements)

        def run():
            request = factory.get("/api/v1/archive/", {"q": "x"})
            force_authenticate(request, user=lead)
            view(request).render()

        return run

    for name, term in (("selective", SELECTIVE), ("common", COMMON)):

        def endpoint(order="relevance", term=term, user=lead):
            request = factory.get("/api/v1/archive/", {"q": term, "order": order})
            force_authenticate(request, user=user)
            response = view(request)
            response.render()
            assert response.status_code == 200, response.content[:500]
            return response  # its JSON is read outside the timings: that is the client's work

        def through_http(term=term):
            response = client.get("/api/v1/archive/", {"q": term})
            assert response.status_code == 200, response.content[:500]

        pattern = f"%{term}%"

        def ilike(pattern=pattern):
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT id, caption FROM archive_archiveentry WHERE {ilike_where} "
                    f"ORDER BY published_at DESC, id DESC LIMIT {PAGE}",
                    [pattern] * 3,
                )
                cursor.fetchall()
                cursor.execute(
                    f"SELECT count(*) FROM archive_archiveentry WHERE {ilike_where}", [pattern] * 3
                )
                cursor.fetchall()

        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM archive_archiveentry WHERE search_vector @@ {tsquery}", [term]
            )
            matches = cursor.fetchone()[0]
        numbers = {
            "term": term,
            "matches": matches,
            "raw_fulltext_minimal": _measure(_raw(window_raw, [term, term]), runs),
            "raw_rank_every_match": _measure(_raw(rank_all, [term, term]), max(5, runs // 3)),
            "ilike_scan": _measure(ilike, max(5, runs // 3)),
        }
        for engine in engines:
            with override_settings(SIGNOFF_ARCHIVE_SEARCH=engine):
                with CaptureQueriesContext(connection) as asked:
                    found = endpoint()
                # The endpoint's own SQL, as it sent it (psycopg binds on the client, so each is
                # the exact text): the last statement is its page's search, the ones before read
                # the user's scope. Run on a cursor: the database's share of the endpoint.
                statements = [query["sql"] for query in asked.captured_queries]
                search_sql = statements[-1]
                measured = {
                    "first_page": len(json.loads(found.content)["results"]),
                    "endpoint_relevance": _measure(endpoint, runs),
                    "endpoint_newest": _measure(lambda term=term: endpoint("newest", term), runs),
                    "endpoint_client": _measure(
                        lambda term=term: endpoint("relevance", term, client_user), runs
                    ),
                    "endpoint_through_http": _measure(through_http, runs),
                    "raw_fulltext": _measure(_raw(search_sql, None), runs),
                    "raw_every_statement": _measure(_raw_all(statements), runs),
                    "drf_running_its_sql": _measure(running_its_sql(statements), runs),
                    "statements": len(statements),
                    "plan_scans": _scans(search_sql, None),
                }
                if engine == "wagtail":
                    scoped = ArchiveEntry.objects.filter(brand_id__in=brand_ids)
                    query = wagtail_query(parse_query(term))
                    backend = wagtail_database.SearchBackend({"SEARCH_CONFIG": "english"})  # upstream's

                    def rank_every_match(query=query, backend=backend, scoped=scoped):
                        # Wagtail's own .search() as it comes: every match ranked, first page.
                        list(backend.search(query, scoped)[:PAGE])

                    def upstream_client_fields(query=query, backend=backend, scoped=scoped):
                        # Upstream's fields= for a client (tsvectors built row by row), newest first.
                        list(
                            backend.search(
                                query,
                                scoped.order_by("-published_at", "-id"),
                                fields=CLIENT_FIELDS,
                                order_by_relevance=False,
                            )[:PAGE]
                        )

                    measured["wagtail_rank_every_match"] = _measure(rank_every_match, max(5, runs // 3))
                    measured["wagtail_upstream_client_fields"] = _measure(
                        upstream_client_fields, max(3, runs // 10)
                    )
            numbers[engine] = measured
        results[name] = numbers
    return results


def _targets(by_size: dict, engine: str) -> dict:
    targets = {}
    for size, terms in by_size.items():
        for name, numbers in terms.items():
            if name == "drf_floor":
                continue
            endpoint = numbers[engine]["endpoint_relevance"]["p50_ms"]
            raw = numbers[engine]["raw_fulltext"]["p50_ms"]
            targets[f"{engine}_{size}_{name}_endpoint_p50_le_2x_raw"] = {
                "ratio": round(endpoint / raw, 2),
                "pass": endpoint <= 2 * raw,
            }
            if engine != "database":
                # Against the database's own full-text query (the minimal one) as well.
                minimal = numbers["raw_fulltext_minimal"]["p50_ms"]
                targets[f"{engine}_{size}_{name}_endpoint_p50_le_2x_database_raw"] = {
                    "ratio": round(endpoint / minimal, 2),
                    "pass": endpoint <= 2 * minimal,
                }
        common, selective = (
            terms["common"][engine]["endpoint_relevance"]["p95_ms"],
            terms["selective"][engine]["endpoint_relevance"]["p95_ms"],
        )
        targets[f"{engine}_{size}_common_p95_le_5x_selective_p95"] = {
            "ratio": round(common / selective, 2),
            "pass": common <= 5 * selective,
        }
    largest, smallest = max(by_size), min(by_size)
    for name in ("selective", "common"):
        big = by_size[largest][name][engine]["endpoint_relevance"]["p50_ms"]
        small = by_size[smallest][name][engine]["endpoint_relevance"]["p50_ms"]
        targets[f"{engine}_{name}_p50_{largest}_le_2x_{smallest}"] = {
            "ratio": round(big / small, 2),
            "pass": big <= 2 * small,
        }
        ilike = by_size[largest][name]["ilike_scan"]["p50_ms"]
        targets[f"{engine}_{largest}_{name}_endpoint_p50_le_1_50_ilike"] = {
            "ratio": round(big / ilike, 4),
            "pass": big <= ilike / 50,
            "applies": largest == 1_000_000,
        }
    return targets


def _load_average() -> list[float]:
    return [round(value, 2) for value in os.getloadavg()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-1m", action="store_true", help="stop at 100k entries")
    parser.add_argument("--only-10k", action="store_true", help="10k entries only (while developing)")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument(
        "--engine",
        choices=["database", "wagtail", "both"],
        default="database",
        help="the archive search's engine to measure (SIGNOFF_ARCHIVE_SEARCH); both: side by side",
    )
    options = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("The archive search benchmark needs PostgreSQL: set DATABASE_URL=postgres://…")
    engines = ["database", "wagtail"] if options.engine == "both" else [options.engine]
    sizes = SIZES[:1] if options.only_10k else SIZES[:2] if options.no_1m else SIZES

    setup_test_environment()
    # Its own throwaway database, apart from the one pytest makes from the same DATABASE_URL.
    connection.settings_dict.setdefault("TEST", {})["NAME"] = connection.settings_dict["NAME"] + "_bench"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    by_size, loads, indexing, load_averages = {}, {}, {}, {"start": _load_average()}
    try:
        lead, client_user, brands = _setup()
        client = Client()
        client.force_login(lead)
        rng = random.Random(15)
        vocabulary = _vocabulary(rng)
        loaded, indexed_up_to = 0, 0
        for size in sizes:
            loads[size] = round(_load(size - loaded, brands, lead.pk, rng, vocabulary), 1)
            print(f"{size:>9} entries (loaded in {loads[size]} s)", flush=True)
            if "wagtail" in engines:
                seconds, indexed_up_to = _index_for_wagtail(indexed_up_to)
                indexing[size] = {
                    "entries": size - loaded,
                    "seconds": round(seconds, 1),
                    "entries_per_second": round((size - loaded) / seconds),
                }
                print(f"  into Wagtail's index: {indexing[size]}", flush=True)
            loaded = size
            load_averages[size] = _load_average()
            by_size[size] = _measure_size(
                client, lead, client_user, [row[0] for row in brands], options.runs, engines
            )
            print(
                f"  a DRF endpoint that asks nothing: p50 {by_size[size]['drf_floor']['p50_ms']} ms "
                f"(load average {load_averages[size]})",
                flush=True,
            )
            for name, numbers in by_size[size].items():
                if name == "drf_floor":
                    continue
                print(
                    f"  {name:9} '{numbers['term']}' ({numbers['matches']} matches): raw full-text p50 "
                    f"{numbers['raw_fulltext_minimal']['p50_ms']}, rank every match p50 "
                    f"{numbers['raw_rank_every_match']['p50_ms']}, ILIKE p50 {numbers['ilike_scan']['p50_ms']} ms",
                    flush=True,
                )
                for engine in engines:
                    measured = numbers[engine]
                    extra = ""
                    if engine == "wagtail":
                        extra = (
                            f", Wagtail ranking every match p50 {measured['wagtail_rank_every_match']['p50_ms']}"
                            f", upstream fields= for a client p50 {measured['wagtail_upstream_client_fields']['p50_ms']}"
                        )
                    print(
                        f"    {engine:8}: endpoint p50 {measured['endpoint_relevance']['p50_ms']} / p95 "
                        f"{measured['endpoint_relevance']['p95_ms']} ms (newest p50 {measured['endpoint_newest']['p50_ms']}, "
                        f"as a client {measured['endpoint_client']['p50_ms']}, through HTTP "
                        f"{measured['endpoint_through_http']['p50_ms']}), its search SQL alone p50 "
                        f"{measured['raw_fulltext']['p50_ms']}, its {measured['statements']} statements p50 "
                        f"{measured['raw_every_statement']['p50_ms']}, DRF running them precompiled p50 "
                        f"{measured['drf_running_its_sql']['p50_ms']}{extra}",
                        flush=True,
                    )
        load_averages["end"] = _load_average()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    targets = {}
    for engine in engines:
        targets.update(_targets(by_size, engine))
    for name, target in targets.items():
        print(f"{'PASS' if target['pass'] else 'FAIL'} {name}: {target['ratio']}")
    print(
        json.dumps(
            {
                "database": connection.vendor,
                "engines": engines,
                "endpoint_measured_through": "ArchiveSearchApi.as_view() with APIRequestFactory (no middleware); "
                "endpoint_through_http: django.test.Client, full stack",
                "load_average_1_5_15": load_averages,
                "load_seconds": loads,
                "wagtail_index_build": indexing,
                "sizes": by_size,
                "targets": targets,
                "all_pass": all(target["pass"] for target in targets.values()),
            }
        )
    )


if __name__ == "__main__":
    main()
