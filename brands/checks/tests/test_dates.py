"""Sensitive dates: on the day, within the window, across the new year, 29 February, time zones."""

import datetime as dt

import pytest

from brands.checks import check_caption
from brands.checks.dates import nearest_occurrence
from brands.checks.types import KitRules, PostContent, SensitiveDateRule, Severity

REMEMBRANCE = SensitiveDateRule(
    dt.date(2020, 11, 11), "Remembrance Day", reason="Silence at 11am.", window_days=2
)
NEW_YEAR = SensitiveDateRule(dt.date(2020, 1, 1), "New Year's Day", window_days=3)
LEAP_DAY = SensitiveDateRule(dt.date(2024, 2, 29), "Leap day")
LAUNCH = SensitiveDateRule(dt.date(2025, 6, 3), "Competitor launch", recurs_yearly=False, window_days=1)
KIT = KitRules(sensitive_dates=(REMEMBRANCE, NEW_YEAR, LEAP_DAY, LAUNCH), time_zone="Europe/London")


def date_findings(scheduled_at=None, kit=KIT, today=None):
    content = PostContent(caption="Coffee #KilnCoffee", platforms=("facebook",), scheduled_at=scheduled_at)
    return [f for f in check_caption(content, kit, today=today) if f.rule == "sensitive_date"]


def at(year, month, day, hour=12, tz=dt.UTC):
    return dt.datetime(year, month, day, hour, tzinfo=tz)


def test_a_post_on_the_day_is_flagged_with_its_reason():
    (finding,) = date_findings(at(2025, 11, 11))

    assert finding.severity == Severity.WARN
    assert finding.start is None
    assert "Tue 11 Nov 2025" in finding.message
    assert "on Remembrance Day (11 November)" in finding.message
    assert "Silence at 11am." in finding.message


@pytest.mark.parametrize("day, words", [(9, "2 days before"), (13, "2 days after"), (12, "1 day after")])
def test_a_post_within_the_window_is_flagged(day, words):
    (finding,) = date_findings(at(2025, 11, day))

    assert f"{words} Remembrance Day" in finding.message


@pytest.mark.parametrize("day", [8, 14])
def test_a_post_outside_the_window_is_not(day):
    assert date_findings(at(2025, 11, day)) == []


def test_the_window_reaches_across_the_new_year():
    assert len(date_findings(at(2025, 12, 29))) == 1
    assert len(date_findings(at(2026, 1, 4))) == 1
    assert date_findings(at(2025, 12, 28)) == []


def test_29_february_falls_on_28_february_in_other_years():
    assert len(date_findings(at(2025, 2, 28))) == 1
    assert date_findings(at(2025, 3, 1)) == []
    assert len(date_findings(at(2028, 2, 29))) == 1
    assert date_findings(at(2028, 2, 28)) == []
    assert nearest_occurrence(LEAP_DAY, dt.date(2026, 3, 10)) == dt.date(2026, 2, 28)


def test_a_one_off_date_only_counts_in_its_year():
    assert len(date_findings(at(2025, 6, 4))) == 1
    assert date_findings(at(2026, 6, 3)) == []


def test_the_day_is_the_brand_s_local_day():
    # 23:30 UTC on 10 November is 00:30 on 11 November in Auckland, but still the 10th in London.
    late = dt.datetime(2025, 11, 10, 23, 30, tzinfo=dt.UTC)
    kit_without_window = KitRules(
        sensitive_dates=(SensitiveDateRule(dt.date(2020, 11, 11), "Remembrance Day"),)
    )

    assert date_findings(late, kit_without_window) == []
    auckland = KitRules(sensitive_dates=kit_without_window.sensitive_dates, time_zone="Pacific/Auckland")
    assert len(date_findings(late, auckland)) == 1


def test_an_unknown_time_zone_falls_back_to_utc():
    kit = KitRules(sensitive_dates=(REMEMBRANCE,), time_zone="Mars/Olympus_Mons")

    assert len(date_findings(at(2025, 11, 11), kit)) == 1


def test_an_unscheduled_post_uses_today_when_given():
    assert date_findings(None) == []
    (finding,) = date_findings(None, today=dt.date(2025, 11, 11))
    assert "would go out today" in finding.message


def test_a_naive_time_is_taken_as_the_brand_s_local_time():
    assert len(date_findings(dt.datetime(2025, 11, 11, 0, 5))) == 1
