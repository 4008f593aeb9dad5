"""Create the platforms and the role groups with exactly the Wagtail permissions each role needs.

Collection permissions are not here: they are per brand, granted through each brand's access
groups as memberships change (brands.services.sync_user_access).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PLATFORMS = [
    ("instagram", "Instagram"),
    ("facebook", "Facebook"),
    ("x", "X"),
    ("linkedin", "LinkedIn"),
    ("tiktok", "TikTok"),
]

ROLE_PERMISSIONS = {
    "Creative": [
        "wagtailadmin.access_admin",
        "posts.add_post",
        "posts.change_post",
        "posts.view_post",
        "posts.lock_post",
        "brands.view_brand",
        "brands.view_brandkit",
    ],
    "Reviewer": [
        "wagtailadmin.access_admin",
        "posts.change_post",
        "posts.view_post",
        "posts.lock_post",
        "posts.publish_post",
        "brands.view_brand",
        "brands.view_brandkit",
    ],
    "Account lead": [
        "wagtailadmin.access_admin",
        "posts.add_post",
        "posts.change_post",
        "posts.view_post",
        "posts.delete_post",
        "posts.lock_post",
        "posts.unlock_post",
        "posts.publish_post",
        "brands.view_brand",
        "brands.view_brandkit",
        "brands.change_brandkit",
    ],
    # Clients use the portal only: no Wagtail permission at all, not even admin access.
    "Client": [],
}


def create_platforms_and_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now so we can grant them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    # Wagtail adds publish/lock/unlock permissions for snippets after migrating; add them now.
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    post_type, _ = ContentType.objects.get_or_create(app_label="posts", model="post")
    for action in ["publish", "lock", "unlock"]:
        Permission.objects.get_or_create(
            content_type=post_type, codename=f"{action}_post", defaults={"name": f"Can {action} post"}
        )

    Platform = apps.get_model("brands", "Platform")
    for order, (code, name) in enumerate(PLATFORMS):
        Platform.objects.update_or_create(code=code, defaults={"name": name, "sort_order": order})

    Group = apps.get_model("auth", "Group")
    # Wagtail's starter groups hold image permissions on the root collection, i.e. on every
    # brand's assets; brand access here comes only from memberships, so remove them.
    Group.objects.filter(name__in=["Moderators", "Editors"]).delete()
    for group_name, permission_names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        permissions = [
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
            for app_label, codename in (name.split(".") for name in permission_names)
        ]
        group.permissions.set(permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("brands", "0001_initial"),
        ("posts", "0001_initial"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_platforms_and_groups, migrations.RunPython.noop)]
