"""Small helpers the approval tests share: read a post's state, act through the API and the editor."""

import datetime as dt
import threading
from contextlib import contextmanager
from unittest import mock

from django.db import connection
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry, TaskState

from cms.posts.models import Post


def status_of(post) -> str:
    return Post.objects.with_status().get(pk=post.pk).status


def current_task_state(post) -> TaskState | None:
    return Post.objects.get(pk=post.pk).current_workflow_task_state


def current_tier(post) -> str | None:
    task_state = current_task_state(post)
    return task_state.task.specific.tier if task_state else None


def submit(api, user, post):
    return api(user).post(f"/api/v1/posts/{post.pk}/submit/")


def decide(api, user, post, action="approve", **data):
    """Decide the post's current tier through the API."""
    task_state = current_task_state(post)
    assert task_state is not None, "the post is not waiting on any tier"
    return api(user).post(f"/api/v1/reviews/{task_state.pk}/{action}/", data, format="json")


def awaiting(api, user) -> list[int]:
    """The ids of the posts in `user`'s review list."""
    return [item["post"]["id"] for item in api(user).get("/api/v1/reviews/").json()["results"]]


def skipped_tiers(post) -> list[str]:
    return [
        entry.data["tier"]
        for entry in ModelLogEntry.objects.filter(object_id=str(post.pk), action="signoff.tier_skipped")
    ]


def edit_url(post) -> str:
    return reverse("wagtailsnippets_posts_post:edit", args=[post.pk])


def editor_form(post, **changes) -> dict:
    """The post editor's form data for the post as it is, with `changes` applied; like the page,
    it says which revision it was showing (Wagtail's loaded_revision_id)."""
    post = Post.objects.get(pk=post.pk).get_latest_revision_as_object()
    loaded = post.latest_revision
    data = {
        "loaded_revision_id": str(loaded.pk) if loaded else "",
        "loaded_revision_created_at": loaded.created_at.isoformat() if loaded else "",
        "brand": post.brand_id,
        "title": post.title,
        "caption": post.caption,
        "platforms": [platform.pk for platform in post.platforms.all()],
        "format": post.format,
        "intent": post.intent,
        "cta_label": post.cta_label,
        "cta_url": post.cta_url,
        "campaign": post.campaign,
        "go_live_at": timezone.localtime(post.go_live_at).strftime("%Y-%m-%d %H:%M")
        if post.go_live_at
        else "",
    }
    for prefix in ["media", "poll_options", "caption_variants"]:
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    data.update(changes)
    return data


def approved_and_live(api, post, *deciders):
    """Submit the post (as its creator) and approve each tier with the given people, in order."""
    assert submit(api, post.created_by, post).status_code == 200
    for decider in deciders:
        response = decide(api, decider, post)
        assert response.status_code == 200, response.json()


def in_three_days() -> dt.datetime:
    # To the minute, as posts are scheduled (cms.posts.content).
    return (timezone.now() + dt.timedelta(days=3)).replace(second=0, microsecond=0)


def race(*calls):
    """Run the calls in threads started at the same moment; return each one's result or exception."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:  # the caller looks at what each thread got
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@contextmanager
def clock_at(moment: dt.datetime):
    """Run what is inside as if it were `moment`: a scheduled post's time coming, say, without
    touching its approved content (Wagtail and Signoff read django.utils.timezone.now)."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield
