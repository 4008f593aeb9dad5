"""Working-hours arithmetic for turnaround targets, in a brand's own time zone.

Pure functions on plain values (no database), so the rules are quick to test. The maths is
done in local wall-clock time and converted back at the end: a working day is "9:00 to 18:00"
on the clock, whatever the UTC offset is that day, so a daylight-saving change neither adds nor
loses an hour of anyone's working day.
"""

import datetime as dt
import math
import zoneinfo
from dataclasses import dataclass

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


@dataclass(frozen=True)
class WorkingHours:
    """A brand's working week: ISO weekdays (1 = Monday) and the clock times each day opens and
    closes, in its time zone. Days that end at or before they start are refused by the policy
    form; here they are an error rather than an endless loop."""

    days: frozenset[int]
    opens: dt.time
    closes: dt.time
    tz: zoneinfo.ZoneInfo

    def __post_init__(self):
        if not self.days or not self.days <= set(range(1, 8)):
            raise ValueError(f"Working days must be ISO weekdays 1-7, at least one: {sorted(self.days)}")
        if self.closes <= self.opens:
            raise ValueError(f"A working day must end after it starts ({self.opens}-{self.closes}).")

    @property
    def day_length(self) -> dt.timedelta:
        return _at(dt.date.min, self.closes) - _at(dt.date.min, self.opens)


def parse_working_days(value: str) -> frozenset[int]:
    """The weekdays in ApprovalPolicy.working_days: "12345" -> {1, 2, 3, 4, 5}."""
    return frozenset(int(digit) for digit in value if digit in "1234567")


def format_working_days(days) -> str:
    return "".join(str(day) for day in sorted(set(days)))


def add_working_hours(start: dt.datetime, duration: dt.timedelta, hours: WorkingHours) -> dt.datetime:
    """The instant `duration` of working time after `start` (an aware datetime).

    A start outside working hours begins counting at the next opening; a target that runs out
    exactly at closing time is due at closing time, not the next morning.
    """
    if duration < dt.timedelta(0):
        raise ValueError("A turnaround can't be negative.")
    wall = start.astimezone(hours.tz).replace(tzinfo=None)
    remaining = duration
    while True:
        day = wall.date()
        if day.isoweekday() in hours.days:
            opens, closes = _at(day, hours.opens), _at(day, hours.closes)
            wall = max(wall, opens)
            if wall < closes:
                if remaining <= closes - wall:
                    return _aware(wall + remaining, hours.tz)
                remaining -= closes - wall
        wall = _at(day + dt.timedelta(days=1), dt.time.min)
        # Long targets: jump whole weeks (each holds the same working time), keeping the last
        # partial week for the day-by-day walk so an exact multiple ends at a closing time.
        week = hours.day_length * len(hours.days)
        weeks = math.ceil(remaining / week) - 1
        if weeks > 0:
            wall += dt.timedelta(weeks=weeks)
            remaining -= week * weeks


def halfway(start: dt.datetime, duration: dt.timedelta, hours: WorkingHours) -> dt.datetime:
    """When half of a turnaround target has passed: the time to send a reminder."""
    return add_working_hours(start, duration / 2, hours)


def is_working_time(moment: dt.datetime, hours: WorkingHours) -> bool:
    """Whether `moment` falls in working hours (opening time included, closing time not)."""
    local = moment.astimezone(hours.tz)
    return local.isoweekday() in hours.days and hours.opens <= local.time() < hours.closes


def _at(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time)


def _aware(wall: dt.datetime, tz: zoneinfo.ZoneInfo) -> dt.datetime:
    # A wall time that a spring-forward change skips (rare in working hours) is read with the
    # offset from before the change (zoneinfo's fold=0); the round trip through UTC then shows it
    # as the real clock time, an hour later.
    return wall.replace(tzinfo=tz).astimezone(dt.UTC).astimezone(tz)
