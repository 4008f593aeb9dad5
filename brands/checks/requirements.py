"""What each platform requires of a post, as findings: the checker reports them, the previews state them.

Every rule here reads the platform table (`platforms.PLATFORM_SPECS`) and nothing else, so the
number a preview shows ("2,214 / 2,200", "No image yet…") and the finding that stops submission
come from one place and can't drift apart. `platform_requirements` is what a preview of one
platform shows; `text.py` and `images.py` call the same functions for the whole post.

Rules and severities:

===================== ======== ====================================================================
rule                  severity when
===================== ======== ====================================================================
caption_too_long      block    the caption is over the platform's limit: it won't publish
hashtag_limit         block    more hashtags than the platform takes: it won't publish
mention_limit         block    more mentions than the platform takes: it won't publish
image_missing         block    a format the platform won't publish without an image or video
                               (`PlatformSpec.media_formats`): the network rejects the post
image_count           block    more images than the platform takes in one post
image_alt_text        block    an image without alt text: screen-reader users get nothing, and
                               the editor won't submit the post without it either
                      warn     alt text that says nothing (a file name, "photo", the title again)
link_not_clickable    warn     a link in a caption where links are plain text
===================== ======== ====================================================================
"""

import re
from fractions import Fraction

from .counting import caption_length, caption_tokens, overflow_point
from .platforms import FORMAT_LABELS, PLATFORM_SPECS, PlatformSpec
from .types import Finding, ImageInput, PostContent, Severity

MAX_CAPTION_CHARS = 100_000  # past this no rule reads the caption: no platform takes half as much
# Characters that show nothing: a caption of only these is empty.
INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]"
)
# Formats that are a picture or a video first (and TikTok, which has no other kind of post).
MOVING_FORMATS = frozenset({"story", "reel"})
SUGGESTED_WIDTH = 1080  # what phones show sharply; the height follows the format's ratio

# Generic words people type as alt text that tell a screen-reader user nothing.
PLACEHOLDER_ALT_TEXTS = frozenset(
    {"image", "img", "photo", "picture", "pic", "graphic", "alt", "alt text", "untitled", "logo"}
)
FILE_NAME_RE = re.compile(r"^\S+\.(jpe?g|png|gif|webp|avif|heic|heif|tiff?|bmp)$", re.IGNORECASE)


def caption_is_read(text: str) -> bool:
    """Whether the caption rules read this caption: it is neither empty nor absurdly long."""
    return len(text) <= MAX_CAPTION_CHARS and bool(INVISIBLE.sub("", text).strip())


def platform_requirements(content: PostContent, code: str) -> list[Finding]:
    """What `code`'s platform requires of the post and it doesn't meet: exactly the checker's
    findings of these rules for that platform (and for the post's images)."""
    spec = PLATFORM_SPECS[code]
    text = content.caption_for(code)
    findings = caption_limits(text, spec, caption_tokens(text)) if caption_is_read(text) else []
    return findings + media_findings(len(content.images), content.format, spec) + alt_text_findings(content)


# The caption --------------------------------------------------------------------------------------


def caption_limits(text: str, spec: PlatformSpec, tokens: list[tuple[int, int, str]]) -> list[Finding]:
    """Length, hashtag, mention and link rules of one platform for one caption."""
    findings = []
    code = spec.code
    count = caption_length(text, code, tokens)
    if count > spec.caption_limit:
        cut = overflow_point(text, code, spec.caption_limit, tokens)
        over = count - spec.caption_limit
        how = (
            " X counts every link as 23 characters and each emoji or wide character (such as Chinese or Japanese) as 2."
            if code == "x"
            else ""
        )
        findings.append(
            Finding(
                "caption_too_long",
                Severity.BLOCK,
                f"{count:,} / {spec.caption_limit:,} characters on {spec.name} — cut {over:,}.{how} "
                f"Shorten the caption, or write a shorter version for {spec.name}.",
                cut if cut is not None and cut < len(text) else None,
                len(text) if cut is not None and cut < len(text) else None,
                platform=code,
            )
        )
    links = [] if spec.links_clickable else [(start, end) for start, end, kind in tokens if kind == "link"]
    if links:
        several = f" (this caption has {len(links)})" if len(links) > 1 else ""
        findings.append(
            Finding(
                "link_not_clickable",
                Severity.WARN,
                f"Links aren't clickable in {spec.name} captions{several}; use the link in bio or a link "
                "sticker, and tell people where to find it.",
                links[0][0],
                links[0][1],
                platform=code,
            )
        )
    for kind, limit in (("hashtag", spec.hashtag_limit), ("mention", spec.mention_limit)):
        if limit is None:
            continue
        found = [(start, end) for start, end, token_kind in tokens if token_kind == kind]
        if len(found) > limit:
            findings.append(
                Finding(
                    f"{kind}_limit",
                    Severity.BLOCK,
                    f"{len(found)} {kind}s: {spec.name} takes at most {limit} and won't publish a post "
                    f"with more. Take out {len(found) - limit}; the highlighted ones are past the limit.",
                    found[limit][0],
                    found[-1][1],
                    platform=code,
                )
            )
    return findings


