"""Keep Wagtail group membership in step with brand memberships and client accounts."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import BrandMembership, ClientUser
from .services import sync_user_access


@receiver([post_save, post_delete], sender=BrandMembership)
@receiver([post_save, post_delete], sender=ClientUser)
def membership_changed(sender, instance, **kwargs):
    sync_user_access(user=instance.user)
