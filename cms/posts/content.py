"""One form for each part of a post's content, whichever way it was saved.

A caption typed in the browser arrives with CRLF line endings (HTML forms send them so), one sent
through the API with LF; the editor's scheduled time is to the minute, the API's may carry seconds.
Kept in one form, equal content compares, hashes and is credited as equal (approvals.hashing,
approvals.authorship).
"""

import datetime


def with_lf_line_endings(text):
    """`text` with every line break as LF ("\\n"); anything that is not a string as it is."""
    if not isinstance(text, str):
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def to_the_minute(moment):
    """`moment` without its seconds: posts are scheduled to the minute. None stays None."""
    if not isinstance(moment, datetime.datetime):
        return moment
    return moment.replace(second=0, microsecond=0)
