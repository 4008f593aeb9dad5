"""Keep Wagtail group membership in step with brand memberships, client accounts and brands."""

from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from .models import Brand, BrandMembership, ClientUser
from .services import remove_brand_access, sync_user_access


@receiver(pre_save, sender=BrandMembership)
@receiver(pre_save, sender=ClientUser)
def remember_previous_user(sender, instance, **kwargs):
    # A membership row handed to someone else must take access away from the first person too.
    instance._previous_user_id = (
        sender.objects.filter(pk=instance.pk).values_list("user_id", flat=True).first()
        if instance.pk
        else None
    )


@receiver([post_save, post_delete], sender=BrandMembership)
@receiver([post_save, post_delete], sender=ClientUser)
def membership_changed(sender, instance, **kwargs):
    sync_user_access(user=instance.user)
    previous = getattr(instance, "_previous_user_id", None)
    if previous and previous != instance.user_id:
        sync_user_access(user=type(instance.user).objects.get(pk=previous))


@receiver(pre_delete, sender=Brand)
def brand_deleted(sender, instance, **kwargs):
    remove_brand_access(brand=instance)
