"""Image rules: does each picture of a post fit the platforms it goes to, and the brand?

Pure Python and Pillow, no database: `check_images` takes a post's content (the images' bytes
and alt text) and the kit's rules, and returns findings.

Decoding is the expensive and the dangerous part, so each image is opened once:

* `Image.open` only reads the header, so the dimensions (for aspect ratio and resolution) come
  from there, turned by the EXIF orientation the platforms honour.
* Only the formats a post can carry are tried (`Image.open(formats=...)`), so a file that
  claims to be, say, EPS never reaches a decoder that shells out to Ghostscript.
* Our own pixel limits refuse decompression bombs before anything is decoded, instead of
  relying on the process-wide `Image.MAX_IMAGE_PIXELS`.
* The colour check needs only a thumbnail: JPEGs are decoded at 1/2–1/8 scale in draft mode
  (https://pillow.readthedocs.io/en/stable/reference/Image.html#PIL.Image.Image.draft), other
  formats are decoded and reduced with `thumbnail`. A 12-megapixel photo takes a few tens of
  milliseconds.
* Anything that goes wrong while reading an image becomes an `image_unreadable` finding for that
  image, never an exception: truncated files are not loaded half-way
  (`ImageFile.LOAD_TRUNCATED_IMAGES` stays off).

Rules and severities:

==================== ======== =====================================================================
rule                 severity when
==================== ======== =====================================================================
image_unreadable     block    the file is missing, empty, damaged, not an image, or too large to
                              open safely (one finding per image; its other picture checks skip)
image_outside_brand  block    the image is not in the brand's collection (not cleared for it)
image_file_size      block    the file is larger than a platform accepts (one per platform)
image_count          block    more images than a platform takes in one post (one per platform)
image_missing        block    no image where a platform won't publish without one (one per platform)
image_aspect_ratio   warn     the platform will crop it: width/height outside the format's range
image_resolution     warn     narrower than the platform's minimum width (it is upscaled, blurry)
                     block    narrower than half that minimum (visibly pixelated)
image_alt_text       block    no alt text
                     warn     alt text that is only the file name, a placeholder or the title
image_off_palette    warn     every main colour of the image (15%+ of it) is far (CIE76 ΔE > 30)
                              from every palette colour; neutral colours (whites, greys, blacks,
                              very low chroma) never count, and kits without a palette skip it
==================== ======== =====================================================================

image_count, image_missing and image_alt_text are platform requirements the previews state too:
they are written once, in `requirements.py`.
"""

from __future__ import annotations

import colorsys
import hashlib
import io
import logging
import math
import struct
import threading
import zlib
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache

from PIL import ExifTags, Image, UnidentifiedImageError

from .platforms import FORMAT_LABELS, PLATFORM_SPECS, PlatformSpec
from .requirements import alt_text_finding, media_findings
from .types import Finding, ImageInput, KitRules, PostContent, Severity

logger = logging.getLogger(__name__)

# Formats a post's image can be in (Wagtail's default upload formats). HEIF is only tried when
# pillow-heif has registered it (Willow does so on import, so it is there inside Django).
ACCEPTED_FORMATS = ("JPEG", "MPO", "PNG", "GIF", "WEBP", "AVIF", "HEIF")

# Pixel limits against decompression bombs, on the dimensions the header declares. JPEGs are
# decoded at up to 1/8 scale in draft mode, so 64 MP (a 48–61 MP camera photo fits) costs about
# a megapixel of memory. Other formats are decoded in full before they are reduced, so they get
# a lower limit (40 MP: an 8K screenshot fits; the decoded copy stays under ~160 MB). Both stay
# below Pillow's global MAX_IMAGE_PIXELS, so ours is the limit that applies.
MAX_PIXELS_DRAFTABLE = 64_000_000
MAX_PIXELS_FULL_DECODE = 40_000_000

