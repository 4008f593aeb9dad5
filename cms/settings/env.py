"""Small typed readers for deployment values that come from the environment."""

import os

from django.core.exceptions import ImproperlyConfigured


def envstr(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def envbool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def envchoice(name: str, default: str, choices: list[str]) -> str:
    value = os.environ.get(name, default).strip().lower()
    if value not in choices:
        raise ImproperlyConfigured(f"{name} is {value!r}; use one of: {', '.join(choices)}.")
    return value


def with_query_defaults(url: str, **defaults) -> str:
    """`url` with each of `defaults` as a query parameter, unless the URL sets it already (an
    operator's own value wins)."""
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    for name, value in defaults.items():
        query.setdefault(name, str(value))
    return urlunsplit(parts._replace(query=urlencode(query)))
