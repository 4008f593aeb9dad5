"""Turnaround: due times in the brand's working hours, reminders half-way, escalation when
overdue (each once, in the post's history), the watcher's life on the task worker, the audit
entry when an edit makes earlier approvals lapse, and the working week in the policy form."""

import datetime as dt
import zoneinfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from wagtail.models import ModelLogEntry, TaskState

from approvals import notifications, watcher
from approvals.models import ApprovalPolicy, ReviewTier, TurnaroundNotice
from approvals.selectors import DueStatus, brand_policy, due_at, reminder_at, tier_due_status
from approvals.turnaround import WorkingHours, add_working_hours, halfway, is_working_time
from approvals.watcher import send_turnaround_notices
from brands.models import Brand
from cms.posts.models import Post

from .helpers import current_task_state, current_tier, decide, edit_url, editor_form, status_of, submit
from .test_policy_admin import edit_url as edit_url_of_policy
from .test_policy_admin import policy_form

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
JERUSALEM = zoneinfo.ZoneInfo("Asia/Jerusalem")
TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
OFFICE = WorkingHours(frozenset({1, 2, 3, 4, 5}), dt.time(9), dt.time(18), LONDON)


def june(day, hour, minute=0, tz=LONDON):
    """A time in June 2025, on the clock in `tz`: Monday 2, Friday 6, Saturday 7, Monday 9."""
    return dt.datetime(2025, 6, day, hour, minute, tzinfo=tz)


def hours(n):
    return dt.timedelta(hours=n)


# Working-hours arithmetic ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "target", "due"),
    [
        (june(2, 10), 4, june(2, 14)),  # within a day
        (june(2, 10), 8, june(2, 18)),  # runs out at closing time: due then, not next morning
        (june(2, 16), 4, june(3, 11)),  # over the night
        (june(6, 16), 4, june(9, 11)),  # over the weekend
        (june(2, 7, 30), 1, june(2, 10)),  # before opening: counting starts at 9:00
        (june(2, 19), 1, june(3, 10)),  # after closing
        (june(2, 18), 1, june(3, 10)),  # closing time itself is not working time
        (june(7, 12), 2, june(9, 11)),  # on a Saturday
        (june(2, 9), 90, june(13, 18)),  # two working weeks exactly: the second Friday's close
        (june(2, 9), 91, june(16, 10)),
        (june(2, 9), 45 * 10 + 1, dt.datetime(2025, 8, 11, 10, tzinfo=LONDON)),  # weeks jumped
    ],
)
def test_working_hours_are_added_in_the_working_week(start, target, due):
    assert add_working_hours(start, hours(target), OFFICE) == due


@pytest.mark.parametrize(
    ("start", "due"),
    [
        (june(2, 10, 30), june(2, 10, 30)),  # in working hours: due at once
        (june(2, 20), june(3, 9)),  # outside: at the next opening
        (june(7, 10), june(9, 9)),
    ],
)
def test_a_zero_hour_target_is_due_at_the_next_working_moment(start, due):
    assert add_working_hours(start, hours(0), OFFICE) == due


def test_a_sunday_to_thursday_week_skips_friday_and_saturday():
    week = WorkingHours(frozenset({7, 1, 2, 3, 4}), dt.time(8, 30), dt.time(17), JERUSALEM)
    thursday_afternoon = dt.datetime(2025, 6, 5, 16, tzinfo=JERUSALEM)

    due = add_working_hours(thursday_afternoon, hours(3), week)

    assert due == dt.datetime(2025, 6, 8, 10, 30, tzinfo=JERUSALEM)  # Sunday morning
    assert due.isoweekday() == 7


def test_the_start_is_read_on_the_brands_clock_whatever_its_time_zone():
    # 23:30 UTC on Sunday is 08:30 on Monday in Tokyo: counting starts at 9:00 there.
    start = dt.datetime(2025, 6, 1, 23, 30, tzinfo=dt.UTC)
    tokyo_office = WorkingHours(OFFICE.days, OFFICE.opens, OFFICE.closes, TOKYO)

    assert add_working_hours(start, hours(2), tokyo_office) == june(2, 11, tz=TOKYO)
    assert add_working_hours(start, hours(2), OFFICE) == june(2, 11)  # London: Monday 9:00 first