# The colour check works on a thumbnail this many pixels on its long side.
SAMPLE_SIZE = 128
# How many colours the thumbnail is reduced to before similar ones are merged.
QUANTIZE_COLOURS = 8
# Quantised colours closer than this (ΔE00) are one colour: a gradient is one colour, not three.
MERGE_DELTA_E = 10.0
# A colour counts as one of the image's main colours from this share of its (opaque) pixels.
MAIN_COLOUR_SHARE = 0.15
# Further than this from every palette colour is off-palette. The distance is CIE76 (straight
# line in CIELAB), not CIEDE2000: CIEDE2000 was fitted to small differences and squeezes large
# chroma differences, so a neon green comes out 14 from a muted sage (CIE76: 42) and would pass.
# Studies of large colour differences (Abasi et al., Color Res. Appl. 2020) favour Euclidean-type
# distances there. 30 lets photos be lit differently from the swatch (a coffee brown is 27 from
# an orange, a brick red 28) while green, blue, yellow or pink against an orange/brown palette
# are 38–65 away.
OFF_PALETTE_DELTA_E = 30.0
# Below this chroma (C*ab) or lightness (L*) a colour is neutral: white, grey, black, near-black.
NEUTRAL_CHROMA = 12.0
NEUTRAL_DARK_L = 15.0

# A ratio within 1% of the accepted range is accepted (1080×1351 is a 4:5 image).
ASPECT_TOLERANCE = 0.01
# Widths that look sharp on a phone; suggested when an image is too small.
SHARP_WIDTH = 1080

COMMON_RATIOS = (
    ("1:1", 1.0),
    ("4:5", 4 / 5),
    ("5:4", 5 / 4),
    ("3:4", 3 / 4),
    ("4:3", 4 / 3),
    ("2:3", 2 / 3),
    ("3:2", 3 / 2),
    ("9:16", 9 / 16),
    ("16:9", 16 / 9),
    ("1.91:1", 1.91),
    ("1:1.91", 1 / 1.91),
    ("2:1", 2.0),
    ("1:2", 0.5),
    ("21:9", 21 / 9),
    ("3:1", 3.0),
    ("1:3", 1 / 3),
)

# Errors Pillow raises on damaged or hostile files (see Pillow's own fuzzing harness).
DECODE_ERRORS = (
    UnidentifiedImageError,
    Image.DecompressionBombError,
    Image.DecompressionBombWarning,  # only raised when warnings are turned into errors
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    IndexError,
    KeyError,
    TypeError,
    struct.error,
    zlib.error,
    MemoryError,
)


# ---------------------------------------------------------------------------------------------
# Public entry point


def check_images(content: PostContent, kit: KitRules) -> list[Finding]:
    """Findings for the post's images on each of its platforms, in the order of the images."""
    specs = [PLATFORM_SPECS[code] for code in content.platforms if code in PLATFORM_SPECS]
    findings = [
        finding for spec in specs for finding in media_findings(len(content.images), content.format, spec)
    ]
    for index, image in enumerate(content.images):
        findings.extend(_image_findings(index, image, content.format, specs, kit))
    return findings


@dataclass(frozen=True)
class ImageFacts:
    """What the rules need to know about one image file, read once."""

    width: int  # as displayed, i.e. after the EXIF orientation is applied
    height: int
    # The main colours as ("#RRGGBB", share of the opaque pixels), largest first.
    colours: tuple[tuple[str, float], ...]


REEXPORT = "Export it again as a JPEG or PNG and upload the new file."
RESIZE = "Resize it to at most 4000 px on its long side and upload that."


class UnreadableImage(Exception):
    """The image cannot be checked: why, and what to do, both written for a junior."""

    def __init__(self, reason: str, fix: str = REEXPORT):
        super().__init__(reason)
        self.reason = reason
        self.fix = fix


# The editor re-checks a post as the creative types; the same images come round each time, and
# decoding is most of a check's cost, so remember recent answers by a digest of the bytes.
_FACTS_CACHE_SIZE = 256
_facts_cache: OrderedDict[bytes, ImageFacts | UnreadableImage] = OrderedDict()
_facts_lock = threading.Lock()


