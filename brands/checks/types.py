"""The checker's plain-data inputs and outputs. No Django here: the checker is pure.

`cms/posts/checking.py` builds these from the database (a post, its brand's kit); the
checker's functions take them and return findings.
"""

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    INFO = "info"
    WARN = "warn"
    BLOCK = "block"  # stops submission for approval


@dataclass(frozen=True)
class Finding:
    """One thing to fix, written for a junior: what is wrong and how to put it right."""

    rule: str  # a stable id, e.g. "banned_phrase", "caption_too_long", "image_aspect_ratio"
    severity: Severity
    message: str
    start: int | None = None  # span in the caption it concerns (Python str indices, end exclusive)
    end: int | None = None
    suggestion: str | None = None  # replacement text for the span, where one exists
    platform: str | None = None  # a platform code when the finding is about one platform
    image_index: int | None = None  # position in the post's media when it is about one image
    # Where the suggestion's replacement starts when it takes in more than the span: a word before
    # it that the suggestion replaces ("The world's best" -> "Our favourite"). None: at `start`.
    fix_start: int | None = None

    @property
    def suggestion_start(self) -> int | None:
        """Where the suggestion replaces the caption from (to `end`)."""
        return self.start if self.fix_start is None else self.fix_start

    def applied_to(self, text: str) -> str:
        """`text` with this finding's suggestion applied (as the editor's one click does)."""
        if self.suggestion is None or self.start is None:
            return text
        return text[: self.suggestion_start] + self.suggestion + text[self.end :]

    def as_dict(self) -> dict:
        return {
            "rule": self.rule,
            "severity": str(self.severity),
            "message": self.message,
            "start": self.start,
            "end": self.end,
            "suggestion": self.suggestion,
            "suggestion_start": self.suggestion_start if self.suggestion is not None else None,
            "platform": self.platform,
            "image_index": self.image_index,
        }


@dataclass(frozen=True)
class BannedPhraseRule:
    phrase: str
    suggestion: str = ""
    severity: Severity = Severity.WARN
    # Only the phrase itself, not its other forms: "sale" but not "sales". Disguises of the phrase
    # ("$ale", "s a l e") are still found.
    exact: bool = False


@dataclass(frozen=True)
class SensitiveDateRule:
    date: dt.date
    label: str
    recurs_yearly: bool = True
    reason: str = ""
    window_days: int = 0


@dataclass(frozen=True)
class KitRules:
    """A brand kit's rules as plain data. Hashable, so compiled matchers can be cached per kit."""

    brand_name: str = ""
    banned_phrases: tuple[BannedPhraseRule, ...] = ()
    required_hashtags: tuple[str, ...] = ()  # with the leading "#"
    forbidden_hashtags: tuple[str, ...] = ()
    sponsored_disclaimer: str = "#ad"
    name_spellings: tuple[str, ...] = ()
    emoji_policy: str = "free"  # "free" | "sparing" | "none"
    emoji_limit: int = 3
    sensitive_dates: tuple[SensitiveDateRule, ...] = ()
    palette: tuple[str, ...] = ()  # "#RRGGBB"
    palette_names: tuple[str, ...] = ()  # the palette colours' names, same order ("Kiln orange")
    time_zone: str = "UTC"


@dataclass(frozen=True)
class ImageInput:
    """One image of the post, as the image rules need it."""

    data: bytes | None  # the original file's bytes; None when the file is missing
    alt_text: str = ""
    title: str = ""
    in_brand_collection: bool = True


@dataclass(frozen=True)
class PostContent:
    caption: str
    platforms: tuple[str, ...]  # platform codes, see platforms.PLATFORM_SPECS
    format: str = "feed"  # feed | carousel | story | reel | poll | reply
    intent: str = "know"  # know | go | do | buy
    cta_label: str = ""
    cta_url: str = ""
    sponsored: bool = False
    scheduled_at: dt.datetime | None = None  # aware datetime
    caption_variants: dict[str, str] = field(default_factory=dict)  # platform code -> caption
    images: tuple[ImageInput, ...] = ()

    def caption_for(self, platform: str) -> str:
        return self.caption_variants.get(platform, self.caption)
