"""Reads of publishing and the archive, scoped to the user's brands (the same scoping as every
other list)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection
from django.db.models import BooleanField, F, Q, QuerySet
from django.db.models.expressions import RawSQL

from brands.checks.similarity import ArchivedCaption, significant_words, similarity_score
from brands.models import Brand
from brands.selectors import brands_for

from .models import ArchiveEntry, Delivery

# A draft is compared by its first this many characters: enough to tell any two captions apart,
# and a hostile 10 KB caption costs no more than a long one.
COMPARED_LENGTH = 2_000
# How many candidate entries the database hands over to be ranked or judged in Python.
CANDIDATES = 50
# Without trigram search (SQLite), the newest entries holding the draft's rarest words are ranked.
FALLBACK_CANDIDATES = 400
# The near-duplicate warning looks at the brand's own posts of this long ago at most.
RECENT = timedelta(days=90)


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


def archive_entries_visible_to(user) -> QuerySet[ArchiveEntry]:
    """The archive entries of the user's brands (agency staff; clients see theirs in the portal)."""
    return ArchiveEntry.objects.filter(brand__in=brands_for(user))


# "How have we said it before?" ------------------------------------------------------------------


@dataclass(frozen=True)
class SimilarPost:
    """An archived post like the draft: its latest entry and every platform it went out on."""

    entry: ArchiveEntry
    platforms: list[str]
    score: float


def _trigram_search() -> bool:
    return connection.vendor == "postgresql"


def _alike_by_trigrams(entries: QuerySet[ArchiveEntry], text: str) -> QuerySet[ArchiveEntry]:
    """Entries whose caption is like `text` as a whole (pg_trgm `%`) or holds it (`%>`), most
    alike first; both operators use the GIN trigram index (migration 0004)."""
    matches = RawSQL(
        '("archive_archiveentry"."caption" %% %s OR "archive_archiveentry"."caption" %%> %s)',
        [text, text],
        output_field=BooleanField(),
    )
    return (
        entries.filter(matches)
        .annotate(
            likeness=RawSQL(
                'similarity("archive_archiveentry"."caption", %s)'
                ' + word_similarity(%s, "archive_archiveentry"."caption")',
                [text, text],
            )
        )
        .order_by("-likeness", "-published_at")
    )


def _sharing_rare_words(entries: QuerySet[ArchiveEntry], text: str) -> QuerySet[ArchiveEntry] | None:
    """Entries holding any of the draft's rarest words, newest first (no similarity search)."""
    words = significant_words(text)
    if not words:
        return None
    holds_one = Q()
    for word in words:
        holds_one |= Q(caption__icontains=word)
    return entries.filter(holds_one).order_by("-published_at", "-pk")


def similar_archived_posts(
    *, brand: Brand, caption: str, limit: int = 5, exclude_post_id: int | None = None
) -> list[SimilarPost]:
    """The `limit` archived posts of `brand` most like `caption`, most alike first: each post
    once (with its latest entry), however many channels it went out on. Nothing for a caption
    without a word to go on. PostgreSQL ranks by trigram similarity; elsewhere the newest
    entries sharing the draft's rarest words are ranked in Python."""
    text = caption[:COMPARED_LENGTH]
    if not significant_words(text):
        return []
    entries = ArchiveEntry.objects.filter(brand=brand)
    if exclude_post_id is not None:
        entries = entries.exclude(post_id=exclude_post_id)
    if _trigram_search():
        ranked = [
            (entry.likeness, entry.post_id)
            for entry in _alike_by_trigrams(entries, text).only("pk", "post_id", "published_at")[:CANDIDATES]
        ]
    else:
        candidates = _sharing_rare_words(entries, text)
        scored = [
            (similarity_score(text, entry.caption), entry.published_at, entry.post_id)
            for entry in candidates.only("pk", "post_id", "caption", "published_at")[:FALLBACK_CANDIDATES]
        ]
        scored.sort(key=lambda item: (item[0], item[1]), reverse=True)
        ranked = [(score, post_id) for score, _, post_id in scored if score > 0]

    best: dict[int, float] = {}
    for score, post_id in ranked:
        best.setdefault(post_id, score)
        if len(best) == limit:
            break
    if not best:
        return []
    latest: dict[int, ArchiveEntry] = {}
    platforms: dict[int, list[str]] = {}
    for entry in (
        ArchiveEntry.objects.filter(post_id__in=best)
        .select_related("platform", "brand")
        .order_by("post_id", "-published_at", "-pk")
    ):
        latest.setdefault(entry.post_id, entry)
        if entry.platform.name not in platforms.setdefault(entry.post_id, []):
            platforms[entry.post_id].append(entry.platform.name)
    return [
        SimilarPost(entry=latest[post_id], platforms=platforms[post_id], score=score)
        for post_id, score in best.items()
    ]


def near_duplicate_candidates(
    *, brand: Brand, caption: str, now: datetime, exclude_post_id: int | None = None
) -> list[ArchivedCaption]:
    """Published captions the checker compares a draft with (brands.checks.similarity): the
    brand's own of the last 90 days, and any of another client's brands, narrowed in the database
    to the few most alike. Another client's come as words only: no brand, date or platform."""
    text = caption[:COMPARED_LENGTH]
    if not significant_words(text):
        return []
    own = ArchiveEntry.objects.filter(brand=brand, published_at__gte=now - RECENT)
    if exclude_post_id is not None:
        own = own.exclude(post_id=exclude_post_id)
    others = ArchiveEntry.objects.exclude(brand__client_id=brand.client_id)
    if _trigram_search():
        own, others = _alike_by_trigrams(own, text), _alike_by_trigrams(others, text)
        limit = CANDIDATES
    else:
        own, others = _sharing_rare_words(own, text), _sharing_rare_words(others, text)
        limit = FALLBACK_CANDIDATES
    candidates = [
        ArchivedCaption(
            caption=entry["caption"],
            same_brand=True,
            published_at=entry["published_at"],
            platform=entry["platform_name"],
        )
        for entry in own.values("caption", "published_at", platform_name=F("platform__name"))[:limit]
    ]
    candidates += [
        ArchivedCaption(caption=entry_caption, same_brand=False)
        for entry_caption in others.values_list("caption", flat=True)[:limit]
    ]
    return candidates
