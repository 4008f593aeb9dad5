from django.db.models.signals import post_save
from django.dispatch import receiver

from brands.models import Brand

from .models import ApprovalPolicy


@receiver(post_save, sender=Brand)
def give_new_brands_a_policy(sender, instance, created, **kwargs):
    ApprovalPolicy.objects.get_or_create(brand=instance)
