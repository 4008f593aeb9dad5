"""Load: 50 concurrent users against gunicorn and PostgreSQL on this machine (issue 17, item 3).

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/signoff .venv/bin/python benchmarks/load.py

It makes a throwaway database beside DATABASE_URL's (`<name>_load`, dropped and made again: never
your data), migrates it, seeds the demo agency (with its archive history) and 200 reviews waiting
on the senior, collects static files, and starts gunicorn with the production settings
(gunicorn.conf.py; plain HTTP on 127.0.0.1, so secure cookies and the HTTPS redirect are off).
Then for 60 seconds (`--seconds`) 50 users (`--users`) work at once, each signed in before the clock starts (password hashing is slow on purpose):

- clients (40%): the portal's dashboard, upcoming posts, calendar, archive search, a post page;
- reviewers (35%): the review inbox, the admin's archive search, the API's archive search;
- approvers (15%): take a review waiting on them from the API and approve it (a 409 because
  another user just decided it is a normal answer, not an error);
- API readers (10%): the posts list.

Every answer of 5xx or a failed connection is an error; the target is none. Reported: requests
and p50/p95 per page. Then, in the same run, throughput with 50 users for 15 seconds each of a
bare Django view (the same 50 posts as plain JSON from the same query, without DRF, a serializer or
authentication: benchmarks/load_urls.py) and of the API's posts list: target ≥ 0.3× of the bare
view's. The last line printed is one JSON object with the results.
"""

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import requests

ROOT = Path(__file__).resolve().parent.parent
PORT = 8391
BASE = f"http://127.0.0.1:{PORT}"
PASSWORD = "signoff-demo"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def load_database_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit(
            "Set DATABASE_URL to a PostgreSQL server (a throwaway <name>_load database is made beside it)."
        )
    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "signoff"
    return urlunsplit(parts._replace(path=f"/{name}_load"))


def environment(database_url: str) -> dict:
    return {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        # Production's settings plus one bare view to compare the API with (benchmarks/load_urls.py).
        "DJANGO_SETTINGS_MODULE": "benchmarks.load_settings",
        "SECRET_KEY": "load-benchmark-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
        "BASE_URL": BASE,
        "BIND": f"127.0.0.1:{PORT}",
        "LOG_LEVEL": "warning",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "PYTHONUNBUFFERED": "1",
    }


