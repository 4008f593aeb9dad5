"""SQLite: a second FTS5 table for clients' searches, without the title (migration 0003 holds the
first). Searching the first with a column filter left titles out of the match but not out of the
rank: FTS5's bm25 divides by the length of the whole row, so a client could compare the lengths of
internal titles they never see by the order of alike entries (found by an attack). PostgreSQL has
the same split since 0006: the title-free vector has its own index, and ts_rank is not length
normalised."""

from django.db import migrations

TABLE = "archive_archiveentry_client_fts"

SQLITE_FORWARD = [
    f"""
    CREATE VIRTUAL TABLE {TABLE} USING fts5(
        caption, campaign, hashtags,
        content='archive_archiveentry', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )
    """,
    f"""
    CREATE TRIGGER {TABLE}_insert AFTER INSERT ON archive_archiveentry BEGIN
        INSERT INTO {TABLE}(rowid, caption, campaign, hashtags)
        VALUES (new.id, new.caption, new.campaign, new.hashtags);
    END
    """,
    # As 0003's: never by the product, but a test database's flush deletes rows.
    f"""
    CREATE TRIGGER {TABLE}_delete AFTER DELETE ON archive_archiveentry BEGIN
        INSERT INTO {TABLE}({TABLE}, rowid, caption, campaign, hashtags)
        VALUES ('delete', old.id, old.caption, old.campaign, old.hashtags);
    END
    """,
    f"INSERT INTO {TABLE}({TABLE}) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    f"DROP TRIGGER IF EXISTS {TABLE}_insert",
    f"DROP TRIGGER IF EXISTS {TABLE}_delete",
    f"DROP TABLE IF EXISTS {TABLE}",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("archive", "0007_archive_author_is_kept")]

    operations = [migrations.RunPython(_run(SQLITE_FORWARD), _run(SQLITE_BACKWARD))]
