"""PostgreSQL restarted under load (benchmarks/faults.py): every request while it is away is a clean
503 with Retry-After, never a 500, a traceback or a dropped connection, and requests succeed again
once it is back, gunicorn untouched. Runs where the script can: as root, with postgresql-common's
pg_createcluster, on a throwaway cluster of its own that it always drops."""

import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)

pytestmark = pytest.mark.skipif(
    not shutil.which("pg_createcluster") or os.geteuid() != 0,
    reason="needs root and pg_createcluster (postgresql-common) to make a throwaway PostgreSQL cluster",
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def clusters() -> str:
    return subprocess.run(["pg_lsclusters"], capture_output=True, text=True).stdout


def test_requests_fail_cleanly_while_postgresql_restarts_and_recover_by_themselves():
    name = f"signoff_faults_{os.getpid()}"  # its own, whatever else runs on this machine
    result = subprocess.run(
        [
            sys.executable, "benchmarks/faults.py", "--seconds", "12", "--restart-at", "3", "--down", "3",
            "--cluster", name, "--port", str(free_port()), "--web-port", str(free_port()),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )  # fmt: skip

    assert name not in clusters()  # dropped, whatever happened
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["clean_503"] > 0, report  # the outage was seen
    assert report["bad"] == 0, report["bad_samples"]
    assert report["passed"], report
