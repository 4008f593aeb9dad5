import pytest

# The approval workflow's fixtures: events come from posts going through it.
from approvals.tests.conftest import draft, policy, relay  # noqa: F401
from integrations.models import EventType, WebhookSubscription

from .receiver import Receiver


@pytest.fixture
def receiver():
    receiver = Receiver()
    yield receiver
    receiver.stop()


@pytest.fixture
def receiver_b():
    receiver = Receiver()
    yield receiver
    receiver.stop()


@pytest.fixture
def subscribe(lead):
    """subscribe(brand, url, events=every post event): an active subscription."""

    def _subscribe(brand, url, events=None, **fields):
        return WebhookSubscription.objects.create(
            brand=brand,
            name=fields.pop("name", "Our tool"),
            url=url,
            events=list(events or EventType.values),
            created_by=lead,
            **fields,
        )

    return _subscribe
