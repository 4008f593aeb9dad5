"""The editor's review comments panel: its own small admin views beside Wagtail's.

With JavaScript each button posts with htmx and the panel re-renders in place; without it the
same buttons submit a plain form (the panel's inputs belong to a form outside the post's own, see
templates/wagtailsnippets/snippets/posts/post/edit.html) and the view redirects back to the
editor, or shows the panel on a page of its own when there is something to correct.
Every change goes through approvals.comments; posts outside the user's brands answer 404.
"""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.images import get_image_model

from cms.ids import as_id
from cms.posts.models import Post
from cms.posts.selectors import posts_visible_to

from .comments import (
    Anchor,
    add_comment,
    latest_content,
    may_comment,
    may_take_part,
    reopen,
    reply,
    resolve,
)
from .forms import ReviewCommentForm
from .models import ReviewComment
from .selectors import changes_requested, comment_threads

app_name = "review_comments"

PANEL_TEMPLATE = "approvals/comments/_panel.html"
PAGE_TEMPLATE = "approvals/comments/page.html"


def edit_url(post: Post) -> str:
    return reverse("wagtailsnippets_posts_post:edit", args=[post.pk])


def caption_index(caption: str, browser_index: int) -> int:
    """A code point offset from the browser's textarea, as an offset into the stored caption.

    The textarea shows every line break as "\\n"; a caption saved from a form has "\\r\\n".
    """
    seen = 0
    for index, char in enumerate(caption):
        if seen == browser_index:
            return index
        if not (char == "\r" and caption[index + 1 : index + 2] == "\n"):
            seen += 1
    return len(caption) + browser_index - seen  # past the end stays past the end, for the message


def images_of(content: Post) -> list:
    """The images of the post (as in `content`, a revision of it), in their order."""
    ids = [media.image_id for media in content.media.all()]
    found = get_image_model().objects.in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def panel_context(
    request: HttpRequest,
    post: Post,
    *,
    content: Post | None = None,
    form: ReviewCommentForm | None = None,
    drafts: dict[int, str] | None = None,
    reply_errors: dict[int, str] | None = None,
    status: str = "",
    focus: str = "",
) -> dict:
    """What the panel shows: the changes asked for, the threads, and the boxes this user may use.

    `content` is the post as in its latest revision, when the caller has it already (the editor).

    `drafts` and the unsent new comment in `form` carry what the user typed in the other boxes
    across a re-render, so acting on one thread loses nothing typed in another.
    """
    drafts, reply_errors = drafts or {}, reply_errors or {}
    content = content or latest_content(post)
    caption = content.caption.replace("\r\n", "\n")
    threads = list(comment_threads(post))
    for thread in threads:
        thread.draft = drafts.get(thread.pk, "")
        thread.error = reply_errors.get(thread.pk, "")
        # The author fixed (or rewrote) the words: the quote stays, marked as no longer there.
        thread.quote_gone = (
            thread.anchor == Anchor.CAPTION and thread.quote.replace("\r\n", "\n") not in caption
        )
    form = form or ReviewCommentForm()
    return {
        "post": post,
        "time_zone": post.brand.time_zone,
        "decision": changes_requested(post),
        "open_threads": [thread for thread in threads if thread.resolved_at is None],
        "resolved_threads": [thread for thread in threads if thread.resolved_at is not None],
        "can_comment": may_comment(request.user, post),
        "can_take_part": may_take_part(request.user, post),
        "form": form,
        "targets": _targets(form, images_of(content)),
        "comments_url": reverse("review_comments:comments", args=[post.pk]),
        "edit_url": edit_url(post),
        "status": status,
        "focus": focus,
    }


def _targets(form: ReviewCommentForm, images: list) -> list[dict]:
    """The new-comment box's "On" choices. The caption words are chosen by selecting them (the
    panel's script enables the choice then), so without a selection it stays disabled."""
    chosen = form["target"].value() or "post"
    has_span = form["span_start"].value() not in (None, "")
    choices = [
        {"value": "post", "label": "The whole post"},
        {"value": "caption", "label": "The caption words selected", "disabled": not has_span},
    ] + [
        {"value": f"image-{image.pk}", "label": f"Image {number}: {image.title}"}
        for number, image in enumerate(images, start=1)
    ]
    for choice in choices:
        choice["selected"] = choice["value"] == chosen
    return choices


def _post_for(request: HttpRequest, pk: int) -> Post:
    # The panel needs none of the listing's prefetches.
    return get_object_or_404(
        posts_visible_to(request.user).select_related("latest_revision").prefetch_related(None), pk=pk
    )


def _comment_for(request: HttpRequest, pk: int) -> ReviewComment:
    """A comment on a post the user can see; 404, the same as a missing id, for any other."""
    visible = posts_visible_to(request.user).values("pk")
    return get_object_or_404(ReviewComment.objects.filter(post__in=visible), pk=pk)


def _drafts(request: HttpRequest, *, sent: int | None = None) -> dict[int, str]:
    """The reply boxes' text as posted, but for the one just sent."""
    drafts = {}
    for name, value in request.POST.items():
        thread = as_id(name.removeprefix("reply-")) if name.startswith("reply-") else None
        if thread is not None and thread != sent and value:
            drafts[thread] = value
    return drafts


