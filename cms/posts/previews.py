"""Per-platform mock-ups of a post: everything `templates/previews/<mode>.html` needs.

`build_mockup(post, mode_name)` serves both the editor's preview (`Post.get_preview_context`)
and the client portal, so the templates render with only `{"mockup", "object", "request"}`.
It works on saved posts and on the unsaved in-memory posts Wagtail's preview builds from the
editor form (whose media and caption variants are modelcluster fake querysets).

Pictures link to `image_url(image, rendition)`: by default the rendition's own URL, which only
the brand's team may open (cms/media.py); the portal passes its own view, which checks the post.

Everything taken from the caption reaches the templates as plain strings in `CaptionSegment`s,
which the templates print with autoescaping: nothing here is marked safe.
"""

from __future__ import annotations

import logging
import re
import unicodedata
import zlib
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.utils import timezone
from wagtail.images import get_image_model

from brands.checks.counting import EMOJI_CLUSTER, caption_length, caption_tokens, x_overflow_point
from brands.checks.platforms import PLATFORM_SPECS, PlatformSpec
from brands.checks.requirements import platform_requirements
from brands.checks.types import ImageInput, PostContent

logger = logging.getLogger(__name__)

# Preview mode -> (platform code, format). The modes are `Post.preview_modes`.
PREVIEW_MODES: dict[str, tuple[str, str]] = {
    "instagram_feed": ("instagram", "feed"),
    "instagram_story": ("instagram", "story"),
    "facebook": ("facebook", "feed"),
    "x": ("x", "feed"),
    "linkedin": ("linkedin", "feed"),
    "tiktok": ("tiktok", "reel"),
}

# What each platform's "… more" control says.
MORE_LABELS = {"instagram": "… more", "facebook": "… See more", "linkedin": "…see more", "tiktok": "… more"}

# What an empty media area says where the platform would take the post without media.
EMPTY_MEDIA_TEXT = {"tiktok": "No image or video yet"}

PREVIEW_WIDTH = 1080
AVATAR_FILTER = "fill-160x160"
# Fallback avatar colours when the kit has no palette (picked by brand name, so stable).
FALLBACK_AVATAR_COLOURS = ["#3D5A80", "#6A4C93", "#1B998B", "#C2185B", "#E76F51", "#2A9D8F"]
HEX_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")


@dataclass(frozen=True)
class CaptionSegment:
    """A run of caption text; `kind` is text, hashtag, mention or link. `href` only for live links."""

    kind: str
    text: str
    display: str
    href: str | None = None


@dataclass(frozen=True)
class MediaItem:
    position: int
    alt: str
    url: str | None = None
    width: int | None = None
    height: int | None = None

    @property
    def is_placeholder(self) -> bool:
        return self.url is None


@dataclass(frozen=True)
class Avatar:
    url: str | None
    initials: str
    background: str
    foreground: str


@dataclass(frozen=True)
class CharacterCount:
    count: int
    limit: int

    @property
    def over_by(self) -> int:
        return max(self.count - self.limit, 0)

    @property
    def is_over(self) -> bool:
        return self.count > self.limit

    @property
    def label(self) -> str:
        label = f"{self.count:,} / {self.limit:,}"
        return f"{label} — {self.over_by:,} over" if self.is_over else label


# The caption, split into styled segments ------------------------------------------------------


def _link_display(url: str, platform_code: str) -> str:
    if platform_code != "x":
        return url
    # X shows links without the scheme and "www.", cut to about 25 characters.
    display = re.sub(r"^(?:https?://)?(?:www\.)?", "", url, flags=re.IGNORECASE)
    return display if len(display) <= 25 else display[:25] + "…"


def split_caption(text: str, spec: PlatformSpec) -> list[CaptionSegment]:
    """The caption as text, hashtag, mention and link segments (links live where the platform links)."""
    segments, position = [], 0
    for start, end, kind in caption_tokens(text):
        if start > position:
            segments.append(CaptionSegment("text", text[position:start], text[position:start]))
        token = text[start:end]
        if kind == "link":
            href = token if re.match(r"https?://", token, re.IGNORECASE) else f"https://{token}"
            segments.append(
                CaptionSegment(
                    "link",
                    token,
                    _link_display(token, spec.code),
                    href=href if spec.links_clickable else None,
                )
            )
        else:
            segments.append(CaptionSegment(kind, token, token))
        position = end
    if position < len(text):
        segments.append(CaptionSegment("text", text[position:], text[position:]))
    return segments


def _token_boundary(segments: list[CaptionSegment], cut: int) -> int:
    """`cut`, moved off the inside of a hashtag, mention or link (to its start, or its end if first)."""
    position = 0
    for segment in segments:
        end = position + len(segment.text)
        if segment.kind != "text" and position < cut < end:
            return position if position > 0 else end
        position = end
    return cut


