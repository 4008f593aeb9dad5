"""search_archive: who sees what, every filter, the two orders, highlights, and input that must
never break it. Runs on SQLite (FTS5) and on PostgreSQL (tsvector + GIN) alike, and each test
twice: through the database's own index and through Wagtail's search backend
(SIGNOFF_ARCHIVE_SEARCH="wagtail"; entries indexed as they are written)."""

from datetime import UTC, date, datetime

import pytest
from django.db import connection

from brands.models import BrandRole
from cms.archive.selectors import ArchiveScope, highlight, highlight_words, parse_query, search_archive
from cms.posts.factories import PostFactory, publish_directly

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("each_search_engine")]


HOSTILE = [
    '"',
    '"unbalanced quote',
    'a "b',
    "*",
    "coffee*",
    "NEAR(coffee roast)",
    "NEAR(",
    "OR",
    "AND OR NOT",
    "coffee OR",
    "-",
    "-coffee",
    "--",
    ":",
    "caption:coffee",
    "{title caption}: x",
    "^coffee",
    "(",
    ")",
    "'",
    "\\",
    "%_",
    "<>!&|",
    "x" * 10_000,
    "coffee " * 2000,
    "😀☕️",
    "café ☕",
    "a\x00b",
    "\x00",
    "   ",
]


def test_staff_see_their_brands_entries_only(archived, brand_a, brand_b, lead, outsider):
    mine = archived(brand_a, caption="Winter blend is back")
    theirs = archived(brand_b, caption="Winter bikes are back")

    assert list(search_archive(user=lead, query="winter")) == [mine]
    assert list(search_archive(user=outsider, query="winter")) == [theirs]
    # Asking for the other brand by id gives nothing, not its entries.
    assert list(search_archive(user=lead, query="winter", brand=brand_b.pk)) == []
    assert list(search_archive(user=outsider, brand=brand_a)) == []


def test_a_client_sees_their_clients_brands_only(archived, brand_a, brand_b, client_of_a, client_of_b):
    mine = archived(brand_a, caption="Winter blend is back")
    theirs = archived(brand_b, caption="Winter bikes are back")

    assert list(search_archive(user=client_of_a, query="winter")) == [mine]
    assert list(search_archive(user=client_of_b)) == [theirs]
    assert list(search_archive(user=client_of_a, brand=brand_b)) == []


def test_a_superuser_sees_every_brand_and_an_anonymous_user_nothing(archived, brand_a, brand_b, admin_user):
    from django.contrib.auth.models import AnonymousUser

    archived(brand_a), archived(brand_b)
    assert search_archive(user=admin_user).count() == 2
    assert search_archive(user=AnonymousUser()).count() == 0


def test_whose_archive_a_user_searches_and_as_whom(
    brand_a, brand_b, client_a, lead, outsider, client_of_a, creative, admin_user
):
    from django.contrib.auth.models import AnonymousUser

    from brands.factories import BrandFactory, client_user, membership
    from cms.archive.selectors import archive_scope

    sister = BrandFactory(client=client_a, name="Acme Tea", slug="acme-tea", time_zone="Asia/Tokyo")
    both = outsider  # staff on brand B, and a portal user of client A
    client_user(both, client_a)
    membership(creative, brand_b, BrandRole.CREATIVE)  # two brands' staff: each brand once

    assert archive_scope(lead) == ArchiveScope({brand_a.pk: brand_a.time_zone}, client_only=False)
    assert archive_scope(client_of_a) == ArchiveScope(
        {brand_a.pk: brand_a.time_zone, sister.pk: "Asia/Tokyo"}, client_only=True
    )
    assert archive_scope(both) == ArchiveScope(
        {brand_a.pk: brand_a.time_zone, brand_b.pk: brand_b.time_zone, sister.pk: "Asia/Tokyo"},
        client_only=False,
    )
    assert set(archive_scope(creative).time_zones) == {brand_a.pk, brand_b.pk}
    assert set(archive_scope(admin_user).time_zones) == {brand_a.pk, brand_b.pk, sister.pk}
    assert archive_scope(AnonymousUser()) == ArchiveScope({}, client_only=True)
    lead.is_active = False
    assert archive_scope(lead) == ArchiveScope({}, client_only=True)


