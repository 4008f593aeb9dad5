"""Channel adapters: how one delivery is handed over, by the channel's kind. A native network API
joins by registering another adapter under a new Channel.Kind.

An adapter's `send` does the handing over and says what happened; cms.archive.delivering records
it, retries and archives. It never touches the database itself.
"""

import hashlib
import hmac
import json
import urllib.error
import urllib.request
from dataclasses import dataclass

from .models import Channel, Delivery

# How long a webhook receiver has to answer.
WEBHOOK_TIMEOUT_SECONDS = 10
USER_AGENT = "Signoff-Webhook/1"


@dataclass(frozen=True)
class Handover:
    """What an adapter did with a delivery."""

    delivered: bool  # handed over; the archive entry can be written
    waits_for_a_person: bool = False  # manual: someone posts it and records the link
    live_url: str = ""
    status_code: int | None = None
    error: str = ""


class ManualAdapter:
    """Someone at the agency posts it by hand: it waits in the "to post now" list."""

    def send(self, delivery: Delivery, payload: dict) -> Handover:
        return Handover(delivered=False, waits_for_a_person=True)


def sign(secret: str, body: bytes) -> str:
    """The X-Signoff-Signature header's value: HMAC-SHA256 of the raw body, in hex."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class WebhookAdapter:
    """A JSON POST to the agency's scheduler or automation tool, signed with the channel's secret.
    2xx is delivered (a `live_url` in a JSON answer is kept); anything else, or no answer, is a
    failure to retry. The idempotency key is the same on every attempt."""

    def send(self, delivery: Delivery, payload: dict) -> Handover:
        body = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()
        request = urllib.request.Request(
            delivery.channel.webhook_url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "User-Agent": USER_AGENT,
                "X-Signoff-Signature": sign(delivery.channel.webhook_secret, body),
                "X-Signoff-Idempotency-Key": delivery.idempotency_key,
                "X-Signoff-Delivery": str(delivery.pk),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT_SECONDS) as response:  # noqa: S310
                answer = response.read(64 * 1024)
                return Handover(delivered=True, live_url=_live_url(answer), status_code=response.status)
        except urllib.error.HTTPError as error:
            return Handover(
                delivered=False, status_code=error.code, error=f"HTTP {error.code} {error.reason}"
            )
        except (urllib.error.URLError, OSError, ValueError) as error:
            return Handover(delivered=False, error=f"{type(error).__name__}: {error}")


def _live_url(answer: bytes) -> str:
    try:
        url = json.loads(answer).get("live_url", "")
    except (ValueError, AttributeError):
        return ""
    return url if isinstance(url, str) and url.startswith(("https://", "http://")) and len(url) <= 500 else ""


ADAPTERS = {Channel.Kind.MANUAL: ManualAdapter(), Channel.Kind.WEBHOOK: WebhookAdapter()}


def adapter_for(channel: Channel):
    return ADAPTERS[channel.kind]
