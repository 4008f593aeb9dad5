"""The calendar's grid: which days a month or a week shows, and posts laid out on those days.

Pure date logic, shared by the client portal's calendar and the agency calendar in the admin: no
database, and no time zone but the one a caller hands in. Each caller reads its own posts for the
grid's range and says which day each falls on.
"""

from __future__ import annotations

import calendar as calendar_lib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo

MONTH, WEEK = "month", "week"


@dataclass
class CalendarDay:
    day: date
    in_period: bool  # in the month shown (a month grid shows the ends of its neighbours too)
    is_today: bool
    posts: list = field(default_factory=list)
    more: int = 0  # posts of the day not shown here (a month's day shows its first few)


@dataclass
class Calendar:
    view: str
    title: str
    weeks: list[list[CalendarDay]]
    previous: date
    next: date
    today: date
    anchor: date
    page: object | None = None  # the list view's page (a django.core.paginator.Page of post ids)

    @property
    def days(self) -> list[CalendarDay]:
        return [day for week in self.weeks for day in week]

    @property
    def post_count(self) -> int:
        return sum(len(day.posts) + day.more for day in self.days)


@dataclass(frozen=True)
class Period:
    """The month or the week around an anchor day, and the whole weeks its grid shows."""

    view: str
    title: str
    start: date  # the grid's first day (a Monday)
    end: date  # the day after the grid's last
    first: date  # the period proper: the month's first day, or the week's
    stop: date  # the day after the period's last
    previous: date
    next: date

    def moments(self, tz: tzinfo) -> tuple[datetime, datetime]:
        """The grid's range as moments in `tz`: from its first midnight to the one after its end."""
        return (
            datetime.combine(self.start, time.min, tzinfo=tz),
            datetime.combine(self.end, time.min, tzinfo=tz),
        )


def period_of(view: str, anchor: date) -> Period:
    """The week (Monday first) or the month around `anchor`."""
    if view == WEEK:
        start = anchor - timedelta(days=anchor.weekday())
        end = start + timedelta(days=7)
        return Period(
            view=WEEK,
            title=f"Week of {start.day} {start:%B %Y}",
            start=start,
            end=end,
            first=start,
            stop=end,
            previous=start - timedelta(days=7),
            next=end,
        )
    first = anchor.replace(day=1)
    last = first.replace(day=calendar_lib.monthrange(first.year, first.month)[1])
    return Period(
        view=MONTH,
        title=f"{first:%B %Y}",
        start=first - timedelta(days=first.weekday()),
        end=last + timedelta(days=7 - last.weekday()),
        first=first,
        stop=last + timedelta(days=1),
        previous=(first - timedelta(days=1)).replace(day=1),
        next=last + timedelta(days=1),
    )


def lay_out(
    period: Period, posts: Iterable, *, day_of: Callable[[object], date], today: date, anchor: date
) -> Calendar:
    """The period's grid with each post on its day (`day_of(post)`), in the order given; posts
    whose day the grid doesn't show are left out."""
    days = {}
    for offset in range((period.end - period.start).days):
        day = period.start + timedelta(days=offset)
        days[day] = CalendarDay(day, period.first <= day < period.stop, day == today)
    for post in posts:
        cell = days.get(day_of(post))
        if cell is not None:
            cell.posts.append(post)
    ordered = list(days.values())
    weeks = [ordered[i : i + 7] for i in range(0, len(ordered), 7)]
    return Calendar(period.view, period.title, weeks, period.previous, period.next, today, anchor)


def parse_day(value: str | None) -> date | None:
    """A date from the query string; None (today) when missing, malformed or absurdly far off."""
    try:
        day = date.fromisoformat(value or "")
    except ValueError:
        return None
    return day if 1970 <= day.year <= 2200 else None
