"""Similar past posts and the near-duplicate check ask PostgreSQL for captions alike by trigrams
(pg_trgm): the extension, and a GIN trigram index on the archive's captions so those questions use
it instead of reading every entry. Other databases skip both (cms.archive.selectors has a fallback)."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEX = "archive_entry_caption_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON archive_archiveentry USING gin (caption gin_trgm_ops)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("archive", "0003_archive_full_text_search")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_index, drop_index),
    ]
