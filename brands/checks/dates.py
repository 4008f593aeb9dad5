"""Sensitive dates: a post going out on or near one of the brand's sensitive days is high-risk."""

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .types import Finding, KitRules, SensitiveDateRule, Severity

RULE = "sensitive_date"


@lru_cache(maxsize=64)
def _zone(name: str) -> dt.tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return dt.UTC


def local_date(moment: dt.datetime, time_zone: str) -> dt.date:
    """The calendar day `moment` falls on in the brand's time zone (a naive time is taken as local)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        return moment.date()
    return moment.astimezone(_zone(time_zone)).date()


def occurrence(rule: SensitiveDateRule, year: int) -> dt.date:
    """The rule's date in `year`; a 29 February date falls on 28 February in other years."""
    if not rule.recurs_yearly:
        return rule.date
    try:
        return rule.date.replace(year=year)
    except ValueError:
        return dt.date(year, 2, 28)


def nearest_occurrence(rule: SensitiveDateRule, day: dt.date) -> dt.date:
    """The occurrence of the rule's date closest to `day` (last year's, this year's or next year's)."""
    if not rule.recurs_yearly:
        return rule.date
    nearest = occurrence(rule, day.year)
    days = (day - nearest).days
    if days > 182 and day.year < dt.MAXYEAR:
        nearest = occurrence(rule, day.year + 1)
    elif days < -182 and day.year > dt.MINYEAR:
        nearest = occurrence(rule, day.year - 1)
    return nearest


def _day(day: dt.date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


def _when(days: int, label: str) -> str:
    if days == 0:
        return f"on {label}"
    unit = "day" if abs(days) == 1 else "days"
    return f"{abs(days)} {unit} {'after' if days > 0 else 'before'} {label}"


def sensitive_date_findings(day: dt.date, kit: KitRules, *, scheduled: bool = True) -> list[Finding]:
    findings = []
    for rule in kit.sensitive_dates:
        nearest = nearest_occurrence(rule, day)
        days = (day - nearest).days
        if abs(days) > max(rule.window_days, 0):
            continue
        label = rule.label.strip() or "a sensitive date"
        which = f"{rule.date.day} {rule.date:%B}" if rule.recurs_yearly else _day(rule.date)
        when = "is scheduled for" if scheduled else "would go out today,"
        message = f"This post {when} {_day(day)}: {_when(days, label)} ({which})."
        if rule.reason.strip():
            message += f" {rule.reason.strip().rstrip('.')}."
        message += " Check the tone and timing; posts near sensitive dates go to the top approval tier."
        findings.append(Finding(rule=RULE, severity=Severity.WARN, message=message))
    return findings
