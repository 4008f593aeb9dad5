"""The agency calendar page: what each user sees of which brands, where, and how fast."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from brands.factories import UserFactory, brand_image
from cms.calendar.selectors import LIST_PAGE_SIZE, MONTH_DAY_LIMIT, WEEK_DAY_LIMIT
from cms.posts.models import Post

from .conftest import dated_draft, in_review, published, scheduled

pytestmark = pytest.mark.django_db

CALENDAR = reverse("agency_calendar")
UTC = dt.UTC


def day_cell(html: str, iso_date: str) -> str:
    """The grid's cell for one day."""
    start = html.index(f'data-day="{iso_date}"')
    return html[start : html.index("</td>", start)]


def test_the_week_shows_every_brand_of_the_user_each_post_on_its_day_in_its_brands_time_zone(
    login, planner, brand_a, brand_tokyo, reviewer
):
    # 23:30 UTC on Sunday 5 January is 08:30 on Monday 6 January in Tokyo.
    dated_draft(brand_tokyo, planner, dt.datetime(2031, 1, 5, 23, 30, tzinfo=UTC), title="Tokyo breakfast")
    dated_draft(brand_a, planner, dt.datetime(2031, 1, 7, 9, 0, tzinfo=UTC), title="London brunch")
    scheduled(brand_a, planner, reviewer, dt.datetime(2031, 1, 9, 17, 0, tzinfo=UTC), title="Acme launch")
    dated_draft(brand_a, planner, dt.datetime(2031, 1, 14, 9, 0, tzinfo=UTC), title="Next week")

    week = login(planner).get(CALENDAR, {"view": "week", "date": "2031-01-08"}).text

    assert "Week of 6 January 2031" in week
    monday = day_cell(week, "2031-01-06")
    assert "Tokyo breakfast" in monday and "08:30" in monday and "JST" in monday and "Acme Tokyo" in monday
    assert "London brunch" in day_cell(week, "2031-01-07") and "GMT" in day_cell(week, "2031-01-07")
    assert "Acme launch" in day_cell(week, "2031-01-09")
    assert "Next week" not in week
    # Coloured by status, and the status in words too.
    assert re.search(r'cal-entry cal-entry--draft[^"]*"[^>]*>', week)
    assert "cal-entry--scheduled" in week and "Scheduled" in day_cell(week, "2031-01-09")


def test_month_and_list_views_show_the_month_and_move_by_month(login, planner, brand_a):
    dated_draft(brand_a, planner, dt.datetime(2031, 1, 20, 9, 0, tzinfo=UTC), title="January draft")
    dated_draft(brand_a, planner, dt.datetime(2031, 2, 20, 9, 0, tzinfo=UTC), title="February draft")
    client = login(planner)

    month = client.get(CALENDAR, {"date": "2031-01-15"}).text
    listed = client.get(CALENDAR, {"view": "list", "date": "2031-01-15"}).text

    for page in (month, listed):
        assert "January 2031" in page and "January draft" in page and "February draft" not in page
    assert "Monday 20 January" in listed
    assert (
        'href="?view=month&amp;date=2030-12-01"' in month
        and 'href="?view=month&amp;date=2031-02-01"' in month
    )
    assert 'href="?view=list&amp;date=2031-02-01"' in listed


def test_each_post_shows_a_thumbnail_through_the_permission_checked_media(login, planner, brand_a):
    picture = brand_image(brand_a, title="Latte")
    dated_draft(
        brand_a, planner, dt.datetime(2031, 1, 7, 9, 0, tzinfo=UTC), title="With a picture", images=[picture]
    )
    client = login(planner)

    page = client.get(CALENDAR, {"view": "week", "date": "2031-01-07"}).text
    src = re.search(r'<img class="cal-entry__thumb" src="([^"]+)"', page).group(1)

    assert "fill-96x96" in src
    assert client.get(src).status_code == 200


