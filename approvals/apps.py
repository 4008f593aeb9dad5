import sqlite3

from django.apps import AppConfig
from django.core import checks


class ApprovalsConfig(AppConfig):
    name = "approvals"
    verbose_name = "Approvals"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signals

        signals.leave_posts_out_of_wagtails_workflow_emails()
        checks.register(sqlite_can_record_decisions, checks.Tags.database)


def sqlite_can_record_decisions(app_configs, databases=None, **kwargs):
    """approvals/deciding.py records a decision with INSERT … RETURNING, SQLite 3.35 and newer
    (Django itself accepts 3.31)."""
    from django.db import connection

    if connection.vendor != "sqlite" or sqlite3.sqlite_version_info >= (3, 35):
        return []
    return [
        checks.Error(
            f"SQLite {sqlite3.sqlite_version} is too old for Signoff: approval decisions need 3.35 or newer.",
            hint="Use a Python built with a newer SQLite, or PostgreSQL (DATABASE_URL).",
            id="signoff.E001",
        )
    ]
