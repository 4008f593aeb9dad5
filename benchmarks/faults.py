"""PostgreSQL restarted under load (issue 17, item 4): requests fail cleanly and recover by themselves.

Run as root on a Debian/Ubuntu machine with postgresql-common (pg_createcluster):

    .venv/bin/python benchmarks/faults.py            # --seconds 20 --restart-at 5 --down 4

It makes a THROWAWAY PostgreSQL cluster of its own (`signoff_faults`, port 5433, trust for local
connections, no fsync), migrates and seeds the demo agency into it, collects static files and
starts gunicorn (gunicorn.conf.py) with the production settings (DEBUG off; plain HTTP on
127.0.0.1, so secure cookies and the HTTPS redirect are off). Then a few clients request
/healthz, a portal page (signed in as a client user) and the API's posts list (with a token) over
and over while the cluster is stopped part-way (`pg_ctlcluster … stop`, fast mode: open
connections are cut; `--stop-mode immediate` for a crash), left down a few seconds, and started
again. gunicorn is never touched.

Passed when: no request got a 500, a traceback or a broken connection; every failure was a 503
with Retry-After; and after the database came back every request succeeded, within
`--recover-within` seconds. The last line printed is one JSON object with the results.

The cluster is always dropped at the end (`pg_dropcluster --stop`), whatever happened. The
shared cluster (`main`, port 5432) is never stopped or touched: the script refuses that port
and that name.
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
SHARED = ("main", 5432)  # the machine's own cluster: never stopped, never touched
PASSWORD = "signoff-demo"  # the demo's users (brands/demo.py)
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# Signs of a page that should never reach a user: Django's debug page, a traceback, a bare 500.
LEAKS = ("Traceback", "Server Error (500)", "django.db.utils", "psycopg")


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


class Cluster:
    """The throwaway PostgreSQL cluster, through postgresql-common's tools."""

    def __init__(self, name: str, port: int):
        if name == SHARED[0] or port == SHARED[1]:
            sys.exit(f"{SHARED[0]} on port {SHARED[1]} is the machine's shared cluster: choose another.")
        versions = [p.name for p in Path("/etc/postgresql").iterdir() if p.name.isdigit()]
        if not versions:
            sys.exit("No PostgreSQL installed under /etc/postgresql.")
        self.version, self.name, self.port = max(versions, key=int), name, port
        self.url = f"postgres://postgres@127.0.0.1:{port}"

    def _ctl(self, command: str, *args: str, check: bool = True) -> None:
        subprocess.run([command, *args], check=check, capture_output=True, text=True)

    def create(self) -> None:
        if Path(f"/etc/postgresql/{self.version}/{self.name}").exists():  # left by a run that was killed
            self.drop()
        if not port_is_free(self.port):
            sys.exit(f"Something already listens on port {self.port}: choose another (--port).")
        throwaway = ["-o", "fsync=off", "-o", "synchronous_commit=off", "-o", "full_page_writes=off"]
        self._ctl(
            "pg_createcluster", self.version, self.name, "--port", str(self.port), "--start-conf=manual",
            *throwaway, "--start", "--", "--auth=trust",
        )  # fmt: skip

    def stop(self, mode: str) -> None:
        self._ctl("pg_ctlcluster", "--skip-systemctl-redirect", self.version, self.name, "stop", "-m", mode)

    def start(self) -> None:
        self._ctl("pg_ctlcluster", "--skip-systemctl-redirect", self.version, self.name, "start")

    def drop(self) -> None:
        self._ctl("pg_dropcluster", "--stop", self.version, self.name, check=False)


def environment(cluster: Cluster, base: str, media: str) -> dict:
    """What docs/deploy.md gives every process, for plain HTTP on this machine."""
    return {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "SECRET_KEY": "fault-test-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CSRF_TRUSTED_ORIGINS": base,
        "BASE_URL": base,
        "DATABASE_URL": f"{cluster.url}/signoff",
        "MEDIA_ROOT": media,
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
        "BIND": base.removeprefix("http://"),
        "WEB_CONCURRENCY": "3",
        "LOG_LEVEL": "warning",
        "PYTHONUNBUFFERED": "1",
    }


