from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("brands", "0004_image_files_by_name"),
    ]

    operations = [
        migrations.AddField(
            model_name="bannedphrase",
            name="exact",
            field=models.BooleanField(
                default=False,
                help_text="Only this phrase, not its other forms: “sale” but not “sales”. Disguises of it (“$ale”, “s a l e”) are still caught.",
                verbose_name="exact phrase only",
            ),
        ),
    ]
