"""The relay: follow up review decisions after they commit (approvals.moving_on), in a loop."""

import logging
import math
import signal
import time
from argparse import ArgumentTypeError, BooleanOptionalAction

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils import autoreload, timezone

from approvals.moving_on import follow_up_due_decisions

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Follow up review decisions: write each one's history entry and move its workflow on (the "
        "next tier, or publishing and scheduling). Runs until stopped, looking for new decisions "
        "every --interval seconds; with --once, does what is due now and exits."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval",
            type=_seconds,
            default=1.0,
            help="Seconds to wait when nothing is due before looking again (default: 1).",
        )
        parser.add_argument("--once", action="store_true", help="Follow up what is due now, then exit.")
        parser.add_argument(
            "--reload",
            action=BooleanOptionalAction,
            default=settings.DEBUG,
            help="Restart on code changes, as runserver does (default: DEBUG).",
        )

    def handle(self, *args, interval=1.0, once=False, reload=False, verbosity=1, **options):
        if once:
            done = follow_up_due_decisions(now=timezone.now())
            if verbosity:
                self.stdout.write(f"Followed up {done} decision(s).")
            return
        relay = Relay(interval=interval, report=self.stdout.write if verbosity > 1 else None)
        if reload:
            # The reloader's child process ends at once on SIGTERM (Django's own handler). That
            # loses nothing: each follow-up is one transaction.
            autoreload.run_with_reloader(relay.run)
        else:
            for stop_signal in (signal.SIGINT, signal.SIGTERM):
                signal.signal(stop_signal, relay.stop)
            relay.run()


def _seconds(value: str) -> float:
    """--interval: a positive number of seconds (0 or nan would poll the database non-stop)."""
    try:
        seconds = float(value)
    except ValueError:
        raise ArgumentTypeError(f"{value!r} is not a number of seconds") from None
    if not math.isfinite(seconds) or seconds <= 0:
        raise ArgumentTypeError("must be a number of seconds greater than 0")
    return seconds


class Relay:
    """Passes of follow_up_due_decisions until stopped (SIGINT, SIGTERM), which lets the
    follow-up under way finish. While passes fail (the database is away, say) it waits longer each time,
    up to a minute, so the log gets a line now and then rather than every second."""

    LONGEST_PAUSE = 60.0

    def __init__(self, *, interval: float, report=None):
        self.interval = interval
        self.report = report
        self.stopping = False

    def stop(self, *_signal) -> None:
        self.stopping = True  # a plain flag: safe to set from a signal handler at any moment

    def run(self) -> None:
        failed_passes = 0
        while not self.stopping:
            close_old_connections()  # a connection the database dropped meanwhile is replaced
            try:
                done = follow_up_due_decisions(now=timezone.now(), stopping=lambda: self.stopping)
                failed_passes = 0
            except Exception:
                failed_passes += 1
                logger.exception(
                    "The relay could not look for decisions to follow up (attempt %s)", failed_passes
                )
                done = 0
            if done and self.report:
                self.report(f"Followed up {done} decision(s).")
            if not done:
                self._pause(
                    min(self.interval * 2 ** min(failed_passes, 10), max(self.interval, self.LONGEST_PAUSE))
                )

    def _pause(self, seconds: float) -> None:
        """Sleep, in short naps so that a stop is noticed within a fraction of a second."""
        wake_at = time.monotonic() + seconds
        while not self.stopping and (left := wake_at - time.monotonic()) > 0:
            time.sleep(min(left, 0.2))
