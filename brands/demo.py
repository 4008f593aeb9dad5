"""The demo agency behind `manage.py seed_demo`: plain data first, then the functions that build it.

Everything is found again by a natural key (usernames, client and brand slugs, image titles per
collection, post titles per brand), so running the seed twice changes nothing:

- users, clients, brands, kits and their rules are brought in line with the data below, and a row
  is only saved when one of its values differs (no churn in `updated_at`, signals or the search
  index queue);
- images are drawn with Pillow only when their title is missing from the brand's collection;
- posts are created only when missing and then left alone: their history is Wagtail revisions,
  so rewriting them would add revisions on every run. Times relative to "now" (scheduled posts,
  the one-off sensitive date) are fixed when the row is first created.

Posts reach their states through the real approval workflow (`PostSpec.state`, `_bring_to_state`).
Each brand gets an archived history (cms.archive.demo): a few hundred generated entries over
three years, and its first published demo post delivered through its channel. Added once only.
"""

import hashlib
import io
import math
import random
import zlib
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont
from wagtail.images import get_image_model
from wagtail.log_actions import log

from cms.posts.models import CaptionVariant, Intent, PollOption, Post, PostFormat, PostMedia

from .models import (
    BannedPhrase,
    Brand,
    BrandKit,
    BrandMembership,
    BrandPlatform,
    BrandRole,
    Client,
    ClientUser,
    EmojiPolicy,
    HashtagRule,
    KitImage,
    NameSpelling,
    PaletteColour,
    Platform,
    SensitiveDate,
    Severity,
)

DEMO_PASSWORD = "signoff-demo"

SQUARE = (1080, 1080)
PORTRAIT = (1080, 1350)
LANDSCAPE = (1600, 900)
VERTICAL = (1080, 1920)
LOGO = (1000, 1000)


# ---------------------------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    # "superuser", a BrandRole value (that role on every demo brand), or "client:<client slug>".
    access: str

    @property
    def email(self) -> str:
        return f"{self.username}@signoff.example"


@dataclass(frozen=True)
class ImageSpec:
    title: str
    size: tuple[int, int]
    motif: str  # one of MOTIFS below
    headline: str  # the words drawn on the picture
    description: str  # what the picture shows; Wagtail offers it as the default alt text
    colours: tuple[int, int, int, int] = (0, 1, 2, 3)  # palette indexes: background ×2, accent, ink


@dataclass(frozen=True)
class SensitiveDateSpec:
    label: str
    month_day: tuple[int, int] | None  # recurring every year on this day
    reason: str
    window_days: int = 0
    days_from_seed: int | None = None  # a one-off date, this many days after the first seed


@dataclass(frozen=True)
class PostSpec:
    title: str
    caption: str
    platforms: tuple[str, ...]
    format: str = PostFormat.FEED
    intent: str = Intent.KNOW
    # The state the seed brings the post to through the real workflow services (never by writing
    # task states by hand): "draft", "in_review", "changes_requested", "awaiting_client" (the
    # agency approved it; the brand's client tier has it), "scheduled" or "published".
    state: str = "draft"
    # (days after the seed, "HH:MM" in the brand's time zone); required for "scheduled", and a
    # planned slot for a draft.
    slot: tuple[int, str] | None = None
    media: tuple[str | tuple[str, str], ...] = ()  # image titles, or (title, alt text)
    poll_options: tuple[str, ...] = ()
    cta_label: str = ""
    cta_url: str = ""
    campaign: str = ""
    sponsored: bool = False
    variants: dict[str, str] = field(default_factory=dict)  # platform code -> caption


@dataclass(frozen=True)
class BrandSpec:
    slug: str
    name: str
    client_slug: str
    time_zone: str
    handles: dict[str, str]  # platform code -> handle, in display order
    initials: str  # drawn on the generated logo
    palette: tuple[tuple[str, str], ...]  # (name, #RRGGBB)
    heading_font: str
    body_font: str
    voice_guidelines: str
    emoji_policy: str
    emoji_limit: int
    sponsored_disclaimer: str
    banned_phrases: tuple[tuple[str, str, str], ...]  # (phrase, suggestion, severity)
    required_hashtags: tuple[str, ...]
    forbidden_hashtags: tuple[str, ...]
    name_spellings: tuple[str, ...]
    sensitive_dates: tuple[SensitiveDateSpec, ...]
    images: tuple[ImageSpec, ...]
    posts: tuple[PostSpec, ...]
    # The client signs off every post in the portal (the approval policy's client tier).
    client_approval: bool = False

    @property
    def logo_title(self) -> str:
        return f"{self.name} logo"

    @property
    def reversed_logo_title(self) -> str:
        return f"{self.name} logo (reversed)"


USERS = (
    DemoUser("admin", "Ada", "Admin", "superuser"),
    DemoUser("junior", "Jamie", "Okafor", BrandRole.CREATIVE),
    DemoUser("senior", "Sam", "Lindqvist", BrandRole.REVIEWER),
    DemoUser("lead", "Laura", "Mendes", BrandRole.LEAD),
    DemoUser("client", "Chris", "Hale", "client:kiln-coffee"),
    DemoUser("client2", "Noor", "Haddad", "client:halden-group"),
)

CLIENTS = (
    ("kiln-coffee", "Kiln Coffee Ltd"),
    ("halden-group", "Halden Group"),
)

INTERNATIONAL_WOMENS_DAY = "International Women's Day"
REMEMBRANCE_DAY = "Remembrance Day"

