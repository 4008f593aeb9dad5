"""Reads of publishing and the archive, scoped to the user's brands (the same scoping as every
other list)."""

import functools
import html
import logging
import re
import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db import OperationalError, connection, transaction
from django.db.models import BooleanField, Exists, Expression, F, FloatField, OuterRef, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.utils.safestring import SafeString, mark_safe

from brands.checks.similarity import (
    NEAR_DUPLICATE_MIN_WORDS,
    ArchivedCaption,
    significant_words,
    similarity_score,
    without_stop_words,
    words_of,
)
from brands.models import Brand
from brands.selectors import brands_for, brands_of_client_user

from .models import ArchiveApprover, ArchiveEntry, Delivery, approval_steps
from .wagtail_search import search_entries, searched_through_wagtail

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


# Archive search ---------------------------------------------------------------------------------
#
# One selector for the admin, the portal and the API. The index is the database's own (migration
# 0003): PostgreSQL full-text search over a generated tsvector column with a GIN index, SQLite FTS5.
# SIGNOFF_ARCHIVE_SEARCH="wagtail" asks Wagtail's search backend instead (cms.archive.wagtail_search):
# its database backend, or OpenSearch/Elasticsearch for agencies that outgrow one database (see
# docs/archive-search.md).

RELEVANCE, NEWEST = "relevance", "newest"
ORDERS = (RELEVANCE, NEWEST)
# Relevance ranks the newest this-many matches: ranking every match of a common word in a
# million entries takes seconds; the newest thousand are found through the date index at once.
RELEVANCE_WINDOW = 1000
QUERY_MAX_LENGTH = 500
# SQLite's FTS5 tables (migrations 0003 and 0008), with bm25's weight of each column (a title
# word counts most, then the caption). Staff search titles too; clients never see an entry's
# internal title, so search a table without it: neither matched nor, through the row's length,
# ranked on it.
FTS_TABLES = {
    False: ("archive_archiveentry_fts", "10.0, 5.0, 2.0, 2.0"),
    True: ("archive_archiveentry_client_fts", "5.0, 2.0, 2.0"),
}

_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+", re.UNICODE)
_SUFFIXES = ("ing", "ed", "es", "s", "ly")


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]  # one word, or a phrase
    negated: bool = False
    or_before: bool = False  # joined to the term before it by OR


def parse_query(text: str) -> list[Term]:
    """A search box's text as web search syntax: words, "a phrase", -excluded, OR. Anything
    else (operators of FTS5 or tsquery, punctuation, emoji) is no more than a word separator, so
    no input can make the engine raise."""
    terms: list[Term] = []
    pending_or = False
    for match in _TOKEN.finditer(clean_query(text)):
        dash, phrase, bare = match.groups()
        if bare == "OR":
            pending_or = bool(terms)
            continue
        negated = bool(dash) or (bare is not None and bare.startswith("-"))
        words = tuple(word.lower() for word in _WORD.findall(phrase if bare is None else bare))
        if words:
            terms.append(Term(words, negated=negated, or_before=pending_or and not negated))
        pending_or = False
    return terms


def clean_query(text: str) -> str:
    """Without NUL bytes (PostgreSQL refuses them) and cut to QUERY_MAX_LENGTH."""
    return (text or "").replace("\x00", " ").strip()[:QUERY_MAX_LENGTH]


def _fts5_expression(terms: list[Term]) -> tuple[str, str]:
    """(what must match, what must not) as FTS5 expressions, every word quoted. AND binds
    tighter than OR, as in PostgreSQL's websearch_to_tsquery: `a OR b c` is a, or b and c."""
    alternatives: list[list[str]] = []
    for term in terms:
        if term.negated:
            continue
        quoted = '"' + " ".join(term.words) + '"'
        if term.or_before or not alternatives:
            alternatives.append([quoted])
        else:
            alternatives[-1].append(quoted)
    positive = " OR ".join("(" + " AND ".join(group) + ")" for group in alternatives)
    negative = " OR ".join('"' + " ".join(term.words) + '"' for term in terms if term.negated)
    return positive, negative


