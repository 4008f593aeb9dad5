"""The calendar grid both calendars share: pure date logic, no database."""

from datetime import UTC, date, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from cms.calendar.grid import MONTH, WEEK, lay_out, parse_day, period_of


def test_a_month_shows_whole_weeks_from_monday_and_knows_its_own_days():
    period = period_of(MONTH, date(2031, 1, 15))

    assert period.title == "January 2031"
    assert (period.start, period.end) == (date(2030, 12, 30), date(2031, 2, 3))  # Monday to Monday
    assert (period.previous, period.next) == (date(2030, 12, 1), date(2031, 2, 1))
    calendar = lay_out(
        period, [], day_of=lambda post: post, today=date(2031, 1, 15), anchor=date(2031, 1, 15)
    )
    assert [len(week) for week in calendar.weeks] == [7] * 5
    outside = [day.day for day in calendar.days if not day.in_period]
    assert outside == [date(2030, 12, 30), date(2030, 12, 31), date(2031, 2, 1), date(2031, 2, 2)]
    assert [day.day for day in calendar.days if day.is_today] == [date(2031, 1, 15)]


def test_a_week_runs_monday_to_sunday_around_any_of_its_days():
    period = period_of(WEEK, date(2031, 1, 12))  # a Sunday

    assert (period.start, period.end) == (date(2031, 1, 6), date(2031, 1, 13))
    assert (period.previous, period.next) == (date(2030, 12, 30), date(2031, 1, 13))
    assert period.title == "Week of 6 January 2031"


def test_the_range_read_is_the_grids_midnights_in_the_time_zone_given():
    start, end = period_of(WEEK, date(2031, 7, 1)).moments(ZoneInfo("Asia/Tokyo"))

    assert start == datetime(2031, 6, 29, 15, 0, tzinfo=UTC)  # Monday 30 June, 00:00 in Tokyo
    assert end == datetime(2031, 7, 6, 15, 0, tzinfo=UTC)


def test_posts_go_on_their_day_in_order_and_those_off_the_grid_are_left_out():
    posts = [SimpleNamespace(day=date(2031, 1, 7), n=1), SimpleNamespace(day=date(2031, 1, 7), n=2)]
    posts.append(SimpleNamespace(day=date(2031, 1, 20), n=3))  # next week

    calendar = lay_out(
        period_of(WEEK, date(2031, 1, 7)),
        posts,
        day_of=lambda post: post.day,
        today=date(2031, 1, 1),
        anchor=date(2031, 1, 7),
    )

    assert [post.n for post in calendar.days[1].posts] == [1, 2]
    assert calendar.post_count == 2


def test_a_malformed_or_absurd_day_in_the_query_string_means_today():
    assert parse_day("2031-01-07") == date(2031, 1, 7)
    assert parse_day("not-a-date") is None
    assert parse_day("") is None
    assert parse_day(None) is None
    assert parse_day("0001-01-01") is None
