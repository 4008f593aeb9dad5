"""A decision's follow-up waits until follow_up_due_at: after a failure (as retry_follow_up_at did)
and now also for the few seconds in which the reviewer may undo it."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("approvals", "0007_content_hash_in_utc")]

    operations = [
        migrations.RenameField(model_name="reviewdecision", old_name="retry_follow_up_at", new_name="follow_up_due_at"),
    ]