def _unsent_comment(request: HttpRequest) -> ReviewCommentForm:
    """The new-comment box as the user left it (unbound: no errors to show for it)."""
    names = ReviewCommentForm.base_fields
    return ReviewCommentForm(initial={name: request.POST[name] for name in names if name in request.POST})


def _next_url(request: HttpRequest, post: Post) -> str:
    url = request.POST.get("next", "")
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return edit_url(post)


def _answer(request: HttpRequest, post: Post, *, done: str = "", **context) -> HttpResponse:
    """The panel for htmx; without it, back to the editor when `done`, else the panel's own page."""
    if request.htmx:
        return TemplateResponse(request, PANEL_TEMPLATE, panel_context(request, post, status=done, **context))
    if done:
        messages.success(request, done)
        return redirect(_next_url(request, post) + "#signoff-comments")
    page = panel_context(request, post, **context)
    page["next"] = _next_url(request, post)
    return TemplateResponse(request, PAGE_TEMPLATE, page)


def _said(invalid: ValidationError) -> str:
    return " ".join(message for errors in invalid.message_dict.values() for message in errors)


def refusing_htmx_plainly(view):
    """Wagtail's admin answers PermissionDenied with a redirect to its dashboard, which htmx would
    follow and put into the panel: answer htmx with a plain 403 instead."""

    @wraps(view)
    def refusing_view(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as denied:
            if not request.htmx:
                raise
            return HttpResponseForbidden(str(denied))

    return refusing_view


@require_http_methods(["GET", "POST"])
@refusing_htmx_plainly
def comments(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the panel (or its page). POST: start a thread from the new-comment box."""
    post = _post_for(request, pk)
    if request.method == "GET":
        return _answer(request, post)
    form = ReviewCommentForm(request.POST)
    if form.is_valid():
        arguments = form.comment_arguments()
        if arguments["anchor"] == Anchor.CAPTION and arguments["span_start"] is not None:
            caption = latest_content(post).caption
            arguments["span_start"] = caption_index(caption, arguments["span_start"])
            if arguments["span_end"] is not None:
                arguments["span_end"] = caption_index(caption, arguments["span_end"])
        try:
            comment = add_comment(post=post, user=request.user, **arguments)
        except ValidationError as invalid:
            for key, errors in invalid.message_dict.items():
                form.add_error("body" if key == "body" else "target", errors)
        else:
            return _answer(
                request,
                post,
                done="Comment added.",
                drafts=_drafts(request),
                focus=f"signoff-thread-{comment.pk}",
            )
    return _answer(request, post, form=form, drafts=_drafts(request), focus="signoff-comment-body")


def _reply_refused(
    request: HttpRequest, post: Post, thread_id: int, invalid: ValidationError
) -> HttpResponse:
    """The panel again, the thread's reply box showing what was wrong and keeping what was typed."""
    return _answer(
        request,
        post,
        form=_unsent_comment(request),
        drafts=_drafts(request),
        reply_errors={thread_id: _said(invalid)},
        focus=f"signoff-reply-{thread_id}",
    )


@require_POST
@refusing_htmx_plainly
def comment_reply(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment_for(request, pk)
    post = _post_for(request, comment.post_id)
    thread_id = comment.parent_id or comment.pk
    try:
        reply(comment=comment, user=request.user, body=request.POST.get(f"reply-{thread_id}", ""))
    except ValidationError as invalid:
        return _reply_refused(request, post, thread_id, invalid)
    return _answer(
        request,
        post,
        done="Reply added.",
        form=_unsent_comment(request),
        drafts=_drafts(request, sent=thread_id),
        focus=f"signoff-reply-{thread_id}",
    )


@require_POST
@refusing_htmx_plainly
def comment_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    """Resolve a thread; a reply typed in its box goes in first ("Fixed: …")."""
    comment = _comment_for(request, pk)
    post = _post_for(request, comment.post_id)
    thread_id = comment.parent_id or comment.pk
    typed = request.POST.get(f"reply-{thread_id}", "")
    try:
        if typed.strip():
            reply(comment=comment, user=request.user, body=typed)
        resolve(comment=comment, user=request.user)
    except ValidationError as invalid:
        return _reply_refused(request, post, thread_id, invalid)
    return _answer(
        request,
        post,
        done="Comment resolved.",
        form=_unsent_comment(request),
        drafts=_drafts(request, sent=thread_id),
        focus="signoff-comments-status",
    )


@require_POST
@refusing_htmx_plainly
def comment_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment_for(request, pk)
    post = _post_for(request, comment.post_id)
    thread = reopen(comment=comment, user=request.user)
    return _answer(
        request,
        post,
        done="Comment reopened.",
        form=_unsent_comment(request),
        drafts=_drafts(request),
        focus=f"signoff-thread-{thread.pk}",
    )


urlpatterns = [
    path("posts/<int:pk>/comments/", comments, name="comments"),
    path("posts/comments/<int:pk>/reply/", comment_reply, name="reply"),
    path("posts/comments/<int:pk>/resolve/", comment_resolve, name="resolve"),
    path("posts/comments/<int:pk>/reopen/", comment_reopen, name="reopen"),
]
