"""The agency workflow: senior review, lead review, client approval, for every post.

Each tier decides when it starts whether it applies (approvals.services.tier_applies). The
workflow stays editable in Wagtail's workflow settings. Nobody holds Wagtail's publish
permission for posts any more: the finished workflow publishes.
"""

from django.db import migrations

TIERS = [("senior", "Senior review"), ("lead", "Account-lead review"), ("client", "Client approval")]


def create_agency_workflow(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ReviewTask = apps.get_model("approvals", "ReviewTask")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
    Brand = apps.get_model("brands", "Brand")
    ApprovalPolicy = apps.get_model("approvals", "ApprovalPolicy")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    task_type, _ = ContentType.objects.get_or_create(app_label="approvals", model="reviewtask")
    post_type, _ = ContentType.objects.get_or_create(app_label="posts", model="post")
    workflow, _ = Workflow.objects.get_or_create(name="Agency approval", defaults={"active": True})
    for order, (tier, name) in enumerate(TIERS):
        task = ReviewTask.objects.filter(tier=tier).first() or ReviewTask.objects.create(
            tier=tier, name=name, active=True, content_type=task_type
        )
        WorkflowTask.objects.get_or_create(workflow=workflow, task_id=task.pk, defaults={"sort_order": order})
    WorkflowContentType.objects.update_or_create(content_type=post_type, defaults={"workflow": workflow})

    for brand in Brand.objects.all():
        ApprovalPolicy.objects.get_or_create(brand=brand)

    publish = Permission.objects.filter(content_type=post_type, codename="publish_post")
    for group in Group.objects.filter(name__in=["Creative", "Reviewer", "Account lead"]):
        group.permissions.remove(*publish)


class Migration(migrations.Migration):
    dependencies = [
        ("approvals", "0001_initial"),
        ("brands", "0002_platforms_and_role_groups"),
        ("posts", "0002_finding_override"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_agency_workflow, migrations.RunPython.noop)]
