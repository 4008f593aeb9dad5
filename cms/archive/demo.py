"""The demo's archived history (called by `manage.py seed_demo`, brands.demo): a few hundred
entries per demo brand written by cms.archive.seeding, and the brand's first published demo post
put out through its real channel and delivery (a manual channel: recorded as posted by the lead,
as the publishing desk does), so its entries have real deliveries. Re-running adds nothing."""

from datetime import datetime

from brands.models import Brand

from .delivering import deliver, record_manual_post
from .models import Delivery
from .seeding import seed_archive, seeded_entries

HISTORY_PER_BRAND = 300


def seed_demo_history(
    *, brand: Brand, first_published_title: str | None, lead, now: datetime
) -> dict[str, int]:
    """The brand's demo history; returns what it wrote ({"archive entries": n, "deliveries": n})."""
    created = {"archive entries": 0, "deliveries recorded": 0}
    if not seeded_entries(brand).exists():
        created["archive entries"] = seed_archive(
            brand=brand, count=HISTORY_PER_BRAND, now=now, seed=f"signoff-demo-{brand.slug}", years=3
        )
    if first_published_title is None:
        return created
    waiting = Delivery.objects.filter(
        post__brand=brand,
        post__title=first_published_title,
        status__in=[Delivery.Status.PENDING, Delivery.Status.RETRYING, Delivery.Status.TO_POST],
    ).select_related("channel__platform")
    for delivery in waiting:
        if delivery.status != Delivery.Status.TO_POST:
            # The worker's first step, now: a manual channel puts it on the "to post now" list.
            delivery = deliver(delivery.pk, now=now) or delivery
        if delivery.status == Delivery.Status.TO_POST:
            record_manual_post(
                delivery=delivery,
                user=lead,
                live_url=f"https://{delivery.channel.platform_id}.example/{brand.slug}/demo-{delivery.post_id}",
            )
            created["deliveries recorded"] += 1
            created["archive entries"] += 1
    return created
