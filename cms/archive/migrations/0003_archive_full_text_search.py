"""Full-text search over the archive, kept by the database itself.

Archive entries are never updated (a trigger refuses it on PostgreSQL), so the search index can't
be a model field that code fills in. Instead the database derives it on insert, whatever inserts
the row (the publishing service, bulk_create in seed commands, raw SQL):

- PostgreSQL: a STORED generated `tsvector` column over title, caption, campaign and hashtags
  (the 'english' configuration: stemming, so "launch" finds "launches"), with a GIN index.
  The model does not declare it: Django never writes it and only the search selector reads it.
- SQLite: an FTS5 external-content table (Porter stemming, like PostgreSQL's 'english') filled
  by an AFTER INSERT trigger. Entries are never changed or deleted, so insert is enough.
- Other databases: nothing; the selector falls back to a case-insensitive scan.
"""

from django.db import migrations, models

PG_FORWARD = [
    """
    ALTER TABLE archive_archiveentry ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')
        || setweight(to_tsvector('english'::regconfig, coalesce(caption, '')), 'B')
        || setweight(to_tsvector('english'::regconfig, coalesce(campaign, '')), 'C')
        || setweight(to_tsvector('english'::regconfig, coalesce(hashtags::text, '')), 'C')
    ) STORED
    """,
    "CREATE INDEX archive_entry_search_gin ON archive_archiveentry USING gin (search_vector)",
]
PG_BACKWARD = [
    "DROP INDEX IF EXISTS archive_entry_search_gin",
    "ALTER TABLE archive_archiveentry DROP COLUMN IF EXISTS search_vector",
]

SQLITE_FORWARD = [
    """
    CREATE VIRTUAL TABLE archive_archiveentry_fts USING fts5(
        title, caption, campaign, hashtags,
        content='archive_archiveentry', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER archive_archiveentry_fts_insert AFTER INSERT ON archive_archiveentry BEGIN
        INSERT INTO archive_archiveentry_fts(rowid, title, caption, campaign, hashtags)
        VALUES (new.id, new.title, new.caption, new.campaign, new.hashtags);
    END
    """,
    # Never by the product; but a test database's flush or a developer's reset deletes rows,
    # and an index entry left behind would then stand for whatever row gets that id next.
    """
    CREATE TRIGGER archive_archiveentry_fts_delete AFTER DELETE ON archive_archiveentry BEGIN
        INSERT INTO archive_archiveentry_fts(archive_archiveentry_fts, rowid, title, caption, campaign, hashtags)
        VALUES ('delete', old.id, old.title, old.caption, old.campaign, old.hashtags);
    END
    """,
    "INSERT INTO archive_archiveentry_fts(archive_archiveentry_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS archive_archiveentry_fts_insert",
    "DROP TRIGGER IF EXISTS archive_archiveentry_fts_delete",
    "DROP TABLE IF EXISTS archive_archiveentry_fts",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("archive", "0002_channels_for_every_brand_platform")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        ),
        migrations.AddIndex(
            model_name="archiveentry",
            index=models.Index(fields=["-published_at", "-id"], name="archive_entry_newest"),
        ),
    ]
