"""Channel adapters: how one delivery is handed over, by the channel's kind. A native network API
joins by registering another adapter under a new Channel.Kind.

An adapter's `send` does the handing over and says what happened; cms.archive.delivering records
it, retries and archives. It never touches the database itself.
"""

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

from integrations.urls_safety import refusal_before_sending

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


@dataclass(frozen=True)
class Answer:
    """What a receiver said to one signed POST: 2xx is `ok`; anything else, or none, is not."""

    ok: bool
    status_code: int | None = None
    body: bytes = b""
    error: str = ""
    duration_ms: int = 0


class _RefuseRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # urllib then raises the 3xx as an HTTPError: a failure, not a second request


_NO_REDIRECTS = urllib.request.build_opener(_RefuseRedirects)


def post_signed_json(
    url: str, *, secret: str, body: bytes, headers: dict[str, str], follow_redirects: bool = False
) -> Answer:
    """POST `body` (JSON) to `url`, signed with `secret` in X-Signoff-Signature: how every
    webhook Signoff sends goes out (channel deliveries here, event subscriptions in
    integrations.events), so receivers verify them all the same way."""
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": USER_AGENT,
            "X-Signoff-Signature": sign(secret, body),
            **headers,
        },
    )
    opener = urllib.request.urlopen if follow_redirects else _NO_REDIRECTS.open
    started = time.monotonic()

    def took() -> int:
        return int((time.monotonic() - started) * 1000)

    try:
        with opener(request, timeout=WEBHOOK_TIMEOUT_SECONDS) as response:  # noqa: S310
            answer = response.read(64 * 1024)
            return Answer(ok=True, status_code=response.status, body=answer, duration_ms=took())
    except urllib.error.HTTPError as error:
        return Answer(
            ok=False, status_code=error.code, error=f"HTTP {error.code} {error.reason}", duration_ms=took()
        )
    except (urllib.error.URLError, OSError, ValueError) as error:
        return Answer(ok=False, error=f"{type(error).__name__}: {error}", duration_ms=took())


def answer_decides(row, *, went_out: bool, sending: str, settled: tuple[str, ...]) -> bool:
    """Whether a sender's answer decides `row` (a Delivery or a WebhookEvent, claimed with a lease
    that counted its `attempts`): its claim stands (still `sending`, on the attempt it claimed);
    or it outlived its lease and was taken over, but the receiver took it and nobody has recorded
    a `settled` state yet, so the success is kept (the sender that took over then records only
    its attempt). The row is locked (on SQLite the transaction holds the write lock), so another
    sender's record waits for this one. `row.attempts` becomes the count of every attempt made."""
    status, attempts = (
        type(row).objects.select_for_update().filter(pk=row.pk).values_list("status", "attempts").get()
    )
    still_held = status == sending and attempts == row.attempts
    row.attempts = attempts
    return still_held or (went_out and status not in settled)


def json_body(payload: dict) -> bytes:
    return json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()


class WebhookAdapter:
    """A JSON POST to the agency's scheduler or automation tool, signed with the channel's secret.
    2xx is delivered (a `live_url` in a JSON answer is kept); anything else, or no answer, is a
    failure to retry. The idempotency key is the same on every attempt."""

    def send(self, delivery: Delivery, payload: dict) -> Handover:
        # The URL was checked when the channel was saved; its host is resolved and checked again
        # now, and a redirect is not followed (integrations.urls_safety).
        refusal = refusal_before_sending(delivery.channel.webhook_url)
        if refusal:
            return Handover(delivered=False, error=refusal)
        answer = post_signed_json(
            delivery.channel.webhook_url,
            secret=delivery.channel.webhook_secret,
            body=json_body(payload),
            headers={
                "X-Signoff-Idempotency-Key": delivery.idempotency_key,
                "X-Signoff-Delivery": str(delivery.pk),
            },
        )
        if answer.ok:
            return Handover(delivered=True, live_url=_live_url(answer.body), status_code=answer.status_code)
        return Handover(delivered=False, status_code=answer.status_code, error=answer.error)


def _live_url(answer: bytes) -> str:
    try:
        url = json.loads(answer).get("live_url", "")
    except (ValueError, AttributeError):
        return ""
    return url if isinstance(url, str) and url.startswith(("https://", "http://")) and len(url) <= 500 else ""


ADAPTERS = {Channel.Kind.MANUAL: ManualAdapter(), Channel.Kind.WEBHOOK: WebhookAdapter()}


def adapter_for(channel: Channel):
    return ADAPTERS[channel.kind]
