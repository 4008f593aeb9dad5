"""A publishing channel's webhook is never a way into the server's own network (SSRF): its URL is
checked when a lead saves it and, resolved, before each send, and a redirect is not followed
(found by an attack on this session's work: a lead pointed a channel at 127.0.0.1 and the server
followed the answer's redirect, signature attached)."""

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from cms.archive.channels import WebhookAdapter
from cms.archive.models import Channel

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8667/redir",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://[64:ff9b::7f00:1]/",
        "http://[2002:7f00:1::]/",
        "http://localhost/",
        "ftp://scheduler.example/",
        "http://user:pass@scheduler.example/",
    ],
)
@override_settings(SIGNOFF_WEBHOOK_PRIVATE_HOSTS=False)
def test_a_lead_cannot_point_a_channel_at_the_servers_own_network(brand_a, url):
    channel = Channel.objects.get(brand=brand_a, platform_id="instagram")
    channel.kind, channel.webhook_url = Channel.Kind.WEBHOOK, url

    with pytest.raises(ValidationError) as refused:
        channel.full_clean()

    assert "webhook_url" in refused.value.message_dict


@override_settings(SIGNOFF_WEBHOOK_PRIVATE_HOSTS=False)
def test_a_public_scheduler_url_is_fine(brand_a):
    channel = Channel.objects.get(brand=brand_a, platform_id="instagram")
    channel.kind, channel.webhook_url = Channel.Kind.WEBHOOK, "https://hooks.scheduler.example/signoff"

    channel.full_clean()


class Redirecting:
    """Answers every POST with a redirect to another path of the same server, and records hits."""

    def __init__(self):
        self.paths = []
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                recorder.paths.append(("POST", self.path))
                self.send_response(302)
                self.send_header("Location", "/internal")
                self.end_headers()

            def do_GET(self):
                recorder.paths.append(("GET", self.path))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


class FakeDelivery:
    def __init__(self, channel):
        self.channel, self.pk, self.idempotency_key = channel, 1, "signoff-1-1"


def test_a_channel_webhook_does_not_follow_a_redirect(brand_a):
    receiver = Redirecting()
    channel = Channel(
        brand=brand_a, platform_id="instagram", kind=Channel.Kind.WEBHOOK, webhook_url=receiver.url
    )

    handover = WebhookAdapter().send(FakeDelivery(channel), {"post": 1})

    receiver.server.shutdown()
    assert not handover.delivered and handover.status_code == 302
    assert receiver.paths == [("POST", "/hook")]  # never to /internal


@override_settings(SIGNOFF_WEBHOOK_PRIVATE_HOSTS=False)
def test_a_channel_saved_before_the_check_is_still_not_sent_to_an_internal_address(brand_a):
    receiver = Redirecting()
    channel = Channel(
        brand=brand_a, platform_id="instagram", kind=Channel.Kind.WEBHOOK, webhook_url=receiver.url
    )

    handover = WebhookAdapter().send(FakeDelivery(channel), {"post": 1})

    receiver.server.shutdown()
    assert not handover.delivered and "own network" in handover.error
    assert receiver.paths == []
