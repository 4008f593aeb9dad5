"""The near-duplicate check and caption likeness: pure functions, no database."""

import datetime as dt
import zoneinfo

from brands.checks.similarity import (
    ArchivedCaption,
    caption_likeness,
    check_near_duplicates,
    significant_words,
    similarity_score,
    words_of,
)
from brands.checks.types import Severity

LONDON = zoneinfo.ZoneInfo("Europe/London")
PUBLISHED = dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC)
CAPTION = "Our Ethiopia Yirgacheffe is back for autumn: peach, jasmine and honey, roasted a shade lighter. #KilnCoffee"


def test_words_ignore_case_accents_punctuation_hashtags_mentions_and_links():
    assert words_of("Café CRÈME, please! #KilnCoffee @sam https://kiln.example/x") == (
        "cafe",
        "creme",
        "please",
    )


def test_the_same_words_are_alike_and_a_rewording_is_not():
    assert caption_likeness(CAPTION, CAPTION.upper() + " #Autumn") == 1
    reworded = "Autumn brings back our Yirgacheffe from Ethiopia, with notes of stone fruit and flowers."
    assert caption_likeness(CAPTION, reworded) < 0.4


def test_a_draft_scores_highest_against_the_caption_it_repeats():
    same = similarity_score(CAPTION, CAPTION)
    started = similarity_score("Our Ethiopia Yirgacheffe is back", CAPTION)
    other = similarity_score(CAPTION, "Cupping day at the roastery: Kenya Nyeri tasted of blackcurrant.")
    assert same == 2
    assert same > started > other


def test_significant_words_skip_stop_words_and_prefer_long_ones():
    assert significant_words("The coffee is back for the autumn") == ["coffee", "autumn", "back"]


def test_a_recent_post_of_the_brand_almost_the_same_warns_with_its_date_and_platform():
    draft = CAPTION.replace("honey", "toffee")
    findings = check_near_duplicates(
        draft,
        [ArchivedCaption(CAPTION, same_brand=True, published_at=PUBLISHED, platform="Instagram")],
        time_zone=LONDON,
    )
    assert [(f.rule, f.severity) for f in findings] == [("near_duplicate", Severity.WARN)]
    assert "almost the same as the post published on 20 Nov 2026 (Instagram)" in findings[0].message


def test_the_latest_of_several_own_duplicates_is_named():
    older = PUBLISHED - dt.timedelta(days=30)
    findings = check_near_duplicates(
        CAPTION,
        [
            ArchivedCaption(CAPTION, same_brand=True, published_at=older, platform="Facebook"),
            ArchivedCaption(CAPTION, same_brand=True, published_at=PUBLISHED, platform="Instagram"),
        ],
    )
    assert "20 Nov 2026 (Instagram)" in findings[0].message


def test_another_clients_post_warns_without_telling_anything_of_it():
    theirs = "Our Ethiopia Yirgacheffe is back for autumn: peach, jasmine and honey, roasted a shade lighter. #RivalBeans"
    findings = check_near_duplicates(CAPTION, [ArchivedCaption(theirs, same_brand=False)])
    assert [(f.rule, f.severity) for f in findings] == [("near_duplicate_other_client", Severity.WARN)]
    message = findings[0].message
    assert message == (
        "This caption is almost the same as a post published for another client; "
        "write it in this brand's own words."
    )
    assert "Rival" not in message and "2026" not in message


def test_a_caption_that_says_something_else_or_is_too_short_is_not_a_duplicate():
    assert (
        check_near_duplicates(
            "Cupping day at the roastery: Kenya Nyeri tasted of blackcurrant, toffee and optimism.",
            [ArchivedCaption(CAPTION, same_brand=True, published_at=PUBLISHED, platform="Instagram")],
        )
        == []
    )
    assert (
        check_near_duplicates(
            "Happy Friday! #KilnCoffee",
            [ArchivedCaption("Happy Friday! #KilnCoffee", same_brand=True, published_at=PUBLISHED)],
        )
        == []
    )
