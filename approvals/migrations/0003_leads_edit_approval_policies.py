"""Account leads edit their brands' approval policies (the policy narrows this to their brands)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    app_config = apps.get_app_config("approvals")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    view = Permission.objects.get(content_type__app_label="approvals", codename="view_approvalpolicy")
    change = Permission.objects.get(content_type__app_label="approvals", codename="change_approvalpolicy")
    for group in Group.objects.filter(name__in=["Creative", "Reviewer"]):
        group.permissions.add(view)
    for group in Group.objects.filter(name="Account lead"):
        group.permissions.add(view, change)


class Migration(migrations.Migration):
    dependencies = [("approvals", "0002_agency_workflow")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
