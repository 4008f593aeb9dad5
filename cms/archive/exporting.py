"""CSV of an archive search: every matching entry (all pages), streamed row by row so a large
archive never sits in memory. The admin, the portal and the API answer with the same file."""

import csv
from collections.abc import Iterable, Iterator

from django.http import StreamingHttpResponse
from django.utils import timezone

from .models import ArchiveEntry, approval_steps

STAFF_COLUMNS = [
    "published (brand time)",
    "brand",
    "platform",
    "title",
    "caption",
    "campaign",
    "intent",
    "format",
    "hashtags",
    "author",
    "approved by",
    "live url",
    "post id",
    "revision id",
    "content hash",
]
CLIENT_COLUMNS = [
    column for column in STAFF_COLUMNS if column not in {"title", "author", "revision id", "content hash"}
]
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    def write(self, value):
        return value


def approvers_text(entry: ArchiveEntry) -> str:
    return "; ".join(
        f"{step.get('name', '')} ({step.get('tier', '')})" for step in approval_steps(entry.approvals)
    )


def local_time(entry: ArchiveEntry) -> str:
    return timezone.localtime(entry.published_at, entry.brand.tz).strftime("%Y-%m-%d %H:%M %Z")


def _safe(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _row(entry: ArchiveEntry, *, client_view: bool) -> list[str]:
    values = {
        "published (brand time)": local_time(entry),
        "brand": entry.brand.name,
        "platform": entry.platform.name,
        "title": entry.title,
        "caption": entry.caption,
        "campaign": entry.campaign,
        "intent": entry.get_intent_display(),
        "format": entry.get_format_display(),
        "hashtags": " ".join(f"#{tag}" for tag in entry.hashtags),
        "author": entry.author.username if entry.author else "",
        "approved by": approvers_text(entry),
        "live url": entry.live_url,
        "post id": entry.post_id,
        "revision id": entry.revision_id,
        "content hash": entry.content_hash,
    }
    return [_safe(values[column]) for column in (CLIENT_COLUMNS if client_view else STAFF_COLUMNS)]


def csv_lines(entries: Iterable[ArchiveEntry], *, client_view: bool) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # so a spreadsheet reads the file as UTF-8 (accents, emoji)
    yield writer.writerow(CLIENT_COLUMNS if client_view else STAFF_COLUMNS)
    for entry in entries:
        yield writer.writerow(_row(entry, client_view=client_view))


def csv_response(entries, *, client_view: bool, filename: str = "archive.csv") -> StreamingHttpResponse:
    """`entries` (a search_archive queryset): every one, newest first, read in chunks."""
    rows = entries.order_by("-published_at", "-pk").iterator(chunk_size=2000)
    response = StreamingHttpResponse(
        csv_lines(rows, client_view=client_view), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