KILN = BrandSpec(
    slug="kiln-coffee-roasters",
    name="Kiln Coffee Roasters",
    client_slug="kiln-coffee",
    time_zone="Europe/London",
    handles={
        "instagram": "kilncoffee",
        "facebook": "kilncoffeeroasters",
        "x": "kilncoffee",
        "tiktok": "kilncoffee",
    },
    initials="K",
    palette=(
        ("Crema", "#F3E6D3"),
        ("Kiln orange", "#E0762F"),
        ("Espresso", "#3B2418"),
        ("Charcoal", "#222222"),
        ("Sage", "#8A9A5B"),
    ),
    heading_font="Fraunces",
    body_font="Work Sans",
    voice_guidelines=(
        "<h3>How Kiln sounds</h3>"
        "<p>Like the friend behind the counter who knows their beans and never makes you feel silly "
        "for ordering a latte: <b>warm, witty, a little nerdy</b>.</p>"
        "<ul>"
        "<li>Talk to one person: “your kettle”, not “our customers’ kettles”.</li>"
        "<li>One joke per post, at our own expense, never the customer’s.</li>"
        "<li>Say where the coffee is from and who grew it; tasting notes in plain words "
        "(<i>peach</i>, not <i>stone-fruit-forward</i>).</li>"
        "<li>British spelling, sentence case, up to three emoji.</li>"
        "</ul>"
        "<h3>We never</h3>"
        "<ul>"
        "<li>Claim to be the best, the strongest or the healthiest.</li>"
        "<li>Call our coffee Fairtrade: we buy direct, which is different. Link to the "
        '<a href="https://kilncoffee.example/sourcing">sourcing report</a> instead.</li>'
        "<li>Joke about caffeine dependency or mental health.</li>"
        "</ul>"
    ),
    emoji_policy=EmojiPolicy.SPARING,
    emoji_limit=3,
    sponsored_disclaimer="#ad",
    banned_phrases=(
        ("world's best", "our favourite", Severity.BLOCK),
        ("fair trade", "directly traded", Severity.BLOCK),
        ("guilt-free", "", Severity.WARN),
        ("expresso", "espresso", Severity.WARN),
        ("cheap", "good value", Severity.INFO),
    ),
    required_hashtags=("#KilnCoffee",),
    forbidden_hashtags=("#coffeeaddict", "#butfirstcoffee"),
    name_spellings=("Kiln Coffee", "Yirgacheffe", "AeroPress", "V60", "Oat & Co."),
    sensitive_dates=(
        SensitiveDateSpec(
            INTERNATIONAL_WOMENS_DAY,
            (3, 8),
            "Brands get this day badly wrong (remember BIC's 2015 “think like a man” post). Only "
            "the approved producer-profile series about the women who farm our Ethiopian lots; "
            "no discount codes, no pink cups.",
            window_days=1,
        ),
        SensitiveDateSpec(
            REMEMBRANCE_DAY,
            (11, 11),
            "The window covers Remembrance Sunday. Nothing promotional; the cafés fall silent at "
            "11:00 and we say so plainly, or we say nothing.",
            window_days=3,
        ),
        SensitiveDateSpec(
            "Kiln birthday (first roast, 2015)",
            (9, 14),
            "The founders post personally on the day. Agency posts only the approved birthday "
            "carousel, so the two don't clash.",
        ),
    ),
    images=(
        ImageSpec(
            "Bag of Yirgacheffe",
            PORTRAIT,
            "bag",
            "Ethiopia Yirgacheffe",
            "A Kiln Coffee bag of Ethiopia Yirgacheffe with an orange label, on a cream background.",
        ),
        ImageSpec(
            "Morning pour-over",
            SQUARE,
            "pourover",
            "Slow mornings",
            "Coffee dripping from a pour-over cone into a cup, in warm orange light.",
            (1, 0, 2, 3),
        ),
        ImageSpec(
            "Beans fresh from the roaster",
            LANDSCAPE,
            "beans",
            "Roasted Tuesday",
            "A scatter of dark roasted coffee beans across a cream surface.",
            (0, 4, 2, 3),
        ),
        ImageSpec(
            "Oat flat white from above",
            SQUARE,
            "cup",
            "Oat flat white",
            "A flat white seen from above, with a heart of latte art in the crema.",
            (4, 0, 1, 2),
        ),
        ImageSpec(
            "Pour-over in 60 seconds (cover)",
            VERTICAL,
            "pourover",
            "60-second pour-over",
            "A pour-over cone over a cup, with the words 60-second pour-over.",
            (2, 1, 0, 3),
        ),
        ImageSpec(
            "Meet the roaster",
            VERTICAL,
            "person",
            "Meet Priya",
            "An illustrated portrait of Priya, Kiln's head roaster, in front of the roaster.",
            (1, 2, 0, 3),
        ),
        ImageSpec(
            "Roastery open day",
            LANDSCAPE,
            "storefront",
            "Open day, Saturday 10-3",
            "The Kiln roastery front with a striped awning and an open door.",
            (0, 1, 2, 3),
        ),
    ),
    posts=(
        PostSpec(
            "Yirgacheffe launch carousel",
            "New on the shelf: Ethiopia Yirgacheffe ☕ Bergamot, peach and a finish that lingers "
            "like a good conversation. Roasted on Tuesday, on your doorstep by Friday.\n\n"
            "Swipe for our brew ratios → and grab a bag via the link in bio.\n\n"
            "#KilnCoffee #SingleOrigin #Yirgacheffe",
            ("instagram", "facebook"),
            format=PostFormat.CAROUSEL,
            intent=Intent.BUY,
            state="scheduled",
            slot=(3, "08:30"),
            media=(
                ("Bag of Yirgacheffe", "A bag of Kiln's Ethiopia Yirgacheffe with its orange label."),
                ("Morning pour-over", "Yirgacheffe brewing through a pour-over cone into a cup."),
                ("Beans fresh from the roaster", "Freshly roasted Yirgacheffe beans, spread out to cool."),
            ),
            cta_label="Shop the roast",
            cta_url="https://kilncoffee.example/shop/yirgacheffe",
            campaign="Autumn single origins",
            variants={
                "facebook": "New on the shelf: Ethiopia Yirgacheffe ☕ Bergamot, peach and a finish "
                "that lingers like a good conversation. Roasted on Tuesday, on your doorstep by "
                "Friday: https://kilncoffee.example/shop/yirgacheffe #KilnCoffee"
            },
        ),
        PostSpec(
            "Roastery open day",
            "Come and see where the magic (and the noise) happens. Roastery open day: Saturday "
            "10–3 at Unit 4, Mill Lane, Bristol. Free cuppings at 11 and 2, and slots are "
            "limited, so book via the link in bio. Dogs welcome, obviously 🐶\n\n#KilnCoffee #Bristol",
            ("instagram", "facebook", "x"),
            intent=Intent.GO,
            state="scheduled",
            slot=(9, "12:00"),
            media=("Roastery open day",),
            cta_label="Book a free slot",
            cta_url="https://kilncoffee.example/open-day",
            campaign="Roastery open day",
            variants={
                "x": "Roastery open day, Sat 10–3, Mill Lane, Bristol. Free cuppings at 11 and 2: "
                "https://kilncoffee.example/open-day #KilnCoffee"
            },
        ),
        PostSpec(
            "Pour-over in 60 seconds (reel)",
            "60 seconds to a better pour-over: 15 g coffee, 250 g water just off the boil, bloom "
            "for 30 seconds, then pour in slow circles. Your kettle will thank you.\n\n"
            "#KilnCoffee #BrewGuide #PourOver",
            ("instagram", "tiktok"),
            format=PostFormat.REEL,
            intent=Intent.DO,
            state="published",
            media=("Pour-over in 60 seconds (cover)",),
            campaign="Brew guides",
        ),
        PostSpec(
            "Monday brew poll",
            "Important Monday business: how are you brewing this morning? 🤔 #KilnCoffee",
            ("instagram", "x"),
            format=PostFormat.POLL,
            slot=(6, "07:45"),
            # Instagram has no text-only posts: the poll is a sticker on a picture.
            media=("Morning pour-over",),
            poll_options=("Pour-over", "AeroPress", "Espresso", "Cafetière"),
            state="in_review",
        ),
        PostSpec(
            "Oat & Co. flat white (sponsored)",
            "#ad We teamed up with @oatandco to find the silkiest oat flat white in Bristol. "
            "Verdict: this one. Try it at any Kiln café this month 🥛\n\n#KilnCoffee",
            ("instagram", "facebook"),
            intent=Intent.BUY,
            media=("Oat flat white from above",),
            campaign="Oat & Co. partnership",
            sponsored=True,
            state="changes_requested",
        ),
        PostSpec(
            "Reply: is the decaf chemical-free?",
            "@sam.brews Great question! Our decaf is Swiss Water processed: no solvents, just "
            "water, time and patience. We roast it on Thursdays, so order by Wednesday for the "
            "freshest bag ☕",
            ("instagram",),
            format=PostFormat.REPLY,
            state="published",
        ),
        PostSpec(
            "Meet the roaster: Priya (story)",
            "Meet Priya, our head roaster. Nine years, 40,000 batches, one burnt batch she will "
            "never let us forget 🔥 #KilnCoffee",
            ("instagram",),
            format=PostFormat.STORY,
            state="scheduled",
            slot=(2, "07:00"),
            media=("Meet the roaster",),
        ),
        # Deliberately off-brand: a junior's first try, for the checker to flag (banned phrase,
        # too many emoji, a forbidden hashtag).
        PostSpec(
            "Weekend flash sale (first draft)",
            "The world's best coffee is 20% off this weekend!!! 🔥🔥🔥☕☕ Stock up now "
            "#KilnCoffee #coffeeaddict",
            ("instagram", "facebook"),
            intent=Intent.BUY,
            media=("Beans fresh from the roaster",),
            cta_label="Shop now",
            cta_url="https://kilncoffee.example/shop",
        ),
        # Approved by the agency, waiting for Kiln to sign them off in the portal.
        PostSpec(
            "Autumn cupping evening",
            "Cupping evening at the roastery, Thursday 6–8pm: three new autumn lots, side by side, "
            "with Priya talking you through each one. Free, but places are limited, so book via the "
            "link in bio.\n\n#KilnCoffee #Bristol",
            ("instagram", "facebook"),
            intent=Intent.GO,
            state="awaiting_client",
            slot=(5, "17:30"),
            media=("Beans fresh from the roaster",),
            cta_label="Book a place",
            cta_url="https://kilncoffee.example/cupping",
            campaign="Autumn single origins",
        ),
        PostSpec(
            "Brew guide: the AeroPress",
            "Two minutes, one AeroPress, a cup that tastes like you meant it: 15 g coffee, 220 g "
            "water at 90°C, stir, steep for a minute, press slowly. #KilnCoffee #BrewGuide",
            ("instagram", "x"),
            intent=Intent.DO,
            state="awaiting_client",
            slot=(7, "08:00"),
            media=("Morning pour-over",),
            campaign="Brew guides",
        ),
    ),
    client_approval=True,
)