@pytest.mark.parametrize(
    ("start", "due", "utc_offset"),
    [
        # Clocks go forward on Sunday 30 March and back on Sunday 26 October 2025 in London.
        (dt.datetime(2025, 3, 28, 17, tzinfo=LONDON), dt.datetime(2025, 3, 31, 10, tzinfo=LONDON), 1),
        (dt.datetime(2025, 10, 24, 17, tzinfo=LONDON), dt.datetime(2025, 10, 27, 10, tzinfo=LONDON), 0),
    ],
)
def test_a_daylight_saving_change_neither_adds_nor_loses_working_time(start, due, utc_offset):
    result = add_working_hours(start, hours(2), OFFICE)

    assert result == due
    assert result.utcoffset() == dt.timedelta(hours=utc_offset)
    assert result.astimezone(LONDON).hour == 10  # on the office clock, whatever UTC says


def test_a_working_sunday_on_the_day_the_clocks_change_counts_wall_clock_hours():
    every_day = WorkingHours(frozenset(range(1, 8)), dt.time(9), dt.time(18), LONDON)

    due = add_working_hours(dt.datetime(2025, 3, 29, 17, tzinfo=LONDON), hours(2), every_day)

    assert due == dt.datetime(2025, 3, 30, 10, tzinfo=LONDON)
    assert due.utcoffset() == dt.timedelta(hours=1)


def counted_minute_by_minute(start, target, week):
    """The slow, obvious reference: walk the office clock a minute at a time."""
    wall, minutes = start.astimezone(week.tz).replace(tzinfo=None), round(target * 60)
    if not minutes:
        while not is_working_time(wall.replace(tzinfo=week.tz), week):
            wall += dt.timedelta(minutes=1)
    while minutes:
        minutes -= is_working_time(wall.replace(tzinfo=week.tz), week)
        wall += dt.timedelta(minutes=1)
    return wall.replace(tzinfo=week.tz)


@pytest.mark.parametrize("target", [0, 1, 4.5, 7, 13.25, 40, 61])
def test_agrees_with_counting_minute_by_minute(target):
    week = WorkingHours(frozenset({1, 3, 4, 6}), dt.time(8, 15), dt.time(12, 45), LONDON)
    start = dt.datetime(2025, 3, 27, 11, 50, tzinfo=LONDON)  # across the clocks going forward

    assert add_working_hours(start, hours(target), week) == counted_minute_by_minute(start, target, week)


def test_half_the_target_is_half_the_working_time():
    assert halfway(june(2, 16), hours(8), OFFICE) == june(3, 11)
    assert halfway(june(6, 17), hours(24), OFFICE) == june(10, 11)  # 1 h Friday, 9 Monday, 2 Tuesday


def test_working_time_includes_opening_and_excludes_closing():
    assert is_working_time(june(2, 9), OFFICE)
    assert is_working_time(june(2, 17, 59), OFFICE)
    assert not is_working_time(june(2, 18), OFFICE)
    assert not is_working_time(june(7, 12), OFFICE)  # Saturday
    assert not is_working_time(june(2, 3), OFFICE)


@pytest.mark.parametrize(
    ("days", "opens", "closes"),
    [
        (frozenset(), dt.time(9), dt.time(18)),
        (OFFICE.days, dt.time(18), dt.time(9)),
        (OFFICE.days, dt.time(9), dt.time(9)),
    ],
)
def test_a_week_without_working_time_is_refused_rather_than_looped_over(days, opens, closes):
    with pytest.raises(ValueError):
        WorkingHours(days, opens, closes, LONDON)


# Due times of tiers in review --------------------------------------------------------------------


def started(post, at) -> TaskState:
    """The post's current tier, as if it had started at `at`, loaded as the review list loads it."""
    TaskState.objects.filter(pk=current_task_state(post).pk).update(started_at=at)
    task_state = TaskState.objects.select_related("task__reviewtask", "workflow_state").get(
        pk=current_task_state(post).pk
    )
    task_state.post = Post.objects.select_related("brand__approval_policy").get(
        pk=task_state.workflow_state.object_id
    )
    return task_state


def due_status(task_state, post, now):
    """As the review inbox works it out for a row."""
    return tier_due_status(
        brand_policy(post.brand), task_state.task.reviewtask.tier, task_state.started_at, now
    )


def test_a_tier_is_due_after_its_target_in_the_brands_working_hours(in_review):
    task_state = started(in_review, june(6, 15))  # Friday 15:00, senior target 8 working hours

    assert due_at(task_state, task_state.post) == june(9, 14)  # 3 h on Friday, 5 on Monday
    assert reminder_at(task_state, task_state.post) == june(9, 10)


