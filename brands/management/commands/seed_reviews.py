"""`manage.py seed_reviews --count N`: posts awaiting the demo senior's review, N in all (see
brands.demo.seed_reviews). Run after seed_demo."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from approvals.notifications import notifications_suppressed
from brands.demo import seed_reviews

from .seed_demo import _quiet


class Command(BaseCommand):
    help = "Submit clean demo posts for review until the demo senior has N awaiting them (default 20)."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=20, help="How many reviews should await the senior.")

    def handle(self, *args, count: int, **options):
        if count < 0:
            raise CommandError("--count must be 0 or more.")
        with (
            _quiet("wagtail"),
            notifications_suppressed(),
            override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
            transaction.atomic(),
        ):
            added = seed_reviews(count=count)
        if options["verbosity"]:
            self.stdout.write(
                self.style.SUCCESS(f"Added {added} posts for review: at least {count} await the demo senior.")
            )