SWITCHBACK = BrandSpec(
    slug="switchback-cycles",
    name="Switchback Cycles",
    client_slug="halden-group",
    time_zone="Europe/Amsterdam",
    handles={"instagram": "switchbackcycles", "facebook": "switchbackcycles", "tiktok": "switchback.cycles"},
    initials="S",
    palette=(
        ("Glacier", "#DCEBEA"),
        ("Forest", "#2F5D50"),
        ("Trail clay", "#C8693F"),
        ("Summit night", "#1B2A33"),
        ("Moss", "#7FA36B"),
    ),
    heading_font="Barlow Condensed",
    body_font="Inter",
    voice_guidelines=(
        "<h3>How Switchback sounds</h3>"
        "<p><b>Earnest and adventurous.</b> We write like a riding partner at the top of the "
        "climb: out of breath, honest, and already planning the next loop.</p>"
        "<ul>"
        "<li>Lead with the ride, then the bike.</li>"
        "<li>Every sustainability claim is specific and checkable: name the material, the number "
        'and the source (our <a href="https://switchback.example/impact">impact report</a>).</li>'
        "<li>Riders of every body, age and speed. We ride <i>in</i> nature; we never conquer it.</li>"
        "<li>Safety in every picture and caption: helmets on, lights at dusk.</li>"
        "</ul>"
        "<h3>We never</h3>"
        "<ul>"
        "<li>Say “carbon neutral”, “eco-friendly” or “100% sustainable”.</li>"
        "<li>Show riding on closed trails or off the trail in protected areas.</li>"
        "</ul>"
    ),
    emoji_policy=EmojiPolicy.FREE,
    emoji_limit=3,
    sponsored_disclaimer="#ad",
    banned_phrases=(
        ("carbon neutral", "we measure and cut our emissions (see the impact report)", Severity.BLOCK),
        ("100% sustainable", "name the material and its source", Severity.BLOCK),
        ("eco-friendly", "say what makes it better, e.g. recycled aluminium", Severity.WARN),
        ("conquer", "ride", Severity.INFO),
        ("epic", "", Severity.INFO),
    ),
    required_hashtags=("#RideSwitchback",),
    forbidden_hashtags=("#carbonneutral", "#sendit"),
    name_spellings=("Switchback", "Gravel One", "Tarn e-MTB", "Trail Care", "Ride Kin"),
    sensitive_dates=(
        SensitiveDateSpec(
            INTERNATIONAL_WOMENS_DAY,
            (3, 8),
            "Our women's gravel series is a year-round commitment, not a one-day campaign. Post "
            "the riders' own words only, and no product (the BIC pen post is the warning).",
            window_days=1,
        ),
        SensitiveDateSpec(
            "Dodenherdenking (Dutch Remembrance)",
            (5, 4),
            "The Netherlands remembers its war dead on the evening of 4 May. No promotional posts "
            "on the Dutch channels from noon.",
        ),
        SensitiveDateSpec(
            REMEMBRANCE_DAY,
            (11, 11),
            "UK riders: the window covers Remembrance Sunday. Nothing promotional.",
            window_days=3,
        ),
        SensitiveDateSpec(
            "Tarn fork recall (2021)",
            (6, 3),
            "Riders were hurt before the 2021 recall. Never promote the Tarn around this date; the "
            "comments fill with recall questions and the support team answers them.",
            window_days=2,
        ),
    ),
    images=(
        ImageSpec(
            "Gravel One in the Ardennes",
            LANDSCAPE,
            "bike",
            "Gravel One",
            "A Gravel One bike on a ridge, with forested hills and a low sun behind it.",
            (0, 4, 2, 3),
        ),
        ImageSpec(
            "Gravel One wheel detail",
            SQUARE,
            "wheel",
            "Repairable for life",
            "A close-up of a spoked Gravel One wheel against a forest-green background.",
            (1, 3, 2, 0),
        ),
        ImageSpec(
            "Gravel One on the trail",
            PORTRAIT,
            "trail",
            "Built to go further",
            "A gravel trail winding up through green hills towards a clay-coloured sky.",
            (2, 0, 1, 3),
        ),
        ImageSpec(
            "Trail Care crew",
            LANDSCAPE,
            "mountains",
            "Trail Care weekend",
            "Layered hills at dawn above a trailhead, with the words Trail Care weekend.",
            (0, 2, 1, 3),
        ),
        ImageSpec(
            "Brake fix in three minutes (cover)",
            VERTICAL,
            "wheel",
            "3-minute brake fix",
            "A bike wheel and brake rotor, with the words 3-minute brake fix.",
            (3, 1, 2, 0),
        ),
        ImageSpec(
            "First light ride",
            VERTICAL,
            "mountains",
            "First light",
            "A sunrise over layered blue-green hills, seen from a trail.",
            (2, 0, 4, 3),
        ),
        ImageSpec(
            "Women's gravel series",
            PORTRAIT,
            "bike",
            "No one dropped",
            "A gravel bike against hills, with the words No one dropped.",
            (4, 0, 2, 3),
        ),
    ),
    posts=(
        PostSpec(
            "Gravel One launch carousel",
            "Built to go further, and to last. Gravel One: a steel frame we will repair for life, "
            "recycled-aluminium wheels and a 12-year warranty. Swipe to see where it took us in "
            "the Ardennes 🌲\n\n#RideSwitchback #GravelOne #RepairDontReplace",
            ("instagram", "facebook"),
            format=PostFormat.CAROUSEL,
            intent=Intent.BUY,
            state="scheduled",
            slot=(4, "18:00"),
            media=(
                ("Gravel One in the Ardennes", "The Gravel One on a ridge in the Ardennes at sunset."),
                ("Gravel One wheel detail", "Close-up of the Gravel One's recycled-aluminium wheel."),
                ("Gravel One on the trail", "A gravel trail winding uphill through green hills."),
            ),
            cta_label="Explore Gravel One",
            cta_url="https://switchback.example/gravel-one",
            campaign="Gravel One launch",
        ),
        PostSpec(
            "Trail Care weekend sign-up",
            "Last year 214 of you collected 1.3 tonnes of litter from the trails we love. This "
            "year we're going for every trailhead in the Veluwe. Gloves, bags and coffee are on "
            "us. Sign up via the link in bio 🧤\n\n#RideSwitchback #TrailCare",
            ("instagram", "facebook"),
            intent=Intent.GO,
            state="scheduled",
            slot=(11, "09:00"),
            media=("Trail Care crew",),
            cta_label="Join a trail clean",
            cta_url="https://switchback.example/trail-care",
            campaign="Trail Care",
        ),
        PostSpec(
            "Brake squeal fix (reel)",
            "Squealing brakes? Nine times out of ten it's contaminated pads. Here's the "
            "three-minute fix, no new parts needed 🔧 Helmet optional for this one, it's a "
            "workshop.\n\n#RideSwitchback #RepairDontReplace",
            ("instagram", "tiktok"),
            format=PostFormat.REEL,
            intent=Intent.DO,
            state="published",
            media=("Brake fix in three minutes (cover)",),
            campaign="Repair café",
        ),
        PostSpec(
            "Where should we ride next? (poll)",
            "We're planning the autumn group ride and you get the casting vote. Where next? 🗺️ "
            "#RideSwitchback",
            ("instagram",),
            format=PostFormat.POLL,
            media=("Gravel One on the trail",),  # Instagram has no text-only posts
            poll_options=("Ardennes loop", "Veluwe gravel", "Eifel climbs"),
            state="in_review",
        ),
        PostSpec(
            "Ride Kin women's gravel series (sponsored)",
            "#ad Proud to back @ridekin's women's gravel series for a third season. Six rides, all "
            "levels, no one dropped, and a loan bike for everyone who needs one. Places open "
            "Monday 🚲\n\n#RideSwitchback #RideKin",
            ("instagram", "facebook"),
            intent=Intent.GO,
            media=("Women's gravel series",),
            cta_label="Save your place",
            cta_url="https://switchback.example/ride-kin",
            campaign="Women's gravel series",
            sponsored=True,
        ),
        PostSpec(
            "Reply: does the warranty transfer?",
            "@tom_on_wheels Yes! The 12-year frame warranty covers the first owner and the next "
            "one. A good bike should outlive its first rider 🚲",
            ("facebook",),
            format=PostFormat.REPLY,
            state="published",
        ),
        PostSpec(
            "First light ride (story)",
            "5:40 alarm, 6:10 roll-out, 7:02 this. Worth it every time 🌄 #RideSwitchback",
            ("instagram",),
            format=PostFormat.STORY,
            state="scheduled",
            slot=(2, "06:30"),
            media=("First light ride",),
        ),
        # Deliberately off-brand, for the checker: greenwashing phrases and a forbidden hashtag,
        # and no #RideSwitchback.
        PostSpec(
            "Tarn e-MTB eco post (first draft)",
            "Our most eco-friendly bike yet: the Tarn e-MTB is carbon neutral from frame to "
            "tyres! Conquer any mountain 💪 #carbonneutral #ebike",
            ("instagram", "facebook", "tiktok"),
            intent=Intent.BUY,
            media=("Gravel One on the trail",),
        ),
    ),
)

