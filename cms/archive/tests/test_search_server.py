"""The archive on OpenSearch through Wagtail's search backend, as far as it can be tested without
a server (none can be installed on this machine): the entry's document and mapping, and the
query every search and filter of search_archive becomes, built by Wagtail's OpenSearch backend
from the same scoped queryset the database backend gets. No request is sent."""

import json
from datetime import date

import pytest
from wagtail.search.backends import get_search_backend

from cms.archive.models import ArchiveEntry
from cms.archive.selectors import _filtered_for_a_search_backend, archive_scope, parse_query
from cms.archive.wagtail_search import CLIENT_FIELDS, wagtail_query

pytest.importorskip("opensearchpy")
pytestmark = pytest.mark.django_db


@pytest.fixture
def opensearch(settings):
    """`opensearch()`: the archive searched through Wagtail's OpenSearch backend from now on (entries
    archived before, so that none is sent to the server that isn't there), and that backend."""

    def _switch():
        settings.SIGNOFF_ARCHIVE_SEARCH = "wagtail"
        # As cms/settings/base.py builds it from SIGNOFF_SEARCH_BACKEND=opensearch3; nothing listens.
        settings.WAGTAILSEARCH_BACKENDS = {
            "default": {
                "BACKEND": "wagtail.search.backends.opensearch3",
                "URLS": ["http://127.0.0.1:9"],
                "INDEX_PREFIX": "signoff_",
                "INDEX_SETTINGS": {"settings": {"analysis": {"analyzer": {"default": {"type": "english"}}}}},
            }
        }
        return get_search_backend()

    return _switch


def compiled(backend, entries, query: str, *, client_view: bool) -> tuple[dict, list]:
    results = backend.search(
        wagtail_query(parse_query(query)),
        entries.order_by("-published_at", "-id"),
        fields=CLIENT_FIELDS if client_view else None,
        order_by_relevance=False,
    )
    return results.query_compiler.get_query(), results.query_compiler.get_sort()


def test_an_entry_is_a_document_with_its_words_and_filter_fields(archived, brand_a, opensearch):
    entry = archived(brand_a, caption="Cold brew #Coffee", campaign="Winter", title="Internal")
    mapping = opensearch().mapping_class(ArchiveEntry)

    document = mapping.get_document(entry)

    assert (document["title"], document["caption"], document["campaign"], document["hashtags"]) == (
        "Internal",
        "Cold brew #Coffee",
        "Winter",
        ["coffee"],
    )
    assert document["brand_id_filter"] == brand_a.pk and document["platform_id_filter"] == "facebook"
    assert set(mapping.get_mapping()["properties"]) >= {
        "id_filter",
        "brand_id_filter",
        "platform_id_filter",
        "published_at_filter",
        "intent_filter",
        "format_filter",
        "author_id_filter",
    }


def test_every_filter_becomes_an_opensearch_filter(archived, brand_a, lead, reviewer, opensearch):
    kept = archived(
        brand_a, caption="Cold brew #Coffee", approved_by=[(reviewer, "senior")], campaign="Winter"
    )
    archived(brand_a, caption="Cold brew, no tag", campaign="Summer")
    entries = _filtered_for_a_search_backend(
        archive_scope(lead).time_zones,
        platform="facebook",
        since=date(2026, 1, 1),
        until=date(2026, 12, 31),
        campaign="winter",
        intent="know",
        format="feed",
        author=lead.pk,
        approver=reviewer.pk,
        hashtag="#coffee",
    )

    query, sort = compiled(opensearch(), entries, "coffee", client_view=False)

    filters = json.dumps(query["bool"]["filter"], default=str)
    for expected in (
        {"terms": {"brand_id_filter": [brand_a.pk]}},
        {"term": {"platform_id_filter": "facebook"}},
        {"term": {"intent_filter": "know"}},
        {"term": {"format_filter": "feed"}},
        {"term": {"author_id_filter": lead.pk}},
        # Campaign, approver and hashtag: the ids of the entries they keep, found in the database.
        {"terms": {"id_filter": [kept.pk]}},
    ):
        assert json.dumps(expected) in filters
    assert '"published_at_filter": {"gte": "2026-01-01 00:00:00+00:00"}' in filters
    assert sort == [{"published_at_filter": "desc"}, {"id_filter": "desc"}]


def test_a_clients_words_never_look_at_titles(brand_a, lead, opensearch):
    backend = opensearch()
    entries = _filtered_for_a_search_backend(
        archive_scope(lead).time_zones,
        platform="",
        since=None,
        until=None,
        campaign="",
        intent="",
        format="",
        author=None,
        approver=None,
        hashtag="",
    )

    staff, _ = compiled(backend, entries, 'coffee "cold brew" -decaf', client_view=False)
    client, _ = compiled(backend, entries, 'coffee "cold brew" -decaf', client_view=True)

    assert "_all_text" in json.dumps(staff["bool"]["must"])  # every SearchField, the title too
    searched = json.dumps(client["bool"]["must"])
    assert "title" not in searched and "_all_text" not in searched
    assert all(field in searched for field in CLIENT_FIELDS)