def prepare(env: dict, cluster: Cluster) -> None:
    import psycopg

    with psycopg.connect(f"{cluster.url}/postgres", autocommit=True) as server:
        server.execute("CREATE DATABASE signoff")
    for step in (
        ["migrate", "--noinput", "-v0"],
        ["seed_demo", "-v0"],
        ["collectstatic", "--noinput", "-v0"],
    ):
        began = time.monotonic()
        subprocess.run([sys.executable, "manage.py", *step], cwd=ROOT, env=env, check=True)
        print(f"==> {' '.join(step)}: {time.monotonic() - began:.1f} s", flush=True)


# The clients ----------------------------------------------------------------------------------------


def portal_session(base: str) -> requests.Session:
    session = requests.Session()
    page = session.get(base + "/portal/login/", timeout=30)
    token = CSRF.search(page.text).group(1)
    answer = session.post(
        base + "/portal/login/",
        data={"csrfmiddlewaretoken": token, "username": "client", "password": PASSWORD},
        headers={"Referer": base + "/portal/login/"},
        timeout=30,
    )
    answer.raise_for_status()
    return session


def api_session(base: str) -> requests.Session:
    answer = requests.post(
        base + "/api/v1/auth/token/", json={"username": "junior", "password": PASSWORD}, timeout=30
    )
    answer.raise_for_status()
    session = requests.Session()
    session.headers["Authorization"] = f"Token {answer.json()['token']}"
    return session


class Log:
    """Every answer: when it came back, to what, and what it was."""

    def __init__(self):
        self.lock = threading.Lock()
        self.answers = []  # (finished, page, outcome, detail)

    def add(self, page: str, outcome: str, detail: str = "") -> None:
        with self.lock:
            self.answers.append((time.monotonic(), page, outcome, detail))


def outcome_of(response: requests.Response) -> tuple[str, str]:
    """ "ok", "clean 503" or "bad", with what was wrong."""
    if 200 <= response.status_code < 300 and not response.history:
        return "ok", ""
    body = response.text
    leaked = [sign for sign in LEAKS if sign in body]
    if response.status_code == 503 and response.headers.get("Retry-After") and not leaked:
        return "clean 503", ""
    return (
        "bad",
        f"{response.status_code} Retry-After={response.headers.get('Retry-After')} {leaked} {body[:200]!r}",
    )


def client(log: Log, session: requests.Session, pages: dict[str, str], stop: threading.Event, pause: float):
    """Ask for each of `pages` ({name: url}) in turn until stopped."""
    turn = 0
    while not stop.is_set():
        page = list(pages)[turn % len(pages)]
        turn += 1
        try:
            response = session.get(pages[page], timeout=15, allow_redirects=False)
        except requests.RequestException as error:  # reset, refused, timed out: never acceptable
            log.add(page, "bad", f"{type(error).__name__}: {error}")
        else:
            log.add(page, *outcome_of(response))
        stop.wait(pause)


# The run ------------------------------------------------------------------------------------------