LEDGERLY = BrandSpec(
    slug="ledgerly",
    name="Ledgerly",
    client_slug="halden-group",
    time_zone="Europe/London",
    handles={
        "linkedin": "ledgerly",
        "x": "ledgerlyhq",
        "instagram": "ledgerly.app",
        "facebook": "ledgerlyapp",
    },
    initials="L",
    palette=(
        ("Mist", "#E5EEF2"),
        ("Ledger teal", "#1F7A8C"),
        ("Signal amber", "#F2A541"),
        ("Ink navy", "#14213D"),
        ("White", "#FFFFFF"),
    ),
    heading_font="IBM Plex Sans",
    body_font="IBM Plex Serif",
    voice_guidelines=(
        "<h3>How Ledgerly sounds</h3>"
        "<p><b>Calm and precise.</b> Money is stressful; we are the steady voice in the room. "
        "Short sentences, exact numbers, no hype.</p>"
        "<ol>"
        "<li>Say what it is, what it costs and what the risk is, in that order.</li>"
        "<li>Rates always show AER or APR and the date they apply from.</li>"
        "<li>No emoji, no exclamation marks, no slang.</li>"
        "<li>Financial promotions must be fair, clear and not misleading (see the "
        '<a href="https://www.fca.org.uk/firms/financial-promotions-social-media">FCA\'s '
        "guidance on social media</a>). Every savings or credit promotion goes to the account "
        "lead.</li>"
        "</ol>"
        "<h3>We never</h3>"
        "<ul>"
        "<li>Promise returns, or call anything “free money” or “risk-free”.</li>"
        "<li>Ask for card numbers, PINs or passwords, not even in a reply.</li>"
        "</ul>"
    ),
    emoji_policy=EmojiPolicy.NONE,
    emoji_limit=0,
    sponsored_disclaimer="#ad",
    banned_phrases=(
        ("guaranteed returns", "state the rate, AER and the date", Severity.BLOCK),
        ("free money", "a cashback reward (T&Cs apply)", Severity.BLOCK),
        ("risk-free", "", Severity.BLOCK),
        ("get rich", "", Severity.BLOCK),
        ("bank-grade security", "name the control, e.g. two-step sign-in", Severity.WARN),
        ("cheap loan", "a loan at a representative APR", Severity.WARN),
    ),
    required_hashtags=("#Ledgerly",),
    forbidden_hashtags=("#moneyhacks", "#crypto", "#stonks"),
    name_spellings=("Ledgerly", "Ledgerly Pots", "Open Banking", "FSCS"),
    sensitive_dates=(
        SensitiveDateSpec(
            INTERNATIONAL_WOMENS_DAY,
            (3, 8),
            "Financial brands are checked against their own gender pay gap on this day (the BIC "
            "pen post is the cautionary tale). Post only with figures from our published pay-gap "
            "report.",
        ),
        SensitiveDateSpec(
            REMEMBRANCE_DAY,
            (11, 11),
            "The window covers Remembrance Sunday. No promotions; the armed forces banking "
            "team may post their own message.",
            window_days=3,
        ),
        SensitiveDateSpec(
            "Anniversary of the 2023 payments outage",
            (10, 17),
            "Customers could not pay for nine hours. Any post about reliability or speed on this "
            "day reads as tone-deaf.",
            window_days=1,
        ),
        SensitiveDateSpec(
            "Planned app maintenance",
            None,
            "The app is offline overnight for the core-banking upgrade. Don't promote app "
            "features; support posts only.",
            days_from_seed=9,
        ),
    ),
    images=(
        ImageSpec(
            "Pots on the app",
            PORTRAIT,
            "phone",
            "Pots",
            "A phone showing three Ledgerly Pots, for rent, bills and a holiday, with progress bars.",
            (0, 4, 1, 3),
        ),
        ImageSpec(
            "Pots: see what is left",
            SQUARE,
            "chart",
            "See what is left to spend",
            "A bar chart in teal and amber showing spending against what is left this month.",
            (4, 0, 1, 3),
        ),
        ImageSpec(
            "Pots: move money any time",
            SQUARE,
            "coins",
            "Move money any time",
            "Stacks of coins in teal and amber on a light background.",
            (0, 4, 1, 3),
        ),
        ImageSpec(
            "Scam warning: safe account",
            LANDSCAPE,
            "shield",
            "We will never ask you to move money",
            "A shield with a tick on navy, with the words We will never ask you to move money.",
            (3, 1, 2, 4),
        ),
        ImageSpec(
            "Budget template 50/30/20",
            LANDSCAPE,
            "chart",
            "50 / 30 / 20",
            "Three bars showing a 50, 30 and 20 per cent split of a monthly budget.",
            (0, 4, 1, 3),
        ),
        ImageSpec(
            "Freeze your card (cover)",
            VERTICAL,
            "card",
            "Freeze in two taps",
            "A Ledgerly debit card with a snowflake-style freeze badge.",
            (3, 1, 2, 4),
        ),
        ImageSpec(
            "Money Matters podcast",
            SQUARE,
            "person",
            "Money Matters, episode 12",
            "An illustrated portrait of Ledgerly's founder, for the Money Matters podcast.",
            (1, 3, 2, 4),
        ),
    ),
    posts=(
        PostSpec(
            "Pots launch carousel",
            "Pots are here. Set money aside for rent, bills or a holiday, and see exactly what is "
            "left to spend. Move money in and out at any time, free of charge. Eligible deposits "
            "are protected by the FSCS.\n\n#Ledgerly",
            ("linkedin", "instagram"),
            format=PostFormat.CAROUSEL,
            intent=Intent.KNOW,
            state="scheduled",
            slot=(5, "08:00"),
            media=(
                ("Pots on the app", "The Ledgerly app showing Pots for rent, bills and a holiday."),
                ("Pots: see what is left", "A chart comparing this month's spending with what is left."),
                ("Pots: move money any time", "Stacks of coins, for moving money between Pots."),
            ),
            cta_label="See how Pots work",
            cta_url="https://ledgerly.example/pots",
            campaign="Pots launch",
        ),
        PostSpec(
            "Scam warning: the 'safe account' call",
            "We will never call you and ask you to move money to a “safe account”. If someone "
            "does, hang up and call us on the number on the back of your card. It is always fine "
            "to say no.\n\n#Ledgerly #TakeFive",
            ("x", "linkedin", "facebook"),
            state="published",
            media=("Scam warning: safe account",),
            campaign="Fraud awareness",
            variants={
                "x": "We will never ask you to move money to a “safe account”. If someone does, hang "
                "up and call the number on the back of your card. #Ledgerly #TakeFive"
            },
        ),
        PostSpec(
            "Monthly budget template",
            "A simple way to plan the month: 50% for needs, 30% for wants, 20% for savings. Our "
            "free template does the sums, and you can change the split to suit your life.\n\n"
            "#Ledgerly #MoneyBasics",
            ("linkedin", "facebook"),
            intent=Intent.DO,
            media=("Budget template 50/30/20",),
            cta_label="Download the template",
            cta_url="https://ledgerly.example/budget-template",
            campaign="Money basics",
            state="changes_requested",
        ),
        PostSpec(
            "What matters in a savings account? (poll)",
            "What matters most to you when you choose a savings account? #Ledgerly",
            ("linkedin", "x"),
            format=PostFormat.POLL,
            slot=(7, "12:30"),
            poll_options=("The rate", "Instant access", "A name I trust", "A good app"),
        ),
        PostSpec(
            "Money Matters podcast (sponsored)",
            "#ad Our founder joins @MoneyMattersPod this week to talk about why budgeting apps "
            "fail, and what we built instead. Listen wherever you get your podcasts.\n\n#Ledgerly",
            ("linkedin",),
            intent=Intent.GO,
            state="scheduled",
            slot=(12, "17:30"),
            media=("Money Matters podcast",),
            cta_label="Listen now",
            cta_url="https://moneymatters.example/episodes/12",
            sponsored=True,
        ),
        PostSpec(
            "Reply: my card hasn't arrived",
            "@jordanlee Sorry your card has not arrived yet. Cards usually take 3 to 5 working "
            "days. Please send us a direct message with your name and postcode (never your card "
            "number) and we will look into it today.",
            ("x",),
            format=PostFormat.REPLY,
            state="published",
        ),
        PostSpec(
            "Freeze your card (reel)",
            "Lost your card? Freeze it in two taps: open the app, choose Card, tap Freeze. "
            "Unfreeze it just as quickly when it turns up.\n\n#Ledgerly",
            ("instagram", "facebook"),
            format=PostFormat.REEL,
            intent=Intent.DO,
            state="scheduled",
            slot=(8, "17:00"),
            media=("Freeze your card (cover)",),
        ),
        # Deliberately off-brand, for the checker: banned claims (blocking), emoji where the
        # brand uses none, and a forbidden hashtag.
        PostSpec(
            "Cashback promo (first draft)",
            "Free money! Switch to Ledgerly and get guaranteed returns of 5% cashback, totally "
            "risk-free 🤑 #moneyhacks #Ledgerly",
            ("instagram", "x"),
            intent=Intent.BUY,
            cta_label="Switch now",
            cta_url="https://ledgerly.example/switch",
        ),
    ),
)

