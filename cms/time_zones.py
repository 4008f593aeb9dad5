"""The time zones people can pick, for brands and for admin users.

The installed tz database also holds names that are not places (`localtime`, `posixrules`,
`Factory`, the `posix/` and `right/` copies): browsers' Intl API refuses some of them (Wagtail's
account page threw "RangeError: Invalid time zone specified: localtime"), and no agency means
them. Plain Python, so settings can import it.
"""

import zoneinfo
from functools import cache

_NOT_PLACES = {"localtime", "posixrules", "Factory"}


@cache
def usable_time_zones() -> list[str]:
    return sorted(
        name
        for name in zoneinfo.available_timezones()
        if name not in _NOT_PLACES and not name.startswith(("posix/", "right/", "SystemV/"))
    )