def _truncation_point(text: str, segments: list[CaptionSegment], limit: int) -> int:
    """Where the feed cuts the caption: at `limit`, back to a space nearby, never inside a token or emoji."""
    cut = limit
    space = max(text.rfind(" ", max(cut - 20, 0), cut + 1), text.rfind("\n", max(cut - 20, 0), cut + 1))
    if space > 0:
        cut = space
    cut = _token_boundary(segments, cut)
    for emoji in EMOJI_CLUSTER.finditer(text, 0, min(cut + 40, len(text))):
        if emoji.start() >= cut:
            break
        if cut < emoji.end():
            cut = emoji.start()
            break
    # Nor between a letter and its combining accent.
    while 0 < cut < len(text) and unicodedata.combining(text[cut]):
        cut -= 1
    return cut


def _split_segments(segments: list[CaptionSegment], cut: int):
    visible, hidden, position = [], [], 0
    for segment in segments:
        end = position + len(segment.text)
        if end <= cut:
            visible.append(segment)
        elif position >= cut:
            hidden.append(segment)
        else:  # only text segments straddle the cut
            head, tail = segment.text[: cut - position], segment.text[cut - position :]
            visible.append(CaptionSegment("text", head, head))
            hidden.append(CaptionSegment("text", tail, tail))
        position = end
    return visible, hidden


def _caption(text: str, spec: PlatformSpec) -> dict:
    segments = split_caption(text, spec)
    visible, hidden, overflow = segments, [], []
    if spec.truncate_at is not None and len(text.rstrip()) > spec.truncate_at:
        visible, hidden = _split_segments(segments, _truncation_point(text, segments, spec.truncate_at))
    elif spec.code == "x" and (cut := x_overflow_point(text, spec.caption_limit)) is not None:
        # X doesn't fold captions; like its composer, mark what goes past the limit.
        visible, overflow = _split_segments(segments, _token_boundary(segments, cut))
    return {
        "text": text,
        "segments": segments,
        "visible": visible,
        "hidden": hidden,
        "overflow": overflow,
        "is_truncated": bool(hidden),
        "more_label": MORE_LABELS.get(spec.code, "more"),
        "hashtag_count": sum(1 for segment in segments if segment.kind == "hashtag"),
    }


# Brand, avatar and time ------------------------------------------------------------------------


def _initials(name: str) -> str:
    words = [word for word in re.split(r"\W+", name) if word]
    return "".join(word[0] for word in words[:2]).upper() or "?"


def _foreground_for(hex_colour: str) -> str:
    red, green, blue = (int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    channels = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (red, green, blue)]
    luminance = 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]
    return "#111111" if luminance > 0.4 else "#FFFFFF"


def _avatar(brand, kit, logo, image_url) -> Avatar:
    colours = [colour.hex for colour in kit.colours.all()] if kit else []
    colours = [colour for colour in colours if HEX_COLOUR.match(colour or "")]
    background = (
        colours[0]
        if colours
        else FALLBACK_AVATAR_COLOURS[zlib.crc32(brand.name.encode()) % len(FALLBACK_AVATAR_COLOURS)]
    )
    url = None
    if logo is not None:
        rendition = _rendition(logo, AVATAR_FILTER)
        url = image_url(logo, rendition) if rendition else None
    return Avatar(url, _initials(brand.name), background, _foreground_for(background))


def _scheduled(post, brand, *, published_at=None, going_out_now=False) -> dict:
    """When the post goes (or went) out, in the brand's time zone: its scheduled time, the time
    it was published, "Going out now" (approved, being published), or "Draft" (no time yet)."""
    if going_out_now:
        published_at = published_at or timezone.now()
    moment = published_at or post.go_live_at
    if not moment:
        return {"is_draft": True, "short": "Draft", "long": "Draft", "iso": ""}
    local = moment.astimezone(brand.tz)
    when = f"{local:%a} {local.day} {local:%b %Y, %H:%M} {local.tzname()}"
    if going_out_now:
        when = "Going out now"
    elif published_at is not None:
        when = f"Published {when}"
    return {
        "is_draft": False,
        "is_published": published_at is not None,
        "short": f"{local.day} {local:%b}",
        "long": when,
        "date": f"{local.day} {local:%B %Y}",
        "time": f"{local:%H:%M}",
        "iso": local.isoformat(),
        "time_zone": brand.time_zone,
    }


# Media ------------------------------------------------------------------------------------------


def crop_size(spec: PlatformSpec, post_format: str) -> tuple[int, int]:
    """The (width, height) the platform shows media of this format at."""
    if post_format in spec.preview_sizes:
        return spec.preview_sizes[post_format]
    ratio = spec.aspect_ratios.get(post_format, spec.aspect_ratios.get("feed", (1.0,)))[0]
    return PREVIEW_WIDTH, round(PREVIEW_WIDTH / ratio)


def _rendition(image, filter_spec: str):
    """The image's rendition, or None when its file is missing or unreadable (the preview goes on)."""
    try:
        return image.get_rendition(filter_spec)
    except Exception:  # a missing or corrupt file must not break the whole preview
        logger.warning("No %s rendition for image %s", filter_spec, image.pk, exc_info=True)
        return None


