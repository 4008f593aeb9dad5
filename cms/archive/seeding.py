"""Archived history in bulk: `manage.py seed_archive` (benchmarks) and the demo's history.

Each generated post is a real published Post with its Revision (what the archive entry points
at), its platforms and pictures (from the brand's collection), one ArchiveEntry per platform and
the ArchiveApprover rows of its approval chain (the brand's reviewers, and now and then a lead).
Captions are composed from templates and the brand's own vocabulary (the demo brands have a
voice each; any other brand gets a generic one with its name), end with the brand's required
hashtags, and go out over years of dates in the brand's working hours and time zone. Rows are
written in batches straight into their tables (COPY on PostgreSQL; see _RowWriter): 100,000
entries take under a minute on PostgreSQL.

Nothing here goes through publishing: these are history, written as if it had happened. (The
demo puts one post per brand through the real channels as well: cms.archive.demo.)
"""

import hashlib
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Revision

from brands.models import Brand, BrandMembership, BrandPlatform, BrandRole, HashtagRule
from cms.posts.models import Intent, Post, PostFormat, PostMedia

from .delivering import HASHTAG, channels_for
from .models import ArchiveApprover, ArchiveEntry
from .wagtail_search import index_entries

BATCH = 5_000
# Seeded posts are told apart from the team's by their title.
TITLE_PREFIX = "Archive · "


class UnknownBrand(Exception):
    def __init__(self, slug: str):
        self.slug = slug

    def __str__(self):
        known = ", ".join(Brand.objects.order_by("slug").values_list("slug", flat=True)) or "none yet"
        return f"No brand with the slug “{self.slug}”. Brands: {known}."


@dataclass(frozen=True)
class Voice:
    """How a brand's captions are put together: templates whose {slots} are filled from `words`."""

    templates: tuple[str, ...]
    words: dict[str, tuple[str, ...]]
    campaigns: tuple[str, ...]
    hashtags: tuple[str, ...] = ()  # besides the brand's required ones, some of them some of the time


KILN = Voice(
    templates=(
        "New on the shelf: {origin}, grown by {farm}. Expect {note} and {note2}; it shines in your {brewer}.",
        "Slow {day} tip: grind a touch {grind} for your {brewer} and let it bloom for {seconds} seconds.",
        "{origin} is back for {season}. We roasted it a shade {roast} this year, so the {note} comes through.",
        "Your kettle, your rules. Ours says {temp} degrees for {origin} in the {brewer}. Yours?",
        "Cupping day at the roastery: {origin} tasted of {note}, {note2} and, according to Sam, {joke}.",
        "Open day on {day}: come and see the roaster, taste {origin} and ask us anything about the {brewer}.",
        "Meet {farm}, who grew the {origin} in your cup. We buy direct and pay well above market for their {season} harvest.",
        "{season} blend is here: {origin} with a little {origin2}. Think {note} with a finish of {note2}.",
        "Brew guide: {grams}g of {origin}, {water}ml of water at {temp} degrees, {brewer}. Stir once, then wait.",
        "We got the {brewer} out for {origin} this {day} and the whole team went quiet. So much {note}.",
    ),
    words={
        "origin": (
            "Ethiopia Yirgacheffe",
            "Colombia Huila",
            "Kenya Nyeri",
            "Guatemala Huehuetenango",
            "Rwanda Nyamasheke",
            "Peru Cajamarca",
            "Brazil Mogiana",
            "Costa Rica Tarrazú",
            "Burundi Kayanza",
            "El Salvador Santa Ana",
            "Honduras Marcala",
            "Sumatra Aceh",
        ),
        "farm": (
            "the Abebe family",
            "Finca La Esperanza",
            "the Gakuyu-ini co-op",
            "Doña Maria Ortega",
            "the Kopakama co-op",
            "Finca El Mirador",
            "the Mbiriri washing station",
            "Sítio Pinhal",
        ),
        "note": (
            "peach",
            "milk chocolate",
            "blackcurrant",
            "honey",
            "red apple",
            "toffee",
            "jasmine",
            "plum",
            "brown sugar",
            "orange zest",
            "cherry",
            "hazelnut",
        ),
        "brewer": ("V60", "AeroPress", "cafetière", "Moka pot", "Chemex", "espresso machine"),
        "day": ("Saturday", "Sunday", "Monday", "Friday", "Wednesday"),
        "grind": ("finer", "coarser"),
        "seconds": ("30", "40", "45"),
        "season": ("autumn", "winter", "spring", "summer"),
        "roast": ("lighter", "darker"),
        "temp": ("92", "94", "96"),
        "grams": ("15", "18", "20", "22"),
        "water": ("250", "300", "320"),
        "joke": ("a Tuesday", "his gran's kitchen", "optimism", "the colour orange", "a good decision"),
    },
    campaigns=("Autumn single origins", "Brew guides", "Roastery open day", "Meet the growers", ""),
    hashtags=("#SpecialtyCoffee", "#BrewGuide", "#SingleOrigin", "#HomeBarista"),
)

