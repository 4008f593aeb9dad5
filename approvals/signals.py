from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.models import Revision, TaskState, WorkflowState
from wagtail.signals import task_submitted, workflow_approved, workflow_rejected, workflow_submitted

from brands.models import Brand
from cms.posts.models import Post

from .models import ApprovalPolicy
from .services import log_lapsed_approvals


@receiver(post_save, sender=Brand)
def give_new_brands_a_policy(sender, instance, created, **kwargs):
    ApprovalPolicy.objects.get_or_create(brand=instance)


@receiver(post_save, sender=Revision)
def log_approvals_lapsed_by_an_edit(sender, instance, created, **kwargs):
    # Every new revision of a post, however it is made (editor, API, revert): the audit can't
    # depend on which screen the change came from.
    if created and instance.base_content_type_id == ContentType.objects.get_for_model(Post).pk:
        log_lapsed_approvals(revision=instance)


def leave_posts_out_of_wagtails_workflow_emails() -> None:
    """Wagtail e-mails workflow events (to the task's groups, superusers, the requester) in the
    request itself; posts get Signoff's brand-scoped e-mails from background tasks instead
    (approvals.notifications). Anything else under a workflow keeps Wagtail's.

    Wagtail connects its notifiers in wagtail.admin's ready(), under fixed dispatch_uids.
    Django keeps one receiver per dispatch_uid and sender, so connecting ours under the same
    uids first (our ready() runs earlier, by INSTALLED_APPS order) makes Wagtail's connect a
    no-op; disconnecting first covers the other order.
    https://docs.djangoproject.com/en/5.2/topics/signals/#preventing-duplicate-signals
    """
    from wagtail.admin import signal_handlers as wagtail_handlers

    for signal, notifier, sender, dispatch_uid in [
        (
            task_submitted,
            wagtail_handlers.task_submission_email_notifier,
            TaskState,
            "group_approval_task_submitted_email_notification",
        ),
        (
            workflow_submitted,
            wagtail_handlers.workflow_submission_email_notifier,
            WorkflowState,
            "workflow_state_submitted_email_notification",
        ),
        (
            workflow_rejected,
            wagtail_handlers.workflow_rejection_email_notifier,
            WorkflowState,
            "workflow_state_rejected_email_notification",
        ),
        (
            workflow_approved,
            wagtail_handlers.workflow_approval_email_notifier,
            WorkflowState,
            "workflow_state_approved_email_notification",
        ),
    ]:
        signal.disconnect(sender=sender, dispatch_uid=dispatch_uid)
        signal.connect(_except_for_posts(notifier), sender=sender, dispatch_uid=dispatch_uid, weak=False)


def _except_for_posts(notifier):
    def notify(sender, instance, **kwargs):
        workflow_state = instance if isinstance(instance, WorkflowState) else instance.workflow_state
        if workflow_state.base_content_type_id != ContentType.objects.get_for_model(Post).pk:
            notifier(sender=sender, instance=instance, **kwargs)

    return notify