def inspect_image(data: bytes) -> ImageFacts:
    """Read an image's displayed size and main colours. Raises UnreadableImage, nothing else."""
    if not data:
        raise UnreadableImage("the file is empty")
    key = hashlib.blake2b(data, digest_size=16).digest()
    with _facts_lock:
        cached = _facts_cache.get(key)
        if cached is not None:
            _facts_cache.move_to_end(key)
    if cached is None:
        try:
            cached = _inspect_uncached(data)
        except UnreadableImage as error:
            cached = error
        with _facts_lock:
            _facts_cache[key] = cached
            if len(_facts_cache) > _FACTS_CACHE_SIZE:
                _facts_cache.popitem(last=False)
    if isinstance(cached, UnreadableImage):
        raise cached
    return cached


def _inspect_uncached(data: bytes) -> ImageFacts:
    try:
        return _inspect(data)
    except UnreadableImage:
        raise
    except UnidentifiedImageError as error:
        raise UnreadableImage(
            "it is not a JPEG, PNG, GIF, WebP, AVIF or HEIC image, or it is too damaged to tell"
        ) from error
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise UnreadableImage("it declares more pixels than it is safe to open", RESIZE) from error
    except DECODE_ERRORS as error:
        raise UnreadableImage("the file is damaged or cut short") from error
    except Exception as error:  # a decoder can fail in ways nobody listed; a post must not crash
        logger.warning("Unexpected error reading an image", exc_info=True)
        raise UnreadableImage("the file is damaged or cut short") from error


# ---------------------------------------------------------------------------------------------
# Rules


def _image_findings(
    index: int, image: ImageInput, post_format: str, specs: list[PlatformSpec], kit: KitRules
) -> list[Finding]:
    number = index + 1
    findings = []

    if not image.in_brand_collection:
        brand = kit.brand_name or "the brand"
        findings.append(
            Finding(
                rule="image_outside_brand",
                severity=Severity.BLOCK,
                message=f"Image {number} is not in {brand}'s image collection, so nobody has cleared "
                f"it for this brand (licence, client approval). Pick an image from the brand's "
                f"collection, or ask a lead to add this one to it.",
                image_index=index,
            )
        )

    alt_problem = alt_text_finding(index, image)
    if alt_problem:
        findings.append(alt_problem)

    if image.data is None:
        findings.append(
            _unreadable(
                index,
                f"Image {number}'s file is missing, so it cannot be checked or published. "
                f"Upload the image again, or remove it from the post.",
            )
        )
        return findings

    for spec in specs:
        if len(image.data) > spec.max_file_bytes:
            findings.append(
                Finding(
                    rule="image_file_size",
                    severity=Severity.BLOCK,
                    message=f"Image {number} is {_megabytes(len(image.data))}, and {spec.name} rejects "
                    f"files over {_megabytes(spec.max_file_bytes)}. Export a smaller version: a JPEG "
                    f"2048 px wide at quality 85 is usually well under 1 MB.",
                    platform=spec.code,
                    image_index=index,
                )
            )

    try:
        facts = inspect_image(image.data)
    except UnreadableImage as error:
        findings.append(
            _unreadable(
                index,
                f"Image {number} could not be read: {error.reason}. {error.fix}",
            )
        )
        return findings

    for spec in specs:
        finding = _aspect_ratio_finding(index, facts, post_format, spec)
        if finding:
            findings.append(finding)
    for spec in specs:
        finding = _resolution_finding(index, facts, spec)
        if finding:
            findings.append(finding)

    finding = _palette_finding(index, facts, kit)
    if finding:
        findings.append(finding)
    return findings


def _unreadable(index: int, message: str) -> Finding:
    return Finding(rule="image_unreadable", severity=Severity.BLOCK, message=message, image_index=index)


