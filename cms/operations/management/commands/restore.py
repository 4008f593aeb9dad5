from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cms.operations.backups import Backup, BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup (made by `backup`) into an empty database and media folder, and check "
        "that everything its manifest counted is there."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="The backup folder, e.g. var/backups/signoff-20261207-130000.")
        parser.add_argument(
            "--force", action="store_true", help="Replace a database or media folder that is not empty."
        )

    def handle(self, *args, folder, force, **options):
        try:
            found = restore_backup(Backup(Path(folder)), force=force)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write("Restored; everything the manifest counted is there:")
        for label, count in found.items():
            self.stdout.write(f"  {label}: {count}")