BRANDS = (KILN, SWITCHBACK, LEDGERLY)


# ---------------------------------------------------------------------------------------------
# Building it
# ---------------------------------------------------------------------------------------------


@dataclass
class SeedSummary:
    """What a run created (zero everywhere on a second run) and what the demo holds."""

    created: dict[str, int] = field(default_factory=dict)
    clients: list[Client] = field(default_factory=list)
    brands: list[Brand] = field(default_factory=list)

    def count(self, what: str, created: bool = True) -> None:
        self.created.setdefault(what, 0)
        if created:
            self.created[what] += 1


def _upsert(model, summary: SeedSummary | None = None, *, lookup, values=None, on_create=None, validate=True):
    """Find a row by its natural key; create it, or save only the values that differ.

    `on_create` values are used only when the row is new (e.g. dates relative to the first seed).
    """
    values = values or {}
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values, **(on_create or {}))
        if validate:
            obj.full_clean()
        obj.save()
        if summary:
            summary.count(str(model._meta.verbose_name_plural))
        return obj
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        if validate:
            obj.full_clean()
        obj.save(update_fields=changed)
    return obj


@transaction.atomic
def seed_demo(*, now: datetime | None = None) -> SeedSummary:
    """Create the demo agency, or bring an existing one back in line with the data above."""
    now = now or timezone.now()
    summary = SeedSummary()
    users = _seed_users(summary)
    summary.clients = [
        _upsert(Client, summary, lookup={"slug": slug}, values={"name": name}) for slug, name in CLIENTS
    ]
    clients = {client.slug: client for client in summary.clients}
    # Client users before the brands' posts: the client tier of a brand's workflow needs them.
    _seed_client_users(users, clients, summary)
    for spec in BRANDS:
        summary.brands.append(_seed_brand(spec, clients[spec.client_slug], users, now, summary))
    _seed_history(summary, users, now)
    return summary


def _seed_history(summary: SeedSummary, users, now: datetime) -> None:
    """Each brand's archived history (cms.archive.demo): generated entries, and its first
    published demo post delivered through its channel."""
    from cms.archive.demo import seed_demo_history

    for spec, brand in zip(BRANDS, summary.brands, strict=True):
        first_published = next((post.title for post in spec.posts if post.state == "published"), None)
        created = seed_demo_history(
            brand=brand, first_published_title=first_published, lead=users["lead"], now=now
        )
        for what, count in created.items():
            summary.count(what, created=False)
            summary.created[what] += count


def _seed_users(summary: SeedSummary) -> dict:
    User = get_user_model()
    # One hash for all demo users: PBKDF2 is slow by design, and six hashes (or six checks on
    # a re-run) would be most of the seed's time. The password is public anyway.
    existing = {user.username: user for user in User.objects.filter(username__in=[u.username for u in USERS])}
    known_good = next(
        (
            user.password
            for user in existing.values()
            if user.has_usable_password() and check_password(DEMO_PASSWORD, user.password)
        ),
        None,
    )
    password = known_good or make_password(DEMO_PASSWORD)

    users = {}
    for spec in USERS:
        superuser = spec.access == "superuser"
        user = _upsert(
            User,
            summary,
            lookup={"username": spec.username},
            values={
                "first_name": spec.first_name,
                "last_name": spec.last_name,
                "email": spec.email,
                "is_superuser": superuser,
                "is_staff": superuser,
                "is_active": True,
            },
            on_create={"password": password},
            validate=False,
        )
        if user.password != password and not check_password(DEMO_PASSWORD, user.password):
            user.password = password  # someone changed it: the printed demo logins must work
            user.save(update_fields=["password"])
        users[spec.username] = user
    return users


def _seed_client_users(users, clients, summary: SeedSummary) -> None:
    for spec in USERS:
        if spec.access.startswith("client:"):
            client = clients[spec.access.removeprefix("client:")]
            _upsert(
                ClientUser, summary, lookup={"user": users[spec.username]}, values={"client_id": client.pk}
            )


def _seed_brand(spec: BrandSpec, client: Client, users, now: datetime, summary: SeedSummary) -> Brand:
    brand = _upsert(
        Brand,
        summary,
        lookup={"slug": spec.slug},
        values={"name": spec.name, "client_id": client.pk, "time_zone": spec.time_zone},
    )
    for order, (code, handle) in enumerate(spec.handles.items()):
        _upsert(
            BrandPlatform,
            lookup={"brand": brand, "platform_id": code},
            values={"handle": handle, "sort_order": order},
        )
    for demo_user in USERS:
        if demo_user.access in BrandRole.values:
            _upsert(
                BrandMembership,
                summary,
                lookup={"brand": brand, "user": users[demo_user.username]},
                values={"role": demo_user.access},
            )

    _seed_policy(spec, brand)
    images = _seed_images(spec, brand, uploaded_by=users["lead"], summary=summary)
    _seed_kit(spec, brand, images, now)
    _seed_posts(spec, brand, images, users, now, summary)
    return brand


def _seed_policy(spec: BrandSpec, brand: Brand) -> None:
    """The brand's approval policy (made with the brand), with the client tier where wanted."""
    from approvals.models import ApprovalPolicy

    _upsert(
        ApprovalPolicy, lookup={"brand": brand}, values={"client_approval_required": spec.client_approval}
    )


def _seed_kit(spec: BrandSpec, brand: Brand, images: dict, now: datetime) -> None:
    kit = _upsert(
        BrandKit,
        lookup={"brand": brand},
        values={
            "logo_id": images[spec.logo_title].pk,
            "voice_guidelines": spec.voice_guidelines,
            "heading_font": spec.heading_font,
            "body_font": spec.body_font,
            "sponsored_disclaimer": spec.sponsored_disclaimer,
            "emoji_policy": spec.emoji_policy,
            "emoji_limit": spec.emoji_limit,
        },
    )
    for order, (name, hex_value) in enumerate(spec.palette):
        _upsert(
            PaletteColour, lookup={"kit": kit, "name": name}, values={"hex": hex_value, "sort_order": order}
        )
    approved = [spec.reversed_logo_title, *(image.title for image in spec.images)]
    for order, title in enumerate(approved):
        _upsert(KitImage, lookup={"kit": kit, "image": images[title]}, values={"sort_order": order})
    for order, (phrase, suggestion, severity) in enumerate(spec.banned_phrases):
        _upsert(
            BannedPhrase,
            lookup={"kit": kit, "phrase": phrase},
            values={"suggestion": suggestion, "severity": severity, "sort_order": order},
        )
    hashtags = [(tag, HashtagRule.Kind.REQUIRED) for tag in spec.required_hashtags] + [
        (tag, HashtagRule.Kind.FORBIDDEN) for tag in spec.forbidden_hashtags
    ]
    for order, (hashtag, kind) in enumerate(hashtags):
        _upsert(
            HashtagRule, lookup={"kit": kit, "hashtag": hashtag}, values={"kind": kind, "sort_order": order}
        )
    for order, name in enumerate(spec.name_spellings):
        _upsert(NameSpelling, lookup={"kit": kit, "name": name}, values={"sort_order": order})

    today = now.astimezone(brand.tz).date()
    for date_spec in spec.sensitive_dates:
        if date_spec.month_day:
            first_date = date(today.year, *date_spec.month_day)
        else:
            first_date = today + timedelta(days=date_spec.days_from_seed)
        _upsert(
            SensitiveDate,
            lookup={"kit": kit, "label": date_spec.label},
            values={
                "recurs_yearly": date_spec.month_day is not None,
                "reason": date_spec.reason,
                "window_days": date_spec.window_days,
            },
            on_create={"date": first_date},
        )


def _seed_images(spec: BrandSpec, brand: Brand, *, uploaded_by, summary: SeedSummary) -> dict:
    """The brand's logos and pictures, by title; drawn and saved only when missing."""
    Image = get_image_model()
    palette = [hex_value for _, hex_value in spec.palette]
    wanted = {
        spec.logo_title: lambda: draw_logo(spec.initials, spec.name, palette, reversed_=False),
        spec.reversed_logo_title: lambda: draw_logo(spec.initials, spec.name, palette, reversed_=True),
        **{
            image.title: (lambda image=image: draw_picture(image, palette, seed=f"{spec.slug}/{image.title}"))
            for image in spec.images
        },
    }
    descriptions = {
        spec.logo_title: f"The {spec.name} logo.",
        spec.reversed_logo_title: f"The {spec.name} logo, in light colours for dark backgrounds.",
        **{image.title: image.description for image in spec.images},
    }
    found = {
        image.title: image for image in Image.objects.filter(collection=brand.collection, title__in=wanted)
    }
    summary.count("images", created=False)
    for title, draw in wanted.items():
        if title in found:
            continue
        content, extension = draw()
        image = Image(
            title=title,
            file=ImageFile(io.BytesIO(content), name=_file_name(spec, title, extension)),
            description=descriptions[title],
            collection=brand.collection,
            uploaded_by_user=uploaded_by,
            file_size=len(content),
            file_hash=hashlib.sha1(content).hexdigest(),  # as an upload would, for duplicate detection
        )
        image.save()
        found[title] = image
        summary.count("images")
    return found


