"""The brand kit at a glance: what a creative needs beside the caption while drafting."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from .models import BrandKit, HashtagRule


@dataclass
class UpcomingDate:
    label: str
    day: dt.date
    reason: str


def upcoming_sensitive_dates(kit: BrandKit, *, today: dt.date, days: int = 60) -> list[UpcomingDate]:
    """Sensitive dates in the next `days` days, recurring ones projected onto this or next year."""
    upcoming = []
    for sensitive in kit.sensitive_dates.all():
        day = sensitive.date
        if sensitive.recurs_yearly:
            try:
                day = day.replace(year=today.year)
                if day < today:
                    day = day.replace(year=today.year + 1)
            except ValueError:  # 29 February in a common year
                day = dt.date(day.year if day >= today else today.year + 1, 3, 1)
        if today <= day <= today + dt.timedelta(days=days):
            upcoming.append(UpcomingDate(sensitive.label, day, sensitive.reason))
    return sorted(upcoming, key=lambda item: item.day)


def kits_for_editor(brands) -> list[dict]:
    """Everything the editor's brand-kit panel shows, for each brand, in a fixed number of queries."""
    kits = (
        BrandKit.objects.filter(brand__in=brands)
        .select_related("brand", "logo")
        .prefetch_related(
            "colours",
            "banned_phrases",
            "hashtag_rules",
            "name_spellings",
            "sensitive_dates",
            "approved_images__image",
        )
        .order_by("brand__name")
    )
    summaries = []
    for kit in kits:
        today = timezone.localdate(timezone=kit.brand.tz)
        rules = list(kit.hashtag_rules.all())
        summaries.append(
            {
                "kit": kit,
                "brand": kit.brand,
                "required_hashtags": [
                    rule.hashtag for rule in rules if rule.kind == HashtagRule.Kind.REQUIRED
                ],
                "forbidden_hashtags": [
                    rule.hashtag for rule in rules if rule.kind == HashtagRule.Kind.FORBIDDEN
                ],
                "upcoming_dates": upcoming_sensitive_dates(kit, today=today),
            }
        )
    return summaries
