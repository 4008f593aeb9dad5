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