def _aspect_ratio_finding(
    index: int, facts: ImageFacts, post_format: str, spec: PlatformSpec
) -> Finding | None:
    # Carousels, polls and replies show images as the feed does.
    accepted = spec.aspect_ratios.get(post_format) or spec.aspect_ratios.get("feed")
    if not accepted:
        return None
    low, high = accepted
    ratio = facts.width / facts.height
    if low * (1 - ASPECT_TOLERANCE) <= ratio <= high * (1 + ASPECT_TOLERANCE):
        return None

    shown_as = FORMAT_LABELS.get(post_format, "posts") if post_format in spec.aspect_ratios else "posts"
    where = f"{spec.name} {shown_as}"
    this = f"Image {index + 1} is {_ratio_label(ratio)} ({facts.width}×{facts.height})"
    if math.isclose(low, high):
        target = _ratio_label(low)
        message = (
            f"{this}; {where} are {target} {_shape(low)}, so it will be cropped to {target}. "
            f"Choose a {target} image, or crop it yourself so you decide what is cut."
        )
    elif ratio > high:
        message = (
            f"{this}, wider than {where} show, so {spec.name} will crop its sides to "
            f"{_ratio_label(high)}. {_choose_between(low, high)}"
        )
    else:
        message = (
            f"{this}, taller than {where} show, so {spec.name} will crop its top and bottom to "
            f"{_ratio_label(low)}. {_choose_between(low, high)}"
        )
    return Finding(
        rule="image_aspect_ratio",
        severity=Severity.WARN,
        message=message,
        platform=spec.code,
        image_index=index,
    )


def _resolution_finding(index: int, facts: ImageFacts, spec: PlatformSpec) -> Finding | None:
    """Too narrow for the platform: it will be upscaled. Platforms accept small images and
    stretch them, so this warns; under half the minimum width the result is visibly pixelated,
    which no reviewer would approve, so it blocks (a lead can still override)."""
    if facts.width >= spec.min_width:
        return None
    better = max(spec.min_width, SHARP_WIDTH)
    if facts.width * 2 < spec.min_width:
        severity = Severity.BLOCK
        effect = "will look pixelated"
    else:
        severity = Severity.WARN
        effect = "will be stretched and look blurry"
    return Finding(
        rule="image_resolution",
        severity=severity,
        message=f"Image {index + 1} is only {facts.width} px wide; {spec.name} needs at least "
        f"{spec.min_width} px, so it {effect}. Use a larger version of the image, ideally "
        f"{better} px wide or more.",
        platform=spec.code,
        image_index=index,
    )


def _palette_finding(index: int, facts: ImageFacts, kit: KitRules) -> Finding | None:
    palette = _palette_lab(kit.palette)
    if not palette:
        return None
    main = []  # (hex, share, lab) of the chromatic main colours
    for hex_value, share in facts.colours:
        if share < MAIN_COLOUR_SHARE:
            continue
        lab = srgb_to_lab(_hex_to_rgb(hex_value))
        if _is_neutral(lab):
            continue
        main.append((hex_value, share, lab))
    if not main:
        return None
    nearest = []
    for hex_value, share, lab in main:
        distance, palette_index = min((delta_e_76(lab, colour), i) for i, colour in palette)
        if distance <= OFF_PALETTE_DELTA_E:
            return None  # one main colour is on palette: the image belongs
        nearest.append((hex_value, share, distance, palette_index))

    hex_value, share, distance, palette_index = nearest[0]  # the largest main colour
    palette_hex = _normalise_hex(kit.palette[palette_index])
    names = kit.palette_names
    name = names[palette_index] if palette_index < len(names) and names[palette_index] else ""
    nearest_label = f"{name} {palette_hex}" if name else palette_hex
    return Finding(
        rule="image_off_palette",
        severity=Severity.WARN,
        message=f"Off-palette: image {index + 1}'s main colour {hex_value} ({_colour_word(hex_value)}, "
        f"about {round(share * 100)}% of the image) is far from the brand palette (nearest: "
        f"{nearest_label}, ΔE {round(distance)}). Choose an image in the brand's colours, or check "
        f"with a reviewer that this one is right for the brand.",
        image_index=index,
    )


# ---------------------------------------------------------------------------------------------
# Reading images