def _seed_posts(
    spec: BrandSpec, brand: Brand, images: dict, users, now: datetime, summary: SeedSummary
) -> None:
    existing = set(Post.objects.filter(brand=brand).values_list("title", flat=True))
    summary.count("posts", created=False)
    for post_spec in spec.posts:
        if post_spec.title in existing:
            continue  # created on an earlier run; its history is its own now
        _create_post(post_spec, brand, images, users, now)
        summary.count("posts")


def _create_post(spec: PostSpec, brand: Brand, images: dict, users, now: datetime) -> Post:
    platforms = Platform.objects.in_bulk(spec.platforms)
    creative = users["junior"]
    post = Post(
        brand=brand,
        title=spec.title,
        caption=spec.caption,
        format=spec.format,
        intent=spec.intent,
        cta_label=spec.cta_label,
        cta_url=spec.cta_url,
        campaign=spec.campaign,
        sponsored=spec.sponsored,
        created_by=creative,
        live=False,
        go_live_at=_slot_time(spec.slot, brand, now) if spec.slot else None,
    )
    # A ClusterableModel holds its children in memory until save(), as the admin's form does, so
    # the first revision records the post with its media, options and variants.
    post.platforms = [platforms[code] for code in spec.platforms]
    post.media = [
        PostMedia(image=images[title], alt_text=alt or images[title].description, sort_order=order)
        for order, (title, alt) in enumerate(_title_and_alt(item) for item in spec.media)
    ]
    post.poll_options = [
        PollOption(label=label, sort_order=order) for order, label in enumerate(spec.poll_options)
    ]
    post.caption_variants = [
        CaptionVariant(platform_id=code, caption=text) for code, text in spec.variants.items()
    ]
    post.save()

    revision = post.save_revision(user=creative)
    log(instance=post, action="wagtail.create", user=creative, revision=revision, content_changed=True)
    _bring_to_state(post, revision, spec, users)
    return post


def _bring_to_state(post: Post, revision, spec: PostSpec, users) -> None:
    """Take a new post through the real approval workflow to its demo state, as people would."""
    from approvals.models import ReviewTier
    from approvals.moving_on import decisions_followed_up_inline
    from approvals.services import approve_task, request_changes, submit_post

    if spec.state == "draft":
        return
    if spec.state == "scheduled" and not post.go_live_at:
        raise ValueError(f"{spec.title}: a scheduled post needs a slot")
    submit_post(post=post, user=users["junior"])
    if spec.state == "in_review":
        return
    # Tier after tier now: the relay, which would move the workflow on, is not running yet.
    with decisions_followed_up_inline():
        deciders = {ReviewTier.SENIOR: users["senior"], ReviewTier.LEAD: users["lead"]}
        while (task_state := post.current_workflow_task_state) is not None:
            tier = task_state.task.specific.tier
            if tier == ReviewTier.CLIENT:
                if spec.state == "awaiting_client":
                    return
                # The brand's client signs off in the portal; the demo's client user of that client.
                deciders[tier] = (
                    ClientUser.objects.filter(client_id=post.brand.client_id, user__in=users.values())
                    .select_related("user")
                    .first()
                    .user
                )
            if spec.state == "changes_requested":
                request_changes(
                    task_state=task_state,
                    user=deciders[tier],
                    reason="tone",
                    comment="Lovely idea. The second line reads a bit salesy for us; can we make it warmer?",
                )
                return
            approve_task(task_state=task_state, user=deciders[tier], comment="Looks good.")
            post.refresh_from_db()
    # Scheduled posts now wait for their time (publish_scheduled, run by the worker); others are live.


def _slot_time(slot: tuple[int, str], brand: Brand, now: datetime) -> datetime:
    days, hh_mm = slot
    local_day = now.astimezone(brand.tz).date() + timedelta(days=days)
    return datetime.combine(local_day, time.fromisoformat(hh_mm), tzinfo=brand.tz)


def _title_and_alt(item: str | tuple[str, str]) -> tuple[str, str]:
    return (item, "") if isinstance(item, str) else item


def _file_name(spec: BrandSpec, title: str, extension: str) -> str:
    name = slugify(title)
    return f"{name if name.startswith(spec.slug) else f'{spec.slug}-{name}'}.{extension}"


# ---------------------------------------------------------------------------------------------
# Pictures (Pillow). Deterministic: the same spec always draws the same pixels.
# ---------------------------------------------------------------------------------------------


def _rgb(hex_value: str) -> tuple[int, int, int]:
    return tuple(int(hex_value[i : i + 2], 16) for i in (1, 3, 5))


def _contrast(a, b) -> float:
    """WCAG contrast ratio of two colours, so headlines stay readable on any band colour."""

    def luminance(colour):
        channels = [c / 255 for c in colour]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _mix(a, b, amount: float):
    return tuple(round(x + (y - x) * amount) for x, y in zip(a, b, strict=True))


def _font(size: int) -> ImageFont.FreeTypeFont:
    # Pillow's bundled font, so the pictures look the same on every machine.
    return ImageFont.load_default(size=size)


def _gradient(size, top, bottom, horizontal: bool) -> PILImage.Image:
    mask = PILImage.linear_gradient("L")
    if horizontal:
        mask = mask.transpose(PILImage.Transpose.ROTATE_90)
    mask = mask.resize(size)
    return PILImage.composite(PILImage.new("RGB", size, bottom), PILImage.new("RGB", size, top), mask)


def _fit_text(draw, text: str, max_width: int, size: int) -> ImageFont.FreeTypeFont:
    font = _font(size)
    while size > 12 and draw.textlength(text, font=font) > max_width:
        size = int(size * 0.9)
        font = _font(size)
    return font


