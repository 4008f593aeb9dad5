"""Helpers for the approval workflow's tests: API clients per user, posts ready to submit."""

import pytest
from django.core.management import call_command
from django_tasks_db.management.commands import db_worker

from approvals.models import ApprovalPolicy, ReviewDecision
from brands.factories import UserFactory, membership
from brands.models import BrandRole
from cms.posts.factories import PostFactory

from .helpers import submit


@pytest.fixture
def draft(creative, brand_a):
    """A draft post with its first revision, by the creative on brand A unless told otherwise."""

    def _draft(brand=brand_a, by=creative, **fields):
        post = PostFactory(brand=brand, created_by=by, **fields)
        post.save_revision(user=by)
        return post

    return _draft


@pytest.fixture
def in_review(draft, creative, api):
    """A draft the creative submitted: waiting on the senior tier."""
    post = draft()
    assert submit(api, creative, post).status_code == 200
    return post


@pytest.fixture
def policy(brand_a):
    """Brand A's approval policy, changed by keyword: policy(lead_review="always")."""

    def _policy(**changes):
        ApprovalPolicy.objects.filter(brand=brand_a).update(**changes)
        return ApprovalPolicy.objects.get(brand=brand_a)

    return _policy


@pytest.fixture
def second_reviewer(brand_a):
    user = UserFactory(username="reviewer2")
    membership(user, brand_a, BrandRole.REVIEWER)
    return user


@pytest.fixture
def database_tasks(settings):
    """The database task backend, as the worker uses outside tests (tests run tasks at once)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def relay(settings):
    """Decisions followed up by the relay after they commit, as the product runs (tests follow
    them up at once): call it for one pass of `manage.py follow_up_decisions`. A follow-up that
    fails fails the test, unless told that is expected."""
    settings.SIGNOFF_FOLLOW_UP_AT_ONCE = False

    def one_pass(*, failures_expected: bool = False) -> None:
        call_command("follow_up_decisions", once=True, verbosity=0)
        if not failures_expected:
            failed = ReviewDecision.objects.filter(follow_up_failures__gt=0)
            assert not failed.exists(), "a follow-up failed; its traceback is in the log above"

    return one_pass


@pytest.fixture
def run_worker(monkeypatch):
    """The task worker, as scripts/run starts it, until nothing is due."""
    # Between tasks the worker closes stale connections, which would close the test's own
    # (the test's transaction lives on it).
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    return lambda: call_command(
        "db_worker", batch=True, reload=False, startup_delay=False, interval=0, verbosity=0
    )
