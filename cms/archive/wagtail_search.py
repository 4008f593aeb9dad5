"""The archive search through Wagtail's search backend (SIGNOFF_ARCHIVE_SEARCH="wagtail"): its
database backend by default, OpenSearch or Elasticsearch for an agency that outgrows one
database (docs/archive-search.md). cms.archive.selectors.search_archive scopes and filters the
entries as it always does, then asks this module for the matches; highlights, pages and the CSV
stay the selector's own.

Entries are indexed as they are written (`index_new_entry`, on Wagtail's own indexing task) and
in bulk by the loaders that write rows without saving models (`index_entries`); `update_index`
rebuilds everything. https://docs.wagtail.org/en/stable/topics/search/
"""

from collections.abc import Iterable, Iterator

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, IntegerField, QuerySet, Value, When
from wagtail.search.backends import get_search_backend, get_search_backends
from wagtail.search.query import And, Not, Or, Phrase, PlainText, SearchQuery
from wagtail.search.tasks import insert_or_update_object_task

from .models import ArchiveEntry

WAGTAIL = "wagtail"
# What a client's words are matched against: never the team's internal title.
CLIENT_FIELDS = ["caption", "campaign", "hashtags"]
# A search server answers with ids, not with SQL to build on: a query's newest-first list (and
# its CSV) holds its newest this-many matches there (OpenSearch's and Elasticsearch's own default
# result window). Wagtail's database backends have no such limit.
SERVER_MATCHES_AT_MOST = 10_000
INDEXING_CHUNK = 2_000


def searched_through_wagtail() -> bool:
    return settings.SIGNOFF_ARCHIVE_SEARCH == WAGTAIL


# Indexing ----------------------------------------------------------------------------------------


def index_new_entry(entry: ArchiveEntry) -> None:
    """Index an entry just written (by cms.archive.signals) on Wagtail's own indexing task, queued
    once the entry is committed (an RQ worker could otherwise look for it before it exists)."""
    if searched_through_wagtail():
        task_args = (entry._meta.app_label, entry._meta.model_name, str(entry.pk))
        transaction.on_commit(lambda: insert_or_update_object_task.enqueue(*task_args), robust=True)


def index_entries(entries: QuerySet[ArchiveEntry] | Iterable[int]) -> int:
    """Index entries written in bulk (COPY or bulk_create send no signals): a queryset, or their
    ids. Nothing unless the archive is searched through Wagtail. Returns how many were indexed."""
    if not searched_through_wagtail():
        return 0
    backends = list(get_search_backends(with_auto_update=True))
    indexed = 0
    for chunk in _chunks(entries):
        for backend in backends:
            backend.add_bulk(ArchiveEntry, chunk)
        indexed += len(chunk)
    return indexed


def _chunks(entries: QuerySet[ArchiveEntry] | Iterable[int]) -> Iterator[list[ArchiveEntry]]:
    if isinstance(entries, QuerySet):
        entries = entries.order_by("pk")
        last = 0
        while chunk := list(entries.filter(pk__gt=last)[:INDEXING_CHUNK]):
            yield chunk
            last = chunk[-1].pk
        return
    ids = sorted(entries)
    for start in range(0, len(ids), INDEXING_CHUNK):
        yield list(ArchiveEntry.objects.filter(pk__in=ids[start : start + INDEXING_CHUNK]).order_by("pk"))


# Searching ---------------------------------------------------------------------------------------


def wagtail_query(terms) -> SearchQuery:
    """search_archive's parsed terms (cms.archive.selectors.Term) as Wagtail's query objects:
    AND within a group, OR between groups (AND binds tighter, as in web search), the excluded
    words left out of all of it. Every word is already a run of letters and digits, so no input
    reaches a backend's own query syntax."""
    groups: list[list[SearchQuery]] = []
    excluded: list[SearchQuery] = []
    for term in terms:
        part = PlainText(term.words[0]) if len(term.words) == 1 else Phrase(" ".join(term.words))
        if term.negated:
            excluded.append(part)
        elif term.or_before or not groups:
            groups.append([part])
        else:
            groups[-1].append(part)
    alternatives = [group[0] if len(group) == 1 else And(group) for group in groups]
    parts = []
    if alternatives:
        parts.append(alternatives[0] if len(alternatives) == 1 else Or(alternatives))
    if excluded:
        parts.append(Not(excluded[0] if len(excluded) == 1 else Or(excluded)))
    return parts[0] if len(parts) == 1 else And(parts)


def search_entries(
    entries: QuerySet[ArchiveEntry], terms, *, ranked: bool, client_view: bool, window: int
) -> QuerySet[ArchiveEntry]:
    """The entries of `entries` (scoped and filtered with FilterFields only) that match `terms`,
    newest first, or (`ranked`) the `window` newest matches most relevant first: the same
    relevance window as the database's own search, so the same pages whatever the engine."""
    backend = get_search_backend()
    query = wagtail_query(terms)
    fields = CLIENT_FIELDS if client_view else None
    if client_view and _ranks_by_the_whole_row():
        ranked = False  # newest first, not an order that tells a client how long titles are
    newest = entries.order_by("-published_at", "-id")
    matches = backend.search(query, newest, fields=fields, order_by_relevance=False)
    if not ranked:
        return _as_queryset(matches)
    in_window = _ids(matches[:window])
    best = backend.search(
        query, ArchiveEntry.objects.filter(id__in=in_window), fields=fields, order_by_relevance=True
    )
    return _as_queryset(best, ranked=True)


def _ranks_by_the_whole_row() -> bool:
    """Wagtail's SQLite index ranks with FTS5's bm25, which divides by the length of the whole row,
    title included, whatever the columns searched: clients' matches, ranked, would come in an order
    set by the length of titles they never see (found by an attack). PostgreSQL's ts_rank is not
    length normalised there, and a search server weighs each field by its own length."""
    return settings.SIGNOFF_SEARCH_BACKEND == "database" and connection.vendor == "sqlite"


def _ids(results):
    """The ids of search results: Wagtail's database backends search with SQL, kept here as a
    subquery; a search server answers with ids."""
    if hasattr(results, "get_queryset"):
        return results.get_queryset().values("pk")
    return [entry.pk for entry in results]


def _as_queryset(results, *, ranked: bool = False) -> QuerySet[ArchiveEntry]:
    """Search results as a QuerySet, in their order, for the pages, cursors and CSV built on it."""
    if hasattr(results, "get_queryset"):
        return results.get_queryset()
    ids = [entry.pk for entry in results[:SERVER_MATCHES_AT_MOST]]
    found = ArchiveEntry.objects.filter(pk__in=ids)
    if not ranked:
        return found.order_by("-published_at", "-pk")
    position = Case(*(When(pk=pk, then=Value(n)) for n, pk in enumerate(ids)), output_field=IntegerField())
    return found.order_by(position)