def test_filters_narrow_the_calendar_to_a_brand_platform_status_campaign_and_intent(
    login, planner, brand_a, brand_tokyo, reviewer
):
    at = dt.datetime(2031, 1, 7, 9, 0, tzinfo=UTC)
    dated_draft(brand_a, planner, at, title="Acme draft", campaign="Spring", intent="buy")
    dated_draft(brand_tokyo, planner, at, title="Tokyo draft", campaign="Autumn", platforms=["x"])
    in_review(brand_a, planner, at, title="Acme in review", campaign="Spring")
    client = login(planner)

    def shown(**filters):
        page = client.get(CALENDAR, {"view": "week", "date": "2031-01-07", **filters}).text
        return {title for title in ["Acme draft", "Tokyo draft", "Acme in review"] if f">{title}<" in page}

    assert shown() == {"Acme draft", "Tokyo draft", "Acme in review"}
    assert shown(brand=brand_tokyo.pk) == {"Tokyo draft"}
    assert shown(platform="x") == {"Tokyo draft"}
    assert shown(status="in_review") == {"Acme in review"}
    assert shown(campaign="Spring") == {"Acme draft", "Acme in review"}
    assert shown(intent="buy") == {"Acme draft"}
    assert shown(brand=brand_a.pk, status="draft") == {"Acme draft"}
    # The period links keep the filters.
    page = client.get(CALENDAR, {"view": "week", "date": "2031-01-07", "campaign": "Spring"}).text
    assert "campaign=Spring&amp;view=week&amp;date=2031-01-13" in page


def test_a_filter_that_isnt_one_of_the_choices_is_reported_and_the_others_still_apply(
    login, planner, brand_a
):
    dated_draft(brand_a, planner, dt.datetime(2031, 1, 7, 9, 0, tzinfo=UTC), title="Acme draft", intent="buy")

    response = login(planner).get(
        CALENDAR, {"view": "week", "date": "2031-01-07", "status": "lost", "intent": "know"}
    )

    assert response.status_code == 200
    assert "“lost” isn&#x27;t a status, so this filter is not applied." in response.text
    assert "Acme draft" not in response.text  # the intent filter still applies
    assert "No posts match these filters" in response.text


def test_a_staff_user_of_brand_a_never_sees_brand_bs_posts(login, creative, brand_a, brand_b, outsider):
    at = dt.datetime(2031, 1, 7, 9, 0, tzinfo=UTC)
    dated_draft(brand_a, creative, at, title="Acme draft", campaign="Acme only")
    dated_draft(brand_b, outsider, at, title="Borealis secret", campaign="Borealis campaign")
    client = login(creative)

    for view in ["month", "week", "list"]:
        page = client.get(CALENDAR, {"view": view, "date": "2031-01-07"}).text
        assert "Acme draft" in page
        assert "Borealis" not in page  # neither the post, nor its brand or campaign as a filter choice
    # Asking for brand B by its id shows nothing of it either.
    page = client.get(CALENDAR, {"view": "week", "date": "2031-01-07", "brand": brand_b.pk}).text
    assert "Borealis secret" not in page and "isn&#x27;t one of your brands" in page
    page = client.get(CALENDAR, {"view": "week", "date": "2031-01-07", "campaign": "Borealis campaign"}).text
    assert "Borealis secret" not in page


def test_a_client_cannot_reach_the_agency_calendar(login, client_of_a, brand_a, creative):
    dated_draft(brand_a, creative, dt.datetime(2031, 1, 7, 9, 0, tzinfo=UTC), title="Acme draft")

    response = login(client_of_a).get(CALENDAR, {"view": "week", "date": "2031-01-07"})

    assert response.status_code in (302, 403)
    assert "Acme draft" not in response.content.decode()


def test_the_menu_offers_the_calendar_to_staff_on_a_brand_only(login, creative):
    assert "/admin/calendar/" in login(creative).get(reverse("wagtailadmin_home")).text
    nobody = UserFactory(username="newcomer")
    nobody.user_permissions.add(*_admin_access())
    page = login(nobody).get(reverse("wagtailadmin_home")).text
    assert "/admin/calendar/" not in page


def _admin_access():
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(codename="access_admin")


def test_empty_states_say_why_the_calendar_is_empty(login, creative, brand_a):
    dated_draft(brand_a, creative, None, title="Someday")
    client = login(creative)

    week = client.get(CALENDAR, {"view": "week", "date": "2031-01-07"}).text
    assert "Nothing planned this week" in week and "Add a post" in week
    assert "1 post has no date yet" in week
    filtered = client.get(CALENDAR, {"view": "week", "date": "2031-01-07", "status": "published"}).text
    assert "No posts match these filters" in filtered and "Clear the filters" in filtered

    nobody = UserFactory(username="newcomer")
    nobody.user_permissions.add(*_admin_access())
    assert "No brands yet" in login(nobody).get(CALENDAR).text


