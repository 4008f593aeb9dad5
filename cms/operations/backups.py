"""Backups of a Signoff installation: the PostgreSQL database (pg_dump's custom format) and the
media files (uploaded images and their renditions) in one folder, with a manifest of what was in
it, so a restore can prove that nothing went missing.

The record an agency can't lose is counted in the manifest: the archive of what went out and its
approvers, the audit log (Wagtail's history, decisions included), review decisions and their
outbox, revisions, posts, images, and magic links with their revocations (a restore that brought a
revoked link back to life would reopen a door).
"""

import json
import subprocess
import tarfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection

# (label, model, filter): what the manifest counts.
COUNTED = [
    ("archive entries", "archive.ArchiveEntry", {}),
    ("archive approvers", "archive.ArchiveApprover", {}),
    ("audit log entries", "wagtailcore.ModelLogEntry", {}),
    ("review decisions", "wagtailcore.TaskState", {}),
    ("revisions", "wagtailcore.Revision", {}),
    ("posts", "posts.Post", {}),
    ("images", "wagtailimages.Image", {}),
    ("magic links", "portal.MagicLink", {}),
    ("revoked magic links", "portal.MagicLink", {"revoked_at__isnull": False}),
    ("users", "auth.User", {}),
]


class BackupError(Exception):
    pass


@dataclass
class Backup:
    folder: Path

    @property
    def database(self) -> Path:
        return self.folder / "database.dump"

    @property
    def media(self) -> Path:
        return self.folder / "media.tar.gz"

    @property
    def manifest(self) -> Path:
        return self.folder / "manifest.json"


def counts() -> dict[str, int]:
    result = {}
    for label, model, filters in COUNTED:
        result[label] = apps.get_model(model).objects.filter(**filters).count()
    return result


def _pg_env_and_name() -> tuple[dict, str]:
    if connection.vendor != "postgresql":
        raise BackupError("Backups are for PostgreSQL (set DATABASE_URL); SQLite is a file: copy it.")
    db = settings.DATABASES["default"]
    env = {"PGPASSWORD": str(db.get("PASSWORD") or ""), "PATH": "/usr/bin:/bin:/usr/local/bin"}
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if db.get(key):
            env[variable] = str(db[key])
    return env, db["NAME"]


def make_backup(into: Path) -> Backup:
    """Dump the database and pack the media folder into a new folder under `into`."""
    env, name = _pg_env_and_name()
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    backup = Backup(into / f"signoff-{stamp}")
    backup.folder.mkdir(parents=True, exist_ok=False)
    _run(
        ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={backup.database}", name],
        env,
    )
    media_root = Path(settings.MEDIA_ROOT)
    with tarfile.open(backup.media, "w:gz") as archive:
        if media_root.exists():
            archive.add(media_root, arcname="media")
    backup.manifest.write_text(
        json.dumps({"made_at": stamp, "database": name, "counts": counts()}, indent=2) + "\n"
    )
    return backup


def restore_backup(backup: Backup, *, force: bool = False) -> dict[str, int]:
    """Restore `backup` into the configured (empty) database and media folder; return the counts
    found after, which equal the manifest's or raise BackupError."""
    for path in (backup.database, backup.media, backup.manifest):
        if not path.exists():
            raise BackupError(f"{path} is missing: is {backup.folder} a Signoff backup?")
    env, name = _pg_env_and_name()
    tables = connection.introspection.table_names()
    if tables and not force:
        raise BackupError(
            f"The database {name} already has {len(tables)} tables. Restore into an empty database "
            "(createdb a new one and point DATABASE_URL at it), or pass --force to replace it."
        )
    media_root = Path(settings.MEDIA_ROOT)
    if media_root.exists() and any(media_root.iterdir()) and not force:
        raise BackupError(
            f"The media folder {media_root} is not empty; restore into an empty one, or --force."
        )
    connection.close()  # pg_restore needs the database to itself
    _run(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--clean",
            "--if-exists",
            f"--dbname={name}",
            str(backup.database),
        ],
        env,
    )
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(backup.media, "r:gz") as archive:
        members = [member for member in archive.getmembers() if member.name.startswith("media/")]
        for member in members:
            member.name = member.name.removeprefix("media/")
        archive.extractall(media_root, members=[m for m in members if m.name], filter="data")
    expected = json.loads(backup.manifest.read_text())["counts"]
    found = counts()
    missing = {
        label: (expected[label], found.get(label))
        for label in expected
        if found.get(label) != expected[label]
    }
    if missing:
        raise BackupError(f"The restored database differs from the backup's manifest: {missing}")
    return found


def _run(command: list[str], env: dict) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip() or result.stdout.strip()}")
