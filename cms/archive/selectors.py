"""Reads of publishing and the archive, scoped to the user's brands (the same scoping as every
other list)."""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import OperationalError, connection, transaction
from django.db.models import BooleanField, F, Q, QuerySet
from django.db.models.expressions import RawSQL

from brands.checks.similarity import (
    NEAR_DUPLICATE_MIN_WORDS,
    ArchivedCaption,
    significant_words,
    similarity_score,
    without_stop_words,
    words_of,
)
from brands.models import Brand
from brands.selectors import brands_for

from .models import ArchiveEntry, Delivery

# A draft is compared by its first this many characters: enough to tell any two captions apart,
# and a hostile 10 KB caption costs no more than a long one.
COMPARED_LENGTH = 2_000
# How many candidate entries the database hands over to be ranked or judged in Python.
CANDIDATES = 50
# Without trigram search (SQLite), the newest entries holding any of the draft's rarest words
# (its longest, that is) are ranked.
FALLBACK_CANDIDATES = 400
RARE_WORDS = 6
# The near-duplicate warning looks at the brand's own posts of this long ago at most.
RECENT = timedelta(days=90)

logger = logging.getLogger(__name__)


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


# pg_trgm similarity a caption must reach to be a candidate, against the draft without its stop
# words (so lower than the same captions would score against each other). The strict pass
# answers most questions; the loose one is asked only when the strict found too few posts. So a
# brand with thousands of alike captions (templates, a long campaign) costs no more than one with
# few: a trigram search costs as many captions as pass its threshold.
STRICT, LOOSE = 0.45, 0.25
# Captions nearly the same by their words are well above this by their trigrams.
NEARLY_THE_SAME = 0.35
# A similarity question never holds up the editor longer than this; it then goes on without.
TRIGRAM_TIMEOUT_MS = 1_000

_CAPTION = '"archive_archiveentry"."caption"'


def _alike_as_a_whole(entries: QuerySet, text: str) -> QuerySet:
    """Entries whose caption is like `text` as a whole (pg_trgm's `%`, through the GIN trigram
    index of migration 0004), most alike first. Run by `_trigram_rows`, which sets the threshold."""
    text = without_stop_words(text)
    return (
        entries.filter(RawSQL(f"{_CAPTION} %% %s", [text], output_field=BooleanField()))
        .annotate(likeness=RawSQL(f"similarity({_CAPTION}, %s)", [text]))
        .order_by("-likeness", "-published_at")
    )


def _holding(entries: QuerySet, text: str) -> QuerySet:
    """Entries whose caption holds (most of) a short draft (pg_trgm's `%>`), newest first: many
    captions can hold a few words, and the newest of them are the ones to show."""
    return entries.filter(RawSQL(f"{_CAPTION} %%> %s", [text], output_field=BooleanField())).order_by(
        "-published_at", "-pk"
    )


def _trigram_rows(queryset, *, similarity: float = LOOSE, word_similarity: float = 0.8) -> list | None:
    """The query's rows, with pg_trgm's thresholds set for it alone (SET LOCAL, in a savepoint)
    and a time limit: past it, None (logged), and the editor goes on without."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('pg_trgm.similarity_threshold', %s, true),"
                " set_config('pg_trgm.word_similarity_threshold', %s, true),"
                " set_config('statement_timeout', %s, true)",
                [str(similarity), str(word_similarity), str(int(TRIGRAM_TIMEOUT_MS))],
            )
            return list(queryset)
    except OperationalError:
        logger.warning("A similarity search took over %s ms and was stopped", TRIGRAM_TIMEOUT_MS)
        return None


def _sharing_rare_words(entries: QuerySet, text: str) -> QuerySet:
    """Entries holding any of the draft's rarest words, newest first (no similarity search)."""
    holds_one = Q()
    for word in significant_words(text, count=RARE_WORDS):
        holds_one |= Q(caption__icontains=word)
    return entries.filter(holds_one).order_by("-published_at", "-pk")


def _candidates_for_similar(entries: QuerySet, text: str, limit: int) -> list:
    """Entries that may be among the most similar. On PostgreSQL: the newest captions holding
    the draft (while it is still being written), and, once it is long enough to be alike as a
    whole, those most alike by trigrams. Elsewhere: the newest sharing its rarest words."""
    fields = ("pk", "post_id", "caption", "published_at")
    if not _trigram_search():
        return list(_sharing_rare_words(entries, text).only(*fields)[:FALLBACK_CANDIDATES])
    words = len(words_of(text))
    found = []
    if words <= HOLDING_UP_TO_WORDS:
        found += _trigram_rows(_holding(entries, text).only(*fields)[:CANDIDATES]) or []
    if words > SHORT_DRAFT_WORDS:
        # A few words are in many captions but alike as a whole to none: `%` would weigh them all.
        for threshold in (STRICT, LOOSE):
            alike = _trigram_rows(
                _alike_as_a_whole(entries, text).only(*fields)[:CANDIDATES], similarity=threshold
            )
            if alike is None:  # out of time: what the other question found will do
                break
            if len({entry.post_id for entry in alike}) >= limit or threshold == LOOSE:
                found += alike
                break
    return found