def run(options) -> dict:
    cluster = Cluster(options.cluster, options.port)
    base = f"http://127.0.0.1:{options.web_port}"
    media = tempfile.mkdtemp(prefix="signoff-faults-media-")
    env = environment(cluster, base, media)
    server = None
    timeline = {}
    try:
        print(
            f"==> the throwaway cluster {cluster.version}/{cluster.name} on port {cluster.port}", flush=True
        )
        cluster.create()
        prepare(env, cluster)
        print("==> starting gunicorn (production settings)", flush=True)
        server = subprocess.Popen([sys.executable, "-m", "gunicorn", "cms.wsgi"], cwd=ROOT, env=env)
        for _ in range(120):
            try:
                if requests.get(base + "/healthz", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            time.sleep(0.5)
        log, stop = Log(), threading.Event()
        # Half the clients are a client user in the portal, half an API user with a token; each
        # checks /healthz between its own pages, as a load balancer would.
        health = {"healthz": base + "/healthz"}
        portal = {**health, "portal dashboard": base + "/portal/"}
        api = {**health, "api posts list": base + "/api/v1/posts/"}
        threads = [
            threading.Thread(
                target=client,
                args=(log, portal_session(base), portal, stop, options.pause)
                if n % 2
                else (log, api_session(base), api, stop, options.pause),
            )
            for n in range(options.clients)
        ]

        print(f"==> {options.clients} clients for {options.seconds:.0f} s; the database stops at "
              f"{options.restart_at:.0f} s for {options.down:.0f} s", flush=True)  # fmt: skip
        started = time.monotonic()
        for thread in threads:
            thread.start()
        time.sleep(options.restart_at)
        timeline["stopping"] = time.monotonic()
        cluster.stop(options.stop_mode)
        timeline["stopped"] = time.monotonic()
        time.sleep(options.down)
        timeline["starting"] = time.monotonic()
        cluster.start()
        timeline["started"] = time.monotonic()
        time.sleep(max(0.0, started + options.seconds - time.monotonic()))
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
        gunicorn_alive = server.poll() is None
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
        print(f"==> dropping the throwaway cluster {cluster.version}/{cluster.name}", flush=True)
        cluster.drop()
        shutil.rmtree(media, ignore_errors=True)
    return summarise(log.answers, timeline, started, gunicorn_alive, options)


def summarise(answers, timeline, started, gunicorn_alive, options) -> dict:
    statuses = defaultdict(Counter)
    for _, page, outcome, _ in answers:
        statuses[page][outcome] += 1
    failures = [(at, page, outcome, detail) for at, page, outcome, detail in answers if outcome != "ok"]
    bad = [
        (round(at - started, 2), page, detail) for at, page, outcome, detail in failures if outcome == "bad"
    ]
    # Recovered at the first success after the last failure: from then on every request succeeded.
    last_failure = max((at for at, *_ in failures), default=timeline["starting"])
    recovered_at = next(
        (at for at, _, outcome, _ in sorted(answers) if outcome == "ok" and at > last_failure), None
    )
    recovered_after = (
        None if recovered_at is None else round(max(0.0, recovered_at - timeline["starting"]), 2)
    )
    passed = (
        not bad
        and gunicorn_alive
        and recovered_after is not None
        and recovered_after <= options.recover_within
    )
    relative = {name: round(moment - started, 2) for name, moment in timeline.items()}
    print()
    for page, counts in sorted(statuses.items()):
        print(f"{page:18} {dict(counts)}")
    print(
        f"database stopped at {relative['stopping']}–{relative['stopped']} s, started at "
        f"{relative['starting']}–{relative['started']} s; "
        f"{len(failures)} failed request(s), {len(bad)} not a clean 503; "
        f"every request succeeds again {recovered_after} s after the database was started"
    )
    return {
        "requests": len(answers),
        "per_page": {page: dict(counts) for page, counts in sorted(statuses.items())},
        "timeline_s": relative,
        "failed": len(failures),
        "clean_503": sum(1 for failure in failures if failure[2] == "clean 503"),
        "bad": len(bad),
        "bad_samples": bad[:10],
        "first_failure_s": round(failures[0][0] - started, 2) if failures else None,
        "last_failure_s": round(failures[-1][0] - started, 2) if failures else None,
        "recovered_after_start_s": recovered_after,
        "gunicorn_untouched_and_running": gunicorn_alive,
        "passed": passed,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=20, help="How long the clients run (20).")
    parser.add_argument("--restart-at", type=float, default=5, help="When the database stops (5 s in).")
    parser.add_argument(
        "--stop-mode",
        choices=["fast", "immediate"],
        default="fast",
        help="fast: a restart (open connections cut); immediate: as a crash, recovering on start (fast).",
    )
    parser.add_argument("--down", type=float, default=4, help="How long it stays down (4 s).")
    parser.add_argument("--clients", type=int, default=6, help="Concurrent clients (6).")
    parser.add_argument("--cluster", default="signoff_faults", help="The throwaway cluster's name.")
    parser.add_argument("--port", type=int, default=5433, help="The throwaway cluster's port (5433).")
    parser.add_argument("--web-port", type=int, default=8392, help="gunicorn's port (8392).")
    parser.add_argument(
        "--pause", type=float, default=0.05, help="Each client's pause between requests (0.05 s)."
    )
    parser.add_argument(
        "--recover-within",
        type=float,
        default=10,
        help="Seconds from starting the database to recovered (10).",
    )
    options = parser.parse_args()
    if os.geteuid() != 0 or not shutil.which("pg_createcluster"):
        sys.exit("Run as root on a machine with postgresql-common (pg_createcluster).")
    # Stopped (SIGTERM) or interrupted (Ctrl-C), it still drops its cluster on the way out.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("Stopped."))
    print(json.dumps(run(options)))


if __name__ == "__main__":
    main()
