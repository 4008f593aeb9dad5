"""A client's archive search never matches an entry's internal title, so it asks the search vector
without the title's words (`ts_filter(search_vector, '{b,c}')`). Unindexed, PostgreSQL evaluated
that on every entry holding the words and, having no statistics for it, could not plan well: a
client's search for a very common word in a million entries read them all (0.4 s). A GIN index on
the same expression finds the matches directly, and ANALYZE keeps statistics on it, so the planner
knows how many match. It is about three quarters the size of the full vector's index. PostgreSQL
only: SQLite's FTS5 table filters by column."""

from django.db import migrations

INDEX = "archive_entry_client_search_gin"
# The very expression cms.archive.selectors._matching asks (an expression index is used only for
# the same expression).
EXPRESSION = "ts_filter(search_vector, '{b,c}')"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON archive_archiveentry USING gin (({EXPRESSION}))"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("archive", "0005_webhook_channels_not_to_own_network")]

    operations = [migrations.RunPython(create_index, drop_index)]