def _ordered_media(post) -> list:
    items = [item for item in post.media.all() if item.image_id]
    return sorted(items, key=lambda item: item.sort_order if item.sort_order is not None else 0)


def _media(items, images: dict, filter_spec: str, image_url) -> list[MediaItem]:
    media = []
    for position, item in enumerate(items, start=1):
        image = images.get(item.image_id)
        alt = item.alt_text or (image.title if image else "") or f"Image {position}"
        rendition = _rendition(image, filter_spec) if image else None
        if rendition is None:
            media.append(MediaItem(position, alt))
        else:
            url = image_url(image, rendition)
            media.append(MediaItem(position, alt, url, rendition.width, rendition.height))
    return media


# The mock-up ------------------------------------------------------------------------------------


def _rendition_url(image, rendition) -> str:
    return rendition.url


def build_mockup(
    post, mode_name: str, *, image_url=_rendition_url, published_at=None, going_out_now=False
) -> dict:
    """Everything one platform's mock-up of `post` shows, for `templates/previews/<mode_name>.html`.

    Keys: `platform` (its `PlatformSpec`), `format`, `display_name`, `handle`, `avatar`, `caption`
    (segments `visible`, folded `hidden` under `more_label`, and X's `overflow`), `counter`,
    `hashtags`, `media` (`MediaItem`s cropped to `crop`), `is_carousel`, `more_media_count`,
    `scheduled` (in the brand's time zone, or "Draft"; the time it went out with `published_at`,
    "Going out now" with `going_out_now`), `sponsored`, `cta`, `goes_to_platform`,
    `requirements` (the checker's findings for this platform that the preview states: the same
    `Finding`s, from `brands.checks.requirements`) and `empty_media_text`.
    """
    try:
        platform_code, post_format = PREVIEW_MODES[mode_name]
    except KeyError:
        raise Http404(f"No preview mode “{mode_name}”.") from None
    spec = PLATFORM_SPECS[platform_code]
    brand = post.brand
    try:
        kit = brand.kit
    except ObjectDoesNotExist:
        kit = None

    width, height = crop_size(spec, post_format)
    filter_spec = f"fill-{width}x{height}"
    items = _ordered_media(post)
    shown_items = items[: spec.max_images]
    # One query for every image (media and logo) and one for their existing renditions.
    image_ids = {item.image_id for item in items}
    if kit and kit.logo_id:
        image_ids.add(kit.logo_id)
    images = {
        image.pk: image
        for image in get_image_model()
        .objects.filter(pk__in=image_ids)
        .prefetch_renditions(filter_spec, AVATAR_FILTER)
    }
    media = _media(shown_items, images, filter_spec, image_url)

    caption_text = post.caption_for(platform_code)
    caption = _caption(caption_text, spec)
    count = CharacterCount(caption_length(caption_text, platform_code), spec.caption_limit)
    goes_to_platform = any(platform.pk == platform_code for platform in post.platforms.all())
    requirements = _requirements(post, platform_code, caption_text, items, images) if goes_to_platform else []
    missing = next((finding for finding in requirements if finding.rule == "image_missing"), None)

    return {
        "mode": mode_name,
        "mode_label": dict(type(post).preview_modes).get(mode_name, spec.name),
        "platform": spec,
        "format": post_format,
        "display_name": brand.name,
        "handle": brand.handle_on(platform_code),
        "avatar": _avatar(brand, kit, images.get(kit.logo_id) if kit else None, image_url),
        "caption": caption,
        "counter": count,
        "hashtags": {
            "count": caption["hashtag_count"],
            "limit": spec.hashtag_limit,
            "is_over": spec.hashtag_limit is not None and caption["hashtag_count"] > spec.hashtag_limit,
        },
        "media": media,
        "media_count": len(media),
        "is_carousel": len(media) > 1,
        "more_media_count": len(items) - len(shown_items),
        "crop": {"width": width, "height": height, "filter": filter_spec},
        "scheduled": _scheduled(post, brand, published_at=published_at, going_out_now=going_out_now),
        "sponsored": post.sponsored,
        "cta": {"label": post.cta_label, "url": post.cta_url} if post.cta_label else None,
        "goes_to_platform": goes_to_platform,
        "requirements": requirements,
        "empty_media_text": missing.message
        if missing
        else EMPTY_MEDIA_TEXT.get(platform_code, "No image yet"),
    }


def _requirements(post, platform_code: str, caption: str, items, images: dict) -> list:
    """What the checker requires of the post on this platform and finds missing, in its words.

    The pixels aren't needed for these rules, so no image file is read here."""
    content = PostContent(
        caption=caption,
        platforms=(platform_code,),
        format=post.format,
        images=tuple(
            ImageInput(
                data=None,
                alt_text=item.alt_text,
                title=images[item.image_id].title if item.image_id in images else "",
            )
            for item in items
        ),
    )
    return platform_requirements(content, platform_code)