def test_due_status_turns_due_soon_half_way_and_overdue_at_the_due_time(in_review, django_assert_num_queries):
    task_state = started(in_review, june(2, 9))
    post = task_state.post

    with django_assert_num_queries(0):  # the review inbox calls this for every row
        assert due_status(task_state, post, june(2, 12, 59)) == DueStatus.ON_TIME
        assert due_status(task_state, post, june(2, 13)) == DueStatus.DUE_SOON
        assert due_status(task_state, post, june(2, 16, 59)) == "due_soon"
        assert due_status(task_state, post, june(2, 17)) == DueStatus.OVERDUE


def test_due_times_follow_the_policys_working_week_and_time_zone(in_review, policy, brand_a):
    policy(working_days="67", working_day_starts=dt.time(10), working_day_ends=dt.time(14))
    Brand.objects.filter(pk=brand_a.pk).update(time_zone="Asia/Tokyo")
    task_state = started(in_review, june(2, 9, tz=TOKYO))  # a Monday: not a working day there

    assert due_at(task_state, task_state.post) == june(8, 14, tz=TOKYO)  # Saturday and Sunday 10-14


def test_a_brand_without_a_policy_gets_the_default_working_week(in_review, brand_a):
    ApprovalPolicy.objects.filter(brand=brand_a).delete()
    task_state = started(in_review, june(6, 17))

    assert due_at(task_state, task_state.post) == june(9, 16)


def test_the_review_list_shows_the_working_hours_due_time(api, in_review, reviewer):
    started(in_review, june(6, 15))

    [review] = api(reviewer).get("/api/v1/reviews/").json()["results"]

    assert dt.datetime.fromisoformat(review["due_at"]) == june(9, 14)


# The watcher: reminders and escalations ----------------------------------------------------------


@pytest.fixture
def sent(monkeypatch):
    """The notifications the watcher asked for, as (kind, task state id); they still go out."""
    calls = []

    def spy(kind, notify):
        def record(task_state):
            calls.append((kind, task_state.pk))
            return notify(task_state)

        return record

    monkeypatch.setattr(notifications, "notify_reminder", spy("reminder", notifications.notify_reminder))
    monkeypatch.setattr(
        notifications, "notify_escalation", spy("escalation", notifications.notify_escalation)
    )
    return calls


def history(post, action) -> list[ModelLogEntry]:
    return list(ModelLogEntry.objects.filter(object_id=str(post.pk), action=action).order_by("pk"))


def scan(now):
    result = send_turnaround_notices(now=now)
    return result.reminders, result.escalations


def test_it_reminds_once_half_way_and_escalates_once_when_overdue(in_review, sent):
    task_state = started(in_review, june(2, 9))  # senior: 8 working hours, due 17:00

    assert scan(june(2, 12, 59)) == (0, 0)
    assert scan(june(2, 13)) == (1, 0)
    assert scan(june(2, 13, 5)) == (0, 0)
    assert scan(june(2, 16, 55)) == (0, 0)
    assert scan(june(2, 17)) == (0, 1)
    assert scan(june(2, 17, 5)) == (0, 0)
    assert scan(june(3, 10)) == (0, 0)

    assert sent == [("reminder", task_state.pk), ("escalation", task_state.pk)]
    [reminder] = history(in_review, "signoff.reminder_sent")
    [escalation] = history(in_review, "signoff.escalated")
    assert reminder.message == (
        "Reminder sent: half of the Senior review turnaround has passed; due Mon 2 Jun 17:00 (Europe/London)"
    )
    assert (
        escalation.message
        == "Escalated to the account leads: Senior review was due Mon 2 Jun 17:00 (Europe/London)"
    )
    assert reminder.user is None  # the system did it, not a person
    assert set(TurnaroundNotice.objects.values_list("task_state", "kind")) == {
        (task_state.pk, "reminder"),
        (task_state.pk, "escalation"),
    }


def test_the_reminder_and_escalation_show_in_the_posts_history_page(login, in_review, lead):
    started(in_review, june(2, 9))
    scan(june(2, 17))

    response = login(lead).get(reverse("wagtailsnippets_posts_post:history", args=[in_review.pk]))

    assert response.status_code == 200
    assert "Reminder sent: half of the Senior review turnaround has passed" in response.text
    assert "Escalated to the account leads" in response.text