def _inspect(data: bytes) -> ImageFacts:
    Image.init()  # registers every plugin once, so the accepted-format filter below is complete
    formats = [name for name in ACCEPTED_FORMATS if name in Image.OPEN]
    with Image.open(io.BytesIO(data), formats=formats) as img:
        width, height = img.size  # from the header; nothing is decoded yet
        if width <= 0 or height <= 0:
            raise UnreadableImage("it has no pixels")
        draftable = img.format in ("JPEG", "MPO")
        limit = MAX_PIXELS_DRAFTABLE if draftable else MAX_PIXELS_FULL_DECODE
        if width * height > limit:
            raise UnreadableImage(
                f"it is {width}×{height} pixels ({width * height / 1e6:.0f} megapixels), more than "
                f"the {limit // 1_000_000} megapixels it is safe to open",
                RESIZE,
            )
        if draftable:
            # Decode at 1/2, 1/4 or 1/8 scale, as small as still covers the sample size.
            img.draft("RGB", (SAMPLE_SIZE, SAMPLE_SIZE))
        sample: Image.Image = img
        if sample.mode.startswith("I;16"):  # 16-bit greyscale PNG: resizing needs 32-bit "I"
            sample = sample.convert("I")
        sample.thumbnail((SAMPLE_SIZE, SAMPLE_SIZE), Image.Resampling.BILINEAR)
        if sample.mode in ("I", "F"):  # 16-bit values: scale to 8 bits rather than clip to white
            sample = sample.point(lambda value: value / 256).convert("L")
        orientation = img.getexif().get(ExifTags.Base.Orientation, 1)
        if orientation in (5, 6, 7, 8):  # rotated a quarter turn: shown the other way up
            width, height = height, width
        colours = _main_colours(sample)
    return ImageFacts(width=width, height=height, colours=colours)


def _main_colours(img: Image.Image) -> tuple[tuple[str, float], ...]:
    """The thumbnail's colours as (hex, share), similar ones merged, largest first.

    Transparent pixels (a logo's background) are left out of the shares."""
    mask = None
    if img.has_transparency_data:
        rgba = img.convert("RGBA")
        mask = rgba.getchannel("A").point(lambda alpha: 255 if alpha >= 128 else 0)
        rgb = rgba.convert("RGB")
    else:
        rgb = img.convert("RGB")
    quantised = rgb.quantize(colors=QUANTIZE_COLOURS, method=Image.Quantize.MEDIANCUT)
    counts = quantised.histogram(mask=mask)
    palette = quantised.getpalette() or []
    total = sum(counts)
    if not total:
        return ()

    groups: list[list] = []  # [lab, rgb, count], the first member of a group stands for it
    entries = sorted(
        ((count, tuple(palette[3 * i : 3 * i + 3])) for i, count in enumerate(counts) if count),
        reverse=True,
    )
    for count, colour in entries:
        if len(colour) < 3:
            continue
        lab = srgb_to_lab(colour)
        for group in groups:
            if delta_e_2000(lab, group[0]) < MERGE_DELTA_E:
                group[2] += count
                break
        else:
            groups.append([lab, colour, count])
    groups.sort(key=lambda group: group[2], reverse=True)
    return tuple(("#{:02X}{:02X}{:02X}".format(*group[1]), group[2] / total) for group in groups)


# ---------------------------------------------------------------------------------------------
# Colour science: sRGB → CIELAB (D65), CIE76 and CIEDE2000, in plain Python


