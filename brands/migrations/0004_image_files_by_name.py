"""Index Wagtail's image and rendition files by name.

Every image a page shows is now fetched through a view that looks the file up by its name to
check who may see it (cms/media.py); Wagtail doesn't index those columns. The indexes live on
Wagtail's tables, so they are created here, outside the models' state.
"""

from django.db import migrations

INDEXES = [
    ("signoff_image_file", "wagtailimages_image"),
    ("signoff_rendition_file", "wagtailimages_rendition"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("brands", "0003_protect_kit_images"),
        ("wagtailimages", "0027_image_description"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} (file)",
            reverse_sql=f"DROP INDEX IF EXISTS {name}",
        )
        for name, table in INDEXES
    ]