def test_unpublished_and_never_archived_posts_never_appear(archived, brand_a, lead, client_of_a):
    PostFactory(brand=brand_a, caption="Secret winter draft")  # a draft
    live = PostFactory(brand=brand_a, caption="Winter post published but not yet out")
    publish_directly(live)  # live, but its delivery waits to be posted: not in the archive yet
    out = archived(brand_a, caption="Winter blend went out")

    for user in (lead, client_of_a):
        assert list(search_archive(user=user, query="winter")) == [out]


def test_clients_never_match_on_the_teams_internal_title(archived, brand_a, lead, client_of_a):
    entry = archived(brand_a, caption="Our winter blend", title="Zanzibar placeholder")

    assert list(search_archive(user=lead, query="zanzibar")) == [entry]
    assert list(search_archive(user=client_of_a, query="zanzibar")) == []
    assert list(search_archive(user=client_of_a, query="winter")) == [entry]


def test_a_client_cannot_learn_a_titles_words_by_excluding_them(archived, brand_a, lead, client_of_a):
    """Found by an attack: `seconds -reel` left out the entries whose internal title said "reel",
    so a client could test words of titles they never see, one at a time."""
    titled = archived(brand_a, caption="Pour-over in sixty seconds", title="Pour-over (reel)")
    plain = archived(brand_a, caption="Sixty seconds to a better cup", title="Archive · cup")

    assert set(search_archive(user=client_of_a, query="seconds -reel")) == {titled, plain}
    assert set(search_archive(user=client_of_a, query="seconds -archive")) == {titled, plain}
    assert set(search_archive(user=client_of_a, query="-reel")) == {titled, plain}
    assert set(search_archive(user=lead, query="seconds -reel")) == {plain}  # staff: titles count


def test_a_clients_relevance_order_does_not_depend_on_the_internal_title(
    archived, brand_a, lead, client_of_a
):
    """Found by an attack (SQLite, both engines): two entries alike in everything a client sees
    (caption, campaign, hashtags) must rank alike for a client, so the newer comes first. FTS5's
    bm25 divides by the length of the whole row, title included, even under a column filter: the
    entry with the longer internal title ranked lower, so a client could rank entries by the
    length of titles they never see (a one-word title against a long one flips the order)."""
    short = archived(
        brand_a, caption="Winter blend is back", title="Q4", published_at=datetime(2026, 5, 1, tzinfo=UTC)
    )
    long = archived(
        brand_a,
        caption="Winter blend is back",
        title="Internal: second attempt after the legal review of the launch copy",
        published_at=datetime(2026, 6, 1, tzinfo=UTC),
    )

    assert list(search_archive(user=client_of_a, query="winter", order="newest")) == [long, short]
    assert list(search_archive(user=client_of_a, query="winter")) == [long, short]


def test_an_excluded_phrase_is_left_out_not_required(archived, brand_a, lead, client_of_a):
    """Found by an attack (Wagtail's backend on PostgreSQL): `-"a phrase"` became the phrase
    itself, required (the PostgreSQL query compiler of Wagtail's database backend drops the
    inversion of a Phrase under Not), so `blend -"cold brew"` found only the entries saying
    "cold brew", and left out every other one."""
    cold = archived(brand_a, caption="Our blend, now as cold brew")
    hot = archived(brand_a, caption="Our blend, hot as ever")

    for user in (lead, client_of_a):
        assert list(search_archive(user=user, query='blend -"cold brew"')) == [hot]
        assert list(search_archive(user=user, query='blend -"cold brew"', order="newest")) == [hot]
    assert cold  # it exists and is left out