SWITCHBACK = Voice(
    templates=(
        "{place} at {hour}: {distance} km of {surface}, one flat tyre and the best view in {region}. Lights on for the ride home.",
        "The {bike} on {surface}: {feature} and a {weight} kg frame. Helmet on, then see where the {trail} takes you.",
        "Trail Care day at {place}: {volunteers} of you cleared {distance} km of {trail}. Thank you. Next one is in {month}.",
        "Repair café this {day}: bring your {part} and we'll show you how to fix it yourself.",
        "Ride report: {distance} km around {place}, {climb} m of climbing and a café stop for {snack}.",
        "{month} ride with Ride Kin: a {pace} loop from {place}, {distance} km on {surface}. All speeds welcome.",
        "Our {bike} frames use {material}; the impact report says how much and where it comes from.",
        "First ride on the {bike}? Check your {part}, pump to {pressure} psi and start with the {trail} loop.",
    ),
    words={
        "place": (
            "Kinder Scout",
            "the Peak District",
            "Cannock Chase",
            "Dalby Forest",
            "the South Downs",
            "Glentress",
            "Afan Valley",
            "Swinley Forest",
        ),
        "hour": ("sunrise", "dusk", "6am", "golden hour"),
        "distance": ("12", "24", "38", "45", "60", "82"),
        "surface": ("gravel", "forest road", "singletrack", "chalk", "old railway path"),
        "region": ("the north", "Wales", "the Downs", "Yorkshire"),
        "bike": ("Gravel One", "Tarn e-MTB", "Gravel One Lite", "Tarn Trail"),
        "feature": ("room for 50 mm tyres", "a dropper post", "mounts for three bottles", "a 630 Wh battery"),
        "weight": ("9.4", "10.1", "21.8", "23.2"),
        "trail": ("blue", "red", "forest", "ridge", "valley"),
        "volunteers": ("18", "26", "40", "53"),
        "month": ("March", "May", "June", "September", "October"),
        "day": ("Saturday", "Sunday", "Thursday evening"),
        "part": ("puncture", "squeaky brakes", "slipping gears", "wobbly wheel", "chain"),
        "climb": ("450", "800", "1,200", "1,650"),
        "snack": ("flapjack", "beans on toast", "a bacon roll", "cake"),
        "pace": ("steady", "social", "no-drop"),
        "material": ("recycled aluminium", "60% recycled aluminium", "water-based paint"),
        "pressure": ("30", "35", "40"),
    },
    campaigns=("Gravel One launch", "Trail Care", "Repair café", "Women's gravel series", ""),
    hashtags=("#GravelRiding", "#TrailCare", "#RideKin", "#BikePacking"),
)

