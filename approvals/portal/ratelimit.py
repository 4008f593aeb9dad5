"""Counting attempts in the cache, to slow down password guessing and e-mail flooding.

Each form counts per identity (a username or an e-mail address) and per client IP address, in fixed
windows: the first counted attempt starts a window of SIGNOFF_PORTAL_ATTEMPT_WINDOW_MINUTES, and once
either count reaches its limit the form refuses, saying when to try again, until the window ends.
Only that username, address or IP waits: nobody else is locked out. The counts are the same whether
or not an account exists, so a refusal reveals nothing about accounts either.

A cache, not the database: counts are short-lived and an eviction only forgives a few attempts.
With several web processes the cache must be shared (REDIS_URL) for the limits to hold overall.
"""

import hashlib
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The visitor's address: REMOTE_ADDR, or the entry a trusted proxy added to X-Forwarded-For
    (entries further left are whatever the visitor sent, so never trusted)."""
    proxies = settings.SIGNOFF_TRUSTED_PROXIES
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


@dataclass(frozen=True)
class Attempts:
    """The attempts of one kind (e.g. "login") by one identity from one address."""

    kind: str
    identity: str
    ip: str

    def _counters(self) -> list[tuple[str, int]]:
        counters = [(f"ip:{self.ip}", settings.SIGNOFF_PORTAL_MAX_ATTEMPTS_PER_IP)]
        if self.identity:
            counters.append((f"id:{self.identity.strip().lower()}", settings.SIGNOFF_PORTAL_MAX_ATTEMPTS))
        return [(self._key(counter), limit) for counter, limit in counters]

    def _key(self, counter: str) -> str:
        # Hashed: cache keys have a length and character limit, and needn't hold addresses.
        return f"signoff:attempts:{self.kind}:{hashlib.sha256(counter.encode()).hexdigest()}"

    def wait_seconds(self) -> int:
        """How long until another attempt is allowed; 0 when it is allowed now."""
        now = time.time()
        waits = [
            (cache.get(f"{key}:until") or now) - now
            for key, limit in self._counters()
            if (cache.get(key) or 0) >= limit
        ]
        return math.ceil(max(waits, default=0))

    def count(self) -> None:
        window = settings.SIGNOFF_PORTAL_ATTEMPT_WINDOW_MINUTES * 60
        for key, _limit in self._counters():
            # add() only sets what isn't there: the first attempt in a window starts it.
            cache.add(f"{key}:until", time.time() + window, timeout=window)
            cache.add(key, 0, timeout=window)
            try:
                cache.incr(key)  # atomic on Redis and in memory, and keeps the key's expiry
            except ValueError:  # expired between add() and incr()
                cache.set(key, 1, timeout=window)

    def forget_identity(self) -> None:
        """After a success: that username's earlier failures no longer count (its IP's still do)."""
        if self.identity:
            key = self._key(f"id:{self.identity.strip().lower()}")
            cache.delete_many([key, f"{key}:until"])

    def check(self) -> None:
        """Raise the form error that tells the visitor when to try again, if they must wait."""
        seconds = self.wait_seconds()
        if seconds:
            minutes = max(1, math.ceil(seconds / 60))
            raise ValidationError(
                "Too many attempts. Please try again in %(minutes)s minute%(plural)s.",
                code="too_many_attempts",
                params={"minutes": minutes, "plural": "" if minutes == 1 else "s"},
            )


def attempts(request: HttpRequest, kind: str, identity: str | None) -> Attempts:
    return Attempts(kind=kind, identity=identity or "", ip=client_ip(request))