@dataclass(frozen=True)
class ArchiveScope:
    """Whose archive a user may search, read in one query: the time zone of each brand by id,
    and whether they read it as a client (a portal user with no brand of their own as staff)."""

    time_zones: dict[int, str]
    client_only: bool


def archive_scope(user) -> ArchiveScope:
    """The same brands as archive_brands_for(), and whether the user reads them as a client, at
    once: a search asks both, and on a selective term these small queries cost more than the
    search."""
    if not user.is_authenticated or not user.is_active:
        return ArchiveScope({}, client_only=True)
    if user.is_superuser:
        return ArchiveScope(dict(Brand.objects.values_list("pk", "time_zone")), client_only=False)
    with connection.cursor() as cursor:
        cursor.execute(_scope_sql(connection.alias), [user.pk, user.pk])
        rows = cursor.fetchall()
    time_zones, staff = {}, False
    for pk, time_zone, member_id in rows:
        time_zones[pk] = time_zone
        staff = staff or member_id == user.pk
    return ArchiveScope(time_zones, client_only=not staff)


# No user has this id: it marks where a user's id goes in the scope's SQL.
_ANY_USER = 0


def _scope_rows(user_id: int):
    """Each brand of the user (staff of it, or of its client as a portal user) with its time zone,
    once per member of the brand: one plain join, cheaper to plan than a subquery per condition."""
    return (
        Brand.objects.filter(Q(memberships__user_id=user_id) | Q(client__client_users__user_id=user_id))
        .values_list("pk", "time_zone", "memberships__user_id")
        .distinct()
        .order_by()
    )


@functools.cache
def _scope_sql(alias: str) -> str:
    """_scope_rows' SQL, compiled by the ORM once per database and then asked with each user's id:
    its only value, and building and compiling it cost twice what running it does."""
    sql, params = _scope_rows(_ANY_USER).query.get_compiler(using=alias).as_sql()
    if tuple(params) != (_ANY_USER, _ANY_USER):  # never ask it with a user's id in the wrong place
        raise RuntimeError(f"The archive scope's SQL changed shape: {params!r}")
    return sql


def archive_brands_for(user) -> QuerySet[Brand]:
    """The brands whose archive a user may search: staff their brands (every brand for a
    superuser), a client user their client's brands."""
    return Brand.objects.filter(
        Q(pk__in=brands_for(user).values("pk")) | Q(pk__in=brands_of_client_user(user).values("pk"))
    )


def search_archive(
    *,
    user,
    query: str = "",
    brand: Brand | int | None = None,
    platform: str = "",
    since: date | None = None,
    until: date | None = None,
    campaign: str = "",
    intent: str = "",
    format: str = "",
    author: int | None = None,
    approver: int | None = None,
    hashtag: str = "",
    order: str = RELEVANCE,
    client_view: bool | None = None,
    scope: ArchiveScope | None = None,
) -> QuerySet[ArchiveEntry]:
    """The archive entries a user may see that match the query and filters, newest first or the
    most relevant first (among the newest RELEVANCE_WINDOW matches). Dates are days in each
    brand's own time zone, both ends included. `client_view` (default: the user is a client and
    nothing else) leaves internal titles out of the match. `scope`: the user's archive_scope(),
    if the caller has read it already."""
    scope = scope or archive_scope(user)
    time_zones = scope.time_zones
    if brand is not None:
        wanted = getattr(brand, "pk", brand)
        time_zones = {pk: zone for pk, zone in time_zones.items() if pk == wanted}
    if client_view is None:
        client_view = scope.client_only
    if client_view:
        author = None  # clients never see who wrote a post, so can't filter by it either
    terms = parse_query(query)
    ranked = order != NEWEST and any(not term.negated for term in terms)
    exact = {
        "platform": platform,
        "intent": intent,
        "format": format,
        "author": author,
        "since": since,
        "until": until,
    }
    other = {"campaign": campaign, "approver": approver, "hashtag": hashtag}
    if searched_through_wagtail():
        entries = _filtered_for_a_search_backend(time_zones, **exact, **other)
        if terms:
            entries = search_entries(
                entries, terms, ranked=ranked, client_view=client_view, window=RELEVANCE_WINDOW
            )
        else:
            entries = entries.order_by("-published_at", "-pk")
        return _for_listing(entries)

    # The brand ids, not a subquery: the search's own SQL is then simpler to build and to plan
    # (the planner sees which brands, not a subquery it must guess the size of).
    in_scope = ArchiveEntry.objects.filter(brand_id__in=list(time_zones))
    entries = _with_other_filters(_with_exact_filters(in_scope, time_zones, **exact), **other)
    if terms:
        entries, rank = _matching(entries, terms, client_view=client_view)
    newest_first = entries.order_by("-published_at", "-pk")
    if not ranked:
        return _for_listing(newest_first)
    window = newest_first.values("pk")[:RELEVANCE_WINDOW]
    return _for_listing(
        ArchiveEntry.objects.filter(pk__in=window)
        .annotate(rank=rank)
        .order_by("-rank", "-published_at", "-pk")
    )