def test_a_malformed_date_or_view_shows_this_month(login, creative):
    response = login(creative).get(CALENDAR, {"view": "year", "date": "soon"})

    assert response.status_code == 200
    assert 'class="cal cal--month"' in response.text


def test_only_posts_the_user_may_move_can_be_dragged(login, creative, reviewer, brand_a):
    at = dt.datetime(2031, 1, 7, 9, 0, tzinfo=UTC)
    draft = dated_draft(brand_a, creative, at, title="Movable draft")
    out = published(brand_a, at, title="Gone out")
    locked = dated_draft(brand_a, reviewer, at, title="Locked by the reviewer")
    Post.objects.filter(pk=locked.pk).update(locked=True, locked_by=reviewer)

    page = login(creative).get(CALENDAR, {"view": "week", "date": "2031-01-07"}).text

    assert f"/admin/calendar/posts/{draft.pk}/move/" in page
    assert f"/admin/calendar/posts/{out.pk}/move/" not in page
    assert f"/admin/calendar/posts/{locked.pk}/move/" not in page


def test_posts_in_review_or_scheduled_say_before_a_move_that_they_go_back_through_the_tiers(
    login, creative, reviewer, brand_a
):
    from approvals.models import ApprovalPolicy

    ApprovalPolicy.objects.filter(brand=brand_a).update(client_approval_required=True)
    at = dt.datetime(2031, 1, 7, 9, 0, tzinfo=UTC)
    in_review(brand_a, creative, at, title="Under review")
    draft = dated_draft(brand_a, creative, at, title="Just a draft")

    page = login(creative).get(CALENDAR, {"view": "week", "date": "2031-01-07"}).text

    note = re.search(r'data-move-note="([^"]+)"', page).group(1)
    assert "goes back through senior review" in note and "the client&#x27;s approval" in note
    draft_entry = page[page.index(f"/admin/calendar/posts/{draft.pk}/move/") - 400 :]
    assert "data-move-note" not in draft_entry[: draft_entry.index(">")]


# Query budget -------------------------------------------------------------------------------------


def queries_for(client, query) -> int:
    client.get(CALENDAR, query)  # warm: renditions made on first sight
    with CaptureQueriesContext(connection) as captured:
        response = client.get(CALENDAR, query)
    assert response.status_code == 200
    return len(captured)


def test_the_calendar_takes_the_same_queries_for_1_and_50_posts(
    login, planner, brand_a, brand_tokyo, reviewer
):
    picture = brand_image(brand_a, title="Calendar picture")
    march = [dt.datetime(2031, 3, 3 + n % 5, 9 + n % 8, 0, tzinfo=UTC) for n in range(50)]

    def add(moments):
        for n, at in enumerate(moments):
            title = f"Post {at:%d %H} {n}"
            if n % 3 == 0:  # the reviewer is on brand A only
                scheduled(brand_a, planner, reviewer, at, title=title, images=[picture])
            elif n % 2:
                dated_draft(brand_a, planner, at, title=title, images=[picture])
            else:
                dated_draft(brand_tokyo, planner, at, title=title)

    client = login(planner)
    views = [{"view": view, "date": "2031-03-03"} for view in ["month", "week", "list"]]
    add(march[:1])
    one = [queries_for(client, query) for query in views]
    add(march[1:])
    fifty = [queries_for(client, query) for query in views]

    assert fifty == one
    # About ten posts a day: the week shows each day's first WEEK_DAY_LIMIT, and counts the rest.
    page = client.get(CALENDAR, {"view": "week", "date": "2031-03-03"}).text
    shown = page.count('<li class="cal-entry ')
    assert shown < 50
    assert shown + sum(int(more) for more in re.findall(r"\+(\d+) more", page)) == 50
    listed = client.get(CALENDAR, {"view": "list", "date": "2031-03-01"}).text
    assert listed.count('<li class="cal-entry ') == LIST_PAGE_SIZE