def test_a_notice_another_worker_already_sent_is_not_sent_again(in_review, sent):
    task_state = started(in_review, june(2, 9))
    TurnaroundNotice.objects.create(task_state=task_state, kind=TurnaroundNotice.Kind.REMINDER)

    assert scan(june(2, 13)) == (0, 0)
    assert sent == []
    assert history(in_review, "signoff.reminder_sent") == []


def test_nothing_goes_out_outside_the_brands_working_hours(in_review, policy, sent):
    policy(senior_turnaround_hours=2)
    started(in_review, june(2, 17))  # reminder due at 18:00 sharp, the tier due Tuesday 10:00

    assert scan(june(2, 18)) == (0, 0)
    assert scan(june(3, 3)) == (0, 0)  # not at 3 a.m.
    assert scan(june(3, 8, 59)) == (0, 0)
    assert scan(june(3, 9)) == (1, 0)
    assert scan(june(3, 10)) == (0, 1)


def test_a_tier_overdue_at_six_on_friday_escalates_on_monday_morning(in_review, sent):
    started(in_review, june(6, 10))  # due Friday 18:00

    assert scan(june(6, 14)) == (1, 0)
    assert scan(june(6, 18)) == (0, 0)
    assert scan(june(7, 12)) == (0, 0)
    assert scan(june(9, 8, 55)) == (0, 0)
    assert scan(june(9, 9)) == (0, 1)


def test_a_tier_found_overdue_before_its_reminder_gets_both_once(in_review, policy, sent):
    """E.g. the worker was stopped over the reminder time, or the target is zero hours."""
    policy(senior_turnaround_hours=0)
    task_state = started(in_review, june(2, 10))

    assert scan(june(2, 10)) == (1, 1)
    assert scan(june(2, 11)) == (0, 0)
    assert sent == [("reminder", task_state.pk), ("escalation", task_state.pk)]


def test_decided_tiers_are_left_alone(api, in_review, reviewer, sent):
    started(in_review, june(2, 9))
    assert decide(api, reviewer, in_review).status_code == 200
    assert status_of(in_review) == "published"

    assert scan(june(4, 12)) == (0, 0)
    assert sent == []


def test_each_tier_visit_has_its_own_clock(api, in_review, reviewer, lead, policy, sent):
    policy(lead_review="always")
    started(in_review, june(2, 9))
    assert scan(june(2, 17)) == (1, 1)
    decide(api, reviewer, in_review)
    assert current_tier(in_review) == ReviewTier.LEAD
    lead_state = started(in_review, june(3, 9))

    assert scan(june(3, 12, 59)) == (0, 0)
    assert scan(june(3, 13)) == (1, 0)
    assert sent[-1] == ("reminder", lead_state.pk)


def test_each_brand_is_watched_on_its_own_clock(api, draft, in_review, brand_b, outsider, sent):
    Brand.objects.filter(pk=brand_b.pk).update(time_zone="Asia/Tokyo")
    tokyo_post = draft(brand=brand_b, by=outsider)
    assert submit(api, outsider, tokyo_post).status_code == 200
    # Both started at 09:00 on Monday, each on its own office's clock.
    london_state = started(in_review, june(2, 9))
    tokyo_state = started(tokyo_post, june(2, 9, tz=TOKYO))

    assert scan(june(2, 13, tz=TOKYO)) == (1, 0)  # 05:00 in London: only Tokyo's reminder
    assert scan(june(2, 13)) == (1, 0)  # 21:00 in Tokyo: only London's reminder
    assert sent == [("reminder", tokyo_state.pk), ("reminder", london_state.pk)]


def test_a_brand_with_broken_working_hours_does_not_stop_the_others(
    api, draft, in_review, brand_b, outsider, sent
):
    ApprovalPolicy.objects.filter(brand=brand_b).update(working_day_ends=dt.time(8))
    other = draft(brand=brand_b, by=outsider)
    submit(api, outsider, other)
    started(other, june(2, 9))
    started(in_review, june(2, 9))

    assert scan(june(2, 13)) == (1, 0)


@pytest.mark.parametrize("open_reviews", [1, 12])
def test_a_scan_costs_the_same_few_queries_however_many_reviews_are_open(
    api, draft, creative, open_reviews, django_assert_num_queries
):
    for _ in range(open_reviews):
        post = draft()
        submit(api, creative, post)
        started(post, june(2, 9))

    with django_assert_num_queries(2):  # the open tiers, their posts with brands and policies
        assert scan(june(2, 12)) == (0, 0)