LEDGERLY = Voice(
    templates=(
        "Ledgerly Pots now pay {rate}% AER (variable) from {date}. Money in Pots is protected by the FSCS up to £85,000.",
        "A reminder: we will never ask for your {secret} by phone, text or message. If someone does, hang up and call us on the number on your card.",
        "Money basics: a {thing} is {meaning}. Set one up in the app under {menu}.",
        "Open Banking lets you see your {account} in Ledgerly. You choose what to share and you can stop at any time.",
        "Your {month} summary is ready in the app: spending by category, your Pots and any {fee}.",
        "Scam alert: messages about a {scam} are going round. Ledgerly will never {never}.",
        "Saving for {goal}? A Pot with a {period} target helps. Rates can change; we'll tell you first.",
        "New in the app: {feature}. Find it under {menu}.",
    ),
    words={
        "rate": ("3.10", "3.25", "3.40", "3.55", "3.75", "4.00"),
        "date": ("1 March", "1 April", "1 June", "1 September", "1 November"),
        "secret": ("PIN", "password", "full card number", "one-time passcode"),
        "thing": ("standing order", "direct debit", "overdraft", "credit score", "round-up"),
        "meaning": (
            "a payment you set up and control",
            "a payment a company collects with your permission",
            "borrowing with a limit and a cost",
            "a lender's view of your history",
        ),
        "menu": ("Payments", "Pots", "Settings", "Insights"),
        "account": ("other bank accounts", "credit cards", "savings accounts"),
        "month": ("January", "April", "July", "October", "December"),
        "fee": ("fees", "interest earned", "cashback"),
        "scam": ("parcel delivery fee", "refund from HMRC", "new card activation", "account freeze"),
        "never": ("ask you to move money to a safe account", "ask for your PIN", "send a link to sign in"),
        "goal": ("a holiday", "a deposit", "a rainy day", "the car's MOT", "Christmas"),
        "period": ("six-month", "twelve-month", "three-month"),
        "feature": ("spending insights by week", "card freeze in one tap", "shared Pots", "bill reminders"),
    },
    campaigns=("Pots launch", "Fraud awareness", "Money basics", ""),
    hashtags=("#MoneyBasics", "#FraudAwareness"),
)

VOICES = {"kiln-coffee-roasters": KILN, "switchback-cycles": SWITCHBACK, "ledgerly": LEDGERLY}


def generic_voice(brand: Brand) -> Voice:
    return Voice(
        templates=(
            "{opener} from {name}: {topic} {ending}",
            "{topic} {ending} {opener} from all of us at {name}.",
            "This {day} at {name}: {topic} {ending}",
            "Behind the scenes at {name}: {topic} Tell us what you think.",
        ),
        words={
            "name": (brand.name,),
            "opener": ("Good news", "A quick update", "Something new", "A small thank you"),
            "topic": (
                "our new range is in.",
                "we have changed our opening hours.",
                "the team spent the week with customers.",
                "we are hiring.",
                "our winter collection has arrived.",
                "we tried something different this month.",
            ),
            "ending": ("Come and see.", "Link in bio.", "More soon.", "Thanks for being here."),
            "day": ("Monday", "Friday", "weekend"),
        },
        campaigns=("Launch", "Seasonal", ""),
    )


class _Composer:
    """Captions in a brand's voice, from a seeded random source (the same seed, the same history)."""

    def __init__(self, voice: Voice, required: list[str], rng: random.Random):
        self.voice, self.required, self.rng = voice, required, rng

    def caption(self) -> str:
        template = self.rng.choice(self.voice.templates)
        chosen: dict[str, str] = {}
        for slot, words in self.voice.words.items():
            pool = list(words)
            chosen[slot] = self.rng.choice(pool)
            if f"{{{slot}2}}" in template:
                others = [word for word in pool if word != chosen[slot]] or pool
                chosen[f"{slot}2"] = self.rng.choice(others)
        text = template.format(**chosen)
        tags = list(self.required)
        if self.voice.hashtags and self.rng.random() < 0.6:
            tags.append(self.rng.choice(self.voice.hashtags))
        return f"{text}\n\n{' '.join(tags)}" if tags else text


@dataclass
class _Cast:
    authors: list
    seniors: list
    leads: list


def _cast(brand: Brand) -> _Cast:
    members = BrandMembership.objects.filter(brand=brand, user__is_active=True).select_related("user")
    by_role: dict[str, list] = {role: [] for role in BrandRole.values}
    for membership in members.order_by("user_id"):
        by_role[membership.role].append(membership.user)
    authors = by_role[BrandRole.CREATIVE] or by_role[BrandRole.LEAD]
    return _Cast(
        authors=authors,
        seniors=by_role[BrandRole.REVIEWER] or by_role[BrandRole.LEAD],
        leads=by_role[BrandRole.LEAD],
    )


