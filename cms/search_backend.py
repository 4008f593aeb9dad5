"""Wagtail's database search backend, able to search everything but the title from its index.

Wagtail's database index keeps two columns of words per object: the `title` SearchField, and
every other SearchField together (the body). Upstream, `.search(fields=[...])` reads neither on
PostgreSQL (it builds each row's tsvector from the model's columns as it searches: no index),
and fails on SQLite (`no such column`: its FTS5 table has no column per field). The archive asks
for exactly "every field but the title" (a client never matches on a team's internal title), and
that is the body column: so that one case reads the index. Any other `fields=` goes as upstream.
On PostgreSQL it also keeps an excluded phrase excluded (upstream drops its inversion).

Configured as WAGTAILSEARCH_BACKENDS' database backend in cms/settings/base.py.
"""

import functools

from django.db import connection
from django.db.models import F
from wagtail.search.backends import database
from wagtail.search.index import RelatedFields, SearchField
from wagtail.search.query import Phrase


def _searches_the_body(compiler) -> bool:
    """Whether `fields` names exactly the model's SearchFields other than the title."""
    if compiler.fields is None:
        return False
    search_fields = compiler.queryset.model.get_search_fields()
    if any(isinstance(field, RelatedFields) for field in search_fields):
        return False  # the body holds the related objects' words too
    body = {
        field.field_name
        for field in search_fields
        if isinstance(field, SearchField) and field.field_name != "title"
    }
    return bool(body) and set(compiler.fields) == body


@functools.cache
def _postgres_compiler():
    from django.contrib.postgres.search import SearchQuery
    from wagtail.search.backends.database.postgres.postgres import PostgresSearchQueryCompiler

    class PostgresBodyQueryCompiler(PostgresSearchQueryCompiler):
        def get_search_vectors(self, search_query):
            if _searches_the_body(self):
                return [(F("index_entries__body"), 1.0)]
            return super().get_search_vectors(search_query)

        def build_tsquery_content(self, query, config=None, invert=False):
            # Upstream builds a Phrase without its inversion, so `Not(Phrase(...))` (an excluded
            # phrase, `-"cold brew"`) required the phrase instead (found by an attack).
            if isinstance(query, Phrase) and invert:
                return SearchQuery(query.query_string, search_type="phrase", config=config, invert=True)
            return super().build_tsquery_content(query, config=config, invert=invert)

    return PostgresBodyQueryCompiler


@functools.cache
def _sqlite_compiler():
    from wagtail.search.backends.database.sqlite.sqlite import SQLiteSearchQueryCompiler

    class SQLiteBodyQueryCompiler(SQLiteSearchQueryCompiler):
        def search(self, config, start, stop, score_field=None):
            if not _searches_the_body(self):
                return super().search(config, start, stop, score_field=score_field)
            # The FTS5 column that holds them (checked against search_fields by then, so the
            # column's name can stand in while the query is built).
            fields, self.fields = self.fields, ["body"]
            try:
                return super().search(config, start, stop, score_field=score_field)
            finally:
                self.fields = fields

    return SQLiteBodyQueryCompiler


# Each module of Wagtail's database backends defines models for its own database only: imported
# when that is the database in use, as Wagtail does.
_COMPILERS = {"postgresql": _postgres_compiler, "sqlite": _sqlite_compiler}


def SearchBackend(params):
    """Wagtail's database backend for this database (as `wagtail.search.backends.database`
    picks it), with the compilers above."""
    backend = database.SearchBackend(params)
    base = backend.query_compiler_class
    compiler = _COMPILERS.get(connection.vendor)
    if compiler is not None:
        candidate = compiler()
        if issubclass(candidate, base):  # not SQLite's fallback backend (no FTS5)
            backend.query_compiler_class = candidate
    return backend
