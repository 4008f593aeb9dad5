"""Platform specs: one table of what each social platform accepts and how it shows a post.

Everything that differs by platform (caption limits, where the caption is cut with "… more",
hashtag limits, image aspect ratios, which formats can't go out without media) lives here as
data, so the checker, the previews and the API read the same numbers. The findings these numbers
give (a caption too long, no image on an Instagram post…) are written once, in `requirements.py`:
the checker reports them and the previews state them in the same words.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class PlatformSpec:
    code: str
    name: str
    caption_limit: int
    # Characters shown before the feed cuts the caption with "… more" (None: shown in full).
    truncate_at: int | None
    hashtag_limit: int | None
    mention_limit: int | None
    links_clickable: bool
    max_images: int
    # Accepted width/height ratios per format; previews crop to the first unless preview_sizes says.
    aspect_ratios: dict[str, tuple[float, float]] = field(default_factory=dict)
    # Pixel size (width, height) previews crop media to, per format, where the first accepted
    # ratio is not how the platform shows it (e.g. X shows a single image 16:9).
    preview_sizes: dict[str, tuple[int, int]] = field(default_factory=dict)
    min_width: int = 320
    max_file_bytes: int = 8 * 1024 * 1024
    # Formats the platform won't publish without an image or video. Stories and reels are pictures
    # first everywhere; Instagram and TikTok have no text-only posts at all (a poll there is a
    # sticker on a story or a video). Replies are comments: never.
    media_formats: frozenset[str] = frozenset({"story", "reel"})


# How a format is named in a sentence: "Instagram feed posts need…".
FORMAT_LABELS = {
    "feed": "feed posts",
    "carousel": "carousels",
    "story": "stories",
    "reel": "reels",
    "poll": "polls",
    "reply": "replies",
}
MEDIA_ONLY = frozenset({"feed", "carousel", "story", "reel", "poll"})


PLATFORM_SPECS: dict[str, PlatformSpec] = {
    spec.code: spec
    for spec in [
        PlatformSpec(
            code="instagram",
            name="Instagram",
            caption_limit=2200,
            truncate_at=125,
            hashtag_limit=30,
            mention_limit=20,
            links_clickable=False,
            max_images=20,
            aspect_ratios={"feed": (4 / 5, 1.91), "story": (9 / 16, 9 / 16), "reel": (9 / 16, 9 / 16)},
            min_width=320,
            media_formats=MEDIA_ONLY,
        ),
        PlatformSpec(
            code="facebook",
            name="Facebook",
            caption_limit=63206,
            truncate_at=480,
            hashtag_limit=None,
            mention_limit=None,
            links_clickable=True,
            max_images=10,
            aspect_ratios={"feed": (4 / 5, 1.91), "story": (9 / 16, 9 / 16), "reel": (9 / 16, 9 / 16)},
            min_width=600,
            max_file_bytes=10 * 1024 * 1024,
        ),
        PlatformSpec(
            code="x",
            name="X",
            caption_limit=280,
            truncate_at=None,
            hashtag_limit=None,
            mention_limit=None,
            links_clickable=True,
            max_images=4,
            aspect_ratios={"feed": (1 / 1, 16 / 9)},
            preview_sizes={"feed": (1200, 675)},
            min_width=600,
            max_file_bytes=5 * 1024 * 1024,
        ),
        PlatformSpec(
            code="linkedin",
            name="LinkedIn",
            caption_limit=3000,
            truncate_at=210,
            hashtag_limit=None,
            mention_limit=None,
            links_clickable=True,
            max_images=9,
            aspect_ratios={"feed": (1 / 1.91, 1.91)},
            preview_sizes={"feed": (1200, 1200)},
            min_width=552,
        ),
        PlatformSpec(
            code="tiktok",
            name="TikTok",
            caption_limit=4000,
            truncate_at=100,
            hashtag_limit=None,
            mention_limit=None,
            links_clickable=False,
            max_images=35,
            aspect_ratios={"feed": (9 / 16, 9 / 16), "story": (9 / 16, 9 / 16), "reel": (9 / 16, 9 / 16)},
            min_width=540,
            max_file_bytes=20 * 1024 * 1024,
            media_formats=MEDIA_ONLY,
        ),
    ]
}

PLATFORM_CHOICES = [(spec.code, spec.name) for spec in PLATFORM_SPECS.values()]