def _published_times(brand: Brand, count: int, rng: random.Random, *, now: datetime, years: float):
    """`count` publishing times over the last `years`, in working hours of the brand's time zone,
    oldest first."""
    tz = brand.tz
    span_days = max(1, int(365 * years))
    today = now.astimezone(tz).date()
    times = []
    for _ in range(count):
        day = today - timedelta(days=rng.randint(1, span_days))
        at = time(rng.randint(7, 20), rng.choice((0, 15, 30, 45)))
        times.append(datetime.combine(day, at, tzinfo=tz))
    return sorted(times)


def _name(user) -> str:
    return user.get_full_name() or user.username


def seed_archive(
    *, brand: Brand, count: int, now: datetime | None = None, seed: int | str | None = None, years: float = 3
) -> int:
    """Write `count` archive entries of `brand` (each post going out on one to three of its
    platforms), with their posts, revisions and approvers. Returns the number of entries written."""
    if count <= 0:
        return 0
    now = now or timezone.now()
    rng = random.Random(seed if seed is not None else f"{brand.slug}-{count}")
    voice = VOICES.get(brand.slug) or generic_voice(brand)
    required = list(
        HashtagRule.objects.filter(kit__brand=brand, kind=HashtagRule.Kind.REQUIRED).values_list(
            "hashtag", flat=True
        )
    )
    composer = _Composer(voice, required, rng)
    platforms = list(
        BrandPlatform.objects.filter(brand=brand).order_by("sort_order").values_list("platform_id", flat=True)
    ) or ["instagram"]
    channels = {channel.platform_id: channel for channel in channels_for(brand, platforms)}
    cast = _cast(brand)
    images = [
        (pk, description or title)
        for pk, title, description in get_image_model()
        .objects.filter(collection_id=brand.collection_id)
        .exclude(title__icontains="logo")
        .order_by("pk")
        .values_list("pk", "title", "description")
    ]
    written: list[int] = []
    with transaction.atomic():
        for batch in _batches(count):
            written += _write_batch(
                brand, batch, rng, composer, platforms, channels, cast, images, now=now, years=years
            )
        # Rows written straight into their tables send no signals: into Wagtail's search index
        # now, when the archive is searched through it.
        index_entries(written)
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # Fresh statistics, so the planner knows the archive grew (autovacuum would, later).
        with connection.cursor() as cursor:
            for model in (ArchiveEntry, ArchiveApprover):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    return len(written)


def _batches(count: int) -> Iterator[int]:
    while count > 0:
        yield min(BATCH, count)
        count -= BATCH


def _platforms_of_post(platforms: list[str], rng: random.Random, room: int) -> list[str]:
    wanted = min(room, rng.choices((1, 2, 3), weights=(55, 30, 15))[0], len(platforms))
    return rng.sample(platforms, wanted)