def test_a_busy_day_of_the_month_shows_its_first_posts_and_how_many_more_in_its_week(login, planner, brand_a):
    for n in range(MONTH_DAY_LIMIT + 3):
        dated_draft(brand_a, planner, dt.datetime(2031, 1, 20, 8 + n, 0, tzinfo=UTC), title=f"Busy post {n}")
    client = login(planner)

    month = client.get(CALENDAR, {"date": "2031-01-15", "brand": brand_a.pk}).text
    week = client.get(CALENDAR, {"view": "week", "date": "2031-01-20"}).text
    listed = client.get(CALENDAR, {"view": "list", "date": "2031-01-15"}).text

    cell = day_cell(month, "2031-01-20")
    assert cell.count('<li class="cal-entry ') == MONTH_DAY_LIMIT
    assert "Busy post 0" in cell and f"Busy post {MONTH_DAY_LIMIT}" not in cell  # the first, in time order
    assert "+3 more" in cell
    assert f"brand={brand_a.pk}&amp;view=week&amp;date=2031-01-20" in cell  # the filters kept
    for page in (week, listed):  # the week and the list show them all
        assert page.count('<li class="cal-entry ') == MONTH_DAY_LIMIT + 3
    assert "Nothing planned" not in month


def test_a_busy_day_of_the_week_shows_its_first_posts_and_opens_the_list_on_that_day(login, planner, brand_a):
    for n in range(WEEK_DAY_LIMIT + 2):
        dated_draft(brand_a, planner, dt.datetime(2031, 1, 21, 8, n, tzinfo=UTC), title=f"Busy post {n}")
    client = login(planner)

    week = client.get(CALENDAR, {"view": "week", "date": "2031-01-20", "brand": brand_a.pk}).text

    cell = day_cell(week, "2031-01-21")
    assert cell.count('<li class="cal-entry ') == WEEK_DAY_LIMIT
    assert "Busy post 0" in cell and f"Busy post {WEEK_DAY_LIMIT}" not in cell  # the first, in time order
    assert "+2 more" in cell
    assert f"brand={brand_a.pk}&amp;view=list&amp;date=2031-01-21" in cell  # the filters kept
    listed = client.get(CALENDAR, {"view": "list", "date": "2031-01-21", "brand": brand_a.pk}).text
    assert listed.count('<li class="cal-entry ') == WEEK_DAY_LIMIT + 2


def test_the_list_shows_a_month_a_page_at_a_time_opening_on_the_page_of_the_day_asked_for(
    login, planner, brand_a, brand_b
):
    # Two posts a day from 1 to 20 March: 40 posts, two pages.
    for n in range(40):
        at = dt.datetime(2031, 3, 1 + n // 2, 9 + n % 2, 0, tzinfo=UTC)
        dated_draft(brand_a, planner, at, title=f"March post {n:02d}", campaign="Spring")
    dated_draft(brand_a, planner, dt.datetime(2031, 4, 1, 9, 0, tzinfo=UTC), title="April post")
    client = login(planner)

    first = client.get(CALENDAR, {"view": "list", "date": "2031-03-01", "campaign": "Spring"}).text
    assert first.count('<li class="cal-entry ') == LIST_PAGE_SIZE
    assert "March post 00" in first and f"March post {LIST_PAGE_SIZE:02d}" not in first
    assert f"Posts 1–{LIST_PAGE_SIZE} of 40" in first and "page 1 of 2" in first
    assert "Earlier posts" not in first
    later = re.search(r'href="([^"]+)" rel="next">Later posts', first).group(1).replace("&amp;", "&")
    assert "campaign=Spring" in later and "page=2" in later  # the filters kept

    second = client.get(CALENDAR + later).text
    assert second.count('<li class="cal-entry ') == 40 - LIST_PAGE_SIZE
    assert f"March post {LIST_PAGE_SIZE:02d}" in second and "March post 39" in second
    assert "April post" not in second and "Later posts" not in second and "Earlier posts" in second

    # Without a page: the page holding the day asked for (19 March is post 36, on page 2).
    on_the_19th = client.get(CALENDAR, {"view": "list", "date": "2031-03-19"}).text
    assert "March post 36" in on_the_19th and "page 2 of 2" in on_the_19th
    # A page that isn't one: the nearest there is, never an error.
    for page in ["99", "abc", "-1"]:
        response = client.get(CALENDAR, {"view": "list", "date": "2031-03-01", "page": page})
        assert response.status_code == 200 and response.text.count('<li class="cal-entry ') > 0
