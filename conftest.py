"""The shared cast: a creative, a reviewer and a lead on brand A; an outsider on brand B;
a client of A and a client of B. Every permission test picks its actors from here."""

import os
import shutil

import pytest

from brands.factories import BrandFactory, ClientFactory, UserFactory, client_user, membership
from brands.models import BrandRole


@pytest.fixture
def client_a(db):
    return ClientFactory(name="Acme Holdings", slug="acme")


@pytest.fixture
def client_b(db):
    return ClientFactory(name="Borealis Group", slug="borealis")


@pytest.fixture
def brand_a(client_a):
    return BrandFactory(client=client_a, name="Acme Coffee", slug="acme-coffee")


@pytest.fixture
def brand_b(client_b):
    return BrandFactory(client=client_b, name="Borealis Bikes", slug="borealis-bikes")


@pytest.fixture
def creative(brand_a):
    user = UserFactory(username="creative")
    membership(user, brand_a, BrandRole.CREATIVE)
    return user


@pytest.fixture
def reviewer(brand_a):
    user = UserFactory(username="reviewer")
    membership(user, brand_a, BrandRole.REVIEWER)
    return user


@pytest.fixture
def lead(brand_a):
    user = UserFactory(username="lead")
    membership(user, brand_a, BrandRole.LEAD)
    return user


@pytest.fixture
def outsider(brand_b):
    """A creative on brand B only."""
    user = UserFactory(username="outsider")
    membership(user, brand_b, BrandRole.CREATIVE)
    return user


@pytest.fixture
def lead_b(brand_b):
    user = UserFactory(username="lead_b")
    membership(user, brand_b, BrandRole.LEAD)
    return user


@pytest.fixture
def client_of_a(client_a, brand_a):
    user = UserFactory(username="client_a")
    client_user(user, client_a)
    return user


@pytest.fixture
def client_of_b(client_b, brand_b):
    user = UserFactory(username="client_b")
    client_user(user, client_b)
    return user


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin", is_superuser=True, is_staff=True)


@pytest.fixture
def login(client):
    """Log a user in to the test client and return the client."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def api():
    """`api(user)`: a DRF test client authenticated as that user."""
    from rest_framework.test import APIClient

    def _as(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return _as


@pytest.fixture(autouse=True)
def _empty_caches():
    """Each test's rows are rolled back, but the in-memory cache outlives them: Wagtail caches
    renditions by image id, and SQLite hands the next test's images the same ids."""
    yield
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


@pytest.fixture(autouse=True)
def _tasks_must_not_fail(request):
    """Tests run background tasks at once (the immediate backend), which records a failing task
    and carries on: fail the test instead, with the task's traceback, unless it says that a
    task failing is what it tests (`@pytest.mark.task_failure_expected`)."""
    from django_tasks.base import TaskResultStatus
    from django_tasks.signals import task_finished

    failed = []

    def _note(sender, task_result, **kwargs):
        if task_result.status == TaskResultStatus.FAILED:
            failed.append(task_result)

    task_finished.connect(_note, weak=False)
    yield
    task_finished.disconnect(_note)
    if failed and not request.node.get_closest_marker("task_failure_expected"):
        report = "\n".join(f"{result.task.name}: {result.errors[-1].traceback}" for result in failed)
        pytest.fail(f"A background task failed:\n{report}", pytrace=False)


# Browser tests: Playwright driving the OS's Chromium (Playwright's own download can't run here).
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


def pytest_configure(config):
    # Playwright's sync API keeps an event loop running in the test thread from the moment it
    # starts, which makes Django refuse database work there unless this is set. No code of ours
    # is async, so the guard has nothing to protect in tests.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    # Browser tests run last: Playwright keeps an event loop running in the main thread for the
    # rest of the session, which gives Django fresh per-context connections that no longer carry
    # the serialized test data later transactional tests restore from.
    items.sort(key=lambda item: "browser" in item.keywords)
    if CHROMIUM:
        return
    skip = pytest.mark.skip(
        reason="Chromium is not installed (apt-get install chromium); browser test skipped"
    )
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


# What setup_databases serialized for serialized_rollback, per alias, kept across connections.
_serialized_test_data: dict[str, str] = {}


def _hand_on_serialized_test_data() -> None:
    """Give the connections in use the data the test database was serialized to.

    Once a browser test has started Playwright, Django works on new connection objects, which lack
    it: the flush after a transactional test would then recreate content types, and the restore
    before the next one be skipped (quietly, by Django), leaving a later browser test with no
    platforms, role groups or root collection.
    """
    from django.db import connections

    for alias in connections:
        connection = connections[alias]
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents is not None:
            _serialized_test_data[alias] = contents
        elif alias in _serialized_test_data:
            connection._test_serialized_contents = _serialized_test_data[alias]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    _hand_on_serialized_test_data()
    result = yield
    _hand_on_serialized_test_data()  # the first database test has just created (and serialized) it
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Leave the database as migrated after a test with real transactions, wherever it is.

    Such a test ends by emptying every table, data migrations' rows included (the agency
    workflow, role groups, platforms, Wagtail's root collection). `serialized_rollback` restores
    them only for tests that ask; restoring them afterwards too keeps later transactional tests
    (e.g. the browser tests, which start Playwright before Django would restore) from finding an
    empty database.
    """
    _hand_on_serialized_test_data()  # before the flush: it must know the data will be restored
    result = yield
    marker = item.get_closest_marker("django_db")
    # After the session's last test the test database is gone: nothing to restore, nor anywhere to.
    if nextitem is not None and marker and marker.kwargs.get("serialized_rollback"):
        from django.db import connections
        from pytest_django.plugin import blocking_manager_key

        connection = connections["default"]
        contents = getattr(connection, "_test_serialized_contents", None) or _serialized_test_data.get(
            "default"
        )
        with item.config.stash[blocking_manager_key].unblock():
            connection.creation.deserialize_db_from_string(contents)
    return result