def _write_batch(
    brand, entries_wanted, rng, composer, platforms, channels, cast, images, *, now, years
) -> list[int]:
    # Plan the batch's posts first: each takes one to three of the entries wanted.
    plans = []
    left = entries_wanted
    while left > 0:
        chosen = _platforms_of_post(platforms, rng, left)
        plans.append(chosen)
        left -= len(chosen)
    times = _published_times(brand, len(plans), rng, now=now, years=years)
    content_type_id = ContentType.objects.get_for_model(Post).pk
    writer = _RowWriter()
    post_ids = writer.new_ids(Post, len(plans))
    revision_ids = writer.new_ids(Revision, len(plans))

    posts, revisions, post_platforms, post_media, entries, approvers = [], [], [], [], [], []
    formats = (PostFormat.FEED, PostFormat.CAROUSEL, PostFormat.REEL, PostFormat.STORY)
    for post_id, revision_id, chosen, published_at in zip(post_ids, revision_ids, plans, times, strict=True):
        caption = composer.caption()
        title = f"{TITLE_PREFIX}{caption.split(chr(10), 1)[0][:80]}"
        author_id = rng.choice(cast.authors).pk if cast.authors else None
        post_format = rng.choices(formats, weights=(60, 15, 15, 10))[0]
        intent = rng.choice(Intent.values)
        campaign = rng.choice(composer.voice.campaigns)
        drafted_at = published_at - timedelta(days=rng.randint(1, 6))
        # Pictures from the brand's collection: one, or a few for a carousel (none if it has none).
        pictures = rng.sample(
            images, min(len(images), rng.randint(2, 4) if post_format == PostFormat.CAROUSEL else 1)
        )
        media = [
            {"sort_order": order, "post": post_id, "image": image_id, "alt_text": alt_text[:250]}
            for order, (image_id, alt_text) in enumerate(pictures)
        ]
        posts.append(
            {
                "id": post_id,
                "brand_id": brand.pk,
                "title": title,
                "caption": caption,
                "format": post_format,
                "intent": intent,
                "campaign": campaign,
                "created_by_id": author_id,
                "created_at": drafted_at,
                "updated_at": published_at,
                "live": True,
                "has_unpublished_changes": False,
                "first_published_at": published_at,
                "last_published_at": published_at,
                "latest_revision_id": revision_id,
                "live_revision_id": revision_id,
            }
        )
        content = {
            "pk": post_id,
            "latest_revision": None,
            "live": True,
            "has_unpublished_changes": False,
            "first_published_at": published_at.isoformat(),
            "last_published_at": published_at.isoformat(),
            "live_revision": None,
            "go_live_at": None,
            "expire_at": None,
            "expired": False,
            "locked": False,
            "locked_at": None,
            "locked_by": None,
            "brand": brand.pk,
            "title": title,
            "caption": caption,
            "format": post_format,
            "intent": intent,
            "cta_label": "",
            "cta_url": "",
            "campaign": campaign,
            "sponsored": False,
            "created_by": author_id,
            "created_at": drafted_at.isoformat(),
            "updated_at": drafted_at.isoformat(),
            "media": media,
            "poll_options": [],
            "caption_variants": [],
            "platforms": chosen,
        }
        revisions.append(
            {
                "id": revision_id,
                "content_type_id": content_type_id,
                "base_content_type_id": content_type_id,
                "object_id": str(post_id),
                "content": content,  # encoded once its media have their ids, below
                "user_id": author_id,
                "object_str": title,
                "created_at": drafted_at,
            }
        )
        post_platforms += [{"post_id": post_id, "platform_id": code} for code in chosen]
        post_media += media
        chain = _approval_chain(cast, rng, published_at)
        common = {
            "post_id": post_id,
            "revision_id": revision_id,
            "brand_id": brand.pk,
            "title": title,
            "caption": caption,
            "media": json.dumps([{"image": item["image"], "alt_text": item["alt_text"]} for item in media]),
            "format": post_format,
            "intent": intent,
            "campaign": campaign,
            "hashtags": json.dumps(sorted({tag.lower() for tag in HASHTAG.findall(caption)})),
            "author_id": author_id,
            "approvals": json.dumps(chain),
            "published_at": published_at,
            "created_at": now,
        }
        for code in chosen:
            entries.append(
                {
                    **common,
                    "channel_id": channels[code].pk,
                    "platform_id": code,
                    "live_url": f"https://{code}.example/{brand.slug}/{post_id}",
                    "_chain": chain,
                }
            )
    for entry, entry_id in zip(entries, writer.new_ids(ArchiveEntry, len(entries)), strict=True):
        entry["id"] = entry_id
        approvers += [
            {"entry_id": entry_id, "user_id": step["user"], "tier": step["tier"]}
            for step in entry.pop("_chain")
        ]
    for approver, approver_id in zip(approvers, writer.new_ids(ArchiveApprover, len(approvers)), strict=True):
        approver["id"] = approver_id
    for item, media_id in zip(post_media, writer.new_ids(PostMedia, len(post_media)), strict=True):
        item["pk"] = media_id  # in the revision's content too: the same dict
    media_rows = [
        {
            "id": item["pk"],
            "sort_order": item["sort_order"],
            "post_id": item["post"],
            "image_id": item["image"],
            "alt_text": item["alt_text"],
        }
        for item in post_media
    ]

    hashes = {}
    for revision in revisions:
        revision["content"] = json.dumps(revision["content"], sort_keys=True)
        hashes[revision["id"]] = hashlib.sha256(revision["content"].encode()).hexdigest()
    for entry in entries:
        entry["content_hash"] = hashes[entry["revision_id"]]

    writer.write(Post, posts)
    writer.write(Revision, revisions)
    writer.write(PostMedia, media_rows)
    writer.write(Post.platforms.through, post_platforms, ids=False)
    writer.write(ArchiveEntry, entries)
    writer.write(ArchiveApprover, approvers)
    return [entry["id"] for entry in entries]


