"""What each platform requires of a post, read from the one platform table. Pure: no database.

The previews state these same requirements (`cms/posts/tests/test_previews.py` checks they say the
checker's words), so a post can't look fine to the checker and broken in its preview.
"""

import pytest

from brands.checks import check_post
from brands.checks.platforms import PLATFORM_SPECS
from brands.checks.requirements import platform_requirements
from brands.checks.types import ImageInput, KitRules, PostContent, Severity

KIT = KitRules(brand_name="Kiln Coffee")
DESCRIBED = "A barista pouring latte art into a blue cup"


def post(*, platforms=("instagram",), format="feed", images=(), caption="Fresh roast #KilnCoffee"):
    return PostContent(caption=caption, platforms=platforms, format=format, images=images)


def rules_of(findings, rule):
    return [finding for finding in findings if finding.rule == rule]


@pytest.mark.parametrize(
    ("platform", "format", "message"),
    [
        ("instagram", "feed", "No image yet: Instagram feed posts need at least one."),
        ("instagram", "carousel", "No image yet: Instagram carousels need at least one."),
        ("instagram", "poll", "No image yet: Instagram polls need at least one."),
        ("instagram", "story", "No image or video yet: Instagram stories need one."),
        ("instagram", "reel", "No image or video yet: Instagram reels need one."),
        ("tiktok", "feed", "No image or video yet: TikTok feed posts need one."),
        ("facebook", "story", "No image or video yet: Facebook stories need one."),
        ("linkedin", "reel", "No image or video yet: LinkedIn reels need one."),
    ],
)
def test_a_post_the_network_would_reject_without_media_is_blocked(platform, format, message):
    (finding,) = rules_of(check_post(post(platforms=(platform,), format=format), KIT), "image_missing")

    assert finding.severity == Severity.BLOCK
    assert finding.platform == platform
    assert finding.message.startswith(message)
    assert "before submitting" in finding.message


@pytest.mark.parametrize(
    ("platform", "format"),
    [
        ("facebook", "feed"),
        ("x", "feed"),
        ("linkedin", "feed"),
        ("x", "poll"),
        ("linkedin", "poll"),
        ("instagram", "reply"),
        ("tiktok", "reply"),
    ],
)
def test_text_only_posts_pass_where_the_network_takes_them(platform, format):
    assert rules_of(check_post(post(platforms=(platform,), format=format), KIT), "image_missing") == []


def test_each_platform_that_needs_media_says_so_once():
    findings = check_post(post(platforms=("instagram", "facebook", "x", "tiktok")), KIT)

    assert sorted(f.platform for f in rules_of(findings, "image_missing")) == ["instagram", "tiktok"]


def test_the_media_rule_reads_the_platform_table():
    for spec in PLATFORM_SPECS.values():
        assert {"story", "reel"} <= spec.media_formats
        assert "reply" not in spec.media_formats


def test_an_image_without_alt_text_blocks():
    image = ImageInput(data=None, alt_text="  ", title="Latte")

    (finding,) = rules_of(platform_requirements(post(images=(image,)), "instagram"), "image_alt_text")

    assert finding.severity == Severity.BLOCK
    assert finding.image_index == 0
    assert finding.message.startswith("Image 1 has no alt text.")


def test_alt_text_that_says_nothing_warns():
    image = ImageInput(data=None, alt_text="IMG_1234.JPG")

    (finding,) = rules_of(platform_requirements(post(images=(image,)), "instagram"), "image_alt_text")

    assert finding.severity == Severity.WARN


def test_the_requirements_of_one_platform_are_the_checkers_findings_for_it():
    content = PostContent(
        caption="x" * 2214 + " " + " ".join(f"#t{n}" for n in range(31)),
        platforms=("instagram", "x"),
        images=tuple(ImageInput(data=None, alt_text="" if n == 0 else DESCRIBED) for n in range(21)),
    )

    requirements = platform_requirements(content, "instagram")

    assert {f.rule for f in requirements} == {
        "caption_too_long",
        "hashtag_limit",
        "image_count",
        "image_alt_text",
    }
    assert all(finding in check_post(content, KIT) for finding in requirements)


def test_requirements_use_the_platforms_own_caption():
    content = PostContent(caption="x" * 300, platforms=("x", "instagram"), caption_variants={"x": "Short"})

    assert rules_of(platform_requirements(content, "x"), "caption_too_long") == []
    assert rules_of(platform_requirements(content, "instagram"), "caption_too_long") == []
    content = PostContent(caption="Short", platforms=("x",), caption_variants={"x": "y" * 300})
    (finding,) = rules_of(platform_requirements(content, "x"), "caption_too_long")
    assert finding in check_post(content, KIT)
