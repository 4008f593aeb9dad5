from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cms.operations.backups import BackupError, make_backup


class Command(BaseCommand):
    help = "Back up the PostgreSQL database and the media files into a new folder (docs/deploy.md)."

    def add_arguments(self, parser):
        parser.add_argument("into", nargs="?", default="var/backups", help="Where the backup folder goes.")

    def handle(self, *args, into, **options):
        try:
            backup = make_backup(Path(into))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Backed up to {backup.folder}")
        self.stdout.write(backup.manifest.read_text())