def prepare(env: dict) -> None:
    database = urlsplit(env["DATABASE_URL"]).path.lstrip("/")
    server = urlunsplit(urlsplit(env["DATABASE_URL"])._replace(path="/postgres"))
    import psycopg

    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{database}"')
    manage = [sys.executable, "manage.py"]
    for step in (
        ["migrate", "--noinput", "-v0"],
        ["seed_demo"],
        ["seed_reviews", "--count", "200"],
        ["collectstatic", "--noinput", "-v0"],
    ):
        print("==>", " ".join(step), flush=True)
        subprocess.run(manage + step, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def sign_in(path: str, username: str) -> requests.Session:
    session = requests.Session()
    page = session.get(BASE + path)
    token = CSRF.search(page.text).group(1)
    answer = session.post(
        BASE + path,
        data={"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD},
        headers={"Referer": BASE + path},
    )
    answer.raise_for_status()
    return session


def token(username: str) -> str:
    answer = requests.post(BASE + "/api/v1/auth/token/", json={"username": username, "password": PASSWORD})
    return answer.json()["token"]


def api_session(key: str) -> requests.Session:
    session = requests.Session()
    session.headers["Authorization"] = f"Token {key}"
    return session


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.times = defaultdict(list)
        self.statuses = defaultdict(lambda: defaultdict(int))
        self.errors = []

    def record(self, name: str, started: float, status: int | str) -> None:
        with self.lock:
            self.times[name].append((time.perf_counter() - started) * 1000)
            self.statuses[name][status] += 1
            if not isinstance(status, int) or status >= 500:
                self.errors.append((name, status))


def timed(tally: Tally, name: str, call) -> requests.Response | None:
    started = time.perf_counter()
    try:
        response = call()
    except requests.RequestException as error:
        tally.record(name, started, type(error).__name__)
        return None
    tally.record(name, started, response.status_code)
    return response


def client_user(session, tally):
    page = random.choice(
        [
            ("portal dashboard", "/portal/"),
            ("portal upcoming", "/portal/upcoming/"),
            ("portal calendar", "/portal/calendar/"),
            ("portal archive search", "/portal/archive/?q=coffee"),
        ]
    )
    response = timed(tally, page[0], lambda: session.get(BASE + page[1]))
    if response is not None and page[0] == "portal upcoming":
        posts = re.findall(r'href="(/portal/posts/\d+/)"', response.text)
        if posts:
            timed(tally, "portal post page", lambda: session.get(BASE + random.choice(posts)))


def reviewer_user(sessions, tally):
    staff, api = sessions
    name, call = random.choice(
        [
            ("review inbox", lambda: staff.get(BASE + "/admin/reviews/")),
            ("admin archive search", lambda: staff.get(BASE + "/admin/archive/?q=coffee")),
            ("api archive search", lambda: api.get(BASE + "/api/v1/archive/?q=roast")),
        ]
    )
    timed(tally, name, call)


def approver_user(api, tally):
    waiting = timed(tally, "api reviews list", lambda: api.get(BASE + "/api/v1/reviews/"))
    if waiting is None or waiting.status_code != 200:
        return
    body = waiting.json()
    reviews = body.get("results", body) if isinstance(body, dict) else body
    if reviews:
        review = random.choice(reviews[:10])
        timed(
            tally,
            "api approve",
            lambda: api.post(
                BASE + f"/api/v1/reviews/{review['id']}/approve/",
                json={"revision": review.get("revision"), "comment": "Load test."},
            ),
        )


def reader_user(api, tally):
    timed(tally, "api posts list", lambda: api.get(BASE + "/api/v1/posts/"))


def run_users(users: int, seconds: float, make_user) -> None:
    """Each user signs in first (password hashing is deliberately slow: it must not count as page
    time); then all of them work at once for `seconds`."""
    ready = threading.Barrier(users + 1)
    stop = [0.0]
    threads = [threading.Thread(target=make_user(index, ready, stop)) for index in range(users)]
    for thread in threads:
        thread.start()
    ready.wait()  # everyone signed in
    stop[0] = time.monotonic() + seconds
    ready.wait()  # the clock starts for all at once
    for thread in threads:
        thread.join()


def mixed(users: int, seconds: float) -> Tally:
    tally = Tally()
    roles = ["client"] * 40 + ["reviewer"] * 35 + ["approver"] * 15 + ["reader"] * 10
    tokens = {username: token(username) for username in ("senior", "junior")}

    def make_user(index, ready, stop):
        role = roles[index * len(roles) // users]

        def work():
            if role == "client":
                state, action = sign_in("/portal/login/", random.choice(["client", "client2"])), client_user
            elif role == "reviewer":
                state, action = (
                    (sign_in("/admin/login/", "senior"), api_session(tokens["senior"])),
                    reviewer_user,
                )
            elif role == "approver":
                state, action = api_session(tokens["senior"]), approver_user
            else:
                state, action = api_session(tokens["junior"]), reader_user
            ready.wait()
            ready.wait()
            while time.monotonic() < stop[0]:
                action(state, tally)

        return work

    run_users(users, seconds, make_user)
    return tally


def throughput(users: int, seconds: float, path: str, session_factory) -> float:
    count = [0]
    lock = threading.Lock()

    def make_user(index, ready, stop):
        def work():
            session = session_factory()
            ready.wait()
            ready.wait()
            done = 0
            while time.monotonic() < stop[0]:
                response = session.get(BASE + path, allow_redirects=False)
                if response.status_code < 500:
                    done += 1
            with lock:
                count[0] += done

        return work

    started = time.monotonic()
    run_users(users, seconds, make_user)
    return count[0] / seconds if time.monotonic() > started else 0.0


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--no-prepare", action="store_true", help="Reuse the database of a previous run.")
    options = parser.parse_args()

    env = environment(load_database_url())
    if not options.no_prepare:
        prepare(env)
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "cms.wsgi"], cwd=ROOT, env=env)
    try:
        for _ in range(60):
            try:
                if requests.get(BASE + "/healthz", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(1)
        print(f"==> {options.users} users for {options.seconds:.0f} s", flush=True)
        tally = mixed(options.users, options.seconds)
        print("==> throughput: the bare view, then the API's posts list", flush=True)
        bare = throughput(options.users, 15, "/bench/bare-posts/", requests.Session)
        reader = token("junior")
        api_list = throughput(options.users, 15, "/api/v1/posts/", lambda: api_session(reader))
    finally:
        server.terminate()
        server.wait(timeout=30)

    pages = {
        name: {
            "requests": len(times),
            "p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(percentile(times, 0.95), 1),
            "statuses": dict(tally.statuses[name]),
        }
        for name, times in sorted(tally.times.items())
    }
    for name, figures in pages.items():
        print(
            f"{name:24} {figures['requests']:6} requests  p50 {figures['p50_ms']:7} ms  p95 {figures['p95_ms']:7} ms  {figures['statuses']}"
        )
    ratio = api_list / bare if bare else 0.0
    print(
        f"errors: {len(tally.errors)}; throughput: bare view {bare:.0f}/s, API list {api_list:.0f}/s → {ratio:.2f}× (target ≥ 0.3×)"
    )
    print(
        json.dumps(
            {
                "users": options.users,
                "seconds": options.seconds,
                "errors": len(tally.errors),
                "error_samples": tally.errors[:10],
                "pages": pages,
                "bare_view_rps": round(bare, 1),
                "api_list_rps": round(api_list, 1),
                "api_to_bare_ratio": round(ratio, 2),
                "passed": not tally.errors and ratio >= 0.3,
            }
        )
    )


if __name__ == "__main__":
    main()
