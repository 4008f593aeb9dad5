"""The review inbox's decisions as the browser sees them (issue 14).

Run: .venv/bin/python benchmarks/inbox.py [--decisions 20] [--read-seconds 2]

It builds a throwaway demo in a temporary directory (SQLite, never your data: migrate,
`seed_demo`, then `seed_reviews` until the demo senior has enough clean posts to review), starts
Signoff as `scripts/run` does (the web server with the development settings, the task worker and
the relay that follows each decision up once its undo window has passed), and drives Chromium as
the demo senior: open the review inbox, then for each decision look at the review for
`--read-seconds` (as a reviewer reads the caption and looks at the picture) and press `a`.

A decision's latency is measured in the page, from the key press to the next review shown (the
inbox's `inbox:shown` event): what the reviewer waits for before reading on. The inbox loads the
next review while the reviewer reads, so it shows at once, and sends the approval beside it.
Beside it: until the server's answer marks the decided row (`decision_confirmed`, the
`inbox:decided` event), and the server's share of that (the request's time to first byte, from
the browser's resource timing). One undo (`u`, right after the last decision) is measured to
the review shown again. The machine's load average is reported too: on a machine shared with
other work, every figure grows with it.

Target: decision p95 ≤ 300 ms. The last line printed is one JSON object with the results.
"""

import argparse
import json
import math
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_P95_MS = 300
PASSWORD = "signoff-demo"

# In the page: when each decision key went down, when the review after it was shown, and when
# the server's answer marked the decided row (the inbox's `inbox:shown` and `inbox:decided`).
MEASURE = """
window.__inbox = { decisions: [], confirmed: [], undos: [] };
let pressed = null;
const waiting = new Map();
document.addEventListener("keydown", (event) => {
    if ((event.key !== "a" && event.key !== "u") || event.repeat) return;
    pressed = { key: event.key, at: performance.now() };
    if (event.key === "a") waiting.set(document.querySelector("#inbox-pane").dataset.inboxPane, pressed.at);
}, true);
document.addEventListener("inbox:shown", () => {
    if (pressed === null) return;
    const took = performance.now() - pressed.at;
    (pressed.key === "a" ? window.__inbox.decisions : window.__inbox.undos).push(took);
    pressed = null;
});
document.addEventListener("inbox:decided", (event) => {
    const at = waiting.get(event.detail.id);
    if (at === undefined) return;
    window.__inbox.confirmed.push(performance.now() - at);
    waiting.delete(event.detail.id);
});
"""

SERVER_SHARE = """
performance.getEntriesByType("resource")
    .filter((entry) => /\\/admin\\/reviews\\/\\d+\\/approve\\/$/.test(entry.name))
    .map((entry) => entry.responseStart - entry.requestStart)
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def _figures(values: list[float]) -> dict:
    if not values:
        return {}
    return {
        "p50_ms": round(statistics.median(values), 1),
        "p95_ms": round(_percentile(values, 0.95), 1),
        "max_ms": round(max(values), 1),
    }


def _manage(env: dict, *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )


def _start(env: dict, *args: str, log) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: stopped with everything it starts
    )


def _wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def _drive(base_url: str, decisions: int, read_seconds: float) -> dict:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        errors = []
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.add_init_script(MEASURE)
        page.goto(f"{base_url}/admin/login/")
        page.get_by_label("Username").fill("senior")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{base_url}/admin/")
        page.goto(f"{base_url}/admin/reviews/")
        ready = "#inbox-pane[data-inbox-ready][data-revision]"
        page.wait_for_selector(ready)
        for _ in range(decisions):
            page.wait_for_timeout(read_seconds * 1000)
            shown = page.get_attribute("#inbox-pane", "data-inbox-pane")
            page.keyboard.press("a")
            page.wait_for_function(
                "(shown) => { const pane = document.querySelector('#inbox-pane');"
                " return pane.dataset.inboxPane !== shown && pane.hasAttribute('data-inbox-ready'); }",
                arg=shown,
            )
        page.wait_for_function(f"() => window.__inbox.confirmed.length === {decisions}")
        page.keyboard.press("u")  # the last decision, taken back within its window
        page.wait_for_function("() => window.__inbox.undos.length === 1")
        measured = page.evaluate("window.__inbox")
        server = page.evaluate(SERVER_SHARE)
        browser.close()
    return {**measured, "server": server, "errors": errors}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--decisions", type=int, default=20)
    parser.add_argument("--read-seconds", type=float, default=2.0)
    options = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="signoff-inbox-bench-"))
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
        "DATABASE_URL": f"sqlite:///{workdir / 'demo.sqlite3'}",
        "MEDIA_ROOT": str(workdir / "media"),
        "BASE_URL": f"http://127.0.0.1:{port}",
        "PYTHONUNBUFFERED": "1",
        "PYTHONPATH": str(ROOT),
    }
    processes = []
    log = (workdir / "processes.log").open("w")
    try:
        print("Building the demo (migrate, seed_demo, seed_reviews)…", flush=True)
        _manage(env, "migrate", "--noinput")
        _manage(env, "seed_demo")
        _manage(env, "seed_reviews", "--count", str(options.decisions + 2))
        print("Starting the web server, the task worker and the relay…", flush=True)
        processes = [
            _start(env, "runserver", f"127.0.0.1:{port}", "--noreload", log=log),
            _start(env, "db_worker", "--queue-name", "*", "--interval", "1", log=log),
            _start(env, "follow_up_decisions", "--interval", "1", log=log),
        ]
        base_url = f"http://127.0.0.1:{port}"
        _wait_for(f"{base_url}/admin/login/")
        load_before = os.getloadavg()
        print(f"Deciding {options.decisions} reviews in Chromium…", flush=True)
        measured = _drive(base_url, options.decisions, options.read_seconds)
        load_after = os.getloadavg()
    finally:
        for process in processes:
            try:
                os.killpg(process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        log.close()
        shutil.rmtree(workdir, ignore_errors=True)

    decisions = _figures(measured["decisions"])
    results = {
        "benchmark": "inbox",
        "database": "sqlite",
        "decisions": len(measured["decisions"]),
        "read_seconds": options.read_seconds,
        "decision": decisions,
        "decision_confirmed": _figures(measured["confirmed"]),
        "decision_server": _figures(measured["server"]),
        "decisions_ms": [round(value, 1) for value in measured["decisions"]],
        "undo_ms": round(measured["undos"][0], 1) if measured["undos"] else None,
        "target_p95_ms": TARGET_P95_MS,
        "meets_target": bool(decisions) and decisions["p95_ms"] <= TARGET_P95_MS,
        "console_errors": measured["errors"],
        "load_average": {
            "before": [round(value, 2) for value in load_before],
            "after": [round(value, 2) for value in load_after],
            "cpus": os.cpu_count(),
        },
    }
    print(json.dumps(results))


if __name__ == "__main__":
    main()