# The watcher on the task worker ------------------------------------------------------------------


@pytest.fixture
def around_the_clock(policy):
    """Brand A works every hour of every day, so tests that run on the real clock can't land
    outside its working hours."""
    return policy(working_days="1234567", working_day_starts=dt.time(0), working_day_ends=dt.time.max)


def watcher_runs():
    return DBTaskResult.objects.filter(task_path="approvals.watcher.watch_turnaround")


def queued_watchers():
    return watcher_runs().filter(status="READY")


@pytest.mark.usefixtures("database_tasks")
def test_the_command_queues_one_watcher_however_often_it_runs(capsys):
    call_command("watch_turnaround")
    call_command("watch_turnaround")

    assert queued_watchers().count() == 1
    out = capsys.readouterr().out
    assert "Queued the turnaround watcher; the task worker runs it every 300s." in out
    assert "already queued" in out


@pytest.mark.usefixtures("database_tasks")
def test_the_worker_runs_the_watcher_which_queues_its_next_run(
    in_review, sent, settings, around_the_clock, run_worker
):
    settings.SIGNOFF_TURNAROUND_INTERVAL = 120
    started(in_review, timezone.now() - dt.timedelta(days=14))  # long overdue
    call_command("watch_turnaround")
    before = timezone.now()

    run_worker()

    [finished] = watcher_runs().filter(status="SUCCESSFUL")
    [following] = queued_watchers()
    assert finished.task_path == following.task_path
    assert (
        before + dt.timedelta(seconds=120)
        <= following.run_after
        <= timezone.now() + dt.timedelta(seconds=120)
    )
    assert finished.return_value == {
        "reminders": 1,
        "escalations": 1,
        "published": 0,
        "deliveries": 0,
        "webhook_events": 0,
        "client_digests": 0,
    }
    assert len(history(in_review, "signoff.escalated")) == 1

    run_worker()  # the next run isn't due yet
    call_command("watch_turnaround")  # nor does a restart add a second chain
    assert queued_watchers().count() == 1
    assert watcher_runs().filter(status="SUCCESSFUL").count() == 1


@pytest.mark.usefixtures("database_tasks")
@pytest.mark.task_failure_expected
def test_a_failing_scan_still_queues_the_next_run(monkeypatch, run_worker):
    def broken(**kwargs):
        raise RuntimeError("database hiccup")

    monkeypatch.setattr(watcher, "send_turnaround_notices", broken)
    call_command("watch_turnaround")

    run_worker()

    assert watcher_runs().filter(status="FAILED").count() == 1
    assert queued_watchers().count() == 1


def test_the_command_refuses_to_start_a_watcher_the_backend_cannot_repeat():
    # The test settings' immediate backend runs tasks at once and can't defer them.
    with pytest.raises(CommandError, match="--once"):
        call_command("watch_turnaround")


def test_the_command_scans_once_on_request(in_review, sent, capsys, around_the_clock):
    task_state = started(in_review, timezone.now() - dt.timedelta(days=14))

    call_command("watch_turnaround", once=True)

    assert (
        capsys.readouterr()
        .out.strip()
        .startswith("Sent 1 reminder(s), 1 escalation(s) and 0 client digest(s);")
    )
    assert sent == [("reminder", task_state.pk), ("escalation", task_state.pk)]


# Re-approval after an edit, in the post's history ------------------------------------------------


def reapprovals(post) -> list[dict]:
    return [entry.data for entry in history(post, "signoff.reapproval_required")]


def test_an_edit_after_an_approval_is_recorded_once_and_the_post_goes_back(
    api, login, draft, creative, reviewer, lead, policy
):
    policy(lead_review="always")
    post = draft(caption="Approved words. #MondayMotivation")
    submit(api, creative, post)
    decide(api, reviewer, post)
    assert current_tier(post) == ReviewTier.LEAD
    editor = login(creative)

    response = editor.post(edit_url(post), editor_form(post, caption="New words. #MondayMotivation"))
    assert response.status_code == 302
    editor.post(edit_url(post), editor_form(post, caption="Newer words. #MondayMotivation"))

    [entry] = history(post, "signoff.reapproval_required")
    assert entry.data == {"tiers": ["Senior review"]}
    assert entry.user == creative
    assert entry.message == "Edited after approval: Senior review must approve the new content again"
    # The post goes back through the senior tier, and nothing else lapses on the way.
    decide(api, lead, post)
    assert current_tier(post) == ReviewTier.SENIOR
    decide(api, reviewer, post)
    decide(api, lead, post)
    assert status_of(post) == "published"
    assert len(reapprovals(post)) == 1
    history_page = login(lead).get(reverse("wagtailsnippets_posts_post:history", args=[post.pk]))
    assert "Senior review must approve the new content again" in history_page.text


