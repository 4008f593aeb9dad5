"""Property-based: on any Unicode text the checker never raises and every span lies in the caption."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from brands.checks import check_caption, compile_kit
from brands.checks.types import BannedPhraseRule, KitRules, PostContent, SensitiveDateRule, Severity

KIT = KitRules(
    brand_name="Kiln Coffee",
    banned_phrases=(
        BannedPhraseRule("cheap", "affordable"),
        BannedPhraseRule("world's best", "our favourite", Severity.BLOCK),
        BannedPhraseRule("a b c"),
        BannedPhraseRule("Straße"),
        BannedPhraseRule("ﬁne print"),
        BannedPhraseRule("日本"),
        BannedPhraseRule("🍆"),
        BannedPhraseRule("!!!"),
    ),
    required_hashtags=("#KilnCoffee", "BrewBetter"),
    forbidden_hashtags=("#free",),
    name_spellings=("AeroPress", "Kiln Coffee", "IKEA"),
    emoji_policy="none",
    sensitive_dates=(SensitiveDateRule(dt.date(2024, 2, 29), "Leap day", window_days=3),),
)
PIECES = [
    "cheap", "c h e a p", "world's", "best", "Kiln", "coffee", "AERO", "press", "SALE", "NOW", "!!", "?!",
    " ", "\n", "#", "@", "kiln.com/x", "https://", "\u200b", "\u200d", "\u0301", "\u202e", "ß", "ﬁ", "ﬁne",
    "сheap", "ｃｈｅａｐ", "☕️", "👨‍👩‍👧‍👦", "🇬🇧", "🍆", "日本", "مرحبا", "שלום", "'", "’", "s",
]  # fmt: skip
captions = st.one_of(
    st.text(),  # any code points but surrogates
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=50),
    st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=3)), max_size=60).map("".join),
)
platforms = ("instagram", "facebook", "x", "linkedin", "tiktok")


def assert_spans_inside(findings, caption):
    for finding in findings:
        if finding.start is None or finding.end is None:
            assert finding.start is None and finding.end is None
            continue
        assert 0 <= finding.start <= finding.end <= len(caption)
        if finding.start == finding.end:
            # An insertion: a missing hashtag or disclaimer, to be put there.
            assert finding.rule in {"hashtag_required", "sponsored_disclaimer"}
            assert finding.suggestion
        else:
            assert caption[finding.start : finding.end]


@given(
    captions,
    st.sampled_from(["feed", "story", "reel", "carousel"]),
    st.booleans(),
    st.sampled_from(["know", "buy"]),
)
@settings(max_examples=200, deadline=None)
def test_the_checker_never_raises_and_every_span_is_inside_the_caption(
    caption, post_format, sponsored, intent
):
    content = PostContent(
        caption=caption,
        platforms=platforms,
        format=post_format,
        intent=intent,
        sponsored=sponsored,
        scheduled_at=dt.datetime(2025, 2, 28, 12, tzinfo=dt.UTC),
    )

    findings = check_caption(content, KIT)

    assert_spans_inside(findings, caption)
    assert all(finding.message for finding in findings)


@given(captions, captions)
@settings(max_examples=200, deadline=None)
def test_a_banned_word_between_spaces_is_always_found(before, after):
    caption = f"{before} cheap {after}"
    position = len(before) + 1

    findings = check_caption(PostContent(caption=caption, platforms=("facebook",)), KIT)

    assert any(
        finding.rule == "banned_phrase" and finding.start <= position and position + 5 <= finding.end
        for finding in findings
    ), caption


@given(captions)
@settings(max_examples=200, deadline=None)
def test_a_platform_variant_s_spans_are_inside_the_variant(variant):
    content = PostContent(
        caption="Coffee #KilnCoffee #BrewBetter", platforms=platforms, caption_variants={"x": variant}
    )

    findings = check_caption(content, KIT)

    assert_spans_inside([f for f in findings if f.platform == "x"], variant)


def test_the_kit_is_compiled_once_and_kits_equal_in_value_share_it():
    same_kit = KitRules(**{field: getattr(KIT, field) for field in KIT.__dataclass_fields__})

    assert compile_kit(KIT) is compile_kit(KIT)
    assert compile_kit(same_kit) is compile_kit(KIT)
