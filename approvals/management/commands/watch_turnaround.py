"""Start the turnaround watcher on the task worker, or scan once right now."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from approvals.portal.digest import send_due_digests
from approvals.watcher import Queued, keep_watching, send_turnaround_notices


class Command(BaseCommand):
    help = (
        "Queue the turnaround watcher (reminders and escalations) on the task worker, where it "
        "re-queues itself every SIGNOFF_TURNAROUND_INTERVAL seconds. Safe to run again: it never "
        "queues a second watcher. With --once, scan once now instead."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once",
            action="store_true",
            help=(
                "Send the reminders, escalations and client digest e-mails due now, here, and exit "
                "(e.g. from cron)."
            ),
        )

    def handle(self, *args, once=False, **options):
        if once:
            now = timezone.now()
            sent = send_turnaround_notices(now=now)
            digests = send_due_digests(now=now)
            self.stdout.write(
                f"Sent {sent.reminders} reminder(s), {sent.escalations} escalation(s) "
                f"and {digests} client digest(s)."
            )
            return
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