def test_resubmitting_edited_content_after_changes_were_requested_is_recorded(
    api, login, draft, creative, reviewer, lead, policy
):
    policy(lead_review="always")
    post = draft()
    submit(api, creative, post)
    decide(api, reviewer, post)
    decide(api, lead, post, "request-changes", reason="facts", comment="Check the price.")

    login(creative).post(
        edit_url(post),
        editor_form(
            post, caption="Now with the right price. #MondayMotivation", **{"action-submit": "Resubmit"}
        ),
    )

    assert current_tier(post) == ReviewTier.SENIOR
    assert reapprovals(post) == [{"tiers": ["Senior review"]}]


def test_approvals_towards_a_two_reviewer_tier_lapse_too(
    api, login, draft, creative, reviewer, second_reviewer, policy
):
    policy(senior_approvals_required=2)
    post = draft()
    submit(api, creative, post)
    decide(api, reviewer, post)  # one of two

    login(creative).post(edit_url(post), editor_form(post, caption="Changed. #MondayMotivation"))

    assert reapprovals(post) == [{"tiers": ["Senior review"]}]


def test_edits_before_any_approval_are_not_reapprovals(api, login, draft, creative):
    post = draft()
    editor = login(creative)
    editor.post(edit_url(post), editor_form(post, caption="A draft. #MondayMotivation"))
    submit(api, creative, post)
    editor.post(edit_url(post), editor_form(post, caption="Still in review. #MondayMotivation"))

    assert reapprovals(post) == []


def test_an_edit_after_publishing_is_not_a_reapproval(api, login, draft, creative, reviewer):
    """The finished workflow's approvals published what they approved; a new one starts afresh."""
    post = draft()
    submit(api, creative, post)
    decide(api, reviewer, post)

    login(creative).post(edit_url(post), editor_form(post, caption="Next week's words. #MondayMotivation"))

    assert reapprovals(post) == []


# Working hours in the policy admin ---------------------------------------------------------------


def test_the_policy_form_shows_the_working_week_in_the_brands_time_zone(login, lead, brand_a):
    Brand.objects.filter(pk=brand_a.pk).update(time_zone="America/New_York")

    response = login(lead).get(edit_url_of_policy(brand_a))

    assert response.status_code == 200
    form = response.context["form"]
    assert form["working_days"].value() == ["1", "2", "3", "4", "5"]
    assert "Sunday" in response.text
    assert "Acme Coffee's time zone, America/New_York" in form["working_days"].help_text
    assert "time zone, America/New_York" in response.text


def test_a_lead_sets_a_sunday_to_thursday_week(login, lead, brand_a):
    response = login(lead).post(
        edit_url_of_policy(brand_a),
        policy_form(
            working_days=["7", "1", "2", "3", "4"], working_day_starts="08:30", working_day_ends="17:00"
        ),
    )

    assert response.status_code == 302
    policy = ApprovalPolicy.objects.get(brand=brand_a)
    assert policy.working_days == "12347"
    assert (policy.working_day_starts, policy.working_day_ends) == (dt.time(8, 30), dt.time(17))


@pytest.mark.parametrize(
    ("changes", "field", "error"),
    [
        ({"working_days": []}, "working_days", "Pick at least one working day."),
        ({"working_day_ends": "08:00"}, "working_day_ends", "The working day must end after it starts."),
        ({"working_day_ends": "09:00"}, "working_day_ends", "The working day must end after it starts."),
    ],
)
def test_the_policy_form_refuses_a_week_without_working_time(login, lead, brand_a, changes, field, error):
    response = login(lead).post(edit_url_of_policy(brand_a), policy_form(**changes))

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [error]
    policy = ApprovalPolicy.objects.get(brand=brand_a)
    assert (policy.working_days, policy.working_day_ends) == ("12345", dt.time(18))
