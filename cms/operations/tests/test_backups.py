"""A backup restores into an empty database with nothing missing: the archive of what went out
and its approvers, the audit log, review decisions, magic links and their revocations, and the
image files (scripts/backup, scripts/restore; cms/operations/backups.py)."""

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from wagtail.models import ModelLogEntry, TaskState

from approvals.portal.magic_links import create_magic_link, revoke
from approvals.tests.conftest import draft, policy, relay  # noqa: F401
from approvals.tests.helpers import decide, submit
from brands.factories import brand_image
from cms.archive.delivering import record_manual_post
from cms.archive.models import Delivery
from cms.posts.factories import add_media

ROOT = Path(settings.BASE_DIR)

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="backups are of PostgreSQL databases"),
]


def manage(*args, database: str, media_root: Path) -> subprocess.CompletedProcess:
    db = settings.DATABASES["default"]
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{database}"
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
        "DATABASE_URL": url,
        "MEDIA_ROOT": str(media_root),
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


@pytest.fixture
def empty_database():
    name = f"{connection.settings_dict['NAME']}_restored"
    admin = psycopg.connect(
        host=connection.settings_dict["HOST"] or "127.0.0.1",
        user=connection.settings_dict["USER"],
        dbname="postgres",
        autocommit=True,
    )
    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.execute(f'CREATE DATABASE "{name}"')
    yield name
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def test_a_backup_restores_into_an_empty_database_with_nothing_missing(
    tmp_path,
    empty_database,
    api,
    draft,  # noqa: F811
    creative,
    reviewer,
    brand_a,
    client_of_a,
    lead,
):
    photo = brand_image(brand_a, title="Launch photo")
    post = draft(caption="Slow mornings, good coffee.", platforms=["facebook"])
    add_media(post, [photo])
    post.save_revision(user=creative)
    assert submit(api, creative, post).status_code == 200
    assert decide(api, reviewer, post).status_code == 200
    entry = record_manual_post(
        delivery=Delivery.objects.get(post=post), user=creative, live_url="https://facebook.example/1"
    )
    link, _ = create_magic_link(client_of_a, brand_a, by=lead)
    revoke(link, by=lead)
    source = connection.settings_dict["NAME"]
    history_of_the_post = ModelLogEntry.objects.filter(object_id=str(post.pk)).count()
    decision = TaskState.objects.get(workflow_state__object_id=str(post.pk), finished_by=reviewer)
    assert history_of_the_post >= 3  # created, submitted, approved at least

    made = manage("backup", str(tmp_path / "backups"), database=source, media_root=Path(settings.MEDIA_ROOT))
    assert made.returncode == 0, made.stderr
    [folder] = (tmp_path / "backups").iterdir()

    restored_media = tmp_path / "restored-media"
    restored = manage("restore", str(folder), database=empty_database, media_root=restored_media)

    assert restored.returncode == 0, restored.stderr
    assert "revoked magic links: 1" in restored.stdout and "archive entries: 1" in restored.stdout
    with psycopg.connect(
        host=connection.settings_dict["HOST"] or "127.0.0.1",
        user=connection.settings_dict["USER"],
        dbname=empty_database,
    ) as copy:
        assert copy.execute(
            "SELECT caption, live_url FROM archive_archiveentry WHERE id = %s", [entry.pk]
        ).fetchone() == ("Slow mornings, good coffee.", "https://facebook.example/1")
        assert copy.execute("SELECT revoked_at IS NOT NULL FROM portal_magiclink").fetchone() == (True,)
        assert (
            copy.execute(
                "SELECT count(*) FROM wagtailcore_modellogentry WHERE object_id = %s", [str(post.pk)]
            ).fetchone()[0]
            == history_of_the_post
        )
        assert copy.execute(
            "SELECT status FROM wagtailcore_taskstate WHERE id = %s", [decision.pk]
        ).fetchone() == ("approved",)
        # The archive stays immutable in the copy: its trigger came back with it.
        with pytest.raises(psycopg.errors.RaiseException):
            copy.execute("DELETE FROM archive_archiveentry")
    assert (restored_media / photo.file.name).read_bytes() == photo.file.open("rb").read()


def test_restore_refuses_a_database_that_is_not_empty(tmp_path, empty_database, brand_a):
    made = manage(
        "backup",
        str(tmp_path / "backups"),
        database=connection.settings_dict["NAME"],
        media_root=tmp_path / "m",
    )
    [folder] = (tmp_path / "backups").iterdir()

    refused = manage(
        "restore", str(folder), database=connection.settings_dict["NAME"], media_root=tmp_path / "m2"
    )

    assert made.returncode == 0 and refused.returncode != 0
    assert "already has" in refused.stderr and "empty database" in refused.stderr
