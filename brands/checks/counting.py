"""How platforms count a caption, and the parts of it they treat specially (links, hashtags, mentions, emoji).

The previews' character counters and the checker's length rule both use `caption_length`, so the
number a junior sees under the mock-up is the number the checker judges.
"""

import re
import unicodedata
from collections.abc import Iterator

# X (twitter-text v3 configuration): every URL counts as 23, code points in these ranges as 1,
# every other code point as 2, and one emoji (even a ZWJ sequence or a flag) as 2.
# https://docs.x.com/resources/fundamentals/counting-characters
X_URL_LENGTH = 23
X_SINGLE_WEIGHT_RANGES = [(0x0000, 0x10FF), (0x2000, 0x200D), (0x2010, 0x201F), (0x2032, 0x2037)]
_X_HEAVY = re.compile(
    "[^" + "".join(f"\\U{low:08x}-\\U{high:08x}" for low, high in X_SINGLE_WEIGHT_RANGES) + "]"
)

_TLDS = (
    "com|org|net|io|co|uk|de|fr|nl|es|it|eu|us|ca|au|ie|be|ch|at|se|no|dk|fi|"
    "app|dev|shop|store|info|biz|me|ly|gl|gg|tv|ai"
)
_URL = (
    r"(?:https?://|www\.)[^\s<>\"]+"
    r"|(?<![\w@./-])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:" + _TLDS + r")(?![\w-])(?:/[^\s<>\"]*)?"
)
CAPTION_TOKEN = re.compile(
    r"(?P<link>" + _URL + r")"
    r"|(?P<hashtag>(?<![\w&#/])#(?![0-9]+(?!\w))\w+)"
    r"|(?P<mention>(?<![\w@/.])@[A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?)",
    re.IGNORECASE,
)
_URL_TRAILING_PUNCTUATION = ".,;:!?'\"»)"

# One emoji as people see it: a flag, a keycap, or an emoji with its presentation selector,
# skin tone, tag sequence (subdivision flags) and ZWJ-joined parts.
_EMOJI_CHAR = (
    "[\u2194-\u21ff\u231a-\u23ff\u24c2\u25aa-\u27bf\u2934\u2935\u2b05-\u2bff"
    "\u3030\u303d\u3297\u3299\U0001f000-\U0001faff]"
)
_EMOJI_TAIL = "(?:\ufe0f|[\U0001f3fb-\U0001f3ff])?(?:[\U000e0020-\U000e007e]+\U000e007f)?"
EMOJI_CLUSTER = re.compile(
    "[\U0001f1e6-\U0001f1ff]{2}"
    "|[0-9#*]\ufe0f?\u20e3"
    "|[\u00a9\u00ae\u203c\u2049\u2122\u2139]\ufe0f"
    f"|{_EMOJI_CHAR}{_EMOJI_TAIL}(?:\u200d{_EMOJI_CHAR}{_EMOJI_TAIL})*"
)


def _trim_url(url: str) -> str:
    while url and url[-1] in _URL_TRAILING_PUNCTUATION:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    return url


# Every token contains one of these, and none spans whitespace: the token pattern (slow, with its
# look-behinds tried at every position) only needs to run over the whitespace-free stretches
# around them, which gives exactly what running it over the whole caption gives.
_TOKEN_HINT = re.compile(r"[#@]|://|www\.|\.(?:" + _TLDS + r")(?![\w-])", re.IGNORECASE)
_WHITESPACE = re.compile(r"\s")


