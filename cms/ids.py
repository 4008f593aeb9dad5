"""Ids from untrusted text (form fields, query strings, field names)."""

import re

_ID = re.compile(r"[0-9]{1,18}")


def as_id(value) -> int | None:
    """The id in `value`, or None: only 1–18 ASCII digits count. (str.isdigit() passes "²",
    which int() refuses, and a database id column holds at most 18 digits.)"""
    if isinstance(value, str) and _ID.fullmatch(value):
        return int(value)
    return None
