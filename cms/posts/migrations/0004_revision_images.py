import django.db.models.deletion

import cms.posts.models
from django.db import migrations, models

BATCH = 1000


def _image_ids(content) -> set[int]:
    # As cms.posts.image_holds.images_in reads it, kept here as it is today.
    ids = set()
    for row in (content or {}).get("media") or []:
        image_id = row.get("image") if isinstance(row, dict) else None
        if isinstance(image_id, int) or (isinstance(image_id, str) and image_id.isdigit()):
            ids.add(int(image_id))
    return ids


def record_images_of_existing_revisions(apps, schema_editor):
    """Every post revision saved before this migration gets its rows, so images under the
    approvals already given are held from the moment it runs."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Revision = apps.get_model("wagtailcore", "Revision")
    Image = apps.get_model("wagtailimages", "Image")
    RevisionImage = apps.get_model("posts", "RevisionImage")
    post_type = ContentType.objects.filter(app_label="posts", model="post").first()
    if post_type is None:
        return
    existing = set(Image.objects.values_list("pk", flat=True))
    rows = []
    revisions = Revision.objects.filter(base_content_type=post_type).only("pk", "content")
    for revision in revisions.iterator(chunk_size=BATCH):
        rows += [
            RevisionImage(revision_id=revision.pk, image_id=image_id)
            for image_id in _image_ids(revision.content) & existing
        ]
        if len(rows) >= BATCH:
            RevisionImage.objects.bulk_create(rows, ignore_conflicts=True)
            rows = []
    RevisionImage.objects.bulk_create(rows, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("posts", "0003_checked_revision"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
    ]

    operations = [
        migrations.CreateModel(
            name="RevisionImage",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "image",
                    models.ForeignKey(
                        on_delete=cms.posts.models.cascade_unless_held, related_name="+", to="wagtailimages.image"
                    ),
                ),
                (
                    "revision",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="post_images",
                        to="wagtailcore.revision",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("revision", "image"), name="one_row_per_revision_image")
                ],
            },
        ),
        migrations.RunPython(record_images_of_existing_revisions, migrations.RunPython.noop),
    ]
