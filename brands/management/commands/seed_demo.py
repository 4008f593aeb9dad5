"""`manage.py seed_demo`: the demo agency, users and posts (see brands/demo.py). Safe to re-run."""

import logging
from contextlib import contextmanager

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from approvals.notifications import notifications_suppressed
from brands.demo import DEMO_PASSWORD, USERS, multiply_demo, seed_demo
from brands.models import BrandRole


@contextmanager
def _quiet(logger_name: str):
    """Wagtail logs every revision and publish at INFO; a seed of dozens of posts needn't."""
    logger = logging.getLogger(logger_name)
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


class Command(BaseCommand):
    help = "Create the demo agency (clients, brands with kits, users, posts), or bring it up to date."

    def add_arguments(self, parser):
        parser.add_argument(
            "--times",
            type=int,
            default=1,
            help="The demo's posts this many times over (copies in the same states), for benchmarks.",
        )

    def handle(self, *args, **options):
        if options["times"] < 1:
            raise CommandError("--times must be 1 or more.")
        # The demo's history goes through the real workflow; nobody needs e-mails about it, now
        # or later from the task worker.
        with (
            _quiet("wagtail"),
            notifications_suppressed(),
            override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
            transaction.atomic(),
        ):
            summary = seed_demo()
            copies = multiply_demo(times=options["times"]) if options["times"] > 1 else 0

        if options["verbosity"] == 0:
            return
        created = ", ".join(f"{count} {what}" for what, count in summary.created.items() if count)
        if copies:
            created = f"{created + ', ' if created else ''}{copies} copies of demo posts"
        brands = ", ".join(brand.name for brand in summary.brands)
        self.stdout.write(
            self.style.SUCCESS(f"Demo agency ready: {brands}.")
            + f" Created: {created or 'nothing, it was already there'}."
        )

        base_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        clients = {client.slug: client.name for client in summary.clients}
        self.stdout.write(f"\nLog in with password “{DEMO_PASSWORD}”:")
        for user in USERS:
            if user.access.startswith("client:"):
                role, where = f"client user of {clients[user.access.removeprefix('client:')]}", "/portal/"
            elif user.access == "superuser":
                role, where = "superuser", "/admin/"
            else:
                role, where = f"{BrandRole(user.access).label.lower()} on every demo brand", "/admin/"
            self.stdout.write(f"  {user.username:<8} {role:<42} {base_url}{where}")