def draw_picture(spec: ImageSpec, palette: list[str], *, seed: str) -> tuple[bytes, str]:
    """A brand picture: a gradient in two palette colours, a motif and a headline band (JPEG)."""
    rng = random.Random(zlib.crc32(seed.encode()))
    bg1, bg2, accent, ink = (_rgb(palette[index]) for index in spec.colours)
    width, height = spec.size
    picture = _gradient(spec.size, bg1, bg2, horizontal=rng.random() < 0.5)
    draw = ImageDraw.Draw(picture)

    # Soft background shapes, so no two pictures look alike.
    for _ in range(rng.randint(3, 6)):
        radius = rng.randint(width // 12, width // 4)
        x, y = rng.randint(0, width), rng.randint(0, height)
        draw.ellipse(
            (x - radius, y - radius, x + radius, y + radius), fill=_mix(bg1, bg2, rng.uniform(0.3, 0.7))
        )

    band = max(int(height * 0.16), 120)
    stage = (0, 0, width, height - band)
    MOTIFS[spec.motif](draw, stage, accent=accent, ink=ink, light=bg1, rng=rng)

    draw.rectangle((0, height - band, width, height), fill=ink)
    margin = int(width * 0.06)
    font = _fit_text(draw, spec.headline, width - 2 * margin, int(band * 0.45))
    text_colour = max((_rgb(hex_value) for hex_value in palette), key=lambda colour: _contrast(colour, ink))
    draw.text((margin, height - band / 2), spec.headline, font=font, fill=text_colour, anchor="lm")
    draw.rectangle((margin, height - band, margin + width // 6, height - band + 10), fill=accent)

    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=88)
    return buffer.getvalue(), "jpg"


def draw_logo(initials: str, name: str, palette: list[str], *, reversed_: bool) -> tuple[bytes, str]:
    """A round badge with the brand's initial and name (PNG, transparent around the badge)."""
    light, accent, dark = _rgb(palette[0]), _rgb(palette[1]), _rgb(palette[3])
    badge, letter = (light, dark) if reversed_ else (accent, light)
    width, height = LOGO
    logo = PILImage.new("RGBA", LOGO, (0, 0, 0, 0))
    draw = ImageDraw.Draw(logo)
    inset = 40
    draw.ellipse((inset, inset, width - inset, height - inset), fill=badge)
    ring = 70
    draw.ellipse((ring, ring, width - ring, height - ring), outline=letter, width=14)
    draw.text((width / 2, height * 0.45), initials, font=_font(460), fill=letter, anchor="mm")
    font = _fit_text(draw, name.upper(), int(width * 0.6), 64)
    draw.text((width / 2, height * 0.74), name.upper(), font=font, fill=letter, anchor="mm")
    buffer = io.BytesIO()
    logo.save(buffer, format="PNG")
    return buffer.getvalue(), "png"


def _centre(stage):
    left, top, right, bottom = stage
    return (left + right) / 2, (top + bottom) / 2, min(right - left, bottom - top)


def _cup(draw, stage, *, accent, ink, light, rng):
    cx, cy, span = _centre(stage)
    r = span * 0.34
    draw.ellipse((cx - r * 1.25, cy - r * 1.25, cx + r * 1.25, cy + r * 1.25), fill=_mix(light, ink, 0.15))
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=light, outline=ink, width=8)
    inner = r * 0.8
    draw.ellipse((cx - inner, cy - inner, cx + inner, cy + inner), fill=_mix(accent, ink, 0.6))
    # A heart of latte art.
    h = inner * 0.45
    draw.ellipse((cx - h, cy - h * 0.8, cx, cy + h * 0.1), fill=light)
    draw.ellipse((cx, cy - h * 0.8, cx + h, cy + h * 0.1), fill=light)
    draw.polygon([(cx - h * 0.95, cy - h * 0.2), (cx + h * 0.95, cy - h * 0.2), (cx, cy + h)], fill=light)
    draw.rounded_rectangle(
        (cx + r * 0.95, cy - r * 0.18, cx + r * 1.45, cy + r * 0.18), radius=20, fill=light
    )


def _beans(draw, stage, *, accent, ink, light, rng):
    left, top, right, bottom = stage
    size = (right - left) / 14
    for _ in range(55):
        x, y = rng.uniform(left, right), rng.uniform(top, bottom)
        w, h = size, size * 0.7
        if rng.random() < 0.5:
            w, h = h, w
        colour = _mix(ink, accent, rng.uniform(0, 0.35))
        draw.ellipse((x - w / 2, y - h / 2, x + w / 2, y + h / 2), fill=colour)
        if w > h:
            draw.arc((x - w / 2, y - h / 3, x + w / 2, y + h / 3), 200, 340, fill=light, width=4)
        else:
            draw.arc((x - w / 3, y - h / 2, x + w / 3, y + h / 2), 110, 250, fill=light, width=4)


def _bag(draw, stage, *, accent, ink, light, rng):
    cx, cy, span = _centre(stage)
    w, h = span * 0.5, span * 0.72
    box = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
    draw.rounded_rectangle(box, radius=24, fill=ink)
    draw.polygon(
        [(box[0], box[1] + 40), (cx, box[1] - 30), (box[2], box[1] + 40)], fill=_mix(ink, light, 0.15)
    )
    draw.rectangle((box[0] + 30, cy - h * 0.12, box[2] - 30, cy + h * 0.22), fill=accent)
    draw.ellipse((cx - 40, cy - h * 0.32, cx + 40, cy - h * 0.32 + 80), outline=light, width=6)


def _pourover(draw, stage, *, accent, ink, light, rng):
    cx, cy, span = _centre(stage)
    cone = span * 0.3
    top = cy - span * 0.32
    draw.polygon(
        [
            (cx - cone, top),
            (cx + cone, top),
            (cx + cone * 0.25, top + cone * 1.1),
            (cx - cone * 0.25, top + cone * 1.1),
        ],
        fill=light,
        outline=ink,
    )
    for i in range(4):
        y = top + cone * 1.25 + i * span * 0.05
        draw.ellipse((cx - 10, y, cx + 10, y + 26), fill=_mix(accent, ink, 0.5))
    cup_top = cy + span * 0.12
    draw.rounded_rectangle(
        (cx - span * 0.2, cup_top, cx + span * 0.2, cup_top + span * 0.26), radius=30, fill=ink
    )
    draw.arc(
        (cx + span * 0.14, cup_top + span * 0.04, cx + span * 0.3, cup_top + span * 0.18),
        270,
        90,
        fill=ink,
        width=16,
    )


def _person(draw, stage, *, accent, ink, light, rng):
    cx, cy, span = _centre(stage)
    head = span * 0.15
    draw.ellipse(
        (cx - span * 0.36, cy - span * 0.36, cx + span * 0.36, cy + span * 0.36),
        fill=_mix(light, accent, 0.3),
    )
    draw.ellipse((cx - head, cy - span * 0.22 - head, cx + head, cy - span * 0.22 + head), fill=ink)
    draw.pieslice((cx - span * 0.3, cy - span * 0.02, cx + span * 0.3, cy + span * 0.58), 180, 360, fill=ink)
    draw.rectangle((cx - span * 0.08, cy + span * 0.05, cx + span * 0.08, cy + span * 0.28), fill=accent)


def _storefront(draw, stage, *, accent, ink, light, rng):
    left, top, right, bottom = stage
    w = right - left
    x0, x1 = left + w * 0.2, right - w * 0.2
    y0, y1 = top + (bottom - top) * 0.25, bottom
    draw.rectangle((x0, y0, x1, y1), fill=light, outline=ink, width=8)
    stripes = 9
    stripe_w = (x1 - x0) / stripes
    for i in range(stripes):
        draw.rectangle(
            (x0 + i * stripe_w, y0 - 60, x0 + (i + 1) * stripe_w, y0 + 40), fill=accent if i % 2 else light
        )
    draw.rectangle((x0 + (x1 - x0) * 0.42, y0 + 120, x0 + (x1 - x0) * 0.58, y1), fill=ink)
    for wx in (0.1, 0.66):
        draw.rectangle(
            (x0 + (x1 - x0) * wx, y0 + 120, x0 + (x1 - x0) * (wx + 0.24), y0 + 300),
            fill=_mix(accent, light, 0.6),
            outline=ink,
            width=6,
        )


def _mountains(draw, stage, *, accent, ink, light, rng):
    left, top, right, bottom = stage
    w, h = right - left, bottom - top
    sun = min(w, h) * 0.12
    sx, sy = left + w * rng.uniform(0.55, 0.8), top + h * 0.3
    draw.ellipse((sx - sun, sy - sun, sx + sun, sy + sun), fill=accent)
    for layer in range(3):
        base = top + h * (0.5 + layer * 0.17)
        points = [(left, bottom)]
        x = left
        while x <= right:
            points.append((x, base - rng.uniform(0.05, 0.25) * h))
            x += w / rng.randint(3, 6)
        points += [(right, base - 0.1 * h), (right, bottom)]
        draw.polygon(points, fill=_mix(light, ink, 0.35 + layer * 0.3))


def _trail(draw, stage, *, accent, ink, light, rng):
    left, top, right, bottom = stage
    _mountains(
        draw, (left, top, right, top + (bottom - top) * 0.7), accent=accent, ink=ink, light=light, rng=rng
    )
    draw.rectangle((left, top + (bottom - top) * 0.62, right, bottom), fill=_mix(light, ink, 0.55))
    w, h = right - left, bottom - top
    points = [(left + w * (0.5 + 0.3 * math.sin(t / 3)), top + h * (0.62 + 0.38 * t / 12)) for t in range(13)]
    draw.line(points, fill=light, width=int(w * 0.05), joint="curve")


def _wheel(draw, stage, *, accent, ink, light, rng, centre=None, radius=None):
    cx, cy, span = _centre(stage)
    if centre:
        cx, cy = centre
    r = radius or span * 0.36
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=ink, width=max(int(r * 0.12), 6))
    draw.ellipse(
        (cx - r * 0.88, cy - r * 0.88, cx + r * 0.88, cy + r * 0.88), outline=_mix(ink, light, 0.5), width=3
    )
    for spoke in range(24):
        angle = spoke * math.pi / 12
        draw.line(
            (cx, cy, cx + math.cos(angle) * r * 0.86, cy + math.sin(angle) * r * 0.86), fill=light, width=3
        )
    hub = r * 0.1
    draw.ellipse((cx - hub, cy - hub, cx + hub, cy + hub), fill=accent)


