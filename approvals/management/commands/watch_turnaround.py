"""Start the turnaround watcher on the task worker, or scan once right now, or every N seconds."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils import timezone

from approvals.watcher import Queued, keep_watching, scan


class Command(BaseCommand):
    help = (
        "Queue the turnaround watcher (reminders and escalations) on the task worker, where it "
        "re-queues itself every SIGNOFF_TURNAROUND_INTERVAL seconds. Safe to run again: it never "
        "queues a second watcher. With --once, scan once now instead; with --every N, scan every N "
        "seconds in this process (beside RQ workers, which don't keep the watcher going)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once",
            action="store_true",
            help=(
                "Send the reminders, escalations and client digest e-mails due now, publish and "
                "deliver what is due and was missed, here, and exit (e.g. from cron)."
            ),
        )
        parser.add_argument(
            "--every",
            type=int,
            metavar="SECONDS",
            help="Scan every SECONDS seconds in this process, until stopped (a scheduler process).",
        )

    def handle(self, *args, once=False, every=None, **options):
        if once:
            self._scan()
            return
        if every is not None:
            if every < 1:
                raise CommandError("--every takes a number of seconds, at least 1.")
            while True:
                close_old_connections()  # a restarted database is reconnected to
                try:
                    self._scan()
                except Exception as error:  # logged; the next scan tries again
                    self.stderr.write(f"The scan failed ({error}); trying again in {every}s.")
                time.sleep(every)
        queued = keep_watching()
        if queued is Queued.CANNOT_DEFER:
            raise CommandError(
                "The task backend can't run tasks later, so the watcher can't repeat itself; "
                "run `manage.py watch_turnaround --once` from cron instead."
            )
        every = settings.SIGNOFF_TURNAROUND_INTERVAL
        if queued is Queued.ALREADY_QUEUED:
            self.stdout.write(f"The turnaround watcher is already queued (it runs every {every}s).")
        else:
            self.stdout.write(f"Queued the turnaround watcher; the task worker runs it every {every}s.")

    def _scan(self) -> None:
        done = scan(now=timezone.now())
        self.stdout.write(
            f"Sent {done['reminders']} reminder(s), {done['escalations']} escalation(s) and "
            f"{done['client_digests']} client digest(s); published {done['published']} post(s), "
            f"sent {done['deliveries']} deliveries."
        )
