"""`manage.py seed_archive --brand SLUG --count N`: N realistic archive entries for one brand."""

import time

from django.core.management.base import BaseCommand, CommandError

from cms.archive.seeding import UnknownBrand, brand_by_slug, seed_archive


class Command(BaseCommand):
    help = (
        "Write N archive entries for a brand, as if published over the last years: captions in the "
        "brand's voice, its platforms, campaigns, authors and approvers. For benchmarks and demos; "
        "each run adds more."
    )

    def add_arguments(self, parser):
        parser.add_argument("--brand", required=True, help="The brand's slug, e.g. kiln-coffee-roasters.")
        parser.add_argument("--count", required=True, type=int, help="How many entries to write.")
        parser.add_argument("--years", type=float, default=3, help="How far back they go (default 3).")
        parser.add_argument(
            "--seed", default=None, help="Random seed: the same seed writes the same history."
        )

    def handle(self, *args, brand, count, years, seed, **options):
        if count < 1:
            raise CommandError("--count must be at least 1.")
        if years <= 0:
            raise CommandError("--years must be more than 0.")
        try:
            found = brand_by_slug(brand)
        except UnknownBrand as unknown:
            raise CommandError(str(unknown)) from None
        started = time.perf_counter()
        written = seed_archive(brand=found, count=count, years=years, seed=seed)
        took = time.perf_counter() - started
        if options["verbosity"]:
            self.stdout.write(
                self.style.SUCCESS(f"Archived {written:,} entries for {found.name} in {took:.1f} s.")
            )