class TableSQL(Expression):
    """SQL about the query's own table (written `{t}.column`, for what the model does not
    declare, such as the search vector): the table's alias is filled in as it is compiled, so it
    stays right when the query becomes a subquery (where Django renames the table U0)."""

    def __init__(self, sql: str, params, output_field):
        super().__init__(output_field=output_field)
        self.sql, self.params = sql, tuple(params)

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return self.sql.replace("{t}", table), list(self.params)


def _filtered_for_a_search_backend(time_zones: dict[int, str], *, campaign, approver, hashtag, **exact):
    """search_archive's scope and filters as Wagtail's search backends take them: the exact ones
    as they are; the other three as the ids of the entries they keep (a subquery inside the
    database backends' SQL; a search server gets the ids)."""
    in_scope = ArchiveEntry.objects.filter(brand_id__in=list(time_zones))
    entries = _with_exact_filters(in_scope, time_zones, **exact)
    if campaign or approver or hashtag:
        kept = _with_other_filters(in_scope, campaign=campaign, approver=approver, hashtag=hashtag)
        entries = entries.filter(id__in=kept.values("pk"))
    return entries


def _with_exact_filters(
    entries, time_zones: dict[int, str], *, platform, intent, format, author, since, until
):
    """The filters on ArchiveEntry's own values and ranges (its FilterFields, so any search
    backend takes them too)."""
    if platform:
        entries = entries.filter(platform_id=platform)
    if intent:
        entries = entries.filter(intent=intent)
    if format:
        entries = entries.filter(format=format)
    if author:
        entries = entries.filter(author_id=author)
    if since or until:
        entries = entries.filter(_in_days(time_zones, since, until))
    return entries


def _with_other_filters(entries, *, campaign, approver, hashtag):
    """The filters a search backend can't be asked: a campaign in any case, an approver, a hashtag."""
    if campaign:
        entries = entries.filter(campaign__iexact=campaign.strip())
    if approver:
        entries = entries.filter(
            Exists(ArchiveApprover.objects.filter(entry=OuterRef("pk"), user_id=approver))
        )
    if hashtag:
        entries = _with_hashtag(entries, hashtag.strip().lstrip("#").lower())
    return entries


def _for_listing(entries: QuerySet[ArchiveEntry]) -> QuerySet[ArchiveEntry]:
    return entries.select_related("brand", "platform", "author")


def _tsquery(terms: list[Term]) -> tuple[str, list[str]]:
    """The query as PostgreSQL tsquery SQL, and its values: what it wants (its words and phrases,
    OR between groups, through websearch_to_tsquery, which never raises) and none of what it
    excludes, whichever alternative matched. Given as typed, PostgreSQL binds a `-word` to the
    alternative it follows (`a OR b -c` is a, or b without c), where the other engines leave it out
    of all of them (found by an attack)."""
    wanted: list[str] = []
    excluded: list[str] = []
    for term in terms:
        quoted = '"' + " ".join(term.words) + '"'
        if term.negated:
            excluded.append(quoted)
            continue
        if term.or_before and wanted:
            wanted.append("OR")
        wanted.append(quoted)
    function = "websearch_to_tsquery('english'::regconfig, %s)"
    parts, values = [], []
    if wanted:
        parts.append(function)
        values.append(" ".join(wanted))
    if excluded:
        parts.append("!!" + function)
        values.append(" OR ".join(excluded))
    return "(" + " && ".join(parts) + ")", values


