"""Settings shared by every environment. Deployment values come from the environment."""

from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

from cms.time_zones import usable_time_zones

from .env import envbool, envchoice, envint, envlist, envstr, with_query_defaults

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = envstr("SECRET_KEY", "")
DEBUG = envbool("DEBUG", False)
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Signoff
    "brands",
    "cms.posts",
    "cms.archive",
    "cms.calendar",
    "approvals",
    "approvals.portal",
    "integrations",
    "cms.admin_chrome",
    "cms.operations",
    # Wagtail
    "wagtail.contrib.settings",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Third party
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI served from here, not a CDN: the docs work offline
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "pgtrigger",
    # Django
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # 404 for Wagtail's image views asked about another brand's image (brands.image_scoping).
    "brands.image_scoping.ImageScopeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "approvals.portal.middleware.PortalSessionLimitsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Content-Security-Policy on every response (CONTENT_SECURITY_POLICY below).
    "cms.csp.SignoffCSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last: answers a sign-in that the lockout refused (cms.lockout.lockout_response).
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username or address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "cms.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
            ],
        },
    },
]

WSGI_APPLICATION = "cms.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        envstr("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=envint("CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several writers (web server, task worker, relay) share one file: take the write lock up front
    # and wait for it instead of failing with "database is locked".
    # Write-ahead logging: readers (every page) never wait on a writer (a decision, the relay
    # moving a workflow on), and a commit appends to the log instead of rewriting pages under an
    # exclusive lock; NORMAL syncs at checkpoints, which WAL keeps safe against corruption.
    # https://www.sqlite.org/wal.html (a file setting: an in-memory database ignores it.)
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    }
elif envbool("DATABASE_PREPARED_STATEMENTS", True):
    # PostgreSQL: the statements Signoff runs through a server-binding cursor (the approval
    # decision's, approvals/deciding.py) are prepared on their second run on a connection, so a
    # kept-open connection (CONN_MAX_AGE) doesn't plan them on every decision. Django's own
    # queries bind on the client and are never prepared. See the README for PgBouncer.
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 1

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
# Signoff's words for some of Wagtail's ("submitted for approval", not "for moderation").
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(envstr("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))

# Uploads get names nobody can guess and are served only by views that check who is asking
# (cms/media.py): "django" sends the file from the app; in production let the web server send it,
# "x-accel-redirect" (nginx: an internal location at SIGNOFF_MEDIA_INTERNAL_URL aliasing
# MEDIA_ROOT) or "x-sendfile" (Apache mod_xsendfile, lighttpd). See the README.
STORAGES = {
    "default": {"BACKEND": "cms.media.PrivateMediaStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Media on S3-compatible storage (AWS S3, MinIO, Ceph, …) instead of MEDIA_ROOT: a private bucket
# (no public ACL) whose URLs are signed and short-lived; needs the `s3` extra (django-storages).
SIGNOFF_MEDIA_STORAGE = envchoice("SIGNOFF_MEDIA_STORAGE", "filesystem", ["filesystem", "s3"])
if SIGNOFF_MEDIA_STORAGE == "s3":
    STORAGES["default"] = {
        "BACKEND": "cms.media.PrivateS3Storage",
        "OPTIONS": {
            "bucket_name": envstr("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": envstr("AWS_S3_ENDPOINT_URL") or None,
            "region_name": envstr("AWS_S3_REGION_NAME") or None,
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": envint("AWS_QUERYSTRING_EXPIRE", 300),
            "file_overwrite": False,
        },
    }
SIGNOFF_MEDIA_SERVE = envchoice("SIGNOFF_MEDIA_SERVE", "django", ["django", "x-accel-redirect", "x-sendfile"])
SIGNOFF_MEDIA_INTERNAL_URL = envstr("SIGNOFF_MEDIA_INTERNAL_URL", "/protected-media/")

REDIS_URL = envstr("REDIS_URL")
if REDIS_URL:
    # Serves on without Redis when it is down (cms/cache.py); waits at most half a second for it.
    CACHES = {
        "default": {
            "BACKEND": "cms.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }

LOGIN_URL = "wagtailadmin_login"

# Wagtail
WAGTAIL_SITE_NAME = envstr("SIGNOFF_AGENCY_NAME", "Signoff")
WAGTAILADMIN_BASE_URL = envstr("BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
# Publish exactly what every tier approved, checked by content hash (approvals.services).
WAGTAIL_FINISH_WORKFLOW_ACTION = "approvals.finish.finish_workflow"
# A scheduled version going out leaves the review of a newer version running (approvals.publishing).
WAGTAIL_WORKFLOW_CANCEL_ON_PUBLISH = False
# Wagtail's search backend: the admin's searches of posts, images and users, and the archive's
# when SIGNOFF_ARCHIVE_SEARCH is "wagtail". By default its database backend (PostgreSQL full-text
# search, SQLite FTS5; cms/search_backend.py lets a search of every field but the title read its
# index), with English stemming like the archive's own index. An agency that
# outgrows one database points it at OpenSearch or Elasticsearch (docs/archive-search.md):
# SIGNOFF_SEARCH_BACKEND=opensearch3 (or opensearch2, elasticsearch7/8/9, each needing its client
# package), SIGNOFF_SEARCH_URLS (comma-separated; credentials in the URL), then `update_index`.
SIGNOFF_SEARCH_BACKEND = envchoice(
    "SIGNOFF_SEARCH_BACKEND",
    "database",
    ["database", "opensearch2", "opensearch3", "elasticsearch7", "elasticsearch8", "elasticsearch9"],
)
if SIGNOFF_SEARCH_BACKEND == "database":
    WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "cms.search_backend", "SEARCH_CONFIG": "english"}}
else:
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": f"wagtail.search.backends.{SIGNOFF_SEARCH_BACKEND}",
            "URLS": envlist("SIGNOFF_SEARCH_URLS", "http://localhost:9200"),
            "INDEX_PREFIX": envstr("SIGNOFF_SEARCH_INDEX_PREFIX", "signoff_"),
            "TIMEOUT": envint("SIGNOFF_SEARCH_TIMEOUT", 10),
            # English stemming on every text field, as in the database: "launch" finds "launches".
            "INDEX_SETTINGS": {"settings": {"analysis": {"analyzer": {"default": {"type": "english"}}}}},
        }
    }
# Where the archive search (cms.archive.selectors.search_archive) looks words up: "database", the
# database's own full-text index (migration archive/0003, kept by the database on every insert);
# "wagtail", Wagtail's search backend above (entries indexed as they are written; run
# `update_index` after switching).
SIGNOFF_ARCHIVE_SEARCH = envchoice("SIGNOFF_ARCHIVE_SEARCH", "database", ["database", "wagtail"])
WAGTAILIMAGES_MAX_UPLOAD_SIZE = envint("SIGNOFF_MAX_IMAGE_BYTES", 20 * 1024 * 1024)
# Pixels × frames: a 40-megapixel photo, or an animation of as many pixels in all its frames.
# Bounds the memory a rendition or a check may need (about 160 MB decoded at most).
WAGTAILIMAGES_MAX_IMAGE_PIXELS = envint("SIGNOFF_MAX_IMAGE_PIXELS", 40_000_000)
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
# Refuses damaged and incomplete image files with a clear message, in every upload form.
WAGTAILIMAGES_IMAGE_FORM_BASE = "brands.image_forms.BrandImageForm"
WAGTAILADMIN_COMMENTS_ENABLED = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False  # Wagtail's release notes are not news for agency staff
WAGTAIL_USER_TIME_ZONES = usable_time_zones()
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # self-hosted: no avatar look-ups on a third-party service
# Wagtail e-mails every superuser about every submission; notifications are brand-scoped instead
# (approvals.notifications; approvals.signals takes posts out of Wagtail's e-mails altogether).
WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS = False

# Background work: in the database by default (`manage.py db_worker`), or on Redis with RQ workers
# (`manage.py rqworker default --with-scheduler --job-class django_tasks_rq.backend.Job`) when
# SIGNOFF_TASKS_BACKEND=rq and REDIS_URL is set. On RQ, a task Redis can't take (Redis away) waits
# in the database for `manage.py db_worker --backend fallback` (cms.task_backends), and the
# turnaround watcher runs as its own process: `manage.py watch_turnaround --every 300`.
SIGNOFF_TASKS_BACKEND = envchoice("SIGNOFF_TASKS_BACKEND", "database", ["database", "rq"])
if SIGNOFF_TASKS_BACKEND == "rq":
    if not REDIS_URL:
        raise ImproperlyConfigured("SIGNOFF_TASKS_BACKEND=rq needs REDIS_URL.")
    INSTALLED_APPS += ["django_rq"]
    # A Redis that stops answering must not hold a request: the app's enqueues give up after a
    # second or two and fall back (cms.task_backends); RQ's workers raise the read timeout to
    # what their blocking waits need.
    RQ_QUEUES = {
        "default": {"URL": with_query_defaults(REDIS_URL, socket_connect_timeout=1, socket_timeout=2)}
    }
    TASKS = {
        "default": {"BACKEND": "cms.task_backends.RQWithDatabaseFallback", "QUEUES": ["default"]},
        "fallback": {"BACKEND": "django_tasks_db.DatabaseBackend"},
    }
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Each review decision is followed up (its history entry, the workflow moving on) by the relay,
# `manage.py follow_up_decisions`, after it commits; True follows it up inside the reviewer's
# request instead, where no relay runs (the tests).
SIGNOFF_FOLLOW_UP_AT_ONCE = False
# Seconds a reviewer has to undo a decision before the relay follows it up (0: no undo).
SIGNOFF_UNDO_SECONDS = envint("SIGNOFF_UNDO_SECONDS", 5)
# Seconds between the turnaround watcher's scans for reminders and escalations (approvals.watcher).
SIGNOFF_TURNAROUND_INTERVAL = envint("SIGNOFF_TURNAROUND_INTERVAL", 300)

# Client portal access (approvals.portal.magic_links, .middleware).
SIGNOFF_MAGIC_LINK_DAYS = envint("SIGNOFF_MAGIC_LINK_DAYS", 7)
# Review requests and reminders for a client user are gathered into one e-mail per this many
# minutes, counted from the first one (approvals.portal.digest).
SIGNOFF_CLIENT_DIGEST_MINUTES = envint("SIGNOFF_CLIENT_DIGEST_MINUTES", 15)
# How long a worker holds a delivery to a channel while sending it: one a killed worker held is sent
# again (same idempotency key) this long after (cms.archive.delivering). Keep it well above the
# webhooks' 10-second timeout; a sender that outlives it anyway records nothing twice.
SIGNOFF_DELIVERY_LEASE_SECONDS = envint("SIGNOFF_DELIVERY_LEASE_SECONDS", 120)
# How long the signed links to a published post's images, sent to webhook channels, work.
SIGNOFF_MEDIA_LINK_DAYS = envint("SIGNOFF_MEDIA_LINK_DAYS", 7)
# Outbound event webhooks to loopback or private addresses (integrations.urls_safety): off, so a
# subscription can't reach the server's own network; on for development or a self-contained LAN.
SIGNOFF_WEBHOOK_PRIVATE_HOSTS = envbool("SIGNOFF_WEBHOOK_PRIVATE_HOSTS", False)
SIGNOFF_PORTAL_IDLE_MINUTES = envint("SIGNOFF_PORTAL_IDLE_MINUTES", 60)
SIGNOFF_PORTAL_SESSION_HOURS = envint("SIGNOFF_PORTAL_SESSION_HOURS", 12)
# The sign-in lockout, at every way in (admin, portal, API token; cms.lockout): failed sign-ins
# allowed per username, and per IP address across usernames, within the cool-off; then "try again
# in N minutes" until the cool-off has passed since the failure that reached the limit. The same
# limits apply to password-reset and new-link e-mails per address typed and per IP.
SIGNOFF_PORTAL_MAX_ATTEMPTS = envint("SIGNOFF_PORTAL_MAX_ATTEMPTS", 5)
SIGNOFF_PORTAL_MAX_ATTEMPTS_PER_IP = envint("SIGNOFF_PORTAL_MAX_ATTEMPTS_PER_IP", 20)
SIGNOFF_PORTAL_ATTEMPT_WINDOW_MINUTES = envint("SIGNOFF_PORTAL_ATTEMPT_WINDOW_MINUTES", 15)
# Reverse proxies in front of the app that append to X-Forwarded-For: 0 trusts REMOTE_ADDR only.
SIGNOFF_TRUSTED_PROXIES = envint("SIGNOFF_TRUSTED_PROXIES", 0)

# django-axes, as cms.lockout configures it from the settings above (read when used). Its
# database handler keeps the counts in the database: every web process shares them.
AXES_HANDLER = "cms.lockout.SignInLockouts"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each with its own limit (cms.lockout)
AXES_FAILURE_LIMIT = "cms.lockout.failure_limit"
AXES_COOLOFF_TIME = "cms.lockout.cool_off"
AXES_RESET_ON_SUCCESS = True  # a sign-in forgets that username's failures
# Refused attempts don't restart the cool-off, so "try again in N minutes" holds.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "cms.lockout.client_ip"
AXES_USERNAME_CALLABLE = "cms.lockout.username_of"
AXES_LOCKOUT_CALLABLE = "cms.lockout.lockout_response"
AXES_DISABLE_ACCESS_LOG = True  # only failures are kept, and only until their cool-off ends
AXES_VERBOSE = False  # no banner on every manage.py command; failures are still logged
WAGTAILADMIN_USER_LOGIN_FORM = "cms.sign_in.AdminLoginForm"


REST_FRAMEWORK = {
    # Personal tokens first: a request without credentials then gets 401 with
    # `WWW-Authenticate: Token` (DRF asks the first class for the header).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "integrations.authentication.PersonalTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "integrations.authentication.TokenScopeAllows",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["integrations.throttling.PerTokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api": envstr("SIGNOFF_API_RATE", "1200/minute")},
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "integrations.schema.SignoffAutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Signoff API",
    "DESCRIPTION": "Draft, check, review and archive brand social posts. "
    "Authenticate with `Authorization: Token <key>` (make one under Account → API tokens).",
    "VERSION": "1",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SERVE_INCLUDE_SCHEMA": False,
    "PREPROCESSING_HOOKS": ["integrations.schema.only_signoff_api"],
    # Request bodies get their own components, so an upload's `file` is `format: binary` (a file
    # part), not the URL the response gives back.
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Two fields named `reason`: a request for changes' reason code, and why a decision was refused.
    "ENUM_NAME_OVERRIDES": {
        "ReasonEnum": "approvals.models.ReasonCode",
        "RefusalEnum": "approvals.services.Refusal",
        # A post's platforms and the archive search's platform filter: one set of choices.
        "PlatformEnum": "brands.checks.platforms.PLATFORM_CHOICES",
    },
}
# How long a token made by signing in through the API (POST /api/v1/auth/token/) lasts.
SIGNOFF_API_SIGN_IN_TOKEN_DAYS = envint("SIGNOFF_API_SIGN_IN_TOKEN_DAYS", 30)

EMAIL_BACKEND = envstr("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "signoff@localhost")
# The mail server, for Django's SMTP backend (https://docs.djangoproject.com/en/5.2/topics/email/).
EMAIL_HOST = envstr("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = envstr("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", False)
# Django waits on a mail server without limit: one that takes the connection and then says nothing
# would hold a worker for ever. A send that times out is retried like any other failed send.
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 30)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO").upper()},
    # Django adds its own console handler in development; don't print its lines twice.
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# Content-Security-Policy (django-csp, https://django-csp.readthedocs.io): scripts only from this
# site or with the response's nonce, so injected markup can't run script; nothing framed except
# by this site (the editor's live preview); no plugins, no <base> rewriting, forms post here only.
# Styles: <style> elements need the nonce too; style="" attributes are allowed (brand colours and
# crop ratios are set per post, and an attribute can't run script or carry a selector).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "style-src-elem": [SELF, NONCE],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "frame-ancestors": [SELF],
        "form-action": [SELF],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
