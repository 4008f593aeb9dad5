"""The decision's hand-written statements (approvals/deciding.py) as the database runs them."""

import sqlite3
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from approvals.apps import sqlite_can_record_decisions
from approvals.models import ReviewDecision
from approvals.services import approve_task

from .helpers import current_task_state, status_of, submit

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")


def _approve_posts(api, draft, creative, reviewer, count):
    posts = [draft(title=f"Post {n}") for n in range(count)]
    for post in posts:
        submit(api, creative, post)
    for post in posts:
        approve_task(task_state=current_task_state(post), user=reviewer)
    return posts


@on_postgresql
def test_postgresql_keeps_the_decisions_statements_prepared_on_the_connection(api, draft, creative, reviewer):
    posts = _approve_posts(api, draft, creative, reviewer, 3)

    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [statement for (statement,) in cursor.fetchall()]
    assert any("FOR UPDATE OF ts" in statement for statement in prepared), prepared
    assert any("INSERT INTO approvals_reviewdecision" in statement for statement in prepared), prepared
    # And the prepared statements decide as the first run did.
    assert [status_of(post) for post in posts] == ["published"] * 3
    assert ReviewDecision.objects.filter(user=reviewer).count() == 3


def test_counted_queries_show_each_decision_statement(api, draft, creative, reviewer):
    """Query logging (DEBUG, query-count tests) sees the decision's statements with their text,
    also once the database has them prepared."""
    _approve_posts(api, draft, creative, reviewer, 2)
    post = draft(title="Counted")
    submit(api, creative, post)

    with CaptureQueriesContext(connection) as captured:
        approve_task(task_state=current_task_state(post), user=reviewer)

    statements = [query["sql"] for query in captured.captured_queries]
    assert all(statements), statements
    assert any("approvals_reviewdecision" in statement for statement in statements)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")
def test_a_sqlite_too_old_for_insert_returning_is_named_by_the_system_check():
    assert sqlite_can_record_decisions(None) == []
    with (
        mock.patch.object(sqlite3, "sqlite_version_info", (3, 31, 1)),
        mock.patch.object(sqlite3, "sqlite_version", "3.31.1"),
    ):
        [error] = sqlite_can_record_decisions(None)
    assert error.id == "signoff.E001"
    assert "3.31.1" in error.msg and "3.35" in error.msg
