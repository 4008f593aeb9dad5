from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.signals import published

from brands.models import BrandPlatform
from cms.posts.models import Post
from integrations import events
from integrations.models import EventType

from .delivering import start_deliveries
from .models import ArchiveEntry, Channel
from .wagtail_search import index_new_entry


@receiver(published, sender=Post)
def deliver_what_went_live(sender, instance, revision, **kwargs):
    # Every way a post goes live (the finished workflow, its scheduled time) sends a signal; a
    # scheduled publish sends it once the time comes, when the revision is live.
    if instance.live and instance.live_revision_id == revision.pk:
        start_deliveries(post=instance, revision=revision)
        # The one place every way of going live passes: the post.published webhook event.
        events.emit(
            EventType.POST_PUBLISHED,
            post=instance,
            actor=kwargs.get("user"),
            data={
                "revision": revision.pk,
                "live_at": (instance.last_published_at or revision.created_at).isoformat(),
            },
        )


@receiver(post_save, sender=BrandPlatform)
def give_each_brand_platform_a_channel(sender, instance, created, **kwargs):
    # Manual until a lead sets up a webhook: a published post always goes somewhere.
    if created:
        Channel.objects.get_or_create(brand_id=instance.brand_id, platform_id=instance.platform_id)


@receiver(post_save, sender=ArchiveEntry)
def index_what_was_archived(sender, instance, created, raw=False, **kwargs):
    # Into Wagtail's search index when the archive is searched through it (entries are only ever
    # created: an entry row is never written again).
    if created and not raw:
        index_new_entry(instance)
