"""Platform counting (X's weighted length), links, hashtags, mentions and emoji in a caption.

The quick versions are checked against the plain, obviously-right ones on arbitrary text.
"""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from brands.checks.counting import (
    CAPTION_TOKEN,
    EMOJI_CLUSTER,
    _trim_url,
    caption_length,
    caption_tokens,
    emoji_spans,
    overflow_point,
    x_overflow_point,
    x_units,
    x_weighted_length,
)

PIECES = [
    "a", "Z", " ", "\n", ".", "#", "@", "/", "-", "_", "&", "1", "com", "co.uk", "https://", "www.", "http://",
    "kiln.com", "☕", "\ufe0f", "\u200d", "\u20e3", "👨", "🇬", "🇧", "🏽", "©", "日", "é", "e\u0301", "’", "!",
    "\U000e0067", "\U000e007f", "🏴",
]  # fmt: skip
caption_text = st.one_of(st.text(max_size=300), st.lists(st.sampled_from(PIECES), max_size=80).map("".join))


def reference_tokens(text):
    tokens = []
    for match in CAPTION_TOKEN.finditer(text):
        start, end = match.span()
        if match.lastgroup == "link":
            end = start + len(_trim_url(match.group()))
            if end == start:
                continue
        tokens.append((start, end, match.lastgroup))
    return tokens


def reference_overflow(text, limit):
    total = 0
    for start, _, weight in x_units(text):
        total += weight
        if total > limit:
            return start
    return None


@given(caption_text)
@settings(max_examples=200, deadline=None)
def test_caption_tokens_match_a_scan_of_the_whole_caption(text):
    assert caption_tokens(text) == reference_tokens(text)


@given(caption_text, st.integers(0, 300), st.integers(0, 300))
@settings(max_examples=200, deadline=None)
def test_emoji_spans_match_the_cluster_pattern(text, start, end):
    start, end = min(start, len(text)), min(end, len(text))
    assert emoji_spans(text, start, end) == [
        match.span() for match in EMOJI_CLUSTER.finditer(text, start, end)
    ]


@given(caption_text, st.integers(0, 320))
@settings(max_examples=200, deadline=None)
def test_x_counting_matches_counting_unit_by_unit(text, limit):
    assert x_weighted_length(text) == sum(weight for _, _, weight in x_units(text))
    assert x_overflow_point(text, limit) == reference_overflow(text, limit)


@pytest.mark.parametrize(
    "text, length",
    [
        ("☕️", 2),
        ("👨‍👩‍👧‍👦", 2),
        ("🇬🇧🇫🇷", 4),
        ("日本", 4),
        ("café", 4),
        ("cafe\u0301", 4),  # counted as NFC, like X
        ("see https://kiln.coffee/" + "a" * 80, 4 + 23),
        ("“quotes” — and…", 16),  # quotes and dashes count 1, the ellipsis (U+2026) 2
    ],
)
def test_x_weighs_characters(text, length):
    assert caption_length(text, "x") == length


def test_other_platforms_count_code_points():
    assert caption_length("👨‍👩‍👧‍👦 日本", "instagram") == len("👨‍👩‍👧‍👦 日本")


def test_caption_tokens_find_links_hashtags_and_mentions():
    text = "Go to kiln.com/shop. #Beans @kiln_coffee www.KILN.co.uk, https://x.com/a_(b) and 3.5 #1"

    assert [(text[s:e], kind) for s, e, kind in caption_tokens(text)] == [
        ("kiln.com/shop", "link"),
        ("#Beans", "hashtag"),
        ("@kiln_coffee", "mention"),
        ("www.KILN.co.uk", "link"),
        ("https://x.com/a_(b)", "link"),
    ]


def test_overflow_point_does_not_split_an_emoji_or_an_accent():
    assert overflow_point("x" * 9 + "👍🏽", "instagram", 10) == 9
    assert overflow_point("x" * 9 + "e\u0301", "instagram", 10) == 9
    assert overflow_point("x" * 10, "instagram", 10) is None