def _bike(draw, stage, *, accent, ink, light, rng):
    left, top, right, bottom = stage
    _mountains(
        draw, (left, top, right, top + (bottom - top) * 0.75), accent=accent, ink=ink, light=light, rng=rng
    )
    w, h = right - left, bottom - top
    r = min(w, h) * 0.17
    ground = bottom - h * 0.06
    back, front = (left + w / 2 - r * 1.6, ground - r), (left + w / 2 + r * 1.6, ground - r)
    draw.rectangle((left, ground, right, bottom), fill=ink)
    for centre in (back, front):
        _wheel(draw, stage, accent=accent, ink=ink, light=light, rng=rng, centre=centre, radius=r)
    crank = (left + w / 2 - r * 0.2, ground - r)
    seat = (back[0] + r * 0.9, ground - r * 2.3)
    head = (front[0] - r * 0.5, ground - r * 2.2)
    frame = max(int(r * 0.09), 6)
    for a, b in ((back, crank), (crank, seat), (seat, back), (seat, head), (crank, head), (head, front)):
        draw.line((*a, *b), fill=accent, width=frame)
    draw.line((seat[0] - r * 0.25, seat[1], seat[0] + r * 0.2, seat[1]), fill=ink, width=frame)
    draw.line((head[0], head[1], head[0] + r * 0.35, head[1] - r * 0.1), fill=ink, width=frame)


def _card(draw, stage, *, accent, ink, light, rng):
    cx, cy, span = _centre(stage)
    w, h = span * 0.8, span * 0.5
    box = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
    draw.rounded_rectangle(
        (box[0] + 16, box[1] + 20, box[2] + 16, box[3] + 20), radius=36, fill=_mix(ink, light, 0.2)
    )
    draw.rounded_rectangle(box, radius=36, fill=_mix(accent, ink, 0.2), outline=light, width=4)
    draw.rounded_rectangle((box[0] + 50, cy - 60, box[0] + 150, cy + 10), radius=12, fill=light)
    for group in range(4):
        x = box[0] + 50 + group * w * 0.2
        for dot in range(4):
            draw.ellipse((x + dot * 22, cy + 70, x + dot * 22 + 12, cy + 82), fill=light)
    badge = h * 0.22
    bx, by = box[2] - badge * 1.3, box[1] + badge * 1.3
    draw.ellipse((bx - badge, by - badge, bx + badge, by + badge), fill=light)
    for spoke in range(3):
        angle = spoke * math.pi / 3
        dx, dy = math.cos(angle) * badge * 0.7, math.sin(angle) * badge * 0.7
        draw.line((bx - dx, by - dy, bx + dx, by + dy), fill=accent, width=8)


def _chart(draw, stage, *, accent, ink, light, rng):
    left, top, right, bottom = stage
    w, h = right - left, bottom - top
    base = bottom - h * 0.12
    bars = [0.5, 0.3, 0.2] if w > h * 1.3 else [rng.uniform(0.3, 0.9) for _ in range(6)]
    slot = w * 0.7 / len(bars)
    for index, value in enumerate(bars):
        x = left + w * 0.15 + index * slot
        colour = accent if index % 2 == 0 else ink
        draw.rounded_rectangle(
            (x + slot * 0.15, base - value * h * 0.7, x + slot * 0.85, base), radius=14, fill=colour
        )
    draw.line((left + w * 0.1, base, right - w * 0.1, base), fill=ink, width=6)


def _coins(draw, stage, *, accent, ink, light, rng):
    left, top, right, bottom = stage
    w, h = right - left, bottom - top
    r = min(w, h) * 0.11
    for stack in range(3):
        x = left + w * (0.28 + stack * 0.22)
        for coin in range(rng.randint(3, 7)):
            y = bottom - h * 0.15 - coin * r * 0.45
            colour = accent if (stack + coin) % 2 else _mix(accent, ink, 0.35)
            draw.ellipse((x - r, y - r * 0.4, x + r, y + r * 0.4), fill=colour, outline=ink, width=3)


def _phone(draw, stage, *, accent, ink, light, rng):
    cx, cy, span = _centre(stage)
    w, h = span * 0.48, span * 0.9
    box = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
    draw.rounded_rectangle(box, radius=50, fill=ink)
    screen = (box[0] + 18, box[1] + 50, box[2] - 18, box[3] - 40)
    draw.rounded_rectangle(screen, radius=30, fill=light)
    row_h = (screen[3] - screen[1]) / 4
    for row, filled in enumerate((0.8, 0.45, 0.25)):
        y = screen[1] + row_h * (row + 0.5)
        draw.rounded_rectangle(
            (screen[0] + 24, y, screen[2] - 24, y + row_h * 0.6), radius=18, fill=_mix(light, ink, 0.08)
        )
        bar_y = y + row_h * 0.38
        draw.rounded_rectangle(
            (screen[0] + 44, bar_y, screen[2] - 44, bar_y + 14), radius=7, fill=_mix(light, ink, 0.2)
        )
        draw.rounded_rectangle(
            (screen[0] + 44, bar_y, screen[0] + 44 + (screen[2] - screen[0] - 88) * filled, bar_y + 14),
            radius=7,
            fill=accent,
        )


def _shield(draw, stage, *, accent, ink, light, rng):
    cx, cy, span = _centre(stage)
    s = span * 0.38
    points = [
        (cx, cy - s),
        (cx + s * 0.8, cy - s * 0.65),
        (cx + s * 0.7, cy + s * 0.3),
        (cx, cy + s),
        (cx - s * 0.7, cy + s * 0.3),
        (cx - s * 0.8, cy - s * 0.65),
    ]
    draw.polygon(points, fill=accent)
    draw.line(
        [(cx - s * 0.35, cy), (cx - s * 0.08, cy + s * 0.3), (cx + s * 0.4, cy - s * 0.3)],
        fill=light,
        width=int(s * 0.12),
        joint="curve",
    )


MOTIFS = {
    "bag": _bag,
    "beans": _beans,
    "bike": _bike,
    "card": _card,
    "chart": _chart,
    "coins": _coins,
    "cup": _cup,
    "mountains": _mountains,
    "person": _person,
    "phone": _phone,
    "pourover": _pourover,
    "shield": _shield,
    "storefront": _storefront,
    "trail": _trail,
    "wheel": _wheel,
}


# More posts to review ----------------------------------------------------------------------------


def multiply_demo(*, times: int, now: datetime | None = None) -> int:
    """The demo's posts `times` over, for measuring pages at scale (benchmarks/pages.py): copy
    k of each demo post ("… (copy k)", k = 2 … times) in the same state as the original, brought
    there through the real workflow, so every table a page reads (revisions, workflow states,
    decisions, what went out) grows as it would. Run after seed_demo; idempotent (copies made
    before are kept); returns how many posts it added."""
    now = now or timezone.now()
    users = {
        user.username: user
        for user in get_user_model().objects.filter(username__in=[u.username for u in USERS])
    }
    added = 0
    for spec in BRANDS:
        brand = Brand.objects.get(slug=spec.slug)
        images = {
            image.title: image for image in get_image_model().objects.filter(collection=brand.collection)
        }
        titles = set(Post.objects.filter(brand=brand).values_list("title", flat=True))
        for copy in range(2, times + 1):
            for post_spec in spec.posts:
                title = f"{post_spec.title} (copy {copy})"
                if title in titles:
                    continue
                _create_post(replace(post_spec, title=title), brand, images, users, now)
                added += 1
    return added


def seed_reviews(*, count: int, now: datetime | None = None) -> int:
    """Posts awaiting the demo senior's review until there are `count`: new takes of the demo
    posts that check clean (no findings), from every brand in turn, drafted and submitted by the
    demo junior through the real workflow. Run after seed_demo; returns how many it added."""
    from approvals.selectors import reviews_awaiting

    now = now or timezone.now()
    users = {
        user.username: user
        for user in get_user_model().objects.filter(username__in=[u.username for u in USERS])
    }
    missing = count - reviews_awaiting(users["senior"]).count()
    if missing <= 0:
        return 0
    queues = []
    for spec in BRANDS:
        brand = Brand.objects.get(slug=spec.slug)
        seeded = Post.objects.filter(brand=brand).select_related("latest_revision__checked")
        # Not the archived ones: a new take of what went out is a near duplicate (a warning).
        clean = {
            post.title
            for post in seeded.filter(archive_entries__isnull=True)
            if post.latest_revision is not None
            and hasattr(post.latest_revision, "checked")
            and not post.latest_revision.checked.findings
        }
        specs = [post_spec for post_spec in spec.posts if post_spec.title in clean]
        images = {
            image.title: image for image in get_image_model().objects.filter(collection=brand.collection)
        }
        titles = set(seeded.values_list("title", flat=True))
        queues.append((brand, specs, images, titles))
    added = 0
    while added < missing:
        for brand, specs, images, titles in queues:
            if added == missing or not specs:
                continue
            spec = specs[added // len(queues) % len(specs)]
            take = 2
            while f"{spec.title} (take {take})" in titles:
                take += 1
            title = f"{spec.title} (take {take})"
            titles.add(title)
            slot = (1 + added % 6, "10:00")
            _create_post(replace(spec, title=title, state="in_review", slot=slot), brand, images, users, now)
            added += 1
        if not any(specs for _, specs, _, _ in queues):
            break  # no demo post checks clean: nothing to copy
    return added