class _RowWriter:
    """Rows straight into their tables, ids given up front: COPY on PostgreSQL, one executemany
    elsewhere. Model instances and Django's bulk_create cost most of the time at this size (the
    rows are plain data already). Columns a row doesn't name get the field's default; generated
    columns are left to the database."""

    def __init__(self):
        self.connection = connections[DEFAULT_DB_ALIAS]
        self.postgres = self.connection.vendor == "postgresql"

    def new_ids(self, model, count: int) -> list[int]:
        if count == 0:
            return []
        table = model._meta.db_table
        with self.connection.cursor() as cursor:
            if self.postgres:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [table, count],
                )
                return [row[0] for row in cursor.fetchall()]
            # SQLite: the transaction holds the write lock, so the ids after the highest are ours.
            cursor.execute(f'SELECT COALESCE(MAX("id"), 0) FROM "{table}"')  # noqa: S608 - a model's table
            highest = cursor.fetchone()[0]
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            known = cursor.fetchone()
            first = max(highest, known[0] if known else 0) + 1
            return list(range(first, first + count))

    def write(self, model, rows: list[dict], *, ids: bool = True) -> None:
        if not rows:
            return
        fields = [
            field
            for field in model._meta.concrete_fields
            if not getattr(field, "generated", False) and (ids or not field.primary_key)
        ]
        defaults = {field.attname: self._default(field) for field in fields}
        columns = [field.column for field in fields]
        names = [field.attname for field in fields]
        quote = self.connection.ops.quote_name
        table = quote(model._meta.db_table)
        values = ([row.get(name, defaults[name]) for name in names] for row in rows)
        with self.connection.cursor() as cursor:
            if self.postgres:
                sql = f"COPY {table} ({', '.join(map(quote, columns))}) FROM STDIN"
                with cursor.cursor.copy(sql) as copy:
                    for row in values:
                        copy.write_row(row)
            else:
                adapt = self.connection.ops.adapt_datetimefield_value
                dated = [i for i, field in enumerate(fields) if field.get_internal_type() == "DateTimeField"]
                converted = []
                for row in values:
                    for i in dated:
                        row[i] = adapt(row[i])
                    converted.append(row)
                placeholders = ", ".join(["%s"] * len(columns))
                cursor.executemany(
                    f"INSERT INTO {table} ({', '.join(map(quote, columns))}) VALUES ({placeholders})",  # noqa: S608
                    converted,
                )

    @staticmethod
    def _default(field):
        value = field.get_default() if field.has_default() else (None if field.null else "")
        if field.get_internal_type() == "JSONField":
            return json.dumps(value)
        return value


COMMENTS = ("Looks good.", "Lovely.", "Good to go.", "", "", "Nice one, ship it.")


def _approval_chain(cast: _Cast, rng: random.Random, published_at: datetime) -> list[dict]:
    """The approvals a post like this would have had: a senior's, and a lead's now and then."""
    chain = []
    decided = published_at - timedelta(hours=rng.randint(2, 72))
    tiers = [("senior", cast.seniors)]
    if cast.leads and rng.random() < 0.25:
        tiers.append(("lead", cast.leads))
    for tier, people in tiers:
        if not people:
            continue
        user = rng.choice(people)
        chain.append(
            {
                "kind": "approval",
                "tier": tier,
                "user": user.pk,
                "name": _name(user),
                "at": decided.isoformat(),
                "comment": rng.choice(COMMENTS),
            }
        )
        decided += timedelta(hours=rng.randint(1, 24))
    return chain


def seeded_entries(brand: Brand):
    """The entries seed_archive wrote for `brand` (by their posts' titles)."""
    return ArchiveEntry.objects.filter(brand=brand, title__startswith=TITLE_PREFIX)


def brand_by_slug(slug: str) -> Brand:
    brand = Brand.objects.filter(slug=slug).first()
    if brand is None:
        raise UnknownBrand(slug)
    return brand