def test_an_excluded_word_after_an_or_group_is_left_out_of_every_alternative(
    archived, brand_a, lead, client_of_a
):
    """Found by the second attack: PostgreSQL's websearch syntax, given the query as typed, bound
    `-cold` to the last alternative only (`winter OR summer -cold` was winter, or summer without
    cold), where SQLite and Wagtail's backends leave it out of every alternative."""
    winter_cold = archived(brand_a, caption="Winter blend as cold brew")
    winter = archived(brand_a, caption="Winter blend hot")
    summer_cold = archived(brand_a, caption="Summer roast as cold brew")
    summer = archived(brand_a, caption="Summer roast hot")

    for user in (lead, client_of_a):
        for query in ("winter OR summer -cold", "-cold winter OR summer", 'winter OR summer -"cold brew"'):
            for order in ("relevance", "newest"):
                assert set(search_archive(user=user, query=query, order=order)) == {winter, summer}, query
        assert set(search_archive(user=user, query="-cold")) == {winter, summer}
        assert set(search_archive(user=user, query="cold OR hot -brew")) == {winter, summer}
    assert winter_cold and summer_cold


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own index")
def test_a_clients_search_is_answered_from_its_own_index(archived, brand_a, client_of_a, each_search_engine):
    """A client's words are looked up in the title-free vector's GIN index (migration 0006): before
    it, a client's search for a common word read every entry holding it (0.4 s at a million)."""
    if each_search_engine != "database":
        pytest.skip("Wagtail's backend keeps its own index")
    from django.db import transaction

    from cms.archive.models import ArchiveEntry
    from cms.archive.selectors import _matching

    archived(brand_a, caption="Winter blend is back")
    matching, _ = _matching(ArchiveEntry.objects.all(), parse_query("winter"), client_view=True)
    sql, params = matching.values("pk").query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a handful of rows: show it can, not that it would
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "archive_entry_client_search_gin" in plan
    assert [entry.caption for entry in search_archive(user=client_of_a, query="winter")] == [
        "Winter blend is back"
    ]


def test_words_phrases_exclusions_and_or(archived, brand_a, lead):
    launch = archived(brand_a, caption="Launching our winter blend today")
    summer = archived(brand_a, caption="Summer launches are here, cold brew")
    other = archived(brand_a, caption="Nothing to see")

    def found(query):
        return set(search_archive(user=lead, query=query))

    assert found("today") == {launch}
    assert found('"winter blend"') == {launch}
    assert found('"blend winter"') == set()
    assert found("brew -summer") == set()
    assert found("blend -summer") == {launch}
    assert found("winter OR nothing") == {launch, other}
    assert found("nothing OR summer cold") == {other, summer}  # AND binds tighter, as on PostgreSQL
    assert found("nothing OR summer winter") == {other}
    assert found("WINTER") == {launch}
    assert found("") == {launch, summer, other}


def test_a_word_finds_its_other_forms(archived, brand_a, lead, each_search_engine):
    if each_search_engine == "wagtail" and connection.vendor == "sqlite":
        pytest.skip("Wagtail's SQLite index does not stem: its FTS5 table keeps the default tokenizer.")
    launch = archived(brand_a, caption="Launching our winter blend today")
    summer = archived(brand_a, caption="Summer launches are here, cold brew")

    assert set(search_archive(user=lead, query="launch")) == {launch, summer}
    assert set(search_archive(user=lead, query="launch -summer")) == {launch}


def test_it_finds_campaigns_and_hashtags(archived, brand_a, lead):
    entry = archived(brand_a, caption="Shop now #FlashSale", campaign="Black Friday")

    assert list(search_archive(user=lead, query="friday")) == [entry]
    assert list(search_archive(user=lead, query="flashsale")) == [entry]


