"""gunicorn's configuration for Signoff's web process (docs/deploy.md).

    DJANGO_SETTINGS_MODULE=cms.settings.production gunicorn cms.wsgi

Every value can be changed by the environment, as the settings are (cms/settings/env.py).
"""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")  # behind a reverse proxy that terminates TLS
# Synchronous workers: Signoff's pages are short database-bound requests.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("WEB_THREADS", 1))
# A request slower than this is killed and logged (uploads are checked in well under a second).
timeout = int(os.environ.get("WEB_TIMEOUT", 30))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, so memory a worker took for one large image is given back.
max_requests = int(os.environ.get("WEB_MAX_REQUESTS", 2000))
max_requests_jitter = 200
# Requests larger than an image upload (SIGNOFF_MAX_IMAGE_BYTES) are refused by Django itself;
# these bound the request line and headers before Django sees them.
limit_request_line = 8190
limit_request_fields = 100
# The proxy's X-Forwarded-* headers are trusted from these addresses only.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# Load the app before forking: workers share its memory, and a broken deploy fails at once.
preload_app = True
