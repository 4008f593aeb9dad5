"""`manage.py publish_scheduled`, in place of Wagtail's command of the same name: posts go out at
their time with their row locked (approvals.publishing.publish_due_revisions). Posts never expire,
so there is nothing to unpublish. https://docs.wagtail.org/en/stable/reference/management_commands.html#publish-scheduled
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from approvals.publishing import publish_due_revisions


class Command(BaseCommand):
    help = "Publish the approved posts whose scheduled time has come."

    def handle(self, *args, **options):
        published = publish_due_revisions(now=timezone.now())
        if options["verbosity"] > 1 or published:
            self.stdout.write(f"Published {published} scheduled post(s).")