def _matching(entries, terms, *, client_view):
    """The entries that match, and the expression of their rank (higher is better)."""
    vendor = connection.vendor
    if vendor == "postgresql":
        # Clients never match on the internal title (weight A), neither to find an entry nor to
        # leave one out with -word, nor in its rank: the vector without it has its own GIN index
        # (migration 0006), whose statistics also tell the planner how many entries match.
        vector = "ts_filter({t}.search_vector, '{b,c}')" if client_view else "{t}.search_vector"
        tsquery, values = _tsquery(terms)
        entries = entries.filter(TableSQL(f"{vector} @@ {tsquery}", values, output_field=BooleanField()))
        return entries, TableSQL(f"ts_rank({vector}, {tsquery})", values, output_field=FloatField())
    if vendor == "sqlite":
        positive, negative = _fts5_expression(terms)
        table, weights = FTS_TABLES[client_view]
        matching = f"SELECT rowid FROM {table} WHERE {table} MATCH %s"
        if positive:
            expression = f"(({positive})" + (f" NOT ({negative})" if negative else "") + ")"
            entries = entries.filter(
                TableSQL(f"{{t}}.id IN ({matching})", [expression], output_field=BooleanField())
            )
            # bm25: lower is better.
            rank = TableSQL(
                f"(SELECT -bm25({table}, {weights}) FROM {table} WHERE {table} MATCH %s AND rowid = {{t}}.id)",
                [expression],
                output_field=FloatField(),
            )
            return entries, rank
        entries = entries.exclude(
            TableSQL(f"{{t}}.id IN ({matching})", [f"({negative})"], output_field=BooleanField())
        )
        return entries, Value(0.0)
    # Any other database: a plain scan, every word somewhere in the caption or campaign.
    for term in terms:
        phrase = " ".join(term.words)
        found = Q(caption__icontains=phrase) | Q(campaign__icontains=phrase)
        if not client_view:
            found |= Q(title__icontains=phrase)
        entries = entries.exclude(found) if term.negated else entries.filter(found)
    return entries, Value(0.0)


def _with_hashtag(entries, tag: str):
    if connection.vendor == "postgresql":
        return entries.filter(hashtags__contains=[tag])
    return entries.filter(
        TableSQL(
            "EXISTS (SELECT 1 FROM json_each({t}.hashtags) WHERE json_each.value = %s)",
            [tag],
            output_field=BooleanField(),
        )
    )


# Days outside these bound nothing in any archive; clamped to them, every day's start and end
# exist in every time zone (date.min or date.max would overflow).
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)


def _in_days(time_zones: dict[int, str], since: date | None, until: date | None) -> Q:
    """Published on or after `since` and on or before `until`, each a day in the entry's brand's
    time zone (`time_zones`: brand id → zone): one condition per zone, on the entry's own columns
    (so a search backend can take it too)."""
    brands_in: dict[str, list[int]] = {}
    for brand_id, zone in time_zones.items():
        brands_in.setdefault(zone, []).append(brand_id)
    condition = Q(pk__in=[])
    since = max(since, FIRST_DAY) if since else None  # however the caller got past the forms
    until = min(until, LAST_DAY) if until else None
    for zone, brand_ids in sorted(brands_in.items()):
        tz = zoneinfo.ZoneInfo(zone)
        in_zone = Q(brand_id__in=brand_ids)
        if since:
            in_zone &= Q(published_at__gte=datetime.combine(since, time.min, tzinfo=tz))
        if until:
            in_zone &= Q(published_at__lt=datetime.combine(until + timedelta(days=1), time.min, tzinfo=tz))
        condition |= in_zone
    return condition


