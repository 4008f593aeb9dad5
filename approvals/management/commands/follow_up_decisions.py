"""The relay: follow up review decisions after they commit (approvals.moving_on), in a loop."""

import logging
import os
import signal
import sys
import threading
from argparse import BooleanOptionalAction

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
            type=float,
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
        if interval <= 0:
            interval = 1.0
        if once:
            done = follow_up_due_decisions(now=timezone.now())
            if verbosity:
                self.stdout.write(f"Followed up {done} decision(s).")
            return
        relay = Relay(interval=interval, report=self.stdout.write if verbosity > 1 else None)
        if not reload:
            relay.stop_on_signals()
            relay.run()
            return
        # The reloader runs the relay in a thread of a child process, whose main thread watches
        # the files: a signal there ends the child, and with it the thread.
        if os.environ.get(autoreload.DJANGO_AUTORELOAD_ENV) == "true":
            relay.stop_on_signals(exit=True)
        autoreload.run_with_reloader(relay.run)


class Relay:
    """Passes of follow_up_due_decisions until SIGINT or SIGTERM, which let the decision being
    followed up finish (each is its own transaction, so stopping harder loses nothing either)."""

    def __init__(self, *, interval: float, report=None):
        self.interval = interval
        self.report = report
        self.stopping = threading.Event()

    def stop_on_signals(self, *, exit: bool = False) -> None:
        def stop(*_):
            self.stopping.set()
            if exit:
                sys.exit(0)

        for stop_signal in (signal.SIGINT, signal.SIGTERM):
            signal.signal(stop_signal, stop)

    def run(self) -> None:
        while not self.stopping.is_set():
            close_old_connections()  # a connection the database dropped meanwhile is replaced
            try:
                done = follow_up_due_decisions(now=timezone.now())
            except Exception:
                # The database is away, say: keep trying rather than stop the product's moving on.
                logger.exception("The relay could not look for decisions to follow up")
                done = 0
            if done and self.report:
                self.report(f"Followed up {done} decision(s).")
            if not done:
                self.stopping.wait(self.interval)
