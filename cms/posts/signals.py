"""Images held by approvals (image_holds.py): which images each revision uses, written however
the revision is saved, and the hold checked however an image is changed. (Deleting one meets
the hold in RevisionImage.image's on_delete.)"""

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from wagtail.images import get_image_model
from wagtail.models import Revision

from .image_holds import HELD_FIELDS, record_revision_images, refuse_change
from .models import Post


@receiver(post_save, sender=Revision)
def record_images_of_post_revisions(sender, instance, update_fields=None, **kwargs):
    if update_fields is not None and "content" not in update_fields:
        return  # scheduling and approval bookkeeping leave the content as it was
    if instance.base_content_type_id == ContentType.objects.get_for_model(Post).pk:
        record_revision_images(instance)


@receiver(pre_save, sender=get_image_model())
def keep_held_images_as_they_are(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or (update_fields is not None and not set(update_fields) & set(HELD_FIELDS)):
        return  # fixtures; Wagtail's own bookkeeping (the file's hash and size)
    refuse_change(instance)