# Media ----------------------------------------------------------------------------------------------


def missing_media(spec: PlatformSpec, post_format: str) -> Finding | None:
    """The finding a post of this format gets on this platform without any image, if it needs one."""
    if post_format not in spec.media_formats:
        return None
    label = FORMAT_LABELS.get(post_format, "posts")
    width, height = suggested_size(spec, post_format)
    ratio = Fraction(width, height).limit_denominator(20)
    if post_format in MOVING_FORMATS or spec.code == "tiktok":
        said = f"No image or video yet: {spec.name} {label} need one."
    else:
        said = f"No image yet: {spec.name} {label} need at least one."
    return Finding(
        "image_missing",
        Severity.BLOCK,
        f"{said} Add a {ratio.numerator}:{ratio.denominator} image ({width}×{height} fits best) "
        f"before submitting: {spec.name} won't publish the post without one.",
        platform=spec.code,
    )


def suggested_size(spec: PlatformSpec, post_format: str) -> tuple[int, int]:
    """A good pixel size for this format: 1080 wide, as tall as the platform's tallest accepted ratio."""
    ratios = spec.aspect_ratios.get(post_format) or spec.aspect_ratios.get("feed") or (1.0, 1.0)
    return SUGGESTED_WIDTH, round(SUGGESTED_WIDTH / ratios[0])


def media_findings(image_count: int, post_format: str, spec: PlatformSpec) -> list[Finding]:
    """No image where the platform needs one, or more images than it takes."""
    if image_count == 0:
        missing = missing_media(spec, post_format)
        return [missing] if missing else []
    if image_count > spec.max_images:
        extra = image_count - spec.max_images
        return [
            Finding(
                rule="image_count",
                severity=Severity.BLOCK,
                message=f"This post has {image_count} images, but {spec.name} takes at most "
                f"{spec.max_images} in one post. Remove {extra} "
                f"{'image' if extra == 1 else 'images'}, or split them across two posts.",
                platform=spec.code,
            )
        ]
    return []


# Alt text ----------------------------------------------------------------------------------------------


ALT_TEXT_HOW = (
    "Describe what it shows in a short sentence (e.g. “A barista pouring latte art into a "
    "blue cup”), so people using screen readers know what is in the post."
)


def alt_text_findings(content: PostContent) -> list[Finding]:
    return [
        finding
        for index, image in enumerate(content.images)
        if (finding := alt_text_finding(index, image)) is not None
    ]


def alt_text_finding(index: int, image: ImageInput) -> Finding | None:
    number = index + 1
    alt = " ".join(image.alt_text.split())
    if not alt:
        return Finding(
            "image_alt_text",
            Severity.BLOCK,
            f"Image {number} has no alt text. {ALT_TEXT_HOW}",
            image_index=index,
        )
    if FILE_NAME_RE.match(alt):
        problem = f"Image {number}'s alt text is a file name (“{alt}”)."
    elif _comparable(alt) in PLACEHOLDER_ALT_TEXTS:
        problem = f"Image {number}'s alt text (“{alt}”) does not say what it shows."
    elif image.title and _comparable(alt) == _comparable(image.title):
        problem = f"Image {number}'s alt text only repeats its title (“{alt}”)."
    else:
        return None
    return Finding("image_alt_text", Severity.WARN, f"{problem} {ALT_TEXT_HOW}", image_index=index)


def _comparable(text: str) -> str:
    """Lower case, no file extension, separators as spaces: "IMG_1234.JPG" ~ "img 1234"."""
    text = text.strip().casefold()
    text = re.sub(r"\.(jpe?g|png|gif|webp|avif|heic|heif|tiff?|bmp)$", "", text)
    return " ".join(re.split(r"[\s_\-.]+", text)).strip()
