"""Fast and deterministic: MD5 hasher, in-memory cache, immediate tasks and decision follow-ups,
locmem e-mail."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-secret-key"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
SIGNOFF_FOLLOW_UP_AT_ONCE = True  # likewise: no relay runs in tests (see the `relay` fixture)
SIGNOFF_UNDO_SECONDS = 0  # the relay fixture follows decisions up at once; undo tests set a window
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WHITENOISE_AUTOREFRESH = True  # no collectstatic in tests
MEDIA_ROOT = tempfile.mkdtemp(prefix="signoff-test-media-")
STORAGES = {
    "default": {"BACKEND": "cms.media.PrivateMediaStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {"version": 1, "disable_existing_loggers": False}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not SQLite's shared in-memory database: threads in the concurrency tests then wait
    # for the write lock (the busy timeout) instead of failing with "database table is locked".
    # One directory per process, so parallel workers and parallel runs never share a file.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(Path(tempfile.mkdtemp(prefix="signoff-test-db-")) / "test.sqlite3")
    }
# The tests' webhook receivers listen on 127.0.0.1 (integrations.urls_safety).
SIGNOFF_WEBHOOK_PRIVATE_HOSTS = True
