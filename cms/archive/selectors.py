"""Reads of publishing, scoped to the user's brands (the same scoping as every other list)."""

from django.db.models import QuerySet

from brands.selectors import brands_for

from .models import Delivery


def deliveries_visible_to(user) -> QuerySet[Delivery]:
    return Delivery.objects.filter(channel__brand__in=brands_for(user)).select_related(
        "post", "channel__brand", "channel__platform", "revision"
    )


def publishing_desk(user) -> dict[str, QuerySet[Delivery]]:
    """The publishing page's lists: to post by hand now, in trouble, and recently delivered."""
    visible = deliveries_visible_to(user)
    return {
        "to_post": visible.filter(status=Delivery.Status.TO_POST).order_by("created_at"),
        "in_trouble": visible.filter(
            status__in=[Delivery.Status.FAILED, Delivery.Status.RETRYING, Delivery.Status.SENDING]
        ).order_by("-created_at"),
        "delivered": visible.filter(status=Delivery.Status.DELIVERED).order_by("-delivered_at")[:50],
    }