def test_each_filter(archived, brand_a, brand_b, lead, reviewer, creative, django_user_model):
    membership_b = lead.brand_memberships.model
    membership_b.objects.create(user=lead, brand=brand_b, role=BrandRole.LEAD)
    base = archived(brand_a, caption="Base post #coffee")
    on_b = archived(brand_b, caption="Other brand")
    instagram = archived(brand_a, caption="On Instagram", platform="instagram")
    campaign = archived(brand_a, caption="In a campaign", campaign="Winter Launch")
    intent = archived(brand_a, caption="Buy it", intent="buy")
    reel = archived(brand_a, caption="A reel", format="reel")
    authored = archived(brand_a, caption="Written by the creative", author=creative)
    approved = archived(brand_a, caption="Approved by the reviewer", approved_by=[(reviewer, "senior")])
    tagged = archived(brand_a, caption="Tagged #Espresso")

    def found(**filters):
        return set(search_archive(user=lead, **filters))

    assert found(brand=brand_b) == {on_b}
    assert found(platform="instagram") == {instagram}
    assert found(campaign="winter launch") == {campaign}
    assert found(intent="buy") == {intent}
    assert found(format="reel") == {reel}
    assert found(author=creative.pk) == {authored}
    assert found(approver=reviewer.pk) == {approved}
    assert found(hashtag="#espresso") == found(hashtag="Espresso") == {tagged}
    assert found(hashtag="coffee") == {base}
    assert found(hashtag="espress") == set()  # a whole tag, not part of one


def test_dates_are_days_in_the_brands_time_zone(archived, brand_a, lead):
    brand_a.time_zone = "Asia/Tokyo"
    brand_a.save()
    # 23:30 UTC on 5 January is 08:30 on the 6th in Tokyo.
    late = archived(brand_a, caption="Late", published_at=datetime(2026, 1, 5, 23, 30, tzinfo=UTC))
    early = archived(brand_a, caption="Early", published_at=datetime(2026, 1, 5, 10, 0, tzinfo=UTC))

    assert list(search_archive(user=lead, since=date(2026, 1, 6))) == [late]
    assert list(search_archive(user=lead, until=date(2026, 1, 5))) == [early]
    assert set(search_archive(user=lead, since=date(2026, 1, 5), until=date(2026, 1, 6))) == {late, early}
    assert list(search_archive(user=lead, since=date(2026, 1, 7))) == []


def test_relevance_puts_the_best_match_first_and_newest_the_latest(archived, brand_a, lead):
    weak = archived(
        brand_a,
        caption="A long caption about many things, the weather, the team, and espresso once.",
        published_at=datetime(2026, 6, 2, tzinfo=UTC),
    )
    strong = archived(
        brand_a,
        caption="Espresso espresso espresso",
        title="Espresso",
        published_at=datetime(2026, 6, 1, tzinfo=UTC),
    )

    assert list(search_archive(user=lead, query="espresso")) == [strong, weak]
    assert list(search_archive(user=lead, query="espresso", order="newest")) == [weak, strong]
    assert list(search_archive(user=lead)) == [weak, strong]  # no query: newest first


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_never_raise(archived, brand_a, lead, client_of_a, query):
    archived(brand_a, caption="Coffee roast, café")
    for user in (lead, client_of_a):
        for order in ("relevance", "newest"):
            list(search_archive(user=user, query=query, order=order))
    highlight("Coffee roast", highlight_words(query))


def test_highlights_escape_everything_then_mark_the_matches():
    words = highlight_words("script launch")
    marked = highlight('<script>alert("x")</script> Launching & launches', words)

    assert marked == (
        "&lt;<mark>script</mark>&gt;alert(&quot;x&quot;)&lt;/<mark>script</mark>&gt; "
        "<mark>Launching</mark> &amp; <mark>launches</mark>"
    )
    assert "<mark>amp</mark>" not in highlight("Fish & chips", highlight_words("amp"))
    assert highlight("<b>no match</b>", []) == "&lt;b&gt;no match&lt;/b&gt;"


def test_a_long_caption_is_cut_about_its_first_match():
    text = "word " * 200 + "espresso " + "word " * 200
    marked = highlight(text, ["espresso"], around=100)

    assert "<mark>espresso</mark>" in marked
    assert marked.startswith("…") and marked.endswith("…") and len(marked) < 140


def test_excluded_words_are_not_marked():
    assert [term.negated for term in parse_query('a -b "c d" -"e f"')] == [False, True, False, True]
    assert highlight_words('coffee -tea "cold brew"') == ["coffee", "cold", "brew"]