# Drafts of this many words or fewer are still being written: not yet compared as a whole.
SHORT_DRAFT_WORDS = 8
# Captions holding the draft are looked for up to this length (a caption holds a short text).
HOLDING_UP_TO_WORDS = 25


def similar_archived_posts(
    *, brand: Brand, caption: str, limit: int = 5, exclude_post_id: int | None = None
) -> list[SimilarPost]:
    """The `limit` archived posts of `brand` most like `caption`, most alike first: each post
    once (with its latest entry), however many channels it went out on. Nothing for a caption
    without a word to go on. The database narrows the archive to a few candidates (PostgreSQL by
    trigram similarity; elsewhere by the draft's rarest words) and they are ranked here, the same
    way on every database (brands.checks.similarity.similarity_score)."""
    text = caption[:COMPARED_LENGTH]
    if not significant_words(text):
        return []
    entries = ArchiveEntry.objects.filter(brand=brand)
    if exclude_post_id is not None:
        entries = entries.exclude(post_id=exclude_post_id)
    scored = {
        entry.pk: (similarity_score(text, entry.caption), entry.published_at, entry.post_id)
        for entry in _candidates_for_similar(entries, text, limit)
    }
    ranked = [
        (score, post_id)
        for score, _, post_id in sorted(scored.values(), key=lambda item: item[:2], reverse=True)
        if score > 0
    ]

    best: dict[int, float] = {}
    for score, post_id in ranked:
        best.setdefault(post_id, score)
        if len(best) == limit:
            break
    if not best:
        return []
    latest: dict[int, ArchiveEntry] = {}
    platforms: dict[int, set] = {}
    for entry in (
        ArchiveEntry.objects.filter(post_id__in=best)
        .select_related("platform", "brand")
        .order_by("post_id", "-published_at", "-pk")
    ):
        latest.setdefault(entry.post_id, entry)
        platforms.setdefault(entry.post_id, set()).add(entry.platform)
    return [
        SimilarPost(
            entry=latest[post_id],
            platforms=[platform.name for platform in sorted(platforms[post_id], key=lambda p: p.sort_order)],
            score=score,
        )
        for post_id, score in best.items()
    ]


def near_duplicate_candidates(
    *, brand: Brand, caption: str, now: datetime, exclude_post_id: int | None = None
) -> list[ArchivedCaption]:
    """Published captions the checker compares a draft with (brands.checks.similarity): the
    brand's own of the last 90 days, and any of another client's brands, narrowed in the database
    to the few most alike. Another client's come as words only: no brand, date or platform."""
    text = caption[:COMPARED_LENGTH]
    if len(words_of(text)) < NEAR_DUPLICATE_MIN_WORDS or not significant_words(text):
        return []  # too short to be a near duplicate (brands.checks.similarity)
    own = ArchiveEntry.objects.filter(brand=brand, published_at__gte=now - RECENT)
    if exclude_post_id is not None:
        own = own.exclude(post_id=exclude_post_id)
    # Ids, not a join: the planner then sees how few (or many) entries the other brands have.
    other_brands = list(Brand.objects.exclude(client_id=brand.client_id).values_list("pk", flat=True))
    others = ArchiveEntry.objects.filter(brand_id__in=other_brands)
    own_rows = own.values("caption", "published_at", platform_name=F("platform__name"))
    other_rows = others.values("caption")
    if _trigram_search():
        own_rows = (
            _trigram_rows(_alike_as_a_whole(own_rows, text)[:CANDIDATES], similarity=NEARLY_THE_SAME) or []
        )
        other_rows = (
            _trigram_rows(_alike_as_a_whole(other_rows, text)[:CANDIDATES], similarity=NEARLY_THE_SAME) or []
        )
    else:
        own_rows = _sharing_rare_words(own_rows, text)[:FALLBACK_CANDIDATES]
        other_rows = _sharing_rare_words(other_rows, text)[:FALLBACK_CANDIDATES]
    candidates = [
        ArchivedCaption(
            caption=entry["caption"],
            same_brand=True,
            published_at=entry["published_at"],
            platform=entry["platform_name"],
        )
        for entry in own_rows
    ]
    candidates += [ArchivedCaption(caption=entry["caption"], same_brand=False) for entry in other_rows]
    return candidates