def highlight_words(query: str) -> list[str]:
    """The words of a query that an entry's text is marked for."""
    return [word for term in parse_query(query) if not term.negated for word in term.words]


def highlight(text: str, words: list[str], *, around: int | None = None) -> SafeString:
    """`text` escaped, with each word that matches one of `words` (or shares its stem: "launch"
    marks "launches", as the engines' stemming finds it) inside <mark>. With `around`, only that
    many characters about the first match, cut at words, with "…" where text was left out."""
    text = text or ""
    pattern = _cached_pattern(tuple(words))
    matches = list(pattern.finditer(text)) if pattern else []
    start, end = 0, len(text)
    if around is not None and len(text) > around:
        first = matches[0].start() if matches else 0
        start = max(0, first - around // 4)
        if start:
            start = text.find(" ", start) + 1 or start
        end = min(len(text), start + around)
        if end < len(text):
            end = text.rfind(" ", start, end) if text.rfind(" ", start, end) > start else end
    pieces, position = [], start
    for match in matches:
        if match.start() < start or match.end() > end:
            continue
        pieces.append(html.escape(text[position : match.start()]))
        pieces.append(f"<mark>{html.escape(match.group())}</mark>")
        position = match.end()
    # The standard library's escape, as Django's own does, without its lazy-string check per piece
    # (a page of 50 highlights in the API).
    pieces.append(html.escape(text[position:end]))
    return mark_safe(("…" if start else "") + "".join(pieces) + ("…" if end < len(text) else ""))


@functools.lru_cache(maxsize=256)
def _cached_pattern(words: tuple[str, ...]):
    return _highlight_pattern(list(words))


def _highlight_pattern(words: list[str]):
    stems = set()
    for word in words:
        stem = word
        for suffix in _SUFFIXES:
            if stem.endswith(suffix) and len(stem) - len(suffix) >= 3:
                stem = stem[: -len(suffix)]
                break
        stems.add(re.escape(stem))
    if not stems:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(sorted(stems, key=len, reverse=True)) + r")\w*", re.IGNORECASE)


def archive_choices(user, *, brand: Brand | None = None, people: bool = True) -> dict[str, list]:
    """What the search form offers: the user's brands, and the campaigns, authors and approvers
    found in their archive (the last two not for clients: `people=False`)."""
    brands = archive_brands_for(user)
    if brand is not None:
        brands = brands.filter(pk=brand.pk)
    entries = ArchiveEntry.objects.filter(brand__in=brands)
    User = get_user_model()
    return {
        "brands": list(brands.order_by("name").values_list("pk", "name")),
        "campaigns": list(
            entries.exclude(campaign="")
            .order_by("campaign")
            .values_list("campaign", flat=True)
            .distinct()[:500]
        ),
        "authors": []
        if not people
        else list(
            User.objects.filter(pk__in=entries.values("author_id"))
            .order_by("username")
            .values_list("pk", "username")
        ),
        "approvers": []
        if not people
        else list(
            User.objects.filter(pk__in=ArchiveApprover.objects.filter(entry__in=entries).values("user_id"))
            .order_by("username")
            .values_list("pk", "username")
        ),
    }


# Pages of results, as the admin and the portal list them: counted up to this many (a count of
# every match of a common word in a large archive costs more than the page itself).
LISTED_AT_MOST = 10_000


def highlighted_page(entries: QuerySet[ArchiveEntry], page_number, *, query: str, per_page: int = 25):
    """One page of `entries` (a search_archive result), each with `snippet` (its caption about
    the first match, marked), `title_marked` and `approved_by` (the approvals of its chain). `page.capped`
    says when only the first LISTED_AT_MOST are listed."""
    page = Paginator(entries[:LISTED_AT_MOST], per_page).get_page(page_number)
    page.capped = page.paginator.count >= LISTED_AT_MOST
    words = highlight_words(query)
    rows = list(page.object_list)
    for entry in rows:
        entry.snippet = highlight(entry.caption, words, around=280)
        entry.title_marked = highlight(entry.title, words)
        entry.approved_by = approval_steps(entry.approvals)
    page.object_list = rows
    return page