def srgb_to_lab(rgb: tuple[int, int, int]) -> tuple[float, float, float]:
    """An 8-bit sRGB colour in CIELAB (D65 white), per IEC 61966-2-1 and CIE 15."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(channel) for channel in rgb)
    x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047
    y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b
    z = (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def delta_e_76(lab1: tuple[float, float, float], lab2: tuple[float, float, float]) -> float:
    """CIE76 colour difference: the straight-line distance in CIELAB."""
    return math.dist(lab1, lab2)


def delta_e_2000(lab1: tuple[float, float, float], lab2: tuple[float, float, float]) -> float:
    """CIEDE2000 colour difference (Sharma, Wu and Dalal 2005), with kL = kC = kH = 1."""
    l1, a1, b1 = lab1
    l2, a2, b2 = lab2
    c1 = math.hypot(a1, b1)
    c2 = math.hypot(a2, b2)
    c_mean7 = ((c1 + c2) / 2) ** 7
    g = 0.5 * (1 - math.sqrt(c_mean7 / (c_mean7 + 25**7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360 if c1p else 0.0
    h2p = math.degrees(math.atan2(b2, a2p)) % 360 if c2p else 0.0

    dl = l2 - l1
    dc = c2p - c1p
    if c1p * c2p == 0:
        dh = 0.0
    elif abs(h2p - h1p) <= 180:
        dh = h2p - h1p
    elif h2p - h1p > 180:
        dh = h2p - h1p - 360
    else:
        dh = h2p - h1p + 360
    dh_big = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh / 2))

    l_mean = (l1 + l2) / 2
    c_mean = (c1p + c2p) / 2
    if c1p * c2p == 0:
        h_mean = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        h_mean = (h1p + h2p) / 2
    elif h1p + h2p < 360:
        h_mean = (h1p + h2p + 360) / 2
    else:
        h_mean = (h1p + h2p - 360) / 2

    t = (
        1
        - 0.17 * math.cos(math.radians(h_mean - 30))
        + 0.24 * math.cos(math.radians(2 * h_mean))
        + 0.32 * math.cos(math.radians(3 * h_mean + 6))
        - 0.20 * math.cos(math.radians(4 * h_mean - 63))
    )
    d_theta = 30 * math.exp(-(((h_mean - 275) / 25) ** 2))
    c_mean7 = c_mean**7
    r_c = 2 * math.sqrt(c_mean7 / (c_mean7 + 25**7))
    s_l = 1 + 0.015 * (l_mean - 50) ** 2 / math.sqrt(20 + (l_mean - 50) ** 2)
    s_c = 1 + 0.045 * c_mean
    s_h = 1 + 0.015 * c_mean * t
    r_t = -math.sin(math.radians(2 * d_theta)) * r_c
    return math.sqrt(
        (dl / s_l) ** 2 + (dc / s_c) ** 2 + (dh_big / s_h) ** 2 + r_t * (dc / s_c) * (dh_big / s_h)
    )


def _is_neutral(lab: tuple[float, float, float]) -> bool:
    lightness, a, b = lab
    return math.hypot(a, b) < NEUTRAL_CHROMA or lightness < NEUTRAL_DARK_L


@lru_cache(maxsize=256)
def _palette_lab(palette: tuple[str, ...]) -> tuple[tuple[int, tuple[float, float, float]], ...]:
    """(position in the palette, CIELAB) of the kit's colours; entries not "#RRGGBB" are left out."""
    return tuple(
        (i, srgb_to_lab(_hex_to_rgb(value))) for i, value in enumerate(palette) if _normalise_hex(value)
    )


def _normalise_hex(value: str) -> str:
    digits = value.strip().lstrip("#")
    if len(digits) != 6 or any(ch not in "0123456789abcdefABCDEF" for ch in digits):
        return ""
    return "#" + digits.upper()


def _hex_to_rgb(value: str) -> tuple[int, int, int]:
    digits = _normalise_hex(value)[1:]
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def _colour_word(hex_value: str) -> str:
    """A rough everyday name for a colour ("a green"), so a junior can find it in the image."""
    r, g, b = _hex_to_rgb(hex_value)
    hue, saturation, value = colorsys.rgb_to_hsv(r / 255, g / 255, b / 255)
    degrees = hue * 360
    if saturation < 0.15:
        return "a grey"
    if degrees < 15 or degrees >= 345:
        word = "a red"
    elif degrees < 45:
        word = "a brown" if value < 0.6 else "an orange"
    elif degrees < 70:
        word = "an olive" if value < 0.6 else "a yellow"
    elif degrees < 165:
        word = "a green"
    elif degrees < 195:
        word = "a teal"
    elif degrees < 255:
        word = "a blue"
    elif degrees < 290:
        word = "a purple"
    else:
        word = "a pink"
    return word


# ---------------------------------------------------------------------------------------------
# Labels


def _ratio_label(ratio: float) -> str:
    for label, value in COMMON_RATIOS:
        if abs(ratio - value) / value <= 0.02:
            return label
    return f"{_number(ratio)}:1" if ratio >= 1 else f"1:{_number(1 / ratio)}"


def _number(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _shape(ratio: float) -> str:
    if math.isclose(ratio, 1, rel_tol=0.02):
        return "square"
    return "landscape" if ratio > 1 else "portrait"


def _choose_between(low: float, high: float) -> str:
    return (
        f"Choose an image between {_ratio_label(low)} ({_shape(low)}) and {_ratio_label(high)} "
        f"({_shape(high)}), or crop it yourself so you decide what is cut."
    )


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")