def caption_tokens(text: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of every link, hashtag and mention in the caption, in order."""
    spans = []
    position = 0
    while (hint := _TOKEN_HINT.search(text, position)) is not None:
        start = hint.start()
        while start > position and not text[start - 1].isspace():
            start -= 1
        space = _WHITESPACE.search(text, hint.end())
        end = space.start() if space is not None else len(text)
        for match in CAPTION_TOKEN.finditer(text, start, end):
            kind = match.lastgroup
            token_start, token_end = match.span()
            if kind == "link":
                token_end = token_start + len(_trim_url(match.group()))
                if token_end == token_start:
                    continue
            spans.append((token_start, token_end, kind))
        position = end
    return spans


# Every character an emoji can be made of, and those only found in emoji: an emoji sits in a run of
# the first kind, and has at least one of the second.
_EMOJI_PART = re.compile(
    "[0-9#*\u00a9\u00ae\u200d\u203c\u2049\u20e3\u2122\u2139\u2194-\u21ff\u231a-\u23ff\u24c2"
    "\u25aa-\u27bf\u2934\u2935\u2b05-\u2bff\u3030\u303d\u3297\u3299\ufe0f"
    "\U0001f000-\U0001faff\U000e0020-\U000e007f]*"
)
_EMOJI_CORE = re.compile(
    "[\u00a9\u00ae\u203c\u2049\u20e3\u2122\u2139\u2194-\u21ff\u231a-\u23ff\u24c2"
    "\u25aa-\u27bf\u2934\u2935\u2b05-\u2bff\u3030\u303d\u3297\u3299\ufe0f"
    "\U0001f000-\U0001faff]"
)
_EMOJI_PARTS = frozenset("0123456789#*\u200d") | frozenset(
    chr(code_point) for code_point in range(0xE0020, 0xE0080)
)


def emoji_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """What `EMOJI_CLUSTER.finditer(text, start, end)` finds, quicker.

    No emoji contains a character outside `_EMOJI_PART`, so the emoji are those found in each
    maximal run of such characters that holds an `_EMOJI_CORE` one; the clustering pattern only
    runs over those few runs instead of trying every position of the caption.
    """
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    position = start
    while (core := _EMOJI_CORE.search(text, position, end)) is not None:
        run_start = core.start()
        while run_start > position and (
            text[run_start - 1] in _EMOJI_PARTS or _EMOJI_CORE.match(text, run_start - 1)
        ):
            run_start -= 1
        run_end = _EMOJI_PART.match(text, core.start(), end).end()
        spans.extend(match.span() for match in EMOJI_CLUSTER.finditer(text, run_start, run_end))
        position = max(run_end, core.end())
    return spans


# Counting ----------------------------------------------------------------------------------------


def _x_code_point_weight(char: str) -> int:
    code_point = ord(char)
    return 1 if any(low <= code_point <= high for low, high in X_SINGLE_WEIGHT_RANGES) else 2


def _text_segments(text: str, links: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """The (start, end) stretches of text between links."""
    position = 0
    for start, end in links:
        yield position, start
        position = end
    yield position, len(text)


def _links(text: str, tokens: list[tuple[int, int, str]] | None) -> list[tuple[int, int]]:
    tokens = caption_tokens(text) if tokens is None else tokens
    return [(start, end) for start, end, kind in tokens if kind == "link"]


def _x_weight(text: str, start: int, end: int) -> int:
    """Weight of text[start:end] counted code point by code point."""
    return end - start + len(_X_HEAVY.findall(text, start, end))


def _x_pieces(text: str, links: list[tuple[int, int]]) -> Iterator[tuple[int, int, int | None]]:
    """(start, end, weight) in order: each link and emoji with its fixed weight, and the plain
    stretches between them with weight None (weighed code point by code point)."""
    for (seg_start, seg_end), link in zip(_text_segments(text, links), [*links, None], strict=True):
        position = seg_start
        for emoji_start, emoji_end in emoji_spans(text, seg_start, seg_end):
            if emoji_start > position:
                yield position, emoji_start, None
            yield emoji_start, emoji_end, 2
            position = emoji_end
        if seg_end > position:
            yield position, seg_end, None
        if link is not None:
            yield link[0], link[1], X_URL_LENGTH


def x_units(text: str) -> Iterator[tuple[int, int, int]]:
    """(start, end, weight) of each unit X counts: a URL, one emoji, or one code point."""
    for start, end, weight in _x_pieces(text, _links(text, None)):
        if weight is not None:
            yield start, end, weight
        else:
            for index in range(start, end):
                yield index, index + 1, _x_code_point_weight(text[index])


def x_weighted_length(text: str, tokens: list[tuple[int, int, str]] | None = None) -> int:
    """The sum of `x_units` weights, without a Python loop over every character."""
    return sum(
        _x_weight(text, start, end) if weight is None else weight
        for start, end, weight in _x_pieces(text, _links(text, tokens))
    )


def caption_length(text: str, platform_code: str, tokens: list[tuple[int, int, str]] | None = None) -> int:
    """The caption's length as the platform counts it against its limit.

    X weighs characters (twitter-text, which counts NFC-normalised text): URLs count 23, wide
    characters and emoji 2. The other platforms count characters (code points), as Django's
    length validators do. `tokens`, when given, are `caption_tokens(text)`.
    """
    if platform_code != "x":
        return len(text)
    if not unicodedata.is_normalized("NFC", text):
        text, tokens = unicodedata.normalize("NFC", text), None
    return x_weighted_length(text, tokens)


def x_overflow_point(text: str, limit: int, tokens: list[tuple[int, int, str]] | None = None) -> int | None:
    """Where the text passes X's limit (the composer marks the rest), or None if it fits."""
    total = 0
    for start, end, weight in _x_pieces(text, _links(text, tokens)):
        if weight is not None:
            total += weight
            if total > limit:
                return start
            continue
        stretch = _x_weight(text, start, end)
        if total + stretch <= limit:
            total += stretch
            continue
        # The limit falls in this stretch: step over its light characters in runs, not one by one.
        remaining, position = limit - total, start
        for heavy in _X_HEAVY.finditer(text, start, end):
            light = heavy.start() - position
            if light > remaining:
                return position + remaining
            remaining -= light
            if remaining < 2:
                return heavy.start()
            remaining -= 2
            position = heavy.end()
        return position + remaining
    return None


def overflow_point(
    text: str, platform_code: str, limit: int, tokens: list[tuple[int, int, str]] | None = None
) -> int | None:
    """Index in `text` of the first character past the platform's limit, or None if it fits.

    Never inside an emoji, and never between a letter and its combining accent.
    """
    if platform_code == "x":
        return x_overflow_point(text, limit, tokens)
    if len(text) <= limit:
        return None
    cut = limit
    for emoji_start, emoji_end in emoji_spans(text, max(cut - 40, 0), min(cut + 40, len(text))):
        if emoji_start < cut < emoji_end:
            cut = emoji_start
            break
    while 0 < cut < len(text) and unicodedata.combining(text[cut]):
        cut -= 1
    return cut
