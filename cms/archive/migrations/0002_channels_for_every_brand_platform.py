"""Every platform a brand posts on gets its channel (manual until a lead says otherwise), and the
roles get their permissions: leads configure their brands' channels; everyone on a brand sees
its channels and deliveries (the "to post now" list)."""

import secrets

from django.contrib.auth.management import create_permissions
from django.db import migrations


def channels_and_permissions(apps, schema_editor):
    BrandPlatform = apps.get_model("brands", "BrandPlatform")
    Channel = apps.get_model("archive", "Channel")
    for brand_id, platform_id in BrandPlatform.objects.values_list("brand_id", "platform_id"):
        Channel.objects.get_or_create(
            brand_id=brand_id, platform_id=platform_id, defaults={"webhook_secret": secrets.token_urlsafe(32)}
        )

    app_config = apps.get_app_config("archive")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def permission(codename):
        return Permission.objects.get(content_type__app_label="archive", codename=codename)

    seeing = [permission("view_channel"), permission("view_delivery")]
    for group in Group.objects.filter(name__in=["Creative", "Reviewer"]):
        group.permissions.add(*seeing)
    for group in Group.objects.filter(name="Account lead"):
        group.permissions.add(*seeing, permission("change_channel"))


class Migration(migrations.Migration):
    dependencies = [("archive", "0001_initial"), ("brands", "0003_protect_kit_images")]

    operations = [migrations.RunPython(channels_and_permissions, migrations.RunPython.noop)]
